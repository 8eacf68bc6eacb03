"""The follow-up's data beside the document: source/<dok>/uppfoljning/<år>.yaml, the scale, the
deadlines read from a Tidplan, and what `check` says about it (issue 23 §1)."""

from __future__ import annotations

from datetime import date

import pytest
from support.followup import DOC, FASTIGHET, SOCIAL, VO, project, run

from styrdok.model.uppfoljning import (
    DONE,
    NOT_REPORTED,
    SCALE,
    STATUSES,
    Answer,
    FollowUp,
    deadline,
    departments,
    status_of,
)
from styrdok.readers.markdown.source import load_document
from styrdok.readers.uppfoljning.yaml_file import parse_follow_up, read_follow_up
from styrdok.writers.uppfoljning.yaml_file import write_follow_up

GOOD = """\
år: 2026
åtgärder:
  bostad-forst:
    Socialförvaltningen:
      status: pågår enligt plan
      kommentar: "Tolv hushåll har fått kontrakt."
      rapporterad: 2026-09-12
  sociala-kontrakt:
    Fastighetsförvaltningen:
      status: genomförd
    Socialförvaltningen:
      status: påbörjad
      kommentar: "Väntar på beslut: september."
  oversyn-bestand:
    Fastighetsförvaltningen:
      status: genomförd
  boendestod:
    Vård- och omsorgsförvaltningen:
      status: pågår enligt plan
    Socialförvaltningen:
      status: pågår enligt plan
  vrakningsforebyggande:
    Socialförvaltningen:
      status: försenad
"""


def write_year(p, text: str, year: int = 2026):
    folder = p.source / DOC / "uppfoljning"
    folder.mkdir(exist_ok=True)
    path = folder / f"{year}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("tidplan", "end"),
    [
        ("Klart juni 2018", date(2018, 6, 30)),
        ("Klart till december 2018", date(2018, 12, 31)),
        ("Klart våren 2018", date(2018, 6, 30)),
        ("Klart hösten 2019", date(2019, 12, 31)),
        ("2026", date(2026, 12, 31)),
        ("Klart 2017, planering för 2018 pågår", date(2018, 12, 31)),
        ("Q3 2026", date(2026, 9, 30)),
        ("februari 2028", date(2028, 2, 29)),
        ("Påbörjas 2018", None),
        ("Löpande", None),
        ("Klart när lokalen är klar", None),
        ("", None),
    ],
)
def test_the_deadline_of_a_tidplan(tidplan, end):
    assert deadline(tidplan) == end


def test_the_scale_is_one_table_with_one_done_value():
    assert [s.value for s in SCALE] == [
        "ej påbörjad",
        "påbörjad",
        "pågår enligt plan",
        "försenad",
        "genomförd",
        "avbruten",
    ]
    assert DONE == "genomförd" and sum(s.done for s in SCALE) == 1
    assert NOT_REPORTED.value not in STATUSES  # no one may choose it
    assert status_of("  Pågår   enligt plan ") is STATUSES["pågår enligt plan"]
    assert status_of("klar") is None


def test_a_shared_measure_has_the_least_advanced_answer():
    follow = FollowUp(
        DOC,
        2026,
        {
            "m": {
                "A": Answer("m", "A", "genomförd"),
                "B": Answer("m", "B", "påbörjad"),
            }
        },
    )
    assert follow.status("m").value == "påbörjad"
    assert follow.status("annan") is NOT_REPORTED
    assert follow.date == date(2026, 9, 30)


def test_departments_of_the_plan_a_shared_measure_under_both(tmp_path):
    doc = load_document(project(tmp_path).source / DOC)
    found = {d: [n for n, _ in ms] for d, ms in departments(doc).items()}
    assert found == {
        FASTIGHET: ["2:2", "2:3"],
        SOCIAL: ["2:1", "2:2", "3:1", "3:2"],
        VO: ["3:1"],
    }


def test_a_good_year_reads_and_writes_back_the_same_answers(tmp_path):
    p = project(tmp_path)
    path = write_year(p, GOOD)
    follow, problems = read_follow_up(path, DOC)
    assert problems == [] and follow is not None
    assert follow.answers["bostad-forst"][SOCIAL].comment == "Tolv hushåll har fått kontrakt."
    assert follow.answers["bostad-forst"][SOCIAL].reported == date(2026, 9, 12)
    assert follow.lines["sociala-kontrakt"] == 8
    assert follow.status("sociala-kontrakt").value == "påbörjad"
    doc = load_document(p.source / DOC)
    text = write_follow_up(follow, doc)
    assert "  sociala-kontrakt:  # 2:2 Gemensamma riktlinjer för sociala kontrakt\n" in text
    again, problems = parse_follow_up(text, path, DOC)
    assert problems == [] and again is not None

    def contents(f):
        return {(k, d, a.status, a.comment, a.reported) for k, v in f.answers.items()
                for d, a in v.items()}  # fmt: skip

    assert contents(again) == contents(follow)
    assert write_follow_up(again, doc) == text  # the same bytes


