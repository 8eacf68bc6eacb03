"""The official PDF of the example: PDF/A-2b, tagged, Swedish, right page numbers everywhere."""

from __future__ import annotations

import re

import pypdf
from support.pdftext import HEADER, body_text, page_texts
from support.seedtext import missing_sentences

from styrdok.commands.build import build_documents
from styrdok.model.document import plain


def test_every_page_has_header_with_right_sid(example_pdf):
    pages = page_texts(example_pdf)
    assert len(pages) >= 8
    for number, text in enumerate(pages, 1):
        m = HEADER.match(text)
        assert m, f"page {number} has no header"
        assert (int(m.group(1)), int(m.group(2))) == (number, len(pages))
        assert "2018-02-12" in m.group(0) and "PLAN" in m.group(0) and "DNR:000/000" in m.group(0)


def test_toc_page_numbers_match_where_headings_stand(example_pdf, example):
    pages = [HEADER.sub("", t, count=1) for t in page_texts(example_pdf)]
    toc_page = next(i for i, t in enumerate(pages) if t.startswith("Innehållsförteckning"))
    entries = re.findall(r"^(\d+ [^\n.]+?)\.{3,}\s*(\d+)$", pages[toc_page], re.M)
    titles = [f"{i} {plain(s.title)}" for i, s in enumerate(example.sections, 1)]
    assert [t for t, _ in entries] == titles
    for title, page in entries:
        stands = [i + 1 for i, t in enumerate(pages) if i != toc_page and title in t.splitlines()]
        assert stands == [int(page)], title


def test_pdfa2b_tagged_swedish_with_title(example_pdf):
    reader = pypdf.PdfReader(example_pdf)
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part[>=\"]+2", xmp)
    assert re.search(r"pdfaid:conformance[>=\"]+B", xmp)
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert root["/Lang"] == "sv-SE"
    assert reader.metadata.title == "Handlingsplan – Bostadssociala programmet"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    top = [o.title for o in reader.outline if not isinstance(o, list)]
    assert top[:2] == ["1 Inledning", "2 Koppling till andra styrdokument"]
    assert abs(float(reader.pages[0].mediabox.width) - 595.3) < 1  # A4


def test_every_font_is_embedded(example_pdf):
    unembedded = set()
    for page in pypdf.PdfReader(example_pdf).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            desc = font.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in font:
                desc = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            if not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                unembedded.add(font["/BaseFont"])
    assert unembedded == set()


def test_every_sentence_of_the_seed_is_in_the_pdf(example_pdf):
    assert missing_sentences(body_text(example_pdf)) == []


def test_each_numbered_list_starts_at_one(project, office, tmp_path):
    body = project.source / "liten" / "document.md"
    lists = "1. Första\n2. Andra\n\nEtt stycke emellan.\n\n1. Tredje\n2. Fjärde\n\n"
    body.write_text(
        body.read_text(encoding="utf-8").replace("En inledande", lists + "En inledande")
    )
    (pdf,) = build_documents(project, formats=("pdf",), out_dir=tmp_path, office=office)
    text = "\n".join(page_texts(pdf))
    numbered = re.findall(r"^(\d+)\.\s+(Första|Andra|Tredje|Fjärde)$", text, re.M)
    assert numbered == [("1", "Första"), ("2", "Andra"), ("1", "Tredje"), ("2", "Fjärde")]
