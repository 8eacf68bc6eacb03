"""The Word reader's parse pass, one row per case: WordprocessingML in, typed value out (as
python-docx tests its oxml layer). The rows document what the importer reads from Word."""

from __future__ import annotations

import pytest
from support.wordpackage import NAMESPACES, parts, styles_xml, write

from styrdok.model.document import Run
from styrdok.readers.word import parse
from styrdok.readers.word.package import Package

BOLD = "<w:rPr><w:b/></w:rPr>"
STRICT = (
    'xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main" '
    'xmlns:r="http://purl.oclc.org/ooxml/officeDocument/relationships"'
)
STYLES = styles_xml(
    '<w:style w:type="paragraph" w:styleId="H1"><w:name w:val="heading 1"/></w:style>',
    '<w:style w:type="paragraph" w:styleId="Sub"><w:name w:val="Underrubrik"/>'
    '<w:basedOn w:val="Out2"/></w:style>',
    '<w:style w:type="paragraph" w:styleId="Out2"><w:name w:val="Nivå två"/>'
    '<w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>',
    '<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/>'
    "<w:rPr><w:b/></w:rPr></w:style>",
)
NUMBERING = (
    f'<?xml version="1.0"?><w:numbering {NAMESPACES}>'
    '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="3"/>'
    '<w:numFmt w:val="decimal"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/></w:lvl>'
    '</w:abstractNum><w:num w:numId="7"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="8"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0">'
    '<w:startOverride w:val="1"/></w:lvlOverride></w:num></w:numbering>'
)
FOOTNOTES = (
    f'<?xml version="1.0"?><w:footnotes {NAMESPACES}>'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:t>—</w:t></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve"> Källa: SCB.</w:t></w:r></w:p>'
    "</w:footnote>"
    '<w:footnote w:id="2"><w:p><w:r><w:t>Ett.</w:t></w:r></w:p><w:p><w:r><w:t>Två.</w:t>'
    "</w:r></w:p></w:footnote></w:footnotes>"
)
LINKS = (("rIdweb", "https://helsingborg.se/"), ("rIdfile", "file://server/delad/plan.docx"))


def blocks(tmp_path, body: str, accept: bool = False, namespaces: str = NAMESPACES) -> parse.Body:
    """The body's typed blocks (in `body.read`), through the package and parse passes."""
    document = f'<?xml version="1.0"?><w:document {namespaces}><w:body>{body}</w:body></w:document>'
    path = write(
        tmp_path / "prov.docx",
        parts(document, styles=STYLES, numbering=NUMBERING, footnotes=FOOTNOTES, links=LINKS),
    )
    with Package(path) as package:
        main = package.main
        notes = package.xml(package.first(main, "footnotes", ""))
        reader = parse.Body(
            package,
            parse.styles(package.xml(package.first(main, "styles", "")), "styles"),
            parse.numbering(package.xml(package.first(main, "numbering", ""))),
            parse.footnotes(notes),
            package.links(main),
            {},
            lambda name: name[3:] if name.startswith("id_") else None,
            accept,
        )
        reader.read = list(reader.blocks())
    return reader


def para(tmp_path, xml: str) -> parse.Para:
    (block,) = blocks(tmp_path, xml).read
    assert isinstance(block, parse.Para)
    return block


# --- runs: XML of a paragraph in, the model's inlines out ---------------------------------------

