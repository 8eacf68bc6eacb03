"""Collecting the follow-up from the departments: `utskick` writes a workbook per department,
`läs` reads them back (issue 23 §2). The workbooks are opened with openpyxl as Excel would show
them; every bad input gets its message with the file and cell and the fix, and writes nothing."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from support.followup import (
    COMMENT_COL,
    DOC,
    FASTIGHET,
    FIRST_ROW,
    MEASURES,
    ON,
    SOCIAL,
    STATUS_COL,
    VO,
    YEAR,
    fill,
    project,
    run,
    workbooks,
)

from styrdok.model.uppfoljning import SCALE
from styrdok.readers.uppfoljning.yaml_file import read_follow_up, year_path

ANSWERS = {
    SOCIAL: {
        "2:1": ("pågår enligt plan", "Tolv hushåll har fått eget kontrakt."),
        "2:2": ("påbörjad", "Utkast klart; beslut i oktober."),
        "3:1": ("genomförd", 'Fem "nya" platser; se rapport 2026:3.'),
        "3:2": ("försenad", "Teamet är inte fullt bemannat.\nRekrytering pågår."),
    },
    FASTIGHET: {"2:2": ("genomförd", "Riktlinjerna är klara."), "2:3": ("påbörjad", "")},
    VO: {"3:1": ("Pågår enligt plan", "Åtta personer har boendestöd.")},
}


@pytest.fixture
def sent(tmp_path):
    p = project(tmp_path)
    return p, workbooks(p, tmp_path / "utskick")


def read_in(p, *files, **options):
    from styrdok.commands.uppfoljning import read_in as command

    return command(p, DOC, list(files), on=ON, **options)


def test_one_workbook_per_department_with_its_measures(sent):
    _, books = sent
    assert sorted(b.name for b in books.values()) == [
        "trygg-bostad-uppfoljning-2026-fastighetsforvaltningen.xlsx",
        "trygg-bostad-uppfoljning-2026-socialforvaltningen.xlsx",
        "trygg-bostad-uppfoljning-2026-vard-och-omsorgsforvaltningen.xlsx",
    ]
    for department, numbers in MEASURES.items():
        ws = load_workbook(books[department])["Uppföljning"]
        rows = list(ws.iter_rows(min_row=FIRST_ROW, values_only=True))
        assert [r[0] for r in rows] == numbers
        assert ws["B2"].value == DOC and ws["B3"].value == YEAR and ws["B4"].value == department
    social = load_workbook(books[SOCIAL])["Uppföljning"]
    assert [c.value for c in social[7]] == [
        "Nummer",
        "Åtgärd",
        "Tidplan",
        "Status 2025",
        "Kommentar 2025",
        "Status 2026",
        "Kommentar 2026",
        "Id",
    ]
    assert [c.value for c in social[9]][:3] == [
        "2:2",
        "Gemensamma riktlinjer för sociala kontrakt",
        "Klart juni 2026",
    ]


def test_the_workbook_has_a_drop_down_locked_cells_and_prints_on_a4(sent):
    _, books = sent
    wb = load_workbook(books[SOCIAL])
    ws = wb["Uppföljning"]
    (validation,) = ws.data_validations.dataValidation
    assert validation.type == "list"
    assert validation.formula1 == '"' + ",".join(s.value for s in SCALE) + '"'
    assert str(validation.sqref) == "F8:F11"
    assert validation.showErrorMessage and validation.errorStyle == "stop"
    assert ws.protection.sheet is True
    for row in range(1, 12):
        for col in range(1, 9):
            cell = ws.cell(row, col)
            editable = row >= FIRST_ROW and col in (STATUS_COL, COMMENT_COL)
            assert cell.protection.locked is not editable, cell.coordinate
    assert wb.security.lockStructure  # the hidden sheet stays hidden
    assert wb["styrdok"].sheet_state == "hidden"
    assert [wb["styrdok"].cell(i, 2).value for i in (1, 2, 3)] == [DOC, "2026", SOCIAL]
    assert ws.column_dimensions["B"].width == 36 and ws.column_dimensions["H"].hidden
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$7:$7"
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props == {
        "styrdok-dokument": DOC,
        "styrdok-år": "2026",
        "styrdok-förvaltning": SOCIAL,
    }


def test_the_same_plan_gives_the_same_bytes(sent, tmp_path):
    p, books = sent
    again = workbooks(p, tmp_path / "igen")
    for department, path in books.items():
        assert again[department].read_bytes() == path.read_bytes()


def test_a_round_trip_of_filled_workbooks_into_the_year_file(sent):
    p, books = sent
    for department, answers in ANSWERS.items():
        fill(books[department], answers)
    result = read_in(p, *books.values())
    assert result.written and len(result.added) == 7 and not result.missing
    follow, problems = read_follow_up(year_path(p.source / DOC, YEAR), DOC)
    assert problems == [] and follow is not None
    numbers = {"2:1": "bostad-forst", "2:2": "sociala-kontrakt", "2:3": "oversyn-bestand",
               "3:1": "boendestod", "3:2": "vrakningsforebyggande"}  # fmt: skip
    for department, answers in ANSWERS.items():
        for number, (status, comment) in answers.items():
            a = follow.answers[numbers[number]][department]
            assert (a.status, a.comment, a.reported) == (status.lower(), comment, ON)
    # the shared measures keep both answers, neither overwriting the other
    assert set(follow.answers["sociala-kontrakt"]) == {FASTIGHET, SOCIAL}
    assert set(follow.answers["boendestod"]) == {VO, SOCIAL}
    assert run("check", "--root", p.root).exit_code == 0
    # reading the same workbooks again changes nothing
    text = year_path(p.source / DOC, YEAR).read_text("utf-8")
    again = read_in(p, *books.values())
    assert not again.written and len(again.unchanged) == 7
    assert year_path(p.source / DOC, YEAR).read_text("utf-8") == text


def test_next_year_s_workbook_carries_last_year_s_status_and_comment(sent, tmp_path):
    p, books = sent
    fill(books[SOCIAL], ANSWERS[SOCIAL])
    read_in(p, books[SOCIAL])
    nxt = workbooks(p, tmp_path / "2027", year=2027)
    ws = load_workbook(nxt[SOCIAL])["Uppföljning"]
    assert ws["D7"].value == "Status 2026" and ws["F7"].value == "Status 2027"
    assert [ws.cell(r, 4).value for r in range(8, 12)] == [
        "pågår enligt plan",
        "påbörjad",
        "genomförd",
        "försenad",
    ]
    assert ws["E8"].value == "Tolv hushåll har fått eget kontrakt."


def test_who_has_not_answered_is_listed(sent):
    p, books = sent
    fill(books[SOCIAL], {"2:1": ("genomförd", ""), "2:2": ("påbörjad", "")})
    result = run("uppfoljning", "läs", DOC, books[SOCIAL], "--root", p.root)
    assert result.exit_code == 0, result.output
    assert "2 nya svar" in result.output
    assert f"Har inte svarat: {FASTIGHET}, {VO}" in result.output
    assert f"Obesvarade åtgärder, {SOCIAL}: 3:1, 3:2" in result.output


def test_an_existing_answer_is_never_overwritten_silently(sent):
    p, books = sent
    fill(books[FASTIGHET], ANSWERS[FASTIGHET])
    read_in(p, books[FASTIGHET])
    path = year_path(p.source / DOC, YEAR)
    before = path.read_text("utf-8")
    fill(books[FASTIGHET], {"2:3": ("genomförd", "Rapporten är lämnad.")})
    result = run("uppfoljning", "las", DOC, books[FASTIGHET], "--root", p.root)
    assert result.exit_code == 1
    assert "1 svar finns redan med ett annat innehåll" in result.output
    assert f"{FASTIGHET}, åtgärd 2:3: påbörjad → genomförd (kommentaren ändras)" in result.output
    assert "kör igen med --ersätt" in result.output
    assert path.read_text("utf-8") == before
    result = run("uppfoljning", "läs", DOC, books[FASTIGHET], "--ersätt", "--root", p.root)
    assert result.exit_code == 0, result.output
    assert "1 ersatta" in result.output
    follow, _ = read_follow_up(path, DOC)
    assert follow.answers["oversyn-bestand"][FASTIGHET].status == "genomförd"


def cell_error(p, book, expected: str):
    """Read `book`, expect a refusal naming `expected`, and nothing written."""
    path = year_path(p.source / DOC, YEAR)
    result = run("uppfoljning", "läs", DOC, book, "--root", p.root)
    assert result.exit_code == 1, result.output
    assert f"{book}: {expected}" in result.output, result.output
    assert "inget lästes in" in result.output and "Traceback" not in result.output
    assert not path.exists()


def edit(book, changes: dict[str, object], unprotect: bool = True):
    """Change cells as a person who removed the sheet's protection would."""
    wb = load_workbook(book)
    ws = wb["Uppföljning"]
    for ref, value in changes.items():
        ws[ref] = value
    wb.save(book)


