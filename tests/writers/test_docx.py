"""The built DOCX, read back with python-docx: each part of the city's layout is in place."""

from __future__ import annotations

import io
import zipfile

from click.testing import CliRunner
from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.shared import Cm
from support.seedtext import missing_sentences

from styrdok.cli import main
from styrdok.commands.build import build_documents
from styrdok.model.document import MEASURE_FIELDS, plain
from styrdok.writers import register
from styrdok.writers.docx import render_docx

BRAND_FILL = "1D3557"


def body_paragraphs(docx):
    return [(p.style.name, p.text) for p in docx.paragraphs]


def instructions(element) -> str:
    return " ".join(t.text for t in element.iter(qn("w:instrText")))


def test_header_has_city_date_type_dnr_and_page_fields(example_build):
    docx = open_docx(example_build)
    header = docx.sections[0].header
    text = " ".join(c.text for t in header.tables for r in t.rows for c in r.cells)
    for expected in ("HELSINGBORG", "2018-02-12", "PLAN", "DNR:000/000", "SID"):
        assert expected in text
    instr = instructions(header._element)
    assert "PAGE" in instr.split() and "NUMPAGES" in instr.split()
    assert not docx.sections[0].different_first_page_header_footer


def test_page_is_a4_in_swedish(example_build):
    docx = open_docx(example_build)
    section = docx.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.01)
    assert abs(section.page_height - Cm(29.7)) < Cm(0.01)
    lang = docx.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert lang.get(qn("w:val")) == "sv-SE"
    fonts = docx.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:rFonts"))
    assert fonts.get(qn("w:ascii")) == "Arial"


def test_core_properties(example_build):
    props = open_docx(example_build).core_properties
    assert props.title == "Handlingsplan – Bostadssociala programmet"
    assert props.subject == "PLAN, DNR 000/000"
    assert props.language == "sv-SE"
    assert props.created.date().isoformat() == "2018-02-12"


def test_banner_marks_the_documents_own_type(example_build):
    docx = open_docx(example_build)
    banner = next(
        t for t in docx.tables if [c.text for c in t.rows[0].cells][:2] == ["PROGRAM", "PLAN"]
    )
    cells = banner.rows[0].cells
    assert [c.text for c in cells] == ["PROGRAM", "PLAN", "POLICY", "RIKTLINJER"]
    fills = [c._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) for c in cells]
    assert fills[1] == BRAND_FILL and BRAND_FILL not in (fills[0], fills[2], fills[3])
    bold = [any(r.bold for p in c.paragraphs for r in p.runs) for c in cells]
    assert bold == [False, True, False, False]


def test_cover_has_aktiverande_box_and_metadata_block(example_build):
    docx = open_docx(example_build)
    cells = [c.text for t in docx.tables for r in t.rows for c in r.cells]
    joined = "\n".join(cells)
    assert "Helsingborgs stads styrdokument" in joined
    assert "Aktiverande" in joined and "Normerande" in joined
    metadata = dict(zip(cells[::2], cells[1::2], strict=False))
    assert metadata["Beslutat av:"] == "Styrgruppen för det bostadssociala programmet"
    assert metadata["Datum:"] == "12 februari 2018"
    assert metadata["Revideras av:"] == "Styrgruppen"
    assert metadata["Dokumentets giltighet:"] == "2018-2019"
    assert metadata["Dokumentet gäller för:"].startswith("Arbetsmarknadsförvaltningen")
    assert metadata["Dokumentansvarig:"] == "Socialförvaltningen verksamhetsområde vuxen"


def test_toc_is_a_real_field_listing_every_section(example_build):
    docx = open_docx(example_build)
    assert 'TOC \\o "1-1"' in instructions(docx.element.body)
    toc = [text for style, text in body_paragraphs(docx) if style == "toc 1"]
    assert [t.strip() for t in toc][:2] == ["1 Inledning", "2 Koppling till andra styrdokument"]
    assert len(toc) == 6


