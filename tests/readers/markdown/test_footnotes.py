"""Footnotes, end to end: `[^1]` in the source → Word footnotes (word/footnotes.xml), compared
in their paragraph, tracked inside the footnote in the redline (Accept/Reject All exact in
LibreOffice too), and read back from Word."""

from __future__ import annotations

import difflib
import io
import re
import shutil
import zipfile

import pytest
from click.testing import CliRunner
from support.lorun import libreoffice_edit
from support.redlinecheck import check_in_libreoffice, check_redline
from support.sourceparse import parse, problems

from styrdok.cli import main
from styrdok.commands.importer import import_docx
from styrdok.compare.changelist import diff_documents
from styrdok.model.document import Run
from styrdok.project.layout import Project
from styrdok.readers.markdown.source import load_document
from styrdok.writers import source_text
from styrdok.writers.docx import render_docx

TEXT = """# Bakgrund {#bakgrund}

Staden har 150 000 invånare[^1] och växer med **2 000** om året[^kalla].

| År | Invånare |
|---|---|
| 2025 | 150 000[^1] |

# Åtgärder {#atgarder}

Se [avsnitt 1](#bakgrund)[^2].

[^1]: Enligt *SCB*, [befolkningsstatistik](https://www.scb.se/bef).

[^kalla]: Stadens prognos 2025.

[^2]: Fotnoten hänvisar till [avsnitt 1](#bakgrund).
"""


def _xml(docx: bytes, part: str) -> str:
    return zipfile.ZipFile(io.BytesIO(docx)).read(part).decode()


def test_footnotes_are_read_with_their_text_and_written_back_numbered_in_order():
    doc = parse(TEXT)
    first = doc.sections[0].blocks[0].runs
    notes = [r.note for r in first if r.note is not None]
    assert notes[1] == (Run("Stadens prognos 2025."),)
    assert Run("SCB", italic=True) in notes[0]
    written = source_text.body(doc.sections)
    assert "invånare[^1] och växer med **2 000** om året[^2]." in written
    assert written.endswith("[^4]: Fotnoten hänvisar till [avsnitt 1](#bakgrund).\n")
    assert parse(written).sections == doc.sections


def test_footnotes_are_real_word_footnotes_with_their_links_and_references():
    docx = render_docx(parse(TEXT))
    body, notes = _xml(docx, "word/document.xml"), _xml(docx, "word/footnotes.xml")
    assert re.findall(r'<w:footnoteReference w:id="(\d+)"/>', body) == ["1", "2", "3", "4"]
    texts = [
        re.sub(r"<[^>]+>", "", n)
        for n in re.findall(r'<w:footnote w:id="\d+">.*?</w:footnote>', notes)
    ]
    assert texts[0] == " Enligt SCB, befolkningsstatistik."
    assert texts[3] == " Fotnoten hänvisar till avsnitt 1."  # the reference carries its number
    rels = _xml(docx, "word/_rels/footnotes.xml.rels")
    assert 'Target="https://www.scb.se/bef"' in rels
    assert "footnotes.xml" in _xml(docx, "word/_rels/document.xml.rels")
    assert 'w:styleId="FootnoteText"' in _xml(docx, "word/styles.xml")
    assert render_docx(parse(TEXT)) == docx  # deterministic


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("# A {#a}\n\nText[^1].\n", 3, "fotnoten [^1] saknar sin text"),
        ("# A {#a}\n\nText.\n\n[^1]: Oanvänd.\n", 5, "fotnoten [^1] används inte i texten"),
        ("# A[^1] {#a}\n\nText.\n\n[^1]: Not.\n", 1, "fotnoter i rubriker stöds inte"),
        ("# A {#a}\n\nText[^1].\n\n[^1]: Ett.\n\n    Två.\n", 3, "en fotnot rymmer ett stycke"),
    ],
)
def test_a_footnote_that_would_not_be_built_as_written_is_refused(text, line, words):
    found = problems(text)
    assert any(n == line and words in m for n, m in found), found


