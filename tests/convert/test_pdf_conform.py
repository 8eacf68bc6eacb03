"""Every PDF styrdok writes is PDF/A-2b and PDF/UA-1 at once, by two independent validators:
page-validation (both profiles, zero failed rules) and pdfua (no findings). verify catches a
PDF that is not, naming the rules; pdf_conform makes it conformant again."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zlib
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.gitrepo import DOC
from support.modelruns import runs_in
from support.revise import documents

from styrdok.archive.package import stage_package, verify_package
from styrdok.cli import main
from styrdok.commands.build import Project, build_documents
from styrdok.convert.pdf_conform import conformance, make_accessible
from styrdok.model.document import Paragraph, Run, Subheading, Table
from styrdok.project.publish import remove_tree
from styrdok.writers.docx import render_docx

SOURCES = sorted(p.name for p in (Path(__file__).parents[2] / "source").iterdir())


@pytest.fixture(scope="module")
def source_pdfs(repo, office, tmp_path_factory) -> dict[str, Path]:
    """Every document in source/ (the four types) built to PDF once."""
    root = tmp_path_factory.mktemp("alla")
    shutil.copytree(repo / "source", root / "source")
    built = build_documents(Project(root), (), ("pdf",), root / "out", office)
    return {p.stem: p for p in built}


@pytest.fixture(scope="module")
def diff_pdfs(history, office, tmp_path_factory) -> dict[str, Path]:
    """The example history's change report and redline as PDF."""
    from styrdok.commands.compare import compare

    out = tmp_path_factory.mktemp("diff")
    compare(history, DOC, f"{DOC}/2018", "main", out, ("pdf",), office=office)
    return {name: out / f"{name}.pdf" for name in ("changes", "redline")}


