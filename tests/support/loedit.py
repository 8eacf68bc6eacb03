"""Run by the system Python (which has `uno`): open a DOCX in a running LibreOffice, make the
edits a document owner makes in an office suite, and save it as DOCX again, as LibreOffice
writes it.

    /usr/bin/python3 loedit.py CONNECTION FILE OUT EDITS_JSON

EDITS_JSON is a list of edits: ["replace", old, new], ["bold", text], ["style", text, style],
["paragraph_after", text, new paragraph], ["paragraphs_after_last", regular expression, [new
paragraphs]], ["delete_from_to", first text, text after the end].
"""

import json
import sys

import uno
from com.sun.star.text.ControlCharacter import PARAGRAPH_BREAK
from unodoc import open_document, prop

BOLD = 150.0  # com.sun.star.awt.FontWeight.BOLD


def find(doc, text):
    search = doc.createSearchDescriptor()
    search.SearchString = text
    found = doc.findFirst(search)
    if found is None:
        raise SystemExit(f"not found: {text!r}")
    return found


def main(connection, path, out, edits):
    _, doc = open_document(connection, path)
    try:
        text = doc.getText()
        for edit in json.loads(edits):
            kind = edit[0]
            if kind == "replace":
                find(doc, edit[1]).setString(edit[2])
            elif kind == "bold":
                find(doc, edit[1]).CharWeight = BOLD
            elif kind == "style":
                find(doc, edit[1]).ParaStyleName = edit[2]
            elif kind == "paragraph_after":
                cursor = text.createTextCursorByRange(find(doc, edit[1]).getEnd())
                cursor.gotoEndOfParagraph(False)
                text.insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
                text.insertString(cursor, edit[2], False)
            elif kind == "paragraphs_after_last":
                search = doc.createSearchDescriptor()
                search.SearchString, search.SearchRegularExpression = edit[1], True
                found = doc.findAll(search)
                last = found.getByIndex(found.getCount() - 1)
                cursor = text.createTextCursorByRange(last.getEnd())
                cursor.gotoEndOfParagraph(False)
                for paragraph in edit[2]:
                    text.insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
                    text.insertString(cursor, paragraph, False)
            elif kind == "delete_from_to":
                start, end = find(doc, edit[1]), find(doc, edit[2])
                cursor = text.createTextCursorByRange(start.getStart())
                cursor.gotoStartOfParagraph(False)
                cursor.gotoRange(end.getStart(), True)
                cursor.gotoStartOfParagraph(True)
                cursor.setString("")
        doc.storeToURL(uno.systemPathToFileUrl(out), (prop("FilterName", "MS Word 2007 XML"),))
    finally:
        doc.close(True)


if __name__ == "__main__":
    main(*sys.argv[1:5])
