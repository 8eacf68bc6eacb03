"""LibreOffice worker: run by the system Python (which has `uno`), never imported by styrdok.

    /usr/bin/python3 office_worker.py 'pipe,name=NAME;urp;StarOffice.ComponentContext'

Connects to a LibreOffice started by styrdok.office, then serves one JSON job a line on stdin
({"src", "dst", "title"}) and answers one JSON line on stdout ({"ok": true} or {"ok": false,
"error": …}). Each job loads the DOCX, updates the indexes (table of contents) and fields,
and exports a tagged PDF/A-2b. It exits when stdin closes.
"""

import json
import sys
import time

import uno
from com.sun.star.beans import PropertyValue

PDF_OPTIONS = {
    "SelectPdfVersion": 2,  # PDF/A-2b
    "UseTaggedPDF": True,
    "ExportBookmarks": True,
    "DisplayPDFDocumentTitle": True,
    "EmbedStandardFonts": True,
    "ExportFormFields": False,
    "UseLosslessCompression": True,
}


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(conn, seconds=60.0):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + seconds
    while True:
        try:
            ctx = resolver.resolve("uno:" + conn)
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def update_indexes(doc):
    indexes = doc.getDocumentIndexes()
    for i in range(indexes.getCount()):
        indexes.getByIndex(i).update()


def convert(desktop, job):
    url = uno.systemPathToFileUrl(job["src"])
    doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
    if doc is None:
        raise RuntimeError("LibreOffice kunde inte öppna filen")
    try:
        doc.getDocumentProperties().Title = job["title"]
        update_indexes(doc)
        doc.getTextFields().refresh()
        update_indexes(doc)  # the table of contents can move pages; the second pass settles them
        data = uno.Any(
            "[]com.sun.star.beans.PropertyValue",
            tuple(prop(k, v) for k, v in PDF_OPTIONS.items()),
        )
        doc.storeToURL(
            uno.systemPathToFileUrl(job["dst"]),
            (prop("FilterName", "writer_pdf_Export"), prop("FilterData", data)),
        )
    finally:
        doc.close(True)


def main():
    desktop = connect(sys.argv[1])
    print(json.dumps({"ok": True, "ready": True}), flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        try:
            convert(desktop, job)
            answer = {"ok": True}
        except Exception as e:  # reported to the parent, which names the file
            answer = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
