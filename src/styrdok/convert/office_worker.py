"""LibreOffice worker: run by the system Python (which has `uno`).

    /usr/bin/python3 office_worker.py 'pipe,name=NAME;urp;StarOffice.ComponentContext' \
        PARENT PROFILE

Connects to a LibreOffice started by styrdok.convert.office, then serves one JSON job a line on
stdin ({"src", "dst", "title"}) and answers one JSON line on stdout ({"ok": true} or {"ok": false,
"error": …}). Each job loads the DOCX, updates the indexes (table of contents) and fields,
and exports a tagged PDF/A-2b. It exits when stdin closes.

It is also LibreOffice's watchdog, started before LibreOffice: when the styrdok process that
started it (PARENT) is gone, however it ended, SIGKILL included, it kills every process running
on the profile (PROFILE) and removes the profile, so no LibreOffice outlives styrdok. styrdok
imports `stop_profile` from here for its own clean-up (without `uno`).
"""

import contextlib
import hashlib
import json
import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

try:
    import uno
    from com.sun.star.beans import PropertyValue
except ImportError:  # imported by styrdok for stop_profile; conversions need the system Python
    uno = PropertyValue = None

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
    doc = None
    # Now and then (twice in about a dozen runs of two LibreOffices starting side by side)
    # LibreOffice 7.4 gives no document for a file it opens at once when asked again: a file it
    # cannot open fails each time, in under a second.
    for pause in (0.0, 0.2, 0.5):
        time.sleep(pause)
        doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
        if doc is not None:
            break
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


def stop_profile(profile):
    """Kill every process that runs on the LibreOffice profile (found by its command line) and
    remove the profile; return how many processes were killed."""
    marker = Path(profile).as_uri().encode()
    killed = 0
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            found = marker in (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if found:
            with contextlib.suppress(OSError):
                os.kill(int(proc.name), signal.SIGKILL)
                killed += 1
    shutil.rmtree(profile, ignore_errors=True)
    # the socket LibreOffice leaves in /tmp when it is killed (on a clean exit it removes it)
    Path("/tmp", f"OSL_PIPE_{os.getuid()}_{single_instance_pipe(Path(profile))}").unlink(
        missing_ok=True
    )
    return killed


def single_instance_pipe(profile):
    """The name of the pipe by which LibreOffice finds another of itself on the same profile
    (desktop/source/app/officeipcthread.cxx): 'SingleOfficeIPC_' and the MD5 of the profile's
    URL in UTF-16, each byte in hex without leading zeros."""
    digest = hashlib.md5(profile.as_uri().encode("utf-16-le"), usedforsecurity=False).digest()
    return "SingleOfficeIPC_" + "".join(f"{byte:x}" for byte in digest)


def watch(parent, profile):
    """Stop LibreOffice once the parent process is gone: again and again until nothing runs on
    the profile and it is gone (one may have been starting, and a dying one may write)."""
    while os.getppid() == parent:
        time.sleep(0.2)
    deadline, quiet = time.monotonic() + 20, 0
    while quiet < 3 and time.monotonic() < deadline:
        gone = stop_profile(profile) == 0 and not os.path.exists(profile)
        quiet = quiet + 1 if gone else 0
        time.sleep(0.3)
    os._exit(1)


def main():
    owner = None
    if len(sys.argv) > 3:
        owner = (int(sys.argv[2]), sys.argv[3])
        threading.Thread(target=watch, args=owner, daemon=True).start()
    try:
        serve(connect(sys.argv[1]))
    finally:  # stdin closed: the parent is done with LibreOffice (and stops it), or gone
        if owner is not None and parent_gone(owner[0]):
            watch(*owner)


def parent_gone(parent, wait=5.0):
    """Whether the parent is gone, told apart from one that closed our input to stop us: a
    killed process's pipes close before its children are handed to another parent, so the
    end of input can come first; wait for that handover (a parent that is done kills us)."""
    deadline = time.monotonic() + wait
    while os.getppid() == parent and time.monotonic() < deadline:
        time.sleep(0.05)
    return os.getppid() != parent


def serve(desktop):
    print(json.dumps({"ok": True, "ready": True}), flush=True)
    for line in sys.stdin:
        try:
            job = json.loads(line)
            convert(desktop, job)
            answer: dict[str, object] = {"ok": True}
        except Exception as e:  # reported to the parent, which names the file
            answer = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