def test_a_status_typed_by_hand_that_is_not_on_the_scale(sent):
    p, books = sent
    fill(books[SOCIAL], {"2:1": ("klar", "")})
    cell_error(
        p,
        books[SOCIAL],
        "Uppföljning!F8: 'klar' finns inte i skalan; välj en av: ej påbörjad, påbörjad, "
        "pågår enligt plan, försenad, genomförd, avbruten",
    )
    fill(books[SOCIAL], {"2:1": ("genomförd, nästan", "")})
    cell_error(p, books[SOCIAL], "Uppföljning!F8: 'genomförd, nästan' finns inte i skalan (menade")


def test_a_changed_number_or_title(sent):
    p, books = sent
    edit(books[SOCIAL], {"A9": "2:5"})
    cell_error(
        p,
        books[SOCIAL],
        "Uppföljning!A9: numret är '2:5' men åtgärden har nummer 2:2 i planen; skriv tillbaka 2:2",
    )
    edit(books[SOCIAL], {"A9": "2:2", "B10": "Boendestöd (klart!)"})
    cell_error(
        p, books[SOCIAL], "Uppföljning!B10: rubriken har ändrats; den ska vara 'Boendestöd i "
    )


def test_a_row_added_or_deleted(sent):
    p, books = sent
    edit(books[SOCIAL], {"A12": "3:3", "B12": "En ny åtgärd", "F12": "påbörjad"})
    cell_error(p, books[SOCIAL], "Uppföljning!A12: raden fanns inte i utskicket")
    wb = load_workbook(books[FASTIGHET])
    wb["Uppföljning"].delete_rows(9)  # 2:3
    wb.save(books[FASTIGHET])
    cell_error(
        p,
        books[FASTIGHET],
        "Uppföljning!A7: raden för åtgärd 2:3 (oversyn-bestand) har tagits bort; lägg tillbaka",
    )


