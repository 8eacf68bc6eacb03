"""Fields (w:fldChar begin/separate/end around a w:instrText), and the marks a draft's table of
contents holds where its page numbers go."""

from __future__ import annotations

import re
from collections.abc import Sequence

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from styrdok.writers.ooxml.element import text


def _char(kind: str) -> BaseOxmlElement:
    r, fc = OxmlElement("w:r"), OxmlElement("w:fldChar")
    fc.set(qn("w:fldCharType"), kind)
    r.append(fc)
    return r


def complex_field(instr: str, cached: list) -> list:
    """The runs of a field: begin, instruction, separate, cached result runs, end."""
    r = OxmlElement("w:r")
    r.append(text(f" {instr} ", "w:instrText"))
    return [_char("begin"), r, _char("separate"), *cached, _char("end")]


def field_begin(instr: str) -> list:
    """The opening runs of a field whose result spans several paragraphs."""
    return complex_field(instr, [])[:3]


def field_end() -> BaseOxmlElement:
    """The run that ends a field begun by `field_begin`."""
    return _char("end")


def count_marks(xml: bytes, mark: str) -> int:
    """How many times a part's XML holds `mark` (a private-use character the renderer wrote)."""
    return xml.count(mark.encode())


def fill_marks(xml: bytes, mark: str, values: Sequence[object]) -> bytes:
    """A part's XML with each `mark` replaced by the next of `values`, in order (as many as
    there are marks: `count_marks`). The table of contents of a draft gets its page numbers so,
    without the document being rendered again."""
    found = iter(values)
    return re.sub(re.escape(mark.encode()), lambda _: str(next(found)).encode(), xml)