def test_sections_and_measures_are_numbered_headings_with_fields(example_build, example):
    paragraphs = body_paragraphs(open_docx(example_build))
    h1 = [t for s, t in paragraphs if s == "Heading 1"]
    assert h1 == [f"{i} {plain(s.title)}" for i, s in enumerate(example.sections, 1)]
    h2 = [(i, t) for i, (s, t) in enumerate(paragraphs) if s == "Heading 2"]
    measures = [(i, t) for i, t in h2 if t[:2] == "3:"]
    assert [t.split()[0] for _, t in measures] == [f"3:{n}" for n in range(1, 11)]
    for (number, _, measure), (index, title) in zip(
        example.numbered_measures(), measures, strict=True
    ):
        assert title == f"{number} {plain(measure.title)}"
        labels = [
            (paragraphs[j][1], paragraphs[j + 1][1])
            for j in range(index, len(paragraphs) - 1)
            if paragraphs[j][0] == "Fältrubrik"
        ][:3]
        assert [label for label, _ in labels] == list(MEASURE_FIELDS.values())
        assert [value for _, value in labels] == [plain(v) for v in measure.fields.values()]


def test_every_sentence_of_the_seed_is_in_the_docx(example_build):
    text = "\n".join(p.text for p in open_docx(example_build).paragraphs)
    assert missing_sentences(text) == []


def test_same_input_gives_byte_identical_docx(example, example_build):
    assert render_docx(example) == example_build.read_bytes()
    with zipfile.ZipFile(io.BytesIO(example_build.read_bytes())) as z:
        assert z.namelist()[0] == "[Content_Types].xml"
        assert {i.date_time[:3] for i in z.infolist()} == {(2018, 2, 12)}


def test_cli_build_writes_docx_into_output_folder(project, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", "--root", str(project.root), "--format", "docx", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert (out / "liten" / "liten.docx").is_file()
    assert sorted(p.name for p in (out / "liten").iterdir()) == [".bygge.json", "liten.docx"]


def test_bad_input_writes_nothing_for_it(project, tmp_path):
    (project.source / "liten" / "document.yaml").write_text("typ: plan\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", "--root", str(project.root), "--format", "docx", "-o", str(out)]
    )
    assert result.exit_code == 1
    assert "liten/document.yaml" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_a_broken_document_does_not_stop_a_valid_one(project, tmp_path):
    out = tmp_path / "out"
    (project.source / "zz-trasig").mkdir()  # loads after the good document, which renders first
    (project.source / "zz-trasig" / "document.yaml").write_text("typ: plan\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["build", "--root", str(project.root), "--format", "docx", "-o", str(out)]
    )
    assert result.exit_code == 1
    assert "zz-trasig/document.yaml" in result.output and "byggde inte zz-trasig" in result.output
    # no staging folder left; the register lists the documents beside them
    assert sorted(p.name for p in out.iterdir()) == sorted(["liten", *register.FILES])
    assert (out / "liten" / "liten.docx").is_file()


def test_a_document_named_twice_is_built_once(project, tmp_path):
    built = build_documents(project, ("liten", "liten"), ("docx",), tmp_path / "out")
    assert built == [tmp_path / "out" / "liten" / "liten.docx"]


def test_library_build_returns_written_paths(project, tmp_path):
    paths = build_documents(project, (), ("docx",), tmp_path / "o")
    assert [p.name for p in paths] == ["liten.docx"]


def test_template_like_text_in_the_content_is_written_as_it_is(example):
    """The content is never run through the template's fields: text that looks like them (or
    like docxtpl's escapes, '{_{') comes out as written."""
    from dataclasses import replace

    from styrdok.model.document import Paragraph, text

    odd = "Fält {{ titel }}, {%p if x %} och {_{ escape }_} och </w:t> & <b>"
    first = example.sections[0]
    changed = replace(first, blocks=(Paragraph(text(odd)), *first.blocks))
    doc = replace(example, sections=(changed, *example.sections[1:]))
    body = open_docx(io.BytesIO(render_docx(doc))).paragraphs
    assert odd in [p.text for p in body]
