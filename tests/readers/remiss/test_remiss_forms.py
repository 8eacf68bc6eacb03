"""Answers that are not comments in the remiss version: the filled answer form, a letter as Word
file or PDF; whose answer a file is; and a reading that fails writes nothing."""

from __future__ import annotations

from pathlib import Path

import docx
import yaml
from click.testing import CliRunner
from support.remissfix import ROUND

from styrdok.cli import main

PLAN = "handlingsplan-bostadssociala"


def read_cli(root: Path, *files: Path, more: tuple[str, ...] = ()):
    return CliRunner().invoke(
        main,
        ["remiss", "läs", PLAN, "--omgång", ROUND, *map(str, files), *more, "--root", str(root)],
    )


def entries(round_) -> list[dict]:
    return yaml.safe_load((round_.folder / "synpunkter.yaml").read_text(encoding="utf-8")) or []


def fill_form(form: Path, out: Path, body: str, rows: list[tuple[str, str, str]]) -> Path:
    """The answer form filled in as a reviewer does in Word: the instans, a row a comment."""
    document = docx.Document(str(form))
    who, table = document.tables[0], document.tables[1]
    who.rows[1].cells[0].text = body
    who.rows[1].cells[1].text = "Eva Lund"
    for row, values in zip(table.rows[1:], rows, strict=False):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    for values in rows[len(table.rows) - 1 :]:  # more rows than the form has: added
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    document.save(str(out))
    return out


def test_a_filled_form_gives_its_rows_at_their_places(plan_round, tmp_path):
    rows = [
        ("3:2", "Kriminalvården bör delta.", "Lägg till: i samverkan med kriminalvården"),
        ("Allmänt", "Bra plan.", ""),
        ("avsnitt 5", "Nämn bostadsförsörjningslagen tidigare.", ""),
        ("3.10", "Sätt ett mål för antalet lägenheter.", "Minst 50 lägenheter 2027."),
        ("Begrepp", "Förklara andrahandskontrakt.", ""),
        ("Kapitel 9", "Finns inte?", ""),
        ("", "", ""),  # an empty row is no comment
    ] + [(f"3:{i}", f"Rad {i}.", "") for i in range(1, 5)]
    form = fill_form(plan_round.form, tmp_path / "formular.docx", "Fastighetsnämnden", rows)
    result = read_cli(plan_round.root, form)
    assert result.exit_code == 0, result.output
    assert "Fastighetsnämnden, formulär: 10 nya synpunkter" in result.output
    got = [
        (e["plats"], e["synpunkt"], e.get("förslag", ""), e["placerad"])
        for e in entries(plan_round)
    ]
    assert got[:6] == [
        (
            "3:2",
            "Kriminalvården bör delta.",
            "Lägg till: i samverkan med kriminalvården",
            "formulär",
        ),
        ("allmänt", "Bra plan.", "", "allmän"),
        ("5", "Nämn bostadsförsörjningslagen tidigare.", "", "formulär"),
        ("3:10", "Sätt ett mål för antalet lägenheter.", "Minst 50 lägenheter 2027.", "formulär"),
        ("4", "Förklara andrahandskontrakt.", "", "formulär"),
        ("okänd", "Finns inte?", "", "okänd"),
    ]
    assert entries(plan_round)[5]["citat"] == "Kapitel 9"  # what it said about its place
    assert [g[0] for g in got[6:]] == ["3:1", "3:2", "3:3", "3:4"]
    assert {e["instans"] for e in entries(plan_round)} == {"Fastighetsnämnden"}


def letter(path: Path, paragraphs: list[str], author: str = "") -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.core_properties.author = author
    document.save(str(path))
    return path


LETTER = [
    "Remissvar: Handlingsplan – Bostadssociala programmet",
    "Vård- och omsorgsnämnden har tagit del av förslaget och tillstyrker det.",
    "Nämnden vill att äldre med hemlöshet nämns särskilt (sidan 5, rad 12).",
]


