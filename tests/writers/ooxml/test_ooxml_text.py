"""ooxml.text: runs, paragraphs, links, page breaks and list numbering. One row a case:
value in, XML out (or XML in, XML out)."""

from __future__ import annotations

import docx
import pytest
from docx.oxml.ns import qn
from support.wml import parse, xml

from styrdok.model.document import Run
from styrdok.writers import ooxml

T = '<w:t xml:space="preserve">{}</w:t>'


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        (Run("ord"), f"<w:r>{T.format('ord')}</w:r>"),
        (Run(" två ord "), f"<w:r>{T.format(' två ord ')}</w:r>"),
        (Run("fet", bold=True), f"<w:r><w:rPr><w:b/></w:rPr>{T.format('fet')}</w:r>"),
        (Run("kursiv", italic=True), f"<w:r><w:rPr><w:i/></w:rPr>{T.format('kursiv')}</w:r>"),
        (
            Run("båda", bold=True, italic=True),
            f"<w:r><w:rPr><w:b/><w:i/></w:rPr>{T.format('båda')}</w:r>",
        ),
        (Run("a\tb"), f"<w:r>{T.format('a')}<w:tab/>{T.format('b')}</w:r>"),
        (Run("a\nb"), f"<w:r>{T.format('a')}<w:br/>{T.format('b')}</w:r>"),
        (Run("\t"), "<w:r><w:tab/></w:r>"),
        (
            Run("m", script="super"),
            f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>{T.format("m")}</w:r>',
        ),
        (
            Run("2", script="sub"),
            f'<w:r><w:rPr><w:vertAlign w:val="subscript"/></w:rPr>{T.format("2")}</w:r>',
        ),
        (
            Run("länk", href="https://example.org"),
            '<w:r><w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr>'
            f"{T.format('länk')}</w:r>",
        ),
        (
            Run("nytt", mark="ins"),
            '<w:r><w:rPr><w:color w:val="0646A2"/><w:u w:val="single"/></w:rPr>'
            f"{T.format('nytt')}</w:r>",
        ),
        (
            Run("gammalt", mark="del"),
            f'<w:r><w:rPr><w:strike/><w:color w:val="0646A2"/></w:rPr>{T.format("gammalt")}</w:r>',
        ),
        (
            Run("x", bold=True, href="#id", script="super"),
            '<w:r><w:rPr><w:b/><w:color w:val="0563C1"/><w:u w:val="single"/>'
            f'<w:vertAlign w:val="superscript"/></w:rPr>{T.format("x")}</w:r>',
        ),
    ],
)
def test_run_element(run, expected):
    assert xml(ooxml.run_element(run)) == expected


@pytest.mark.parametrize(
    ("made", "expected"),
    [
        (ooxml.body, "<w:body/>"),
        (ooxml.paragraph, "<w:p/>"),
        (
            lambda: ooxml.paragraph("Rubrik1"),
            '<w:p><w:pPr><w:pStyle w:val="Rubrik1"/></w:pPr></w:p>',
        ),
        (ooxml.page_break, '<w:r><w:br w:type="page"/></w:r>'),
        (ooxml.hidden_space, f"<w:r><w:rPr><w:vanish/></w:rPr>{T.format(' ')}</w:r>"),
    ],
)
def test_elements(made, expected):
    assert xml(made()) == expected


@pytest.mark.parametrize(
    ("change", "before", "after"),
    [
        (ooxml.page_break_before, "<w:p/>", "<w:p><w:pPr><w:pageBreakBefore/></w:pPr></w:p>"),
        (
            ooxml.page_break_before,
            '<w:p><w:pPr><w:pStyle w:val="Rubrik1"/></w:pPr></w:p>',
            '<w:p><w:pPr><w:pStyle w:val="Rubrik1"/><w:pageBreakBefore/></w:pPr></w:p>',
        ),
        (
            ooxml.outline_as_body_text,
            "<w:p/>",
            '<w:p><w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:p>',
        ),
        (  # before the paragraph mark's properties, as the schema has it
            ooxml.outline_as_body_text,
            "<w:p><w:pPr><w:rPr><w:del/></w:rPr></w:pPr></w:p>",
            '<w:p><w:pPr><w:outlineLvl w:val="9"/><w:rPr><w:del/></w:rPr></w:pPr></w:p>',
        ),
        (
            lambda p: ooxml.number(p, 7),
            "<w:p/>",
            '<w:p><w:pPr><w:numPr><w:numId w:val="7"/></w:numPr></w:pPr></w:p>',
        ),
    ],
)
def test_paragraph_properties(change, before, after):
    p = parse(before)
    change(p)
    assert xml(p) == after