RUNS = [
    ("<w:p><w:r><w:t>text</w:t></w:r></w:p>", (Run("text"),)),
    (f"<w:p><w:r>{BOLD}<w:t>fet</w:t></w:r></w:p>", (Run("fet", bold=True),)),
    ('<w:p><w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t>a</w:t></w:r></w:p>', (Run("a"),)),
    ('<w:p><w:r><w:rPr><w:b w:val="off"/></w:rPr><w:t>a</w:t></w:r></w:p>', (Run("a"),)),
    ('<w:p><w:r><w:rPr><w:b w:val="false"/></w:rPr><w:t>a</w:t></w:r></w:p>', (Run("a"),)),
    ("<w:p><w:r><w:rPr><w:i/></w:rPr><w:t>k</w:t></w:r></w:p>", (Run("k", italic=True),)),
    (
        '<w:p><w:r><w:rPr><w:rStyle w:val="Strong"/></w:rPr><w:t>s</w:t></w:r></w:p>',
        (Run("s", bold=True),),
    ),
    (
        '<w:p><w:r><w:t>m</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        "<w:t>2</w:t></w:r></w:p>",
        (Run("m"), Run("2", script="super")),
    ),
    (
        '<w:p><w:r><w:t>CO</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="subscript"/></w:rPr>'
        "<w:t>2</w:t></w:r></w:p>",
        (Run("CO"), Run("2", script="sub")),
    ),
    ("<w:p><w:r><w:t>a</w:t><w:br/><w:t>b</w:t></w:r></w:p>", (Run("a\nb"),)),
    ('<w:p><w:r><w:t>a</w:t><w:br w:type="page"/><w:t>b</w:t></w:r></w:p>', (Run("a b"),)),
    ("<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t></w:r></w:p>", (Run("a b"),)),
    ("<w:p><w:r><w:t>e</w:t><w:noBreakHyphen/><w:t>post</w:t></w:r></w:p>", (Run("e-post"),)),
    (  # Word splits runs at will: one formatting is one run
        "<w:p><w:r><w:t>ett </w:t></w:r><w:r><w:t>ord</w:t></w:r></w:p>",
        (Run("ett ord"),),
    ),
    (  # bold on a space alone is no bold
        f'<w:p><w:r><w:t>a</w:t></w:r><w:r>{BOLD}<w:t xml:space="preserve"> </w:t></w:r>'
        "<w:r><w:t>b</w:t></w:r></w:p>",
        (Run("a"), Run(" "), Run("b")),
    ),
    (
        '<w:p><w:hyperlink r:id="rIdweb"><w:r><w:t>staden</w:t></w:r></w:hyperlink></w:p>',
        (Run("staden", href="https://helsingborg.se/"),),
    ),
    (  # a link to a bookmark of a styrdok heading: a reference by id
        '<w:p><w:hyperlink w:anchor="id_mal"><w:r><w:t>målet</w:t></w:r></w:hyperlink></w:p>',
        (Run("målet", href="#mal"),),
    ),
    (  # a link to any other bookmark: text
        '<w:p><w:hyperlink w:anchor="_Toc1"><w:r><w:t>se ovan</w:t></w:r></w:hyperlink></w:p>',
        (Run("se ovan"),),
    ),
    (  # a field's result is its text; its instruction is not
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> AUTHOR '
        '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r>'
        '<w:t>Anna</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
        (Run("Anna"),),
    ),
    (
        '<w:p><w:fldSimple w:instr="DATE"><w:r><w:t>2024-05-01</w:t></w:r></w:fldSimple></w:p>',
        (Run("2024-05-01"),),
    ),
    (  # a citation is a content control inside the paragraph
        "<w:p><w:sdt><w:sdtPr><w:citation/></w:sdtPr><w:sdtContent><w:r><w:t>(Berg 2020)"
        "</w:t></w:r></w:sdtContent></w:sdt></w:p>",
        (Run("(Berg 2020)"),),
    ),
    (
        '<w:p><w:r><w:t>Text</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>',
        (Run("Text"), Run("", note=(Run("Källa: SCB."),))),
    ),
    (  # deleted text is no text (with changes accepted it is gone anyway)
        "<w:p><w:r><w:delText>borta</w:delText></w:r><w:r><w:t>kvar</w:t></w:r></w:p>",
        (Run("kvar"),),
    ),
]


@pytest.mark.parametrize(("xml", "runs"), RUNS)
def test_runs(tmp_path, xml, runs):
    assert para(tmp_path, xml).runs == runs


NOTICES = [
    (
        '<w:p><w:hyperlink r:id="rIdfile"><w:r><w:t>planen</w:t></w:r></w:hyperlink></w:p>',
        (Run("planen"),),
        (parse.Notice("link", "file://server/delad/plan.docx"),),
    ),
    (
        '<w:p><w:r><w:t>A</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r></w:p>',
        (Run("A"), Run("", note=(Run("Ett. Två."),))),
        (parse.Notice("note", "Ett."),),
    ),
]


@pytest.mark.parametrize(("xml", "runs", "notices"), NOTICES)
def test_what_runs_cannot_keep_is_a_notice(tmp_path, xml, runs, notices):
    p = para(tmp_path, xml)
    assert (p.runs, p.notices) == (runs, notices)


# --- paragraph properties -----------------------------------------------------------------------

