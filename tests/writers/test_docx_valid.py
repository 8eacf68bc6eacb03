"""Every DOCX styrdok writes is one that Word opens cleanly: valid by a real OOXML validator and
by narrow checks (docxcheck.py), with true properties and a table of contents that already
holds the page numbers of the PDF layout, so Word asks nothing on opening."""

from __future__ import annotations

import io
import re
import shutil
import zipfile

import pypdf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from support.docxcheck import problems, toc_pages
from support.gitrepo import DOC
from support.revise import documents, revisions

from styrdok import __version__
from styrdok.commands.build import Project, build_documents
from styrdok.compare.redline import redline
from styrdok.writers.docx import render_docx


def test_the_built_documents_are_valid_and_their_tocs_have_the_pdf_pages(repo, office, tmp_path):
    """Every document in source/ (four types, an appendix among them)."""
    project = Project(tmp_path)
    shutil.copytree(repo / "source", tmp_path / "source")
    built = build_documents(project, (), ("docx", "pdf"), tmp_path / "out", office)
    assert len(built) == 2 * len(list((repo / "source").iterdir()))
    for docx, pdf in zip(built[::2], built[1::2], strict=True):
        assert problems(docx) == [], docx
        reader = pypdf.PdfReader(pdf)
        bookmarks = [
            str(reader.get_destination_page_number(b) + 1)
            for b in reader.outline
            if not isinstance(b, list) and re.match(r"(\d|Bilaga \d)", b.title)
        ]
        assert toc_pages(docx) == bookmarks and all(bookmarks), docx
        with zipfile.ZipFile(docx) as z:
            app = etree.fromstring(z.read("docProps/app.xml"))
        ns = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
        assert app.findtext(f"{ns}Application") == f"styrdok {__version__}"
        assert app.findtext(f"{ns}Pages") == str(len(reader.pages))


def test_a_docx_only_build_is_valid_without_page_numbers(project, tmp_path):
    (docx,) = build_documents(project, (), ("docx",), tmp_path / "out")
    assert problems(docx) == []
    assert set(toc_pages(docx)) == {""}


def test_core_properties_come_from_the_metadata_once_each(example_build):
    with zipfile.ZipFile(example_build) as z:
        core = z.read("docProps/core.xml").decode()
    assert "custom-properties" not in core
    for once in ("<cp:keywords>", "<cp:lastModifiedBy>", "<cp:revision>", "<dc:title>"):
        assert core.count(once) == 1, once
    assert "python-docx" not in core and "<dc:language>sv-SE</dc:language>" in core


def test_the_checker_finds_what_word_repairs(example_build):
    """The defects of 0.1.0's DOCX, put back by hand, are each found."""
    data = example_build.read_bytes()

    def spoiled(name: str, old: bytes, new: bytes) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
            for item in src.namelist():
                body = src.read(item)
                dst.writestr(item, body.replace(old, new) if item == name else body)
        return out.getvalue()

    custom = b"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
    twice = spoiled(
        "docProps/core.xml",
        b"</cp:coreProperties>",
        b'<cp:revision xmlns:cp="' + custom + b'">1</cp:revision></cp:coreProperties>',
    )
    assert any("revision" in p for p in problems(twice))
    prompt = spoiled(
        "word/settings.xml", b"</w:settings>", b'<w:updateFields w:val="true"/></w:settings>'
    )
    assert any("updateFields" in p for p in problems(prompt))
    cell = b'<w:tcW w:type="dxa" w:w="2268"/><w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>'
    out_of_order = cell[cell.index(b"<w:shd") :] + cell[: cell.index(b"<w:shd")]
    assert any("tcW" in p for p in problems(spoiled("word/document.xml", cell, out_of_order)))
    dangling = spoiled(
        "word/_rels/document.xml.rels", b'Target="styles.xml"', b'Target="saknas.xml"'
    )
    assert any("saknas.xml" in p for p in problems(dangling))


def test_change_report_and_redline_are_valid(history, office, tmp_path):
    from styrdok.commands.compare import compare

    out = tmp_path / "diff"
    compare(history, DOC, f"{DOC}/2018", "main", out, ("docx", "pdf"), office=office)
    for name in ("changes.docx", "redline.docx"):
        assert problems(out / name) == [], name
        assert all(toc_pages(out / name)), name


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_redlines_of_structural_revisions_are_valid(data):
    old = data.draw(documents())
    new = data.draw(revisions(old))
    assert problems(render_docx(redline(old, new, "Anna Andersson", "2026-09-16T08:00:00Z"))) == []


def test_archived_docx_is_valid(released):
    _, first, second = released
    for package in (first, second):
        (docx,) = package.glob(f"data/*/representations/docx/data/{DOC}.docx")
        assert problems(docx) == []


def test_schema_order_reaches_properties_that_moved_ahead_in_the_walk():
    """A pPr whose children are put in order moves its rPr ahead of the pPrChange the walk was
    at; that rPr is put in order too."""
    from lxml import etree

    from styrdok.writers import ooxml

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    root = etree.fromstring(
        f'<w:p xmlns:w="{w}"><w:pPr><w:pPrChange w:id="1" w:author="a"><w:pPr><w:jc w:val="left"/>'
        "</w:pPr></w:pPrChange><w:rPr><w:i/><w:b/></w:rPr></w:pPr></w:p>"
    )
    ooxml.schema_order(root)
    ppr = root[0]
    assert [etree.QName(c).localname for c in ppr] == ["rPr", "pPrChange"]
    assert [etree.QName(c).localname for c in ppr[0]] == ["b", "i"]
