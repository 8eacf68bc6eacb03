"""Run by the system Python (which has `uno`): open a DOCX in a running LibreOffice, accept or
reject every tracked change as a user would (Edit ▸ Track Changes), and print what the document
then says: its header, the cover's tables, the body paragraphs and the footnotes, as JSON.

    /usr/bin/python3 lotext.py CONNECTION FILE accept|reject|none
"""

import json
import sys

from unodoc import open_document

COMMANDS = {"accept": ".uno:AcceptAllTrackedChanges", "reject": ".uno:RejectAllTrackedChanges"}


def contents(text):
    """Each paragraph as [style, text] and each table as ["table", cell texts…], in order; the
    table of contents left out (it is a field result, made anew when updated)."""
    out = []
    items = text.createEnumeration()
    while items.hasMoreElements():
        item = items.nextElement()
        if item.supportsService("com.sun.star.text.TextTable"):
            out.append(["table", *(item.getCellByName(n).getString() for n in item.getCellNames())])
        elif not item.ParaStyleName.startswith("Contents"):
            out.append([item.ParaStyleName, item.getString()])
    return out


def main(connection, path, mode):
    ctx, doc = open_document(connection, path)
    try:
        if mode in COMMANDS:
            helper = ctx.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.DispatchHelper", ctx
            )
            frame = doc.getCurrentController().getFrame()
            helper.executeDispatch(frame, COMMANDS[mode], "", 0, ())
        out = {"header": [], "body": []}
        pages = doc.getStyleFamilies().getByName("PageStyles")
        for name in sorted(pages.getElementNames()):
            style = pages.getByName(name)
            if style.isInUse() and style.HeaderIsOn:
                out["header"] += contents(style.HeaderText)
        out["body"] = contents(doc.getText())
        notes = doc.getFootnotes()
        out["footnotes"] = [notes.getByIndex(i).getString() for i in range(notes.getCount())]
        print(json.dumps(out, ensure_ascii=False))
    finally:
        doc.close(True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
