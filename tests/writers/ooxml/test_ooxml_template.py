"""ooxml.template: the content's place in the template, and the cover a change report leaves
out."""

from __future__ import annotations

import pytest
from support.wml import parse, xml

from styrdok.writers import ooxml

MARK = "\ue011"
HERE = f"<w:p><w:r><w:t>{MARK}</w:t></w:r></w:p>"


def test_the_mark_paragraph_is_markup_for_docxtpl():
    assert ooxml.MarkParagraph(MARK).__html__() == HERE


@pytest.mark.parametrize(
    ("body", "found", "after"),
    [
        (f"<w:p/>{HERE}<w:sectPr/>", 1, "<w:p/><w:p>A</w:p><w:tbl/><w:sectPr/>"),
        ("<w:p/><w:sectPr/>", 0, "<w:p/><w:sectPr/>"),  # none: nothing moved
        (f"{HERE}{HERE}", 2, f"{HERE}{HERE}"),  # two: nothing moved
    ],
)
def test_replace_mark_paragraph(body, found, after):
    template = parse(f"<w:body>{body}</w:body>")
    content = parse("<w:body><w:p>A</w:p><w:tbl/></w:body>")
    assert ooxml.replace_mark_paragraph(template, MARK, content) == found
    assert xml(template) == f"<w:body>{after}</w:body>"


def styled(style: str) -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr></w:p>'


@pytest.mark.parametrize(
    ("body", "after"),
    [
        (
            styled("Title")
            + styled("Subtitle")
            + "<w:tbl/>"
            + styled("Normal")
            + styled("TOCHeading")
            + styled("Heading1"),
            styled("Title") + styled("Subtitle") + styled("Heading1"),
        ),
        (styled("Title") + styled("Heading1"), styled("Title") + styled("Heading1")),
    ],
)
def test_strip_cover(body, after):
    element = parse(f"<w:body>{body}</w:body>")
    ooxml.strip_cover(element)
    assert xml(element) == f"<w:body>{after}</w:body>"


def test_a_large_table_moves_whole_and_fast():
    """A table of 8,000 rows (200,000 nodes; lxml would take over 10 s to move it between
    documents at once) lands as the same XML, rebuilt in the template's document, in well under
    a second; text, tails, attributes and a comment among the rows kept."""
    import time

    rows = "".join(
        f'<w:tr><w:tc><w:p><w:pPr><w:jc w:val="left"/></w:pPr><w:r><w:t xml:space="preserve">'
        f"rad {i} </w:t></w:r></w:p></w:tc></w:tr>\n"
        for i in range(8000)
    )
    table = (
        f'<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/></w:tblPr>{rows}<!-- slut --></w:tbl>'
    )
    template = parse(f"<w:body><w:p/>{HERE}<w:sectPr/></w:body>")
    content = parse(f"<w:body><w:p>A</w:p>{table}</w:body>")
    expected = f"<w:body><w:p/><w:p>A</w:p>{table}<w:sectPr/></w:body>"
    start = time.perf_counter()
    assert ooxml.replace_mark_paragraph(template, MARK, content) == 1
    assert time.perf_counter() - start < 1.0
    assert xml(template) == xml(parse(expected))
    assert len(content) == 0  # moved, not copied
