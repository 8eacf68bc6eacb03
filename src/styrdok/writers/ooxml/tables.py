"""Tables: a grid of one-paragraph cells, its header row, rows kept whole, compact cells."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row, CT_Tbl, CT_Tc
from docx.oxml.text.paragraph import CT_P
from docx.shared import Emu


def table(rows: int, columns: int, width: int, style_id: str | None) -> CT_Tbl:
    """A w:tbl of `rows` × `columns` cells of equal width (`width` EMU in all), each holding
    one empty paragraph, in the table style with this id (None: the document's default table
    style, which is then not named)."""
    tbl = CT_Tbl.new_tbl(rows, columns, Emu(width))
    tbl.tblStyle_val = style_id
    return tbl


def cells(tbl: CT_Tbl) -> list[tuple[CT_Row, list[tuple[CT_Tc, CT_P]]]]:
    """Each row (w:tr) of a new table (`table`) with each of its cells (w:tc) and the cell's
    paragraph."""
    return [(tr, [(tc, tc.p_lst[0]) for tc in tr.tc_lst]) for tr in tbl.tr_lst]


def column_widths(tbl: CT_Tbl, widths: list[int]) -> None:
    """Fixed column widths (EMU): the grid's columns and each cell, in a fixed layout
    (LibreOffice would otherwise fit the columns to their content)."""
    tbl.tblPr.autofit = False
    for grid_col, width in zip(tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid_col.w = Emu(width)
    for tr in tbl.tr_lst:
        for tc, width in zip(tr.tc_lst, widths, strict=True):
            tc.width = Emu(width)


def repeat_header_row(tr: CT_Row) -> None:
    """Mark a table row as the header row, repeated at the top of every page (w:tblHeader)."""
    tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def keep_row_together(tr: CT_Row) -> None:
    """A table row that is not split across pages (w:cantSplit): a row of one-line cells reads
    as a unit. It also gives every w:trPr the property the schema wants before a w:ins/w:del."""
    tr.get_or_add_trPr().insert(0, OxmlElement("w:cantSplit"))


def compact_cell(tc: CT_Tc, shade: str | None = None) -> None:
    """A table cell's paragraph with a little space above and below (the body text's spacing
    after paragraphs would make every row tall), and, for a header cell, a background fill."""
    for p in tc.iter(qn("w:p")):
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:before"), "40")
        spacing.set(qn("w:after"), "40")
        p.get_or_add_pPr().append(spacing)
    if shade:
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), shade)
        tc.get_or_add_tcPr().append(shd)