def test_check_is_ok_with_the_warnings_of_the_latest_year(tmp_path):
    p = project(tmp_path)
    done = "      status: genomförd\n  boendestod"
    write_year(p, GOOD.replace(done, done.replace("genomförd", "påbörjad")))
    result = run("check", "--root", p.root)
    assert result.exit_code == 0, result.output
    assert f"{DOC}: ok" in result.output
    # 2:3 (Tidplan våren 2026) is late on 30 September 2026 and not genomförd; 2:2 (juni 2026) too
    assert "2026.yaml:14: varning: åtgärd 2:3 (oversyn-bestand) är försenad: tidplanen " in (
        result.output
    )
    assert "åtgärd 2:2 (sociala-kontrakt) är försenad" in result.output
    assert "3:1" not in result.output  # Löpande: never late
    strict = run("check", "--strict", "--root", p.root)
    assert strict.exit_code == 1


def test_a_measure_without_an_answer_is_a_warning(tmp_path):
    p = project(tmp_path)
    write_year(p, GOOD.split("  vrakningsforebyggande:")[0])
    result = run("check", "--root", p.root)
    assert result.exit_code == 0
    assert (
        "varning: åtgärd 3:2 (vrakningsforebyggande) är ej rapporterad; läs in förvaltningens "
        "svar med 'styrdok uppfoljning läs'" in result.output
    )


def test_an_unknown_measure_id_is_an_error_at_its_line_with_the_closest_id(tmp_path):
    p = project(tmp_path)
    path = write_year(p, GOOD.replace("  oversyn-bestand:", "  oversyn-bestandet:"))
    result = run("check", "--root", p.root)
    assert result.exit_code == 1
    assert (
        f"{path}:14: ingen åtgärd har id 'oversyn-bestandet'; menade du 'oversyn-bestand' (2:3)?"
        in result.output
    )
    assert f"{DOC}: ok" not in result.output


def test_a_status_outside_the_scale_is_an_error_naming_the_allowed_ones(tmp_path):
    p = project(tmp_path)
    path = write_year(p, GOOD.replace("status: försenad", "status: klar"))
    result = run("check", "--root", p.root)
    assert result.exit_code == 1
    assert (
        f"{path}:24: okänd status 'klar'; välj en av: ej påbörjad, påbörjad, pågår enligt plan, "
        "försenad, genomförd, avbruten" in result.output
    )


@pytest.mark.parametrize(
    ("edit", "line", "message"),
    [
        (("år: 2026", "år: 2025"), 1, "'år' är 2025 men filen heter 2026.yaml; ändra det ena"),
        (("år: 2026\n", ""), 1, "'år' saknas; skriv 'år: 2026' först i filen"),
        (
            (
                "  boendestod:\n    Vård",
                "  boendestod:\n    Kulturförvaltningen:\n      status: påbörjad\n    Vård",
            ),
            18,
            "Kulturförvaltningen är inte ansvarig för åtgärd 3:1 (ansvariga: Vård- och "
            "omsorgsförvaltningen, Socialförvaltningen); rätta förvaltningens namn",
        ),
        (
            ("rapporterad: 2026-09-12", "rapporterad: 2026-13-12"),
            7,
            "'rapporterad': 2026-13-12 finns inte i kalendern; skriv ÅÅÅÅ-MM-DD",
        ),
        (
            ("      status: försenad\n", ""),
            23,
            "'status' saknas i svaret från Socialförvaltningen; välj en av: ej påbörjad",
        ),
        (
            ("  sociala-kontrakt:\n", "  sociala-kontrakt:\n  bostad-forst:\n"),
            9,
            "'bostad-forst' står två gånger; slå ihop dem",
        ),
        (("år: 2026\n", "år: 2026\nansvarig: x\n"), 2, "okänd nyckel 'ansvarig'; kända nycklar"),
        (("år: 2026\n", "år: [2026\n"), 2, "ogiltig YAML"),
    ],
)
def test_each_mistake_in_the_year_file_is_named_at_its_line(tmp_path, edit, line, message):
    p = project(tmp_path)
    old, new = edit
    assert old in GOOD
    path = write_year(p, GOOD.replace(old, new, 1))
    result = run("check", "--root", p.root)
    assert result.exit_code == 1, result.output
    assert f"{path}:{line}: {message}" in result.output
    assert "Traceback" not in result.output


def test_a_file_not_named_after_a_year_is_an_error(tmp_path):
    p = project(tmp_path)
    write_year(p, GOOD)
    stray = p.source / DOC / "uppfoljning" / "svar.yaml"
    stray.write_text("x: 1\n", encoding="utf-8")
    result = run("check", "--root", p.root)
    assert result.exit_code == 1
    assert f"{stray}:1: i uppfoljning/ ska bara årens filer ligga" in result.output


def test_a_follow_up_before_the_version_was_decided_is_not_held_against_it(tmp_path):
    """The 2024 follow-up speaks of an earlier version: its ids are not this version's."""
    p = project(tmp_path)
    write_year(
        p,
        "år: 2024\nåtgärder:\n  en-gammal-atgard:\n    Socialförvaltningen:\n"
        "      status: genomförd\n",
        year=2024,
    )
    result = run("check", "--root", p.root)
    assert result.exit_code == 0, result.output
    bad = "år: 2024\nåtgärder:\n  x:\n    Socialförvaltningen:\n      status: klar\n"
    write_year(p, bad, year=2024)
    result = run("check", "--root", p.root)
    assert result.exit_code == 1 and "2024.yaml:5: okänd status 'klar'" in result.output