def test_a_letter_is_one_general_comment_and_the_file_is_kept(plan_round, office, tmp_path):
    word = letter(tmp_path / "Vård- och omsorgsnämnden remissvar.docx", LETTER)
    result = read_cli(plan_round.root, word)
    assert result.exit_code == 0, result.output
    assert "Vård- och omsorgsnämnden, brev: 1 ny synpunkt" in result.output
    (entry,) = entries(plan_round)
    assert (entry["slag"], entry["plats"], entry["instans"]) == (
        "brev",
        "allmänt",
        "Vård- och omsorgsnämnden",
    )
    assert entry["synpunkt"] == "\n\n".join(LETTER)
    assert (plan_round.folder / "svar" / word.name).read_bytes() == word.read_bytes()

    # the same letter as PDF (LibreOffice makes it): its text, read from the PDF
    job = office.submit(word, tmp_path / "brev.pdf", title="Remissvar")
    pdf = office.finish(job, conform=False)
    result = read_cli(plan_round.root, pdf, more=("--instans", "Socialnämnden"))
    assert result.exit_code == 0, result.output
    from_pdf = entries(plan_round)[-1]
    assert (from_pdf["slag"], from_pdf["instans"]) == ("brev", "Socialnämnden")
    assert "tillstyrker det" in from_pdf["synpunkt"] and "rad 12" in from_pdf["synpunkt"]


def test_whose_answer_a_file_is(plan_round, tmp_path):
    unnamed = letter(tmp_path / "svar.docx", ["Vi har inga synpunkter."])
    result = read_cli(plan_round.root, unnamed)
    assert result.exit_code == 1
    assert "det framgår inte vilken instans som har svarat" in result.output
    assert '--instans "Socialnämnden"' in result.output and "Traceback" not in result.output
    assert not (plan_round.folder / "synpunkter.yaml").exists()
    by_author = letter(tmp_path / "svar2.docx", ["Inga synpunkter."], author="Fastighetsnämnden")
    result = read_cli(plan_round.root, by_author)
    assert result.exit_code == 0 and "Fastighetsnämnden, brev" in result.output
    unasked = letter(tmp_path / "svar3.docx", ["Föreningen tillstyrker."])
    result = read_cli(plan_round.root, unasked, more=("--instans", "Hyresgästföreningen"))
    assert result.exit_code == 0
    assert "Hyresgästföreningen (inte bland remissinstanserna)" in result.output


def test_the_remiss_version_back_without_comments_is_an_answer_without_comments(plan_round):
    result = read_cli(plan_round.root, plan_round.docx, more=("--instans", "Socialnämnden"))
    assert result.exit_code == 0, result.output
    assert "Socialnämnden, inga synpunkter: 0 nya synpunkter" in result.output
    listed = yaml.safe_load((plan_round.folder / "svar.yaml").read_text(encoding="utf-8"))
    assert [(x["instans"], x["slag"], x["synpunkter"]) for x in listed] == [
        ("Socialnämnden", "inga synpunkter", 0)
    ]


def test_one_bad_file_and_nothing_is_read(plan_round, tmp_path):
    good = letter(tmp_path / "Socialnämnden.docx", ["Bra."])
    bad = tmp_path / "trasig.docx"
    bad.write_bytes(b"PK\x03\x04 trasig")
    old = tmp_path / "gammal.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    result = read_cli(plan_round.root, good, bad, old, tmp_path / "saknas.docx")
    assert result.exit_code == 1
    for message in (
        "trasig.docx: inte en Word-fil (.docx) som går att läsa",
        "gammal.doc: är en äldre Word-fil (.doc)",
        "saknas.docx: filen finns inte",
        "inget lästes in",
    ):
        assert message in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in plan_round.folder.iterdir()) == ["omgang.yaml"]


def test_a_round_that_was_never_sent(plan_round, tmp_path):
    good = letter(tmp_path / "Socialnämnden.docx", ["Bra."])
    result = CliRunner().invoke(
        main,
        ["remiss", "läs", PLAN, "--omgång", "2030-1", str(good), "--root", str(plan_round.root)],
    )
    assert result.exit_code == 1
    assert "omgången 2030-1 av handlingsplan-bostadssociala finns inte" in result.output
    assert "omgångarna är: 2026-1" in result.output


def test_a_body_is_named_by_whole_words_the_longest_first():
    from styrdok.readers.remiss.response import body_from_names

    bodies = ("Nämnd 3", "Nämnd 33", "Omsorgsnämnden", "Vård- och omsorgsnämnden")
    assert body_from_names(["Nämnd 33 remissvar"], bodies) == "Nämnd 33"
    assert body_from_names(["svar från nämnd 3"], bodies) == "Nämnd 3"
    assert body_from_names(["Vård- och omsorgsnämnden yttrande"], bodies) == (
        "Vård- och omsorgsnämnden"
    )
    assert body_from_names(["Omsorgsnämnden"], bodies) == "Omsorgsnämnden"
    assert body_from_names(["remissvar", "Karin Berg"], bodies) is None
