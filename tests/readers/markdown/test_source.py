"""Load and validate: the example loads; each kind of bad input names its file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from styrdok.cli import main
from styrdok.model.document import MEASURE_FIELDS, plain
from styrdok.readers.markdown.source import load_documents

ROOTS = Path(__file__).parents[2] / "roots"


def check(root: Path):
    return CliRunner().invoke(main, ["check", "--root", str(root)])


def test_example_loads_with_six_sections_and_ten_measures(example):
    assert [plain(s.title) for s in example.sections] == [
        "Inledning",
        "Koppling till andra styrdokument",
        "Åtgärder",
        "Begrepp",
        "Lagkrav",
        "Ansvar och uppföljning",
    ]
    numbers = [n for n, _, _ in example.numbered_measures()]
    assert numbers == [f"3:{i}" for i in range(1, 11)]
    for _, _, measure in example.numbered_measures():
        assert list(measure.fields) == list(MEASURE_FIELDS)
        assert all(plain(v) for v in measure.fields.values()), measure.id
    assert example.metadata.dnr == "000/000"
    assert example.metadata.datum_long == "12 februari 2018"


def test_example_measure_fields_are_uniform(example):
    by_id = {m.id: m for _, _, m in example.numbered_measures()}
    # 3:7 says "Ansvarig nämnd" in the seed; the structure makes it the same field as elsewhere.
    seventh = example.numbered_measures()[6][2]
    assert plain(seventh.fields["ansvarig"]) == (
        "Fastighetsförvaltningen och stadsledningsförvaltningen"
    )
    assert len(by_id) == 10


def test_good_fixture_checks_clean():
    result = check(ROOTS / "good")
    assert result.exit_code == 0, result.output
    assert "liten: ok (2 avsnitt, 1 åtgärder)" in result.output


@pytest.mark.parametrize(
    ("scenario", "location", "words"),
    [
        ("bad-yaml", "dok/document.yaml:3:", "ogiltig YAML"),
        ("unknown-type", "dok/document.yaml:1:", "okänd typ 'strategi'"),
        ("missing-metadata", "dok/document.yaml:9:", "'dnr' saknas"),
        ("missing-field", "dok/document.md:11:", "saknar 'Tidplan'"),
        ("duplicate-id", "dok/document.md:7:", "id 'inledning' används redan på rad 1"),
        ("impossible-date", "dok/document.yaml:4:", "'2019-02-30' finns inte i kalendern"),
        ("not-utf8", "dok/document.md:3:", "inte UTF-8"),
        ("empty-document", "dok/document.md:1:", "dokumentet är tomt"),
    ],
)
def test_bad_input_names_file_and_line(scenario, location, words):
    result = check(ROOTS / scenario)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = [x for x in result.output.splitlines() if location in x]
    assert any(words in line for line in lines), result.output


def test_every_problem_of_every_document_is_reported_at_once():
    result = check(ROOTS / "many-problems")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    # 'typ: Plan' is the type plan: types are read case-insensitively; the misspelt field is
    # named once, where it is written, and not also as a missing 'Uppföljning'
    assert len(lines) == 3
    assert any("a/document.md:1: avsnittet saknar id" in x for x in lines)
    assert any(
        "b/document.md:17: okänt fält 'Uppföljare' (menade du 'Uppföljning'?)" in x for x in lines
    )
    assert any("b/document.yaml:4: datum '12 september 2019' har fel form" in x for x in lines)


def test_a_field_without_its_space_is_the_one_message(tmp_path):
    """`:Klart december 2021` (no space after the colon) is named at its line, and not also as
    a missing field at the measure's heading or as a second field list after it."""
    root = tmp_path / "p"
    shutil.copytree(ROOTS / "good", root)
    body = root / "source" / "liten" / "document.md"
    text = body.read_text(encoding="utf-8")
    body.write_text(text.replace(": Klart 2019", ":Klart december 2021"), encoding="utf-8")
    result = check(root)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"styrdok: {body}:14: fältet 'Tidplan': skriv kolon och mellanslag före värdet "
        "(': värde' på "
        "raden under fältnamnet)"
    ]


def test_unknown_document_name_is_an_error():
    result = CliRunner().invoke(main, ["check", "--root", str(ROOTS / "good"), "finns-inte"])
    assert result.exit_code == 1
    assert "inget dokument med namnet 'finns-inte'" in result.output


def test_dnr_is_kept_exactly_as_written():
    (doc,) = load_documents(ROOTS / "good" / "source")
    assert doc.metadata.dnr == "KS 2019/123"


def test_metadata_on_more_than_one_line_is_an_error(project):
    meta = project.source / "liten" / "document.yaml"
    text = meta.read_text(encoding="utf-8")
    two_lines = "\ntitel: |\n  Första raden\n  andra raden\n"
    meta.write_text(text.replace("\ntitel: Handlingsplan\n", two_lines), encoding="utf-8")
    result = check(project.root)
    assert result.exit_code == 1
    assert "liten/document.yaml" in result.output and "'titel' ska stå på en rad" in result.output


def test_a_reading_started_early_is_taken_by_the_load_of_the_same_text(tmp_path, monkeypatch):
    """`build DOC` starts pandoc on the named documents before its modules import; the load
    takes that reading when its text is the same, and starts its own when it is not."""
    from styrdok.readers.markdown import pandoc
    from styrdok.readers.markdown.source import load_document

    folder = tmp_path / "dok"
    folder.mkdir()
    example = Path(__file__).resolve().parents[3] / "source" / "handlingsplan-bostadssociala"
    for name in ("document.yaml", "document.md"):
        (folder / name).write_bytes((example / name).read_bytes())
    started = []
    monkeypatch.setattr(pandoc.Reading, "__init__", _recording(started))
    pandoc.read_early([folder / "document.md", tmp_path / "saknas.md"], pandoc.SOURCE_FORMAT)
    assert len(started) == 1 and pandoc._early
    doc = load_document(folder)
    assert len(started) == 1 and not pandoc._early  # the early reading was used
    assert doc.sections == load_document(example).sections  # (a reading of its own)
    (folder / "document.md").write_text("# Annat {#annat}\n\nText.\n", encoding="utf-8")
    pandoc.read_early([folder / "document.md"], pandoc.SOURCE_FORMAT)
    (folder / "document.md").write_text("# Ändrat {#andrat}\n\nText.\n", encoding="utf-8")
    assert plain(load_document(folder).sections[0].title) == "Ändrat"  # not the early text
    assert len(started) == 4
    left = list(pandoc._early.values())
    pandoc.stop_early()  # what no load took is stopped (at exit at the latest)
    assert not pandoc._early and all(r.process.poll() is not None for r in left)


def _recording(started: list):
    from styrdok.readers.markdown import pandoc

    original = pandoc.Reading.__init__

    def init(self, *args):
        started.append(self)
        original(self, *args)

    return init