NUMBERING = (
    '<w:numbering><w:abstractNum w:abstractNumId="4"/>'
    '<w:num w:numId="7"><w:abstractNumId w:val="4"/></w:num></w:numbering>'
)


@pytest.mark.parametrize(
    ("style", "expected", "added"),
    [
        (  # an instance of the style's list definition, starting at 3; python-docx's first free id
            '<w:style><w:pPr><w:numPr><w:numId w:val="7"/></w:numPr></w:pPr></w:style>',
            1,
            '<w:num w:numId="1"><w:abstractNumId w:val="4"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/></w:lvlOverride></w:num>',
        ),
        ("<w:style/>", None, None),  # the style numbers nothing
        ("<w:style><w:pPr/></w:style>", None, None),
        (  # with an instance the numbering does not define
            '<w:style><w:pPr><w:numPr><w:numId w:val="9"/></w:numPr></w:pPr></w:style>',
            None,
            None,
        ),
    ],
)
def test_restart_numbering(style, expected, added):
    numbering = parse(NUMBERING)
    assert ooxml.restart_numbering(numbering, parse(style), 3) == expected
    assert (xml(numbering[-1]) if len(numbering) == 3 else None) == added


@pytest.mark.parametrize(
    ("href", "runs", "expected"),
    [
        (
            "#bostad-forst",
            ["<w:r><w:t>a</w:t></w:r>"],
            '<w:hyperlink w:anchor="bostad-forst"><w:r><w:rPr><w:rStyle w:val="Lnk"/></w:rPr>'
            "<w:t>a</w:t></w:r></w:hyperlink>",
        ),
        (  # the style goes first in an existing w:rPr, into a run inside a tracked change
            "#x",
            ['<w:ins w:id="1"><w:r><w:rPr><w:b/></w:rPr><w:t>a</w:t></w:r></w:ins>'],
            '<w:hyperlink w:anchor="x"><w:ins w:id="1"><w:r><w:rPr><w:rStyle w:val="Lnk"/>'
            "<w:b/></w:rPr><w:t>a</w:t></w:r></w:ins></w:hyperlink>",
        ),
        (
            "https://helsingborg.se/",
            ["<w:r><w:t>a</w:t></w:r>"],
            '<w:hyperlink r:id="{rid}"><w:r><w:rPr><w:rStyle w:val="Lnk"/></w:rPr>'
            "<w:t>a</w:t></w:r></w:hyperlink>",
        ),
    ],
)
def test_hyperlink(href, runs, expected):
    part = docx.Document().part
    link = ooxml.hyperlink(part, href, [parse(r) for r in runs], "Lnk")
    rid = link.get(qn("r:id"))
    if rid is not None:  # an external link: its address is the part's relationship
        assert part.rels[rid].target_ref == href
        assert part.rels[rid].is_external
    assert xml(link) == expected.format(rid=rid)


@pytest.mark.parametrize(
    ("styles", "expected"),
    [
        ((), "Hyperlink"),  # added, in the link colour, underlined
        (("Hyperlink", "Webblank"), "Webblank"),  # the template's (its name, its own id)
    ],
)
def test_link_style(styles, expected):
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    for name, ident in [styles] if styles else []:
        document.styles.add_style(name, WD_STYLE_TYPE.CHARACTER).style_id = ident
    assert ooxml.link_style(document.styles) == expected
    style = document.styles.element.get_by_id(expected)
    assert style is not None and style.name_val == "Hyperlink"
    if not styles:
        assert xml(style.rPr) == '<w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr>'
