"""ooxml.tables: a grid of one-paragraph cells, its header row, rows kept whole, compact cells."""

from __future__ import annotations

import pytest
from docx.shared import Cm, Emu
from support.wml import parse, xml

from styrdok.writers import ooxml


@pytest.mark.parametrize(
    ("rows", "columns", "style", "style_xml"),
    [
        (2, 3, "Tabellrutnt", '<w:tblStyle w:val="Tabellrutnt"/>'),
        (1, 1, None, ""),  # the default table style is not named
    ],
)
def test_table(rows, columns, style, style_xml):
    tbl = ooxml.table(rows, columns, Cm(15), style)
    width = Emu(Cm(15) // columns).twips  # shared out equally
    assert xml(tbl.tblPr).startswith(f"<w:tblPr>{style_xml}<w:tblW")
    column = f'<w:gridCol w:w="{width}"/>'
    assert xml(tbl.tblGrid) == f"<w:tblGrid>{column * columns}</w:tblGrid>"
    made = ooxml.cells(tbl)
    assert len(made) == rows
    for tr, cells in made:
        assert len(cells) == columns
        for tc, p in cells:
            assert tc.getparent() is tr and p.getparent() is tc
            assert xml(p) == "<w:p/>"


@pytest.mark.parametrize(
    ("change", "before", "after"),
    [
        (ooxml.repeat_header_row, "<w:tr/>", "<w:tr><w:trPr><w:tblHeader/></w:trPr></w:tr>"),
        (ooxml.keep_row_together, "<w:tr/>", "<w:tr><w:trPr><w:cantSplit/></w:trPr></w:tr>"),
        (  # first: the schema wants it before a tracked row's w:ins
            ooxml.keep_row_together,
            "<w:tr><w:trPr><w:tblHeader/></w:trPr></w:tr>",
            "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr></w:tr>",
        ),
    ],
)
def test_row_properties(change, before, after):
    tr = parse(before)
    change(tr)
    assert xml(tr) == after


SPACING = '<w:pPr><w:spacing w:before="40" w:after="40"/></w:pPr>'


@pytest.mark.parametrize(
    ("shade", "after"),
    [
        (None, f"<w:tc><w:p>{SPACING}</w:p></w:tc>"),
        (
            "F2F2F2",
            '<w:tc><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/></w:tcPr>'
            f"<w:p>{SPACING}</w:p></w:tc>",
        ),
    ],
)
def test_compact_cell(shade, after):
    tc = parse("<w:tc><w:p/></w:tc>")
    ooxml.compact_cell(tc, shade)
    assert xml(tc) == after
