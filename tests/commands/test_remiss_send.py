"""Sending a document on remiss: the remiss version (marked, line-numbered, bookmarked, with its
missive page), the answer form, and the round recorded in the project."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pdfplumber
import pytest
import yaml
from click.testing import CliRunner
from support import docxcheck
from support.remissfix import BODIES, ROUND

from styrdok.cli import main
from styrdok.model.ids import bookmark_name
from styrdok.readers.markdown.source import load_document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _parts(docx) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(docx.read_bytes())) as z:
        return {n: z.read(n).decode() for n in z.namelist() if n.endswith((".xml", ".rels"))}


def _texts(xml: str) -> str:
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def test_the_remiss_version_is_marked_numbered_and_bookmarked(sent_plan):
    parts = _parts(sent_plan.docx)
    document = parts["word/document.xml"]
    header = _texts(parts["word/header1.xml"])
    assert "PLAN – REMISSVERSION" in header and "DNR:000/000" in header
    text = _texts(document)
    # the cover's mark comes before the governance banner, the missive before the contents
    assert text.index("REMISSVERSION") < text.index("PROGRAM") < text.index("Remissinstanser:")
    assert "Remiss 2026-1 · svara senast 31 oktober 2026" in text
    assert text.index("Remissinstanser:") < text.index("Innehållsförteckning")
    assert f"Remissinstanser: {', '.join(BODIES)}" in text
    assert "Svara senast: 31 oktober 2026" in text
    assert "Referens: handlingsplan-bostadssociala, remiss 2026-1" in text
    # line numbers in every section's properties, counted again on each page
    (numbering,) = re.findall(r"<w:lnNumType [^>]*/>", document)
    assert 'w:countBy="1"' in numbering and 'w:restart="newPage"' in numbering
    # every section's and measure's id is a bookmark
    doc = load_document(sent_plan.root / "source" / sent_plan.doc)
    ids = [s.id for s in doc.sections] + [m.id for _, _, m in doc.numbered_measures()]
    names = set(re.findall(r'<w:bookmarkStart [^>]*w:name="([^"]+)"', document))
    assert {bookmark_name(i) for i in ids} <= names
    assert "styrdok.remiss" in parts["docProps/custom.xml"]
    assert "handlingsplan-bostadssociala 2026-1" in parts["docProps/custom.xml"]
    assert docxcheck.problems(sent_plan.docx) == []
    assert docxcheck.problems(sent_plan.form) == []


def _margin_numbers(page) -> list[int]:
    """The line numbers LibreOffice put in the left margin of a PDF page."""
    words = page.extract_words()
    return [int(w["text"]) for w in words if w["x1"] < 62 and w["text"].isdigit()]


def test_the_remiss_pdf_shows_the_mark_the_missive_and_line_numbers(sent_plan):
    with pdfplumber.open(sent_plan.pdf) as pdf:
        pages = pdf.pages
        first, missive, contents = (p.extract_text() for p in pages[:3])
        assert "REMISSVERSION" in first and "svara senast 31 oktober 2026" in first
        assert "Remiss" in missive and "Vård- och omsorgsnämnden" in missive
        assert "Innehållsförteckning" in contents
        # no numbers on the cover, the missive and the contents; on the text pages 1, 2, 3 …
        assert [_margin_numbers(p) for p in pages[:3]] == [[], [], []]
        for page in pages[3:6]:
            numbers = _margin_numbers(page)
            assert numbers[:3] == [1, 2, 3] and numbers == list(range(1, len(numbers) + 1))
        # the contents' page numbers count the missive's page
        assert re.search(r"1 Inledning\.+\s*4", contents)
    assert docxcheck.toc_pages(sent_plan.docx)[0] == "4"


def test_the_round_is_recorded_with_the_commit_sent(sent_plan):
    import git

    record = yaml.safe_load((sent_plan.folder / "omgang.yaml").read_text(encoding="utf-8"))
    repo = git.Repo(sent_plan.root)
    sent_commit = repo.head.commit.parents[0].hexsha  # the round's own commit came after
    assert record == {
        "dokument": "handlingsplan-bostadssociala",
        "omgång": ROUND,
        "skickad": "2026-09-01",
        "sista_svarsdag": "2026-10-31",
        "commit": sent_commit,
        "instanser": BODIES,
    }


def test_the_answer_form_has_its_tables_and_the_documents_numbers(sent_plan):
    import docx

    form = docx.Document(str(sent_plan.form))
    headers = [[c.text for c in t.rows[0].cells] for t in form.tables]
    assert ["Remissinstans", "Kontaktperson", "E-post"] in headers
    assert ["Avsnitt eller åtgärd", "Synpunkt", "Förslag till ändring"] in headers
    text = "\n".join(p.text for p in form.paragraphs)
    assert "3:1 Innovation gällande stadsplanering" in text and "6 Ansvar och uppföljning" in text
    assert "Referens: handlingsplan-bostadssociala, remiss 2026-1" in text
    assert "handlingsplan-bostadssociala 2026-1" in _parts(sent_plan.form)["docProps/custom.xml"]


def _send(root, *more: str, fmt: str = "docx"):
    return CliRunner().invoke(
        main,
        [
            "remiss",
            "handlingsplan-bostadssociala",
            "--omgång",
            ROUND,
            "--instanser",
            "Socialnämnden, Fastighetsnämnden",
            "--sista-svarsdag",
            "2026-10-31",
            "--datum",
            "2026-09-01",
            "--format",
            fmt,
            "--root",
            str(root),
            *more,
        ],
    )


def test_the_same_round_made_again_is_the_same_bytes(plan_round):
    before = plan_round.docx.read_bytes()
    form = plan_round.form.read_bytes()
    result = _send(plan_round.root)
    assert result.exit_code == 0, result.output
    # without the PDF the contents have no page numbers: rendered again with the same layout …
    again = plan_round.docx.read_bytes()
    assert plan_round.form.read_bytes() == form
    result = _send(plan_round.root)
    assert result.exit_code == 0, result.output
    assert plan_round.docx.read_bytes() == again  # … deterministic
    assert before != again  # (the PDF's page numbers are in the one sent)


def test_the_subcommand_and_the_default_are_the_same(plan_round):
    result = CliRunner().invoke(
        main,
        [
            "remiss",
            "skicka",
            "handlingsplan-bostadssociala",
            "--omgang",
            "2026-2",
            "--instanser",
            "Socialnämnden",
            "--instanser",
            "Fastighetsnämnden,  Socialnämnden",
            "--sista-svarsdag",
            "2027-01-31",
            "--format",
            "docx",
            "--root",
            str(plan_round.root),
        ],
    )
    assert result.exit_code == 0, result.output
    record = yaml.safe_load(
        (plan_round.folder.parent / "2026-2" / "omgang.yaml").read_text(encoding="utf-8")
    )
    assert record["instanser"] == ["Socialnämnden", "Fastighetsnämnden"]
    assert record["skickad"] == date.today().isoformat()


@pytest.mark.parametrize(
    ("change", "args", "message"),
    [
        ("edit", (), "har ändringar som inte är incheckade"),
        ("commit", (), "omgången 2026-1 skickades 2026-09-01 med commit"),
        (None, ("--omgång", "2026 1"), "omgången '2026 1' får bara innehålla"),
        (None, ("--sista-svarsdag", "2026-08-01"), "är inte efter 2026-09-01"),
        (None, ("--format", "odt"), "okänt format: odt"),
    ],
)
def test_refusals_say_why_and_write_nothing(plan_round, change, args, message):
    doc_md = plan_round.root / "source" / plan_round.doc / "document.md"
    if change is not None:
        doc_md.write_text(doc_md.read_text(encoding="utf-8") + "\nNy mening.\n", encoding="utf-8")
    if change == "commit":
        import git

        repo = git.Repo(plan_round.root)
        repo.index.add([str(doc_md)])
        actor = git.Actor("Anna Andersson", "anna@example.invalid")
        repo.index.commit("Ändrad", author=actor, committer=actor)
    record = (plan_round.folder / "omgang.yaml").read_bytes()
    built = plan_round.docx.read_bytes()
    result = _send(plan_round.root, *args)
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output
    assert (plan_round.folder / "omgang.yaml").read_bytes() == record
    assert plan_round.docx.read_bytes() == built
    assert not (plan_round.folder.parent / "2026 1").exists()


def test_no_bodies_is_refused(plan_round):
    result = CliRunner().invoke(
        main,
        [
            "remiss",
            "handlingsplan-bostadssociala",
            "--omgång",
            "2026-3",
            "--instanser",
            " , ",
            "--sista-svarsdag",
            "2027-10-31",
            "--root",
            str(plan_round.root),
        ],
    )
    assert result.exit_code == 1 and "ange minst en remissinstans" in result.output
