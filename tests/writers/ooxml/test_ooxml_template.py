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
