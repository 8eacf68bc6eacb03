"""Run by the system Python (which has `uno`): open a DOCX in a running LibreOffice, accept or
reject every tracked change as a user would (Edit ▸ Track Changes), and print what the document
then says: its header, the cover's tables and the body paragraphs, as JSON.

    /usr/bin/python3 lotext.py CONNECTION FILE accept|reject|none
"""

import json
import sys
import time

import uno
from com.sun.star.beans import PropertyValue

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
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    for _ in range(600):
        try:
            ctx = resolver.resolve("uno:" + connection)
            break
        except Exception:
            time.sleep(0.05)
    smgr = ctx.ServiceManager
    desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    hidden = PropertyValue()
    hidden.Name, hidden.Value = "Hidden", True
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0, (hidden,))
    try:
        if mode in COMMANDS:
            helper = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
            frame = doc.getCurrentController().getFrame()
            helper.executeDispatch(frame, COMMANDS[mode], "", 0, ())
        out = {"header": [], "body": []}
        pages = doc.getStyleFamilies().getByName("PageStyles")
        for name in sorted(pages.getElementNames()):
            style = pages.getByName(name)
            if style.isInUse() and style.HeaderIsOn:
                out["header"] += contents(style.HeaderText)
        out["body"] = contents(doc.getText())
        print(json.dumps(out, ensure_ascii=False))
    finally:
        doc.close(True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
