"""ooxml.fields: complex fields, and the page-number marks of a draft's table of contents."""

from __future__ import annotations

import pytest
from support.wml import parse, xml

from styrdok.writers import ooxml

BEGIN, SEPARATE, END = (
    f'<w:r><w:fldChar w:fldCharType="{k}"/></w:r>' for k in ("begin", "separate", "end")
)


def instruction(text: str) -> str:
    return f'<w:r><w:instrText xml:space="preserve"> {text} </w:instrText></w:r>'


@pytest.mark.parametrize(
    ("instr", "cached", "expected"),
    [
        ("PAGE", [], [BEGIN, instruction("PAGE"), SEPARATE, END]),
        (
            "NUMPAGES",
            ["<w:r><w:t>10</w:t></w:r>"],
            [BEGIN, instruction("NUMPAGES"), SEPARATE, "<w:r><w:t>10</w:t></w:r>", END],
        ),
    ],
)
def test_complex_field(instr, cached, expected):
    assert [xml(r) for r in ooxml.complex_field(instr, [parse(c) for c in cached])] == expected


def test_a_field_over_several_paragraphs_begins_and_ends_apart():
    toc = 'TOC \\o "1-1" \\h \\z \\u'
    assert [xml(r) for r in ooxml.field_begin(toc)] == [BEGIN, instruction(toc), SEPARATE]
    assert xml(ooxml.field_end()) == END


M = "\ue010"


@pytest.mark.parametrize(
    ("xml_in", "values", "xml_out"),
    [
        (f"<w:t>{M}</w:t><w:t>{M}</w:t>", (3, 14), "<w:t>3</w:t><w:t>14</w:t>"),
        ("<w:t>inga</w:t>", (), "<w:t>inga</w:t>"),
    ],
)
def test_page_marks(xml_in, values, xml_out):
    data = xml_in.encode()
    assert ooxml.count_marks(data, M) == len(values)
    assert ooxml.fill_marks(data, M, values) == xml_out.encode()
