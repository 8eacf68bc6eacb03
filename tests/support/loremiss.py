"""Run by the system Python (which has `uno`): answer a remiss in a running LibreOffice as a
reviewer does, and save the answer as DOCX, as LibreOffice writes it.

    /usr/bin/python3 loremiss.py CONNECTION FILE OUT EDITS_JSON

EDITS_JSON is a list of edits, made in order (`text` is found in the body's paragraphs and in
table cells, the n-th occurrence when a number follows it as ["text", n]):
  ["author", name]                  who the reviewer is (the author of tracked changes)
  ["comment", text, comment, date]  a comment by the reviewer on `text` (its range)
  ["track", true|false]             record changes (Edit ▸ Track Changes ▸ Record) or not
  ["replace", text, new]            replace `text` (a tracked change when recording)
  ["insert_after", text, new]       insert `new` right after `text`
  ["remove_bookmark", name]         delete a bookmark (its text stays)
  ["property", name, value]         set a user-defined document property

The document is loaded as a model without a view (XLoadable): LibreOffice 7.4 without its GUI
(Debian's -nogui packages, as here) aborts when it makes a comment's window, which any view
does, even a hidden one.
"""

import json
import sys
import time

import uno
from com.sun.star.util import DateTime
from unodoc import prop


def connect(connection):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    for _ in range(600):
        try:
            return resolver.resolve("uno:" + connection)
        except Exception:
            time.sleep(0.05)
    raise SystemExit("LibreOffice did not answer")


def paragraphs(text):
    """Every paragraph of a text, those in table cells included, in order."""
    items = text.createEnumeration()
    while items.hasMoreElements():
        item = items.nextElement()
        if item.supportsService("com.sun.star.text.TextTable"):
            for name in item.getCellNames():
                yield from paragraphs(item.getCellByName(name))
        else:
            yield item


def find(doc, what):
    """A cursor over the n-th occurrence of a text (in one paragraph)."""
    text, n = (what, 0) if isinstance(what, str) else what
    seen = 0
    for p in paragraphs(doc.getText()):
        content = p.getString()
        start = content.find(text)
        while start != -1:
            if seen == n:
                owner = p.getText()
                cursor = owner.createTextCursorByRange(p.getStart())
                cursor.goRight(start, False)
                cursor.goRight(len(text), True)
                return owner, cursor
            seen += 1
            start = content.find(text, start + 1)
    raise SystemExit(f"not found: {what!r}")


def set_author(ctx, name):
    """The user's name in LibreOffice's profile: the author of tracked changes."""
    provider = ctx.ServiceManager.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", ctx
    )
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess",
        (prop("nodepath", "/org.openoffice.UserProfile/Data"),),
    )
    given, _, family = name.partition(" ")
    access.setPropertyValue("givenname", given)
    access.setPropertyValue("sn", family)
    access.commitChanges()


def when(iso):
    d = DateTime()
    d.Year, d.Month, d.Day = int(iso[0:4]), int(iso[5:7]), int(iso[8:10])
    d.Hours, d.Minutes, d.Seconds = int(iso[11:13]), int(iso[14:16]), int(iso[17:19])
    return d


def main(connection, path, out, edits):
    ctx = connect(connection)
    doc = ctx.ServiceManager.createInstanceWithContext("com.sun.star.text.TextDocument", ctx)
    doc.load(
        (
            prop("URL", uno.systemPathToFileUrl(path)),
            prop("FilterName", "MS Word 2007 XML"),
            prop("Hidden", True),
        )
    )
    author = "Okänd granskare"
    try:
        for edit in json.loads(edits):
            kind = edit[0]
            if kind == "author":
                author = edit[1]
                set_author(ctx, author)
            elif kind == "comment":
                owner, cursor = find(doc, edit[1])
                note = doc.createInstance("com.sun.star.text.textfield.Annotation")
                note.Author, note.Content, note.DateTimeValue = author, edit[2], when(edit[3])
                owner.insertTextContent(cursor, note, True)
            elif kind == "track":
                doc.RecordChanges = edit[1]
            elif kind == "replace":
                find(doc, edit[1])[1].setString(edit[2])
            elif kind == "insert_after":
                owner, cursor = find(doc, edit[1])
                owner.insertString(cursor.getEnd(), edit[2], False)
            elif kind == "remove_bookmark":
                mark = doc.getBookmarks().getByName(edit[1])
                mark.getAnchor().getText().removeTextContent(mark)
            elif kind == "property":
                props = doc.getDocumentProperties().getUserDefinedProperties()
                if props.getPropertySetInfo().hasPropertyByName(edit[1]):
                    props.setPropertyValue(edit[1], edit[2])
                else:
                    props.addProperty(edit[1], 0, edit[2])
        doc.storeToURL(uno.systemPathToFileUrl(out), (prop("FilterName", "MS Word 2007 XML"),))
    finally:
        doc.close(True)


if __name__ == "__main__":
    main(*sys.argv[1:5])
