"""The few element shapes every other module of the package builds on: an element with a
`w:val`, text that keeps its spaces, and a place at the start of a paragraph's content."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P
from docx.oxml.xmlchemy import BaseOxmlElement

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def val(tag: str, value: str) -> BaseOxmlElement:
    """`<tag w:val="value"/>`: the form of most WordprocessingML properties."""
    el = OxmlElement(tag)
    el.set(qn("w:val"), value)
    return el


def text(value: str, tag: str = "w:t") -> BaseOxmlElement:
    """A w:t (or w:instrText, w:delText) whose leading and trailing spaces are kept."""
    t = OxmlElement(tag)
    t.text = value
    t.set(XML_SPACE, "preserve")
    return t


def insert_first(p: BaseOxmlElement, el: BaseOxmlElement) -> None:
    """Put `el` at the start of a paragraph's content (after its properties)."""
    ppr = p.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(el)
    else:
        p.insert(0, el)


def mark_properties(p: CT_P) -> BaseOxmlElement:
    """The w:rPr of a paragraph's mark (w:pPr/w:rPr), made if missing (appended: schema_order
    puts it in its place on save)."""
    ppr = p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr.append(rpr)
    return rpr
