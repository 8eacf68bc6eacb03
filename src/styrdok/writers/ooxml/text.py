"""Runs and paragraphs: formatted text, links, page breaks, styles and list numbering."""

from __future__ import annotations

import re
from typing import cast

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.numbering import CT_Numbering
from docx.oxml.styles import CT_Style
from docx.oxml.text.paragraph import CT_P
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.styles.styles import Styles

from styrdok.model.document import Run
from styrdok.writers.ooxml.element import text, val

# a change report marks words as the redline shows them: one colour, underlined or struck
MARK_COLOR, LINK_COLOR = "0646A2", "0563C1"


def run_element(run: Run) -> BaseOxmlElement:
    """A w:r with the run's formatting and text (tabs become w:tab, line breaks w:br)."""
    r = OxmlElement("w:r")
    color = MARK_COLOR if run.mark in ("ins", "del") else (LINK_COLOR if run.href else "")
    if run.bold or run.italic or color or run.script:
        rpr = OxmlElement("w:rPr")
        if run.bold:
            rpr.append(OxmlElement("w:b"))
        if run.italic:
            rpr.append(OxmlElement("w:i"))
        if run.mark == "del":
            rpr.append(OxmlElement("w:strike"))
        if color:
            rpr.append(val("w:color", color))
        if run.href or run.mark == "ins":
            rpr.append(val("w:u", "single"))
        if run.script:  # schema order: vertAlign after u
            rpr.append(val("w:vertAlign", f"{run.script}script"))
        r.append(rpr)
    for piece in re.split(r"([\t\n])", run.text):
        if piece in ("\t", "\n"):
            r.append(OxmlElement("w:tab" if piece == "\t" else "w:br"))
        elif piece:
            r.append(text(piece))
    return r


def hidden_space() -> BaseOxmlElement:
    """A run holding one space formatted as hidden text (w:vanish)."""
    r, rpr = OxmlElement("w:r"), OxmlElement("w:rPr")
    rpr.append(OxmlElement("w:vanish"))
    r.extend([rpr, text(" ")])
    return r


def page_break() -> BaseOxmlElement:
    """A run that holds a page break (w:br w:type="page")."""
    r = OxmlElement("w:r")
    br = OxmlElement("w:br")
    br.set(qn("w:type"), "page")
    r.append(br)
    return r


def body() -> BaseOxmlElement:
    """An empty w:body to write content into before it is moved into the template's."""
    return OxmlElement("w:body")


def paragraph(style_id: str | None = None) -> CT_P:
    """A w:p, in the paragraph style with this id if one is given."""
    p = cast(CT_P, OxmlElement("w:p"))  # python-docx's class for w:p, as its own add_p casts
    if style_id is not None:  # what p.style = … makes, without python-docx's search
        ppr = OxmlElement("w:pPr")
        ppr.append(val("w:pStyle", style_id))
        p.append(ppr)
    return p


def page_break_before(p: CT_P) -> None:
    """Start a paragraph on a new page (w:pageBreakBefore; put in schema order on save)."""
    p.get_or_add_pPr().append(OxmlElement("w:pageBreakBefore"))


def outline_as_body_text(p: CT_P) -> None:
    """Give a heading the outline level of body text, so that a table of contents built from
    outline levels leaves it out (a redline's deleted and moved-away headings).

    The change is not tracked: a w:pPrChange would let Word's Reject All restore the level, but
    LibreOffice 7.4 then accepts and rejects the paragraphs around it wrongly (a following
    heading takes the style of the paragraph before the deletion)."""
    ppr = p.get_or_add_pPr()
    level = val("w:outlineLvl", "9")
    rpr = ppr.find(qn("w:rPr"))
    if rpr is not None:
        rpr.addprevious(level)
    else:
        ppr.append(level)


def restart_numbering(numbering: CT_Numbering, style: CT_Style, start: int) -> int | None:
    """A new numbering instance (w:num) in `numbering` (the w:numbering element) of the list
    definition that the paragraph style `style` (a w:style) numbers with, starting at `start`;
    its id (None: the style numbers with nothing the numbering defines). Without it every
    numbered list would continue where the one before ended."""
    # python-docx declares CT_Style.pPr as its descriptor (ZeroOrOne), not the w:pPr it gives
    props = style.pPr.numPr if style.pPr is not None else None  # type: ignore[attr-defined]
    style_num = props.numId.val if props is not None and props.numId is not None else None
    try:
        used = numbering.num_having_numId(style_num) if style_num is not None else None
    except KeyError:
        used = None
    if used is None:
        return None
    num = numbering.add_num(used.abstractNumId.val)
    num.add_lvlOverride(ilvl=0).add_startOverride(start)
    return num.numId


def number(p: CT_P, num_id: int) -> None:
    """Number a list paragraph with the numbering instance `num_id` (w:numPr/w:numId)."""
    p.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = num_id


def hyperlink(part: Part, href: str, runs: list[BaseOxmlElement], style: str) -> BaseOxmlElement:
    """A w:hyperlink around the given w:r elements: to an external address, or for `#name`
    to a bookmark in the document. The runs (or the w:ins/w:del around them) get the character
    style `style`: LibreOffice 7.4 writes a web link into the PDF (a clickable annotation with
    its text as the alternative text) only for a run with a character style."""
    link = OxmlElement("w:hyperlink")
    if href.startswith("#"):
        link.set(qn("w:anchor"), href[1:])
    else:
        link.set(qn("r:id"), part.relate_to(href, RT.HYPERLINK, is_external=True))
    for run in (r for el in runs for r in el.iter(qn("w:r"))):
        rpr = run.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            run.insert(0, rpr)
        rpr.insert(0, val("w:rStyle", style))  # first in w:rPr (schema order)
    link.extend(runs)
    return link


def link_style(styles: Styles) -> str:
    """The id of the character style 'Hyperlink' in a document's styles (python-docx), added
    in the link colour, underlined, when the template has none."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import RGBColor

    found = styles.element.get_by_name("Hyperlink")  # one lookup, not a proxy per style
    if found is not None:
        return found.styleId
    style = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    style.font.color.rgb = RGBColor.from_string(LINK_COLOR)
    style.font.underline = True
    return style.style_id