T = "<w:r><w:t>x</w:t></w:r>"
PROPERTIES = [
    (f"<w:p>{T}</w:p>", "level", None),
    (f'<w:p><w:pPr><w:pStyle w:val="H1"/></w:pPr>{T}</w:p>', "level", 1),
    (f'<w:p><w:pPr><w:pStyle w:val="H1"/></w:pPr>{T}</w:p>', "style", "heading 1"),
    (f'<w:p><w:pPr><w:pStyle w:val="Sub"/></w:pPr>{T}</w:p>', "level", 2),  # through basedOn
    (f'<w:p><w:pPr><w:outlineLvl w:val="0"/></w:pPr>{T}</w:p>', "level", 1),
    (f'<w:p><w:pPr><w:outlineLvl w:val="2"/></w:pPr>{T}</w:p>', "level", 3),
    (  # level 9 is body text, also in a heading style
        f'<w:p><w:pPr><w:pStyle w:val="H1"/><w:outlineLvl w:val="9"/></w:pPr>{T}</w:p>',
        "level",
        None,
    ),
    (f'<w:p><w:pPr><w:pStyle w:val="Okänd"/></w:pPr>{T}</w:p>', "style", ""),
    (
        f'<w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="7"/></w:numPr></w:pPr>{T}</w:p>',
        "numbering",
        (True, "7", "1"),
    ),
    (
        f'<w:p><w:pPr><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr>{T}</w:p>',
        "numbering",
        (True, "0", None),
    ),
    (f"<w:p>{T}</w:p>", "numbering", (False, None, None)),
    (
        f'<w:p><w:bookmarkStart w:id="0" w:name="id_mal"/>{T}<w:bookmarkEnd w:id="0"/></w:p>',
        "bookmarks",
        ("id_mal",),
    ),
    (f"<w:p><w:r>{BOLD}<w:t>1 Inledning</w:t></w:r></w:p>", "wholly_bold", True),
    (
        f"<w:p><w:r>{BOLD}<w:t>1 </w:t></w:r><w:r><w:t>Inledning</w:t></w:r></w:p>",
        "wholly_bold",
        False,
    ),
    ("<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t></w:r></w:p>", "text", "a\tb"),
    (f"<w:p><w:r><w:drawing/></w:r>{T}</w:p>", "objects", ("en bild",)),
    (f"<w:p><w:r><w:pict/></w:r>{T}</w:p>", "objects", ("en bild",)),
    (
        "<w:p><w:r><w:drawing><w:txbxContent><w:p/></w:txbxContent></w:drawing></w:r></w:p>",
        "objects",
        ("en textruta",),
    ),
    ("<w:p><w:r><w:object/></w:r></w:p>", "objects", ("ett objekt",)),
    ('<w:p><w:r><w:endnoteReference w:id="1"/></w:r></w:p>', "objects", ("en slutnot",)),
]


@pytest.mark.parametrize(("xml", "what", "value"), PROPERTIES)
def test_paragraph_properties(tmp_path, xml, what, value):
    p = para(tmp_path, xml)
    got = (p.numbered, p.num_id, p.ilvl) if what == "numbering" else getattr(p, what)
    assert got == value


# --- the body's blocks ------------------------------------------------------------------------

BLOCKS = [
    (
        f"<w:p>{T}</w:p><w:tbl><w:tr><w:tc><w:p>{T}</w:p></w:tc></w:tr></w:tbl>",
        ["Para", "WordTable"],
    ),
    (  # content controls (a table of contents often is one) and custom XML: their blocks
        f"<w:sdt><w:sdtContent><w:p>{T}</w:p><w:p>{T}</w:p></w:sdtContent></w:sdt>"
        f"<w:customXml><w:p>{T}</w:p></w:customXml>",
        ["Para", "Para", "Para"],
    ),
    (f'<w:p>{T}</w:p><w:sectPr><w:pgSz w:w="11906"/></w:sectPr>', ["Para"]),
]


@pytest.mark.parametrize(("xml", "kinds"), BLOCKS)
def test_blocks_in_order(tmp_path, xml, kinds):
    assert [type(b).__name__ for b in blocks(tmp_path, xml).read] == kinds


def test_a_strict_document_reads_as_a_transitional_one(tmp_path):
    xml = f'<w:p><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:r>{BOLD}<w:t>1 Mål</w:t></w:r></w:p>'
    (strict,) = blocks(tmp_path, xml, namespaces=STRICT).read
    (transitional,) = blocks(tmp_path, xml).read
    assert strict == transitional and strict.level == 1 and strict.runs[0].bold


# --- tables ------------------------------------------------------------------------------------


def cell(body: str, props: str = "") -> str:
    return f"<w:tc>{f'<w:tcPr>{props}</w:tcPr>' if props else ''}{body}</w:tc>"


P = "<w:p><w:r><w:t>{}</w:t></w:r></w:p>"
TABLES = [
    (cell(P.format("a")), "cells", [(False, 1, False, ("a",))]),
    (cell(P.format("a"), '<w:gridSpan w:val="2"/>'), "cells", [(False, 2, False, ("a",))]),
    (cell(P.format("a"), '<w:gridSpan w:val="x"/>'), "cells", [(False, 1, False, ("a",))]),
    (cell(P.format("a"), "<w:vMerge/>"), "cells", [(True, 1, False, ())]),
    (
        cell(P.format("a"), '<w:vMerge w:val="restart"/>'),
        "cells",
        [(False, 1, False, ("a",))],
    ),
    (
        cell(f"<w:tbl><w:tr>{cell(P.format('inre'))}</w:tr></w:tbl>{P.format('yttre')}"),
        "cells",
        [(False, 1, True, ("inre", "yttre"))],
    ),
    (cell(P.format("a") + P.format("b")) + cell(P.format("c")), "cover_rows", (("a, b", "c"),)),
    (cell(f"<w:p><w:r>{BOLD}<w:t>Plan</w:t></w:r></w:p>"), "cover_cells", (("plan", True),)),
    (cell("<w:p><w:r><w:drawing/></w:r></w:p>"), "objects", True),
]


