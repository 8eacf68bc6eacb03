"""Footnotes: the footnotes part with Word's separators, a footnote, its number in the text,
and the two footnote styles."""

from __future__ import annotations

from typing import cast

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part, XmlPart
from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap, qn
from docx.oxml.text.paragraph import CT_P
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.package import Package
from docx.styles.styles import Styles

from styrdok.model.document import Run
from styrdok.writers.ooxml.element import val
from styrdok.writers.ooxml.text import run_element

FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FOOTNOTE_STYLES = ("FootnoteText", "FootnoteReference")  # style ids (Word's built-in ones)


def footnotes_part(package: Package) -> XmlPart:
    """A new word/footnotes.xml with the separator footnotes Word expects (ids -1 and 0)."""
    from docx.opc.packuri import PackURI

    root = OxmlElement("w:footnotes", nsdecls={"w": nsmap["w"], "r": nsmap["r"]})
    for ident, kind in (("-1", "separator"), ("0", "continuationSeparator")):
        note, p, r = OxmlElement("w:footnote"), OxmlElement("w:p"), OxmlElement("w:r")
        note.set(qn("w:type"), kind)
        note.set(qn("w:id"), ident)
        ppr = OxmlElement("w:pPr")
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:after"), "0")
        ppr.append(spacing)
        r.append(OxmlElement(f"w:{kind}"))
        p.extend([ppr, r])
        note.append(p)
        root.append(note)
    return XmlPart(PackURI("/word/footnotes.xml"), FOOTNOTES_TYPE, root, package)


def attach_footnotes(document_part: Part, part: XmlPart) -> None:
    """Make the footnotes part the document's (after the template is filled in: docxtpl
    would read footnotes as template text)."""
    document_part.relate_to(part, RT.FOOTNOTES)


def footnote_reference(ident: int) -> BaseOxmlElement:
    """The footnote's number in the text: w:r with w:footnoteReference."""
    r = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    rpr.append(val("w:rStyle", FOOTNOTE_STYLES[1]))
    ref = OxmlElement("w:footnoteReference")
    ref.set(qn("w:id"), str(ident))
    r.extend([rpr, ref])
    return r


def footnote(part: XmlPart) -> tuple[int, CT_P, list[BaseOxmlElement]]:
    """A new w:footnote at the end of the footnotes part: its id (1, 2 … after the two
    separators), its paragraph (to write the text into) and the runs that start it, the
    footnote's own number and a space (to track with the text)."""
    ident = len(part.element) - 1
    note, p = OxmlElement("w:footnote"), cast(CT_P, OxmlElement("w:p"))
    note.set(qn("w:id"), str(ident))
    ppr = OxmlElement("w:pPr")
    ppr.append(val("w:pStyle", FOOTNOTE_STYLES[0]))
    p.append(ppr)
    mark = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    rpr.append(val("w:rStyle", FOOTNOTE_STYLES[1]))
    mark.extend([rpr, OxmlElement("w:footnoteRef")])
    note.append(p)
    part.element.append(note)
    return ident, p, [mark, run_element(Run(" "))]


def footnote_styles(styles: Styles) -> None:
    """The footnote styles in a document's styles (python-docx), from the template, or Word's
    built-in look where it has none: the text 9 pt without space after, the number raised."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    ids = {s.style_id for s in styles}
    text_id, reference_id = FOOTNOTE_STYLES
    if text_id not in ids:
        text_style = styles.add_style("footnote text", WD_STYLE_TYPE.PARAGRAPH)
        text_style.style_id = text_id
        text_style.base_style = styles["Normal"]
        text_style.font.size = Pt(9)
        text_style.paragraph_format.space_after = Pt(0)
        text_style.paragraph_format.line_spacing = 1.0
    if reference_id not in ids:
        reference = styles.add_style("footnote reference", WD_STYLE_TYPE.CHARACTER)
        reference.style_id = reference_id
        reference.font.superscript = True
