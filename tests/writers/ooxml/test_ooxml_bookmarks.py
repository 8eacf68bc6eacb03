"""ooxml.bookmarks: a heading's id as a bookmark around its content."""

from __future__ import annotations

import pytest
from support.wml import parse, xml

from styrdok.writers import ooxml

START, END = '<w:bookmarkStart w:id="3" w:name="bostad-forst"/>', '<w:bookmarkEnd w:id="3"/>'


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("<w:p><w:r/></w:p>", f"<w:p>{START}<w:r/>{END}</w:p>"),
        (  # after the paragraph's properties
            '<w:p><w:pPr><w:pStyle w:val="R2"/></w:pPr><w:r/></w:p>',
            f'<w:p><w:pPr><w:pStyle w:val="R2"/></w:pPr>{START}<w:r/>{END}</w:p>',
        ),
        ("<w:p/>", f"<w:p>{START}{END}</w:p>"),
    ],
)
def test_bookmark(before, after):
    p = parse(before)
    ooxml.bookmark(p, "bostad-forst", 3)
    assert xml(p) == after