def test_rows_and_cells_in_content_controls_are_the_tables(tmp_path):
    wrapped = f"<w:sdt><w:sdtContent>{cell(P.format('b'))}</w:sdtContent></w:sdt>"
    row = f"<w:tr>{cell(P.format('a'))}{wrapped}</w:tr>"
    xml = f"<w:tbl>{row}<w:sdt><w:sdtContent>{row}</w:sdtContent></w:sdt></w:tbl>"
    (table,) = blocks(tmp_path, xml).read
    assert [[c.paragraphs[0].runs[0].text for c in r] for r in table.rows] == [["a", "b"]] * 2


@pytest.mark.parametrize(("row", "what", "value"), TABLES)
def test_tables(tmp_path, row, what, value):
    (table,) = blocks(tmp_path, f"<w:tbl><w:tr>{row}</w:tr></w:tbl>").read
    if what == "cells":
        got = [
            (c.merged, c.span, c.nested, tuple(r.runs[0].text for r in c.paragraphs if r.runs))
            for c in table.rows[0]
        ]
    else:
        got = getattr(table, what)
    assert got == value


# --- styles and numbering -----------------------------------------------------------------------

STYLE_ROWS = [
    ('<w:style w:type="paragraph" w:styleId="R2"><w:name w:val="Rubrik 2"/></w:style>', "R2", 2),
    ('<w:style w:type="paragraph" w:styleId="h"><w:name w:val="Heading 3"/></w:style>', "h", 3),
    (
        '<w:style w:type="paragraph" w:styleId="o"><w:name w:val="Egen"/><w:pPr>'
        '<w:outlineLvl w:val="0"/></w:pPr></w:style>',
        "o",
        1,
    ),
    ('<w:style w:type="paragraph" w:styleId="n"><w:name w:val="Normal"/></w:style>', "n", 0),
]


@pytest.mark.parametrize(("xml", "sid", "level"), STYLE_ROWS)
def test_style_outline_levels(xml, sid, level):
    from lxml import etree

    assert parse.styles(etree.fromstring(styles_xml(xml)), "styles")[sid].level == level


def test_numbering_formats_starts_and_overrides():
    from lxml import etree

    n = parse.numbering(etree.fromstring(NUMBERING))
    assert n.formats == {
        ("7", "0"): "decimal",
        ("7", "1"): "bullet",
        ("8", "0"): "decimal",
        ("8", "1"): "bullet",
    }
    assert n.starts == {"7": 3, "8": 1} and n.restarts == {"8"}
    assert n.lists["7"] == n.lists["8"]  # one Word list, counted across both


# --- tracked changes ----------------------------------------------------------------------------

CHANGES = [
    ('<w:ins w:id="1" w:author="A"><w:r><w:t>ny</w:t></w:r></w:ins>', "ny"),
    (
        '<w:r><w:t>kvar</w:t></w:r><w:del w:id="1" w:author="A"><w:r><w:delText>x</w:delText>'
        "</w:r></w:del>",
        "kvar",
    ),
    ('<w:moveTo w:id="1" w:author="A"><w:r><w:t>flyttad</w:t></w:r></w:moveTo>', "flyttad"),
    (
        '<w:moveFrom w:id="1" w:author="A"><w:r><w:t>flyttad</w:t></w:r></w:moveFrom>'
        "<w:r><w:t>.</w:t></w:r>",
        ".",
    ),
]


@pytest.mark.parametrize(("xml", "text"), CHANGES)
def test_tracked_changes_accepted(tmp_path, xml, text):
    body = blocks(tmp_path, f"<w:p>{xml}</w:p>", accept=True)
    assert [b.text for b in body.read] == [text] and body.changes == 1


@pytest.mark.parametrize(("xml", "text"), CHANGES)
def test_tracked_changes_stop_the_blocks_unless_accepted(tmp_path, xml, text):
    body = blocks(tmp_path, f"<w:p>{T}</w:p><w:p>{xml}</w:p><w:p>{T}</w:p>")
    assert len(body.read) == 1 and body.changes == 1


def test_a_deleted_paragraph_mark_of_an_empty_paragraph_drops_it(tmp_path):
    mark = '<w:pPr><w:rPr><w:del w:id="1" w:author="A"/></w:rPr></w:pPr>'
    body = blocks(tmp_path, f"<w:p>{mark}</w:p><w:p>{T}</w:p>", accept=True)
    assert [b.text for b in body.read] == ["x"]
