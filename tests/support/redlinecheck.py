"""The redline's two checks the tests share: Accept All gives the new revision and Reject All
the old one, in python-docx's reading and in LibreOffice's."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

from styrdok.compare.redline import redline
from styrdok.writers.docx import render_docx
from support.lorun import run_script
from support.redlinetext import content, part_texts

AUTHOR, DATE = "Anna Andersson", "2019-09-16T08:00:00Z"


def check_redline(old, new) -> bytes:
    """The redline of old → new, checked: Accept All gives exactly the new revision and Reject
    All exactly the old one — text, heading numbers, bold, italic and links, cover and header."""
    marked = render_docx(redline(old, new, AUTHOR, DATE))
    assert content(marked, "accept", styled=True) == content(render_docx(new), styled=True)
    assert content(marked, "reject", styled=True) == content(render_docx(old), styled=True)
    assert part_texts(marked, "accept") == part_texts(render_docx(new))
    assert part_texts(marked, "reject") == part_texts(render_docx(old))
    return marked


def libreoffice_reads(office, docx: bytes, mode: str, folder: Path) -> dict:
    """What LibreOffice shows after accepting or rejecting every change ('none': as it is)."""
    path = folder / f"{mode}-{len(list(folder.iterdir()))}.docx"
    path.write_bytes(docx)
    out = run_script(office, "lotext.py", str(path), mode)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def check_in_libreoffice(office, old, new, folder: Path) -> tuple[dict, dict]:
    """Accept All and Reject All in LibreOffice give the two revisions, numbers included."""
    marked = render_docx(redline(old, new, AUTHOR, DATE))
    accepted = libreoffice_reads(office, marked, "accept", folder)
    rejected = libreoffice_reads(office, marked, "reject", folder)
    for seen, doc, mode in ((accepted, new, "accept"), (rejected, old, "reject")):
        want = libreoffice_reads(office, render_docx(doc), "none", folder)
        lines = ["\n".join(map(str, side["header"] + side["body"])) for side in (want, seen)]
        diff = difflib.unified_diff(*(x.splitlines() for x in lines), lineterm="")
        assert seen == want, f"{mode}:\n" + "\n".join(diff)
    return accepted, rejected