def revisions():
    return {
        "a footnote reworded": TEXT.replace("Stadens prognos 2025.", "Stadens prognos från 2025."),
        "a footnote added": TEXT.replace("Se [avsnitt", "Se[^ny] [avsnitt").replace(
            "[^2]: ", "[^ny]: En ny fotnot.\n\n[^2]: "
        ),
        "a footnote removed": TEXT.replace(" om året[^kalla]", " om året").replace(
            "[^kalla]: Stadens prognos 2025.\n", ""
        ),
    }


def test_a_changed_footnote_is_a_change_in_its_paragraph_and_tracked_inside_the_footnote():
    old = parse(TEXT)
    for name, text in revisions().items():
        new = parse(text)
        (entry,) = diff_documents(old, new).entries
        assert [f.field for f in entry.fields] == ["text"], name
        marked = check_redline(old, new)
        check_redline(new, old)
        if name == "a footnote reworded":
            inserted = re.findall(r"<w:ins [^>]*>(.*?)</w:ins>", _xml(marked, "word/footnotes.xml"))
            assert [re.sub(r"<[^>]+>", "", x) for x in inserted] == ["från "]
            assert "<w:ins " not in _xml(marked, "word/document.xml")


def test_libreoffice_accepts_and_rejects_footnote_edits(office, tmp_path):
    old = parse(TEXT)
    for text in revisions().values():
        accepted, rejected = check_in_libreoffice(office, old, parse(text), tmp_path)
        assert accepted["footnotes"] and rejected["footnotes"]


def test_footnotes_come_back_from_word(office, tmp_path):
    doc = parse(TEXT)
    docx = tmp_path / "fotnoter.docx"
    docx.write_bytes(render_docx(doc))
    back = import_docx(Project(tmp_path), docx, name="tillbaka")
    assert not [line for line in back.report if "fotnot" in line]
    assert diff_documents(doc, load_document(back.folder)).entries == ()
    edited = libreoffice_edit(
        office, docx, tmp_path / "redigerad.docx", [["replace", "prognos 2025", "prognos 2026"]]
    )
    again = import_docx(Project(tmp_path), edited, name="redigerad")
    (entry,) = diff_documents(doc, load_document(again.folder)).entries
    changed = [(w.op, w.text) for w in entry.fields[0].words if w.op != "equal"]
    assert changed == [("delete", "2025"), ("insert", "2026")]


def test_into_keeps_the_owners_footnote_labels_and_layout(repo, office, tmp_path):
    root = tmp_path / "projekt"
    shutil.copytree(repo / "source" / "program-trygghet", root / "source" / "program-trygghet")
    body = root / "source" / "program-trygghet" / "document.md"
    before = body.read_text(encoding="utf-8")
    docx = tmp_path / "program.docx"
    docx.write_bytes(render_docx(load_document(body.parent)))
    edited = libreoffice_edit(
        office, docx, tmp_path / "redigerad.docx", [["replace", "vartannat år", "varje år"]]
    )
    result = CliRunner().invoke(
        main, ["import", str(edited), "--into", "program-trygghet", "--root", str(root)]
    )
    assert result.exit_code == 0, result.output
    after = body.read_text(encoding="utf-8")
    assert "[^strategi]" in after and "[^matning]" in after  # the owner's names
    # (what else changed is the numbered list's: LibreOffice saves it as two lists, as before)
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    noted = [line for line in diff if line[:2] in ("- ", "+ ") and "[^" in line]
    assert noted == [
        "- [^matning]: Trygghetsmätningen görs vartannat år tillsammans med polisen.",
        "+ [^matning]: Trygghetsmätningen görs varje år tillsammans med polisen.",
    ]
    assert "för brottsförebyggande arbete, *Tillsammans mot brott*.[^strategi]\n" in after