def pdfua_findings(pdf: Path) -> list[dict]:
    """The findings of `pdfua check` (the second validator), any severity."""
    run = subprocess.run(
        [sys.executable, "-m", "pdfua", "check", "--format", "json", str(pdf)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode in (0, 1, 2, 3), run.stderr  # 4: not readable, 5: usage
    report = json.loads(run.stdout)
    files = report.get("files", [report])
    return [f for file in files for f in file["findings"]]


def assert_conformant(pdf: Path) -> None:
    assert conformance(pdf) == [], pdf
    assert pdfua_findings(pdf) == [], pdf


@pytest.mark.parametrize("name", SOURCES)
def test_every_source_document_is_pdfa2b_and_pdfua1(source_pdfs, name):
    assert_conformant(source_pdfs[name])


@pytest.mark.parametrize("name", ["changes", "redline"])
def test_change_report_and_redline_are_pdfa2b_and_pdfua1(diff_pdfs, name):
    assert_conformant(diff_pdfs[name])


def structure(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element, in document order."""
    out, todo = [], [pdf.Root.StructTreeRoot.K]
    while todo:
        kids = todo.pop(0)
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                out.append(kid)
                todo.insert(0, kid.get("/K"))
    return out


@pytest.mark.parametrize("name", SOURCES)
def test_what_a_reader_needs_is_in_the_pdf(source_pdfs, name):
    """Title shown from the metadata, Swedish, a bookmark for every heading, links with
    alternative text, layout tables not tagged as data tables."""
    with pikepdf.open(source_pdfs[name]) as pdf:
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.Root.Lang) == "sv-SE"
        assert str(pdf.docinfo.Title) and str(pdf.open_metadata()["dc:title"])
        elements = structure(pdf)
        headings = [e for e in elements if str(e.S) in ("/H1", "/H2", "/H3", "/H4")]
        with pdf.open_outline() as outline:
            titles, todo = [], list(outline.root)
            while todo:
                item = todo.pop(0)
                titles.append(item.title)
                todo[:0] = item.children
        assert len(titles) == len(headings) > 0
        links = [a for page in pdf.pages for a in page.obj.get("/Annots", [])]
        assert links and all(str(a.get("/Contents", "")).strip() for a in links)
        for table in (e for e in elements if str(e.S) == "/Table"):
            cells = [e for e in structure_of(table) if str(e.S) in ("/TH", "/TD")]
            assert any(str(c.S) == "/TH" for c in cells)


def structure_of(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    kids = element.get("/K")
    out = []
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            out += [kid, *structure_of(kid)]
    return out


def test_a_table_with_a_header_row_stays_a_data_table(example, office, tmp_path):
    """A table in the content (the change report's kind) keeps its header cells, with scope."""
    table = Table(
        header=((Run("Förvaltning"),), (Run("Antal åtgärder"),)),
        rows=(
            ((Run("Socialförvaltningen"),), (Run("4"),)),
            ((Run("Skolförvaltningen"),), (Run("2"),)),
        ),
    )
    first = example.sections[0]
    doc = replace(
        example,
        sections=(replace(first, blocks=(*first.blocks, Paragraph((Run("Tabell:"),)), table)),
                  *example.sections[1:]),
    )  # fmt: skip
    docx = tmp_path / "tabell.docx"
    docx.write_bytes(render_docx(doc))
    pdf = office.convert(docx, tmp_path / "tabell.pdf", title="Tabell")
    assert_conformant(pdf)
    with pikepdf.open(pdf) as opened:
        heads = [e for e in structure(opened) if str(e.S) == "/TH"]
        table = [a for h in heads for a in attributes(h) if a.get("/O") == pikepdf.Name.Table]
        scopes = [str(a.Scope) for a in table]
    assert len(heads) == 3 and scopes == ["/Column"] * 3  # the cover box's head and the two here


def attributes(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    a = element.get("/A")
    return [a] if isinstance(a, pikepdf.Dictionary) else list(a or [])


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(data=st.data())
def test_generated_documents_are_pdfa2b_and_pdfua1(data, office, tmp_path):
    """Documents of every shape (links, lists, super- and subscripts, appendices)."""
    doc = data.draw(documents())
    docx = tmp_path / "slump.docx"
    docx.write_bytes(render_docx(doc))
    assert_conformant(office.convert(docx, tmp_path / "slump.pdf", title="Slump"))


def spoil(pdf: Path, dest: Path) -> Path:
    """A copy as LibreOffice alone would write it in the ways pdf_conform mends: no PDF/UA
    claim, a RoleMap cycle, no tab order."""
    with pikepdf.open(pdf) as opened:
        xmp = opened.Root.Metadata.read_bytes().decode()
        ua = r"<rdf:Description[^>]*(pdfaExtension|pdfuaid)=.*?</rdf:Description>\s*"
        xmp, claims = re.subn(ua, "", xmp, flags=re.DOTALL)
        assert claims == 2
        opened.Root.Metadata = opened.make_stream(xmp.encode())
        opened.Root.Metadata.Type, opened.Root.Metadata.Subtype = (
            pikepdf.Name.Metadata,
            pikepdf.Name.XML,
        )
        opened.Root.StructTreeRoot.RoleMap.H1 = pikepdf.Name.H1
        del opened.pages[1].obj["/Tabs"]
        opened.save(dest)
    return dest


def test_verify_names_the_failed_rules_of_a_pdf_that_is_not_pdfua(source_pdfs, tmp_path):
    spoilt = spoil(source_pdfs["program-trygghet"], tmp_path / "dok.pdf")
    package = stage_package(tmp_path, {"dok.pdf": spoilt.read_bytes()}, {})
    try:
        (problem,) = verify_package(package)
        assert problem.startswith(f"{package}/data/dok.pdf: PDF:en uppfyller inte PDF/UA-1")
        for rule in ("ID-SCHEMA", "ROLE-MAP-CYCLE", "PAGE-TABS"):
            assert rule in problem
        result = CliRunner().invoke(main, ["verify", str(package)])
        assert result.exit_code == 1 and "uppfyller inte PDF/UA-1" in result.output
        assert "Traceback" not in result.output
    finally:
        remove_tree(package)


def test_make_accessible_mends_it_again_and_is_deterministic(source_pdfs, tmp_path):
    spoilt = spoil(source_pdfs["riktlinjer-sociala-medier"], tmp_path / "a.pdf")
    assert conformance(spoilt) != []
    copy = tmp_path / "b.pdf"
    shutil.copy(spoilt, copy)
    make_accessible(spoilt)
    make_accessible(copy)
    assert conformance(spoilt) == [] and spoilt.read_bytes() == copy.read_bytes()


def test_the_same_docx_gives_the_same_pdf_dated_as_the_docx(example_build, office, tmp_path):
    """LibreOffice stamps each PDF with the time of conversion (document information, XMP,
    colour profile) and a random identifier; the finished PDF carries the DOCX's date."""
    first = office.convert(example_build, tmp_path / "a.pdf", title="t")
    second = office.convert(example_build, tmp_path / "b.pdf", title="t")
    assert first.read_bytes() == second.read_bytes()
    with pikepdf.open(first) as pdf:
        assert str(pdf.docinfo.CreationDate) == "D:20180212000000Z"  # the decision date
        assert "<xmp:CreateDate>2018-02-12T00:00:00Z</xmp:CreateDate>" in str(
            pdf.Root.Metadata.read_bytes().decode()
        )


def test_a_heading_that_skips_a_level_is_tagged_one_below_the_one_before(example, office, tmp_path):
    """`###` right under `#` (the source allows it): H1 then H2 in the tags, not H3."""
    first = example.sections[0]
    skip = (Subheading((Run("Direkt under avsnittet"),), level=3), Paragraph((Run("Text."),)))
    doc = replace(example, sections=(replace(first, blocks=skip + first.blocks),
                                     *example.sections[1:]))  # fmt: skip
    docx = tmp_path / "nivåer.docx"
    docx.write_bytes(render_docx(doc))
    pdf = office.convert(docx, tmp_path / "nivåer.pdf", title="Nivåer")
    assert_conformant(pdf)
    with pikepdf.open(pdf) as opened:
        levels = [str(e.S) for e in structure(opened) if str(e.S)[:2] == "/H"]
    assert levels[:2] == ["/H1", "/H2"] and "/H3" not in levels


@pytest.mark.parametrize("name", SOURCES)
def test_every_web_link_in_the_text_is_a_link_in_the_pdf(source_pdfs, name):
    """LibreOffice makes a clickable link, with its text as alternative text, only of a run
    with a character style: each web address of the source is one in the PDF."""
    from styrdok.readers.markdown.source import load_document

    doc = load_document(Path(__file__).parents[2] / "source" / name)
    wanted = {r.href for r in runs_in(doc) if r.href and not r.href.startswith("#")}
    with pikepdf.open(source_pdfs[name]) as pdf:
        annots = [a for page in pdf.pages for a in page.obj.get("/Annots", [])]
        uris = [a for a in annots if "/A" in a and a.A.get("/S") == "/URI"]
        assert {str(a.A.URI).rstrip("/") for a in uris} == {u.rstrip("/") for u in wanted}
        assert all(str(a.get("/Contents", "")).strip() for a in uris)
    if name == "riktlinjer-sociala-medier":  # the example with a web address in its text
        assert wanted


@pytest.mark.parametrize("name", SOURCES)
def test_the_type_banner_says_the_type_in_words(source_pdfs, name):
    """The cover's banner marks the document's type by colour only; its group's alternative
    text says it."""
    from styrdok.readers.markdown.source import load_document

    kind = load_document(Path(__file__).parents[2] / "source" / name).metadata.typ.upper()
    with pikepdf.open(source_pdfs[name]) as pdf:
        alts = [str(e.Alt) for e in structure(pdf) if "/Alt" in e]
    assert f"Styrdokumentets typ: {kind}" in alts


def test_a_stream_that_ends_in_a_carriage_return_keeps_a_valid_length(source_pdfs, tmp_path):
    """About one compressed font in 256 ends in a CR, which with the LF before `endstream`
    reads as the end-of-line marker: PDF/A-2b's stream length rule failed on such a PDF."""
    pdf_path = tmp_path / "cr.pdf"
    shutil.copy(source_pdfs[SOURCES[0]], pdf_path)

    def text(n: int) -> bytes:
        return f"% {'styrdok ' * (n % 9)}{n}\n".encode()

    n = next(n for n in range(100_000) if zlib.compress(text(n))[-1:] == b"\r")
    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        stream = pikepdf.Stream(pdf, b"")
        stream.write(zlib.compress(text(n)), filter=pikepdf.Name.FlateDecode)
        page = pdf.pages[-1]
        page.obj.Contents = pikepdf.Array([page.obj.Contents, stream])  # a comment, drawn after
        pdf.save(pdf_path, compress_streams=False)
    assert "PDFA2B-STREAM-LENGTH-001" in " ".join(conformance(pdf_path))
    make_accessible(pdf_path)
    assert conformance(pdf_path) == []
