"""Accept-all and reject-all on a redline DOCX, as Word does, to read back what each gives."""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NUMBERED = re.compile(r"^\d+(:\d+)? ")


def _paragraphs(docx: bytes):
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        body = etree.fromstring(z.read("word/document.xml")).find(f"{W}body")
    for p in body.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        yield p, style.get(f"{W}val") if style is not None else "Normal"


def _mark(p) -> str | None:
    rpr = p.find(f"{W}pPr/{W}rPr")
    if rpr is None:
        return None
    if rpr.find(f"{W}ins") is not None or rpr.find(f"{W}moveTo") is not None:
        return "ins"
    return (
        "del" if rpr.find(f"{W}del") is not None or rpr.find(f"{W}moveFrom") is not None else None
    )


def _gone(t, resolve: str | None) -> bool:
    """Whether text `t` disappears when every change is accepted or rejected."""
    if resolve == "accept":
        return t.tag == f"{W}delText" or _inside(t, "del") or _inside(t, "moveFrom")
    if resolve == "reject":
        return _inside(t, "ins") or _inside(t, "moveTo")
    return False


def _inside(el, tag: str) -> bool:
    return any(a.tag == f"{W}{tag}" for a in el.iterancestors())


def content(docx: bytes, resolve: str | None = None, numbers: bool = True) -> list[str]:
    """Body paragraph texts (TOC left out) after accepting ('accept') or rejecting ('reject')
    every tracked change; None reads a document without changes."""
    out = []
    for p, style in _paragraphs(docx):
        if style.lower().startswith("toc") or p.getparent().tag != f"{W}body":
            continue
        mark = _mark(p)
        if (resolve == "accept" and mark == "del") or (resolve == "reject" and mark == "ins"):
            continue
        parts = []
        for t in p.iter(f"{W}t", f"{W}delText"):
            if not _gone(t, resolve):
                parts.append(t.text or "")
        text = "".join(parts)
        if not numbers and style.startswith("Heading"):
            text = NUMBERED.sub("", text)
        out.append(text)
    return out


def part_texts(docx: bytes, resolve: str | None = None) -> dict[str, str]:
    """Every text of the document part and of each header (cover and header included), after
    accepting or rejecting every tracked change, by part name."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        names = [n for n in z.namelist() if re.fullmatch(r"word/(document|header\d*)\.xml", n)]
        for name in sorted(names):
            parts = []
            for t in etree.fromstring(z.read(name)).iter(f"{W}t", f"{W}delText"):
                if not _gone(t, resolve):
                    parts.append(t.text or "")
            out[name] = "".join(parts)
    return out
