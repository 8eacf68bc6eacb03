"""ooxml.schema: property elements in the order ECMA-376 gives (Word calls others damaged)."""

from __future__ import annotations

import pytest
from support.wml import parse, xml

from styrdok.writers import ooxml


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("<w:rPr><w:u/><w:b/><w:rStyle/></w:rPr>", "<w:rPr><w:rStyle/><w:b/><w:u/></w:rPr>"),
        ("<w:rPr><w:b/><w:del/></w:rPr>", "<w:rPr><w:del/><w:b/></w:rPr>"),
        (
            "<w:pPr><w:rPr/><w:outlineLvl/><w:pageBreakBefore/><w:pStyle/></w:pPr>",
            "<w:pPr><w:pStyle/><w:pageBreakBefore/><w:outlineLvl/><w:rPr/></w:pPr>",
        ),
        ("<w:tblPr><w:tblW/><w:tblStyle/></w:tblPr>", "<w:tblPr><w:tblStyle/><w:tblW/></w:tblPr>"),
        ("<w:tcPr><w:shd/><w:tcW/></w:tcPr>", "<w:tcPr><w:tcW/><w:shd/></w:tcPr>"),
        (  # unknown elements keep their order, after the known ones
            "<w:rPr><w:zz/><w:b/><w:yy/></w:rPr>",
            "<w:rPr><w:b/><w:zz/><w:yy/></w:rPr>",
        ),
        (  # nested: a paragraph's mark properties too
            "<w:p><w:pPr><w:rPr><w:i/><w:b/></w:rPr><w:jc/></w:pPr></w:p>",
            "<w:p><w:pPr><w:jc/><w:rPr><w:b/><w:i/></w:rPr></w:pPr></w:p>",
        ),
        ("<w:r><w:t/><w:rPr/></w:r>", "<w:r><w:t/><w:rPr/></w:r>"),  # only properties
    ],
)
def test_schema_order(before, after):
    root = parse(before)
    ooxml.schema_order(root)
    assert xml(root) == after
