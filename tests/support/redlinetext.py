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


def _row_mark(p) -> str | None:
    """A table row's own mark (w:trPr/w:ins, w:trPr/w:del) for a paragraph in one of its cells."""
    tr = next(p.iterancestors(f"{W}tr"), None)
    if tr is None or tr.find(f"{W}trPr") is None:
        return None
    trpr = tr.find(f"{W}trPr")
    return (
        "ins"
        if trpr.find(f"{W}ins") is not None
        else "del"
        if trpr.find(f"{W}del") is not None
        else None
    )


def _gone(t, resolve: str | None) -> bool:
    """Whether text `t` disappears when every change is accepted or rejected."""
    if resolve == "accept":
        return t.tag == f"{W}delText" or _inside(t, "del") or _inside(t, "moveFrom")
    if resolve == "reject":
        return _inside(t, "ins") or _inside(t, "moveTo")
    return False


def tracked_texts(docx: bytes, tag: str) -> list[str]:
    """The texts inside each w:ins, w:del, w:moveFrom or w:moveTo of the body, in order."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        body = etree.fromstring(z.read("word/document.xml")).find(f"{W}body")
    return [
        "".join(t.text or "" for t in el.iter(f"{W}t", f"{W}delText"))
        for el in body.iter(f"{W}{tag}")
        if el.getparent().tag != f"{W}rPr"
    ]


def _inside(el, tag: str) -> bool:
    return any(a.tag == f"{W}{tag}" for a in el.iterancestors())


def _links(docx: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
    return {r.get("Id"): r.get("Target") for r in rels}


def _style(t, links: dict[str, str]) -> tuple[bool, bool, str | None]:
    """A text element's bold, italic and link target."""
    r = t.getparent()
    rpr = r.find(f"{W}rPr")
    bold = rpr is not None and rpr.find(f"{W}b") is not None
    italic = rpr is not None and rpr.find(f"{W}i") is not None
    link = next((a for a in t.iterancestors(f"{W}hyperlink")), None)
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    return bold, italic, links.get(link.get(rid)) if link is not None else None


def _styled(pieces: list[tuple[str, tuple]]) -> str:
    """Text with its formatting written inline: **bold**, _italic_, [link](target)."""
    runs: list[list] = []
    for text, style in pieces:
        if runs and runs[-1][1] == style:
            runs[-1][0] += text
        elif text:
            runs.append([text, style])
    out = []
    for text, (bold, italic, href) in runs:
        text = f"**{text}**" if bold else text
        text = f"_{text}_" if italic else text
        out.append(f"[{text}]({href})" if href else text)
    return "".join(out)


def content(
    docx: bytes, resolve: str | None = None, numbers: bool = True, styled: bool = False
) -> list[str]:
    """Body paragraph texts (TOC left out) after accepting ('accept') or rejecting ('reject')
    every tracked change; None reads a document without changes. styled=True writes bold,
    italic and links inline, so that formatting counts. The tables after the table of contents
    are read cell by cell ("cell|text", a new row starting "row|"); a row added or removed is
    gone with its mark. A paragraph whose mark goes but not all its text joins the next one
    (the redline moves marks off a table that way; see ooxml.marks_off_the_table)."""
    links = _links(docx) if styled else {}
    notes = _footnotes(docx)
    out = []
    carry: tuple[list, str] = ([], "")  # a paragraph whose mark went: its text and style
    contents = False
    for p, style in _paragraphs(docx):
        contents = contents or style.lower().startswith("toc")
        in_table = p.getparent().tag == f"{W}tc"
        if style.lower().startswith("toc") or not (
            p.getparent().tag == f"{W}body" or (in_table and contents)
        ):
            continue
        mark = _row_mark(p) if in_table else _mark(p)
        if in_table:
            tc = p.getparent()
            first = tc.getprevious() is None or tc.getprevious().tag != f"{W}tc"
            style = "row" if first else "cell"
        parts = []
        for t in p.iter(f"{W}t", f"{W}delText", f"{W}footnoteReference"):
            if _gone(t, resolve):
                continue
            if t.tag == f"{W}footnoteReference":  # the footnote's text where its number is
                note = notes[t.get(f"{W}id")]
                text = "".join(
                    x.text or "" for x in note.iter(f"{W}t", f"{W}delText") if not _gone(x, resolve)
                )
                parts.append((f"[^{text}]", (False, False, None) if styled else ()))
                continue
            parts.append((t.text or "", _style(t, links) if styled else ()))
        if (resolve == "accept" and mark == "del") or (resolve == "reject" and mark == "ins"):
            if in_table:
                continue  # the row goes
            # the paragraph's mark goes: what is left of its text joins the next paragraph
            carry = (carry[0] + parts, carry[1] if carry[0] else style)
            continue
        if carry[0] and not in_table:
            joined = [x for x in carry[0] + parts]
            # LibreOffice: into an empty paragraph, the joining one brings its style
            style = carry[1] if not "".join(x for x, _ in parts) else style
            parts = joined
        carry = ([], "")
        text = _styled(parts) if styled else "".join(t for t, _ in parts)
        if not numbers and style.startswith("Heading"):
            text = NUMBERED.sub("", text)
        out.append(f"{style}|{text}" if styled else text)
    return out


def _footnotes(docx: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        if "word/footnotes.xml" not in z.namelist():
            return {}
        root = etree.fromstring(z.read("word/footnotes.xml"))
    return {n.get(f"{W}id"): n for n in root.iter(f"{W}footnote")}


def part_texts(docx: bytes, resolve: str | None = None) -> dict[str, str]:
    """Every text of the document part and of each header (cover and header included), after
    accepting or rejecting every tracked change, by part name; the table of contents left out
    (a field result, made anew when fields are updated)."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        names = [
            n for n in z.namelist() if re.fullmatch(r"word/(document|header\d*|footnotes)\.xml", n)
        ]
        for name in sorted(names):
            parts = []
            for t in etree.fromstring(z.read(name)).iter(f"{W}t", f"{W}delText"):
                if not _gone(t, resolve) and not _in_toc(t):
                    parts.append(t.text or "")
            if parts or not name.endswith("footnotes.xml"):  # no footnotes: as no footnote part
                out[name] = "".join(parts)
    return out


def _in_toc(t) -> bool:
    p = next(t.iterancestors(f"{W}p"), None)
    style = p.find(f"{W}pPr/{W}pStyle") if p is not None else None
    return style is not None and style.get(f"{W}val").lower().startswith("toc")
