"""ooxml.notes: the footnotes part, a footnote and its number in the text."""

from __future__ import annotations

import docx
import pytest
from support.wml import xml

from styrdok.writers import ooxml

REF = '<w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'


@pytest.mark.parametrize(
    ("ident", "expected"),
    [
        (1, f'<w:r>{REF}<w:footnoteReference w:id="1"/></w:r>'),
        (12, f'<w:r>{REF}<w:footnoteReference w:id="12"/></w:r>'),
    ],
)
def test_footnote_reference(ident, expected):
    assert xml(ooxml.footnote_reference(ident)) == expected


def separator(ident: str, kind: str) -> str:
    return (
        f'<w:footnote w:type="{kind}" w:id="{ident}"><w:p><w:pPr><w:spacing w:after="0"/>'
        f"</w:pPr><w:r><w:{kind}/></w:r></w:p></w:footnote>"
    )


def test_a_new_footnotes_part_holds_the_two_separators_word_expects():
    part = ooxml.footnotes_part(docx.Document().part.package)
    assert str(part.partname) == "/word/footnotes.xml"
    assert part.content_type == ooxml.FOOTNOTES_TYPE
    assert xml(part.element) == (
        "<w:footnotes>"
        + separator("-1", "separator")
        + separator("0", "continuationSeparator")
        + "</w:footnotes>"
    )


@pytest.mark.parametrize("count", [1, 2, 3])
def test_footnotes_are_numbered_after_the_separators(count):
    part = ooxml.footnotes_part(docx.Document().part.package)
    made = [ooxml.footnote(part) for _ in range(count)]
    assert [ident for ident, _, _ in made] == list(range(1, count + 1))
    ident, p, start = made[-1]
    assert xml(part.element[-1]) == (
        f'<w:footnote w:id="{ident}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
        "</w:p></w:footnote>"
    )
    assert p is part.element[-1][0]
    assert [xml(r) for r in start] == [
        f"<w:r>{REF}<w:footnoteRef/></w:r>",
        '<w:r><w:t xml:space="preserve"> </w:t></w:r>',
    ]


@pytest.mark.parametrize(
    ("template_has", "size", "superscript"),
    [
        ((), 9.0, True),  # Word's built-in look
        (("FootnoteText", "FootnoteReference"), None, None),  # the template's, untouched
    ],
)
def test_footnote_styles(template_has, size, superscript):
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    kinds = {"FootnoteText": WD_STYLE_TYPE.PARAGRAPH, "FootnoteReference": WD_STYLE_TYPE.CHARACTER}
    for ident in template_has:
        document.styles.add_style(f"mall {ident}", kinds[ident]).style_id = ident
    ooxml.footnote_styles(document.styles)
    text = next(s for s in document.styles if s.style_id == "FootnoteText")
    number = next(s for s in document.styles if s.style_id == "FootnoteReference")
    assert (text.font.size.pt if text.font.size else None) == size
    assert number.font.superscript == superscript
