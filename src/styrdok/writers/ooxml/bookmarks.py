"""Bookmarks: a heading's id, kept by Word and LibreOffice when they edit and save."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P

from styrdok.writers.ooxml.element import insert_first


def bookmark(p: CT_P, name: str, number: int) -> None:
    """Enclose a paragraph's content in a bookmark: Word and LibreOffice keep bookmarks when
    they edit and save, so the ids travel with the headings."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    insert_first(p, start)
    p.append(end)