def test_another_document_s_or_year_s_workbook(sent, tmp_path):
    p, books = sent
    edit(books[VO], {"B2": "en-annan-plan"})
    cell_error(
        p,
        books[VO],
        "Uppföljning!B2: arbetsboken gäller dokumentet 'en-annan-plan', inte 'trygg-bostad'",
    )
    old = workbooks(p, tmp_path / "2025", year=2025)[VO]
    result = run("uppfoljning", "läs", DOC, old, "--år", "2026", "--root", p.root)
    assert result.exit_code == 1
    assert (
        f"{old}: Uppföljning!B3: arbetsboken gäller uppföljningen 2025, inte 2026; läs in den "
        "med --år 2025" in result.output
    )
    edit(old, {"B3": 2026})  # the year changed by hand: the hidden sheet knows better
    result = run("uppfoljning", "läs", DOC, old, "--root", p.root)
    assert result.exit_code == 1
    assert f"{old}: Uppföljning!B3: '2026' har skrivits in; arbetsboken skickades med '2025'" in (
        result.output
    )


def test_a_department_that_answers_twice_or_is_not_responsible(sent, tmp_path):
    p, books = sent
    copy = tmp_path / "kopia.xlsx"
    copy.write_bytes(books[VO].read_bytes())
    result = run("uppfoljning", "läs", DOC, books[VO], copy, "--root", p.root)
    assert result.exit_code == 1 and f"{VO} har redan svarat i {books[VO]}" in result.output
    edit(copy, {"B4": "Kulturförvaltningen"})
    result = run("uppfoljning", "läs", DOC, copy, "--root", p.root)
    assert "Uppföljning!B4: 'Kulturförvaltningen' har skrivits in; arbetsboken skickades med " in (
        result.output
    )


def test_a_comment_without_a_status(sent):
    p, books = sent
    fill(books[VO], {"3:1": ("", "Vi återkommer.")})
    cell_error(p, books[VO], "Uppföljning!F8: kommentar men ingen status för 3:1; välj en status")


def excel_csv(book, path, encoding="cp1252", delimiter=";"):
    """The sheet as Excel saves 'CSV (semikolonavgränsad)' on a Swedish Windows."""
    ws = load_workbook(book)["Uppföljning"]
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in ws.iter_rows(values_only=True):
        writer.writerow(["" if v is None else v for v in row])
    path.write_bytes(out.getvalue().encode(encoding))
    return path


@pytest.mark.parametrize(("encoding", "delimiter"), [("cp1252", ";"), ("utf-8-sig", ",")])
def test_a_csv_that_excel_saved_is_read_too(sent, tmp_path, encoding, delimiter):
    p, books = sent
    fill(books[SOCIAL], ANSWERS[SOCIAL])
    saved = excel_csv(books[SOCIAL], tmp_path / "svar.csv", encoding, delimiter)
    result = read_in(p, saved)
    assert len(result.added) == 4
    follow, _ = read_follow_up(year_path(p.source / DOC, YEAR), DOC)
    assert follow.answers["vrakningsforebyggande"][SOCIAL].comment == ANSWERS[SOCIAL]["3:2"][1]
    assert follow.answers["boendestod"][SOCIAL].comment == 'Fem "nya" platser; se rapport 2026:3.'


