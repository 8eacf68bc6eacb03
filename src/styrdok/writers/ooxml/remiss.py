"""The remiss's raw WordprocessingML: what turns a built DOCX into the remiss version, on the
rendered package (the renderer is the one the document is built with; this adds to it).

- a mark on the cover, under the subtitle: REMISSVERSION, the round and the last day to answer;
- the missive, a page of its own before the table of contents (its paragraphs are given);
- line numbers in the margin (w:lnNumType in each section's properties), counted again on each
  page, so that an answer can cite "sidan 5, rad 12"; the cover, the missive and the table of
  contents are left unnumbered (w:suppressLineNumbers);
- the round's name as a user-defined document property (docProps/custom.xml), which Word and
  LibreOffice keep, so that a returned file says which round it answers.
The answer form gets the property too. Styles are found by name in the package's own styles, so
a city's edited template works as long as it has the styles the document is built with.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from styrdok.model.document import Inlines, Run
from styrdok.writers.ooxml.package import deterministic_zip
from styrdok.writers.ooxml.schema import schema_order
from styrdok.writers.ooxml.text import run_element

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_PART = "docProps/custom.xml"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the one for user-defined properties
MARK_FILL = "A4161A"  # the cover's mark: white on a deep red (contrast 7.6:1)


@dataclass(frozen=True)
class Para:
    """A paragraph to add: its style (by name) and its runs."""

    style: str
    runs: Inlines


def remiss_version(
    docx: bytes,
    stamp: date,
    mark: tuple[str, str],
    missive: list[Para],
    prop: tuple[str, str],
) -> bytes:
    """The built DOCX made the remiss version: `mark` is the cover's two lines (the word
    REMISSVERSION, then the round), `missive` the missive page's paragraphs, `prop` the
    document property (name, value) that names the round."""
    members = _members(docx)
    styles = _style_ids(members.get("word/styles.xml"))
    _unnumbered_styles(members)
    for name in [n for n in members if n.startswith(("word/header", "word/footer"))]:
        part = etree.fromstring(members[name])
        for p in part.iter(f"{W}p"):
            _suppress(p)
        schema_order(part)
        members[name] = etree.tostring(
            part, xml_declaration=True, encoding="UTF-8", standalone=True
        )
    root = etree.fromstring(members["word/document.xml"])
    body = root.find(f"{W}body")
    _cover_mark(body, styles, mark)
    _missive(body, styles, missive)
    _line_numbers(body)
    schema_order(root)
    members["word/document.xml"] = etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    _property(members, *prop)
    return _zip(members, stamp)


def with_property(docx: bytes, stamp: date, name: str, value: str) -> bytes:
    """A DOCX with one user-defined document property (the answer form's round)."""
    members = _members(docx)
    _property(members, name, value)
    return _zip(members, stamp)


def _members(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return {n: z.read(n) for n in z.namelist()}


def _zip(members: dict[str, bytes], stamp: date) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return deterministic_zip(out.getvalue(), stamp)


def _style_ids(data: bytes | None) -> dict[str, str]:
    """Style names (as Word shows them, lower case) and ids → the style id."""
    out: dict[str, str] = {}
    if data is None:
        return out
    for style in etree.fromstring(data).iter(f"{W}style"):
        ident = style.get(f"{W}styleId", "")
        name = style.find(f"{W}name")
        out[ident.lower()] = ident
        if name is not None:
            out[name.get(f"{W}val", "").lower()] = ident
    return out


def _style_of(p: etree._Element) -> str:
    style = p.find(f"{W}pPr/{W}pStyle")
    return style.get(f"{W}val", "") if style is not None else ""


def _paragraph(styles: dict[str, str], para: Para) -> etree._Element:
    p = etree.Element(f"{W}p")
    ppr = etree.SubElement(p, f"{W}pPr")
    style = etree.SubElement(ppr, f"{W}pStyle")
    style.set(f"{W}val", styles.get(para.style.lower(), styles.get("normal", "Normal")))
    for run in para.runs:
        p.append(run_element(run))
    return p


def _page_break() -> etree._Element:
    p = etree.Element(f"{W}p")
    br = etree.SubElement(etree.SubElement(p, f"{W}r"), f"{W}br")
    br.set(f"{W}type", "page")
    return p


def _cover_mark(body: etree._Element, styles: dict[str, str], mark: tuple[str, str]) -> None:
    """The mark under the subtitle (or the title): the word on a coloured band, the round
    under it."""
    anchor = None
    for wanted in ("subtitle", "title"):
        ident = styles.get(wanted)
        anchor = next((p for p in body.iter(f"{W}p") if _style_of(p) == ident), None)
        if anchor is not None:
            break
    band = _paragraph(styles, Para("Normal", (Run(mark[0], bold=True),)))
    ppr = band.find(f"{W}pPr")
    for tag, attrs in (
        ("spacing", {"before": "240", "after": "60"}),
        ("shd", {"val": "clear", "color": "auto", "fill": MARK_FILL}),
        ("jc", {"val": "center"}),
    ):
        el = etree.SubElement(ppr, f"{W}{tag}")
        for k, v in attrs.items():
            el.set(f"{W}{k}", v)
    for rpr in band.iter(f"{W}rPr"):
        for tag, value in (("color", "FFFFFF"), ("sz", "32"), ("spacing", "40")):
            el = etree.SubElement(rpr, f"{W}{tag}")
            el.set(f"{W}val", value)
    line = _paragraph(styles, Para("Normal", (Run(mark[1], bold=True),)))
    jc = etree.SubElement(line.find(f"{W}pPr"), f"{W}jc")
    jc.set(f"{W}val", "center")
    if anchor is None:
        body.insert(0, line)
        body.insert(0, band)
    else:
        anchor.addnext(line)
        anchor.addnext(band)


def _missive(body: etree._Element, styles: dict[str, str], missive: list[Para]) -> None:
    """The missive's page before the table of contents' heading (or before the first
    section, in a template without one)."""
    toc = styles.get("toc heading") or styles.get("tocheading")
    anchor = next((p for p in body if p.tag == f"{W}p" and _style_of(p) == toc), None)
    if anchor is None:
        anchor = _first_heading(body)
    if anchor is None:
        return
    for para in missive:
        anchor.addprevious(_paragraph(styles, para))
    anchor.addprevious(_page_break())


def _first_heading(body: etree._Element) -> etree._Element | None:
    """The first paragraph that holds an id bookmark (the first section's heading)."""
    for p in body:
        if p.tag == f"{W}p" and any(
            b.get(f"{W}name", "").startswith("id_") for b in p.iter(f"{W}bookmarkStart")
        ):
            return p
    return None


def _suppress(p: etree._Element) -> None:
    """No line numbers on this paragraph (or in this style: its w:pPr)."""
    ppr = p.find(f"{W}pPr")
    if ppr is None:
        ppr = etree.Element(f"{W}pPr")
        p.insert(0 if p.tag == f"{W}p" else len(p), ppr)
    if ppr.find(f"{W}suppressLineNumbers") is None:
        ppr.append(etree.Element(f"{W}suppressLineNumbers"))


def _unnumbered_styles(members: dict[str, bytes]) -> None:
    """The table of contents' styles without line numbers: LibreOffice lays the contents out
    anew from them when it updates the index."""
    data = members.get("word/styles.xml")
    if data is None:
        return
    root = etree.fromstring(data)
    for style in root.iter(f"{W}style"):
        name = style.find(f"{W}name")
        value = (name.get(f"{W}val", "") if name is not None else "").lower()
        if value.startswith("toc ") or value in ("header", "footer"):
            _suppress(style)
    schema_order(root)
    members["word/styles.xml"] = etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", standalone=True
    )


def _line_numbers(body: etree._Element) -> None:
    first = _first_heading(body)
    for el in body:
        if el is first:
            break
        for p in [el] if el.tag == f"{W}p" else el.iter(f"{W}p"):
            _suppress(p)
    for sect in body.iter(f"{W}sectPr"):
        for old in sect.findall(f"{W}lnNumType"):
            sect.remove(old)
        numbering = etree.Element(f"{W}lnNumType")
        for k, v in (("countBy", "1"), ("distance", "340"), ("restart", "newPage")):
            numbering.set(f"{W}{k}", v)
        # schema order: after pgSz pgMar paperSrc pgBorders, before pgNumType cols …
        later = (
            "pgNumType",
            "cols",
            "formProt",
            "vAlign",
            "noEndnote",
            "titlePg",
            "textDirection",
            "bidi",
            "rtlGutter",
            "docGrid",
            "printerSettings",
            "sectPrChange",
        )
        after = next((c for c in sect if c.tag in {f"{W}{t}" for t in later}), None)
        if after is None:
            sect.append(numbering)
        else:
            after.addprevious(numbering)


def _property(members: dict[str, bytes], name: str, value: str) -> None:
    members[CUSTOM_PART] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'docPropsVTypes"><property fmtid="{FMTID}" pid="2" name={quoteattr(name)}>'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property></Properties>"
    ).encode()
    types = etree.fromstring(members["[Content_Types].xml"])
    if not any(o.get("PartName") == f"/{CUSTOM_PART}" for o in types.iter(f"{{{CT}}}Override")):
        override = etree.SubElement(types, f"{{{CT}}}Override")
        override.set("PartName", f"/{CUSTOM_PART}")
        override.set("ContentType", CUSTOM_TYPE)
        members["[Content_Types].xml"] = etree.tostring(
            types, xml_declaration=True, encoding="UTF-8", standalone=True
        )
    rels = etree.fromstring(members["_rels/.rels"])
    if not any(r.get("Type") == CUSTOM_REL for r in rels.iter(f"{{{REL}}}Relationship")):
        taken = {r.get("Id") for r in rels}
        n = 1
        while f"rIdCustom{n}" in taken:
            n += 1
        rel = etree.SubElement(rels, f"{{{REL}}}Relationship")
        rel.set("Id", f"rIdCustom{n}")
        rel.set("Type", CUSTOM_REL)
        rel.set("Target", CUSTOM_PART)
        members["_rels/.rels"] = etree.tostring(
            rels, xml_declaration=True, encoding="UTF-8", standalone=True
        )