def test_a_csv_with_a_bad_status_names_its_cell(sent, tmp_path):
    p, books = sent
    fill(books[SOCIAL], {"3:2": ("sen", "")})
    saved = excel_csv(books[SOCIAL], tmp_path / "svar.csv")
    cell_error(p, saved, "F11: 'sen' finns inte i skalan")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("svar.csv", "Nummer;Status\r\n2:1;klar\r\n".encode("cp1252"),
         "är ingen uppföljning från styrdok (raden 'Dokument' saknas överst); skicka tillbaka "
         "arbetsboken (.xlsx)"),
        ("svar.xls", b"\xd0\xcf\x11\xe0", "är en arbetsbok i det gamla Excel-formatet (.xls); "
         "öppna den och spara den som Excel-arbetsbok (.xlsx)"),
        ("svar.ods", b"PK", "är en LibreOffice-arbetsbok (.ods)"),
        ("svar.xlsx", b"inte en zip", "går inte att läsa som Excel-arbetsbok (BadZipFile)"),
        ("~$svar.xlsx", b"x", "är Excels låsfil för en öppen arbetsbok"),
    ],
)  # fmt: skip
def test_files_that_are_no_returned_workbook_are_refused_with_the_fix(
    sent, tmp_path, name, data, message
):
    p, _ = sent
    path = tmp_path / name
    path.write_bytes(data)
    result = run("uppfoljning", "läs", DOC, path, "--år", "2026", "--root", p.root)
    assert result.exit_code == 1
    assert f"{path}: {message}" in result.output and "Traceback" not in result.output
    assert not year_path(p.source / DOC, YEAR).exists()


def test_a_workbook_without_its_sheet(sent, tmp_path):
    p, books = sent
    wb = load_workbook(books[VO])
    wb["Uppföljning"].title = "Blad1"
    wb.save(books[VO])
    result = run("uppfoljning", "läs", DOC, books[VO], "--root", p.root)
    assert result.exit_code == 1
    assert "bladet 'Uppföljning' saknas (arbetsboken har Blad1, styrdok)" in result.output


def test_utskick_and_läs_from_the_command_line(tmp_path):
    p = project(tmp_path)
    out = tmp_path / "ut"
    result = run("uppfoljning", "utskick", DOC, "--år", "2026", "--senast", "2026-09-15",
                 "-o", out, "--root", p.root)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) == 3
    ws = load_workbook(out / "trygg-bostad-uppfoljning-2026-socialforvaltningen.xlsx").active
    assert "skicka tillbaka den senast 2026-09-15" in ws["B5"].value
    refused = run("uppfoljning", "utskick", DOC, "--år", "26", "--root", p.root)
    assert refused.exit_code == 1 and "ange året med fyra siffror" in refused.output
    policy = run("uppfoljning", "utskick", "saknas", "--år", "2026", "--root", p.root)
    assert policy.exit_code == 1 and "inget dokument med namnet 'saknas'" in policy.output


@pytest.mark.slow
def test_a_plan_of_300_measures_and_10_departments_round_trips(tmp_path):
    """The benchmark's plan (scripts/bench.py uppfoljning): every department's workbook filled
    in, read back in one run, every answer in the year's file and in the report."""
    import sys

    from support.followup import ROOT

    from styrdok.commands.uppfoljning import read_in as command
    from styrdok.commands.uppfoljning import report, send_out
    from styrdok.project.layout import Project

    sys.path.insert(0, str(ROOT.parents[2] / "scripts"))
    from bench import follow_up_plan

    root = tmp_path / "stor"
    name = follow_up_plan(root)
    p = Project(root)
    books = send_out(p, name, YEAR, tmp_path / "ut")
    assert len(books) == 10
    answered = 0
    for n, book in enumerate(books):
        wb = load_workbook(book)
        ws = wb["Uppföljning"]
        row = FIRST_ROW
        while ws.cell(row, 1).value:
            ws.cell(row, STATUS_COL, SCALE[(row + n) % len(SCALE)].value)
            ws.cell(row, COMMENT_COL, f"Svar {n}:{row}")
            row += 1
            answered += 1
        wb.save(book)
    result = command(p, name, books, on=ON)
    assert answered == 360 and len(result.added) == 360 and not result.missing
    (page,) = report(p, name, YEAR, ("html",), tmp_path / "rapport")
    html = page.read_text("utf-8")
    assert html.count('class="measure"') == 300 and "Svar 9:" in html
