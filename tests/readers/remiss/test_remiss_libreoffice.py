"""Answers made in real LibreOffice through UNO (tests/support/loremiss.py): comments, tracked
changes, a comment in a table, a heading whose bookmark was deleted; read into the round with
`styrdok remiss läs`, and the same answer read twice."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner
from support.lorun import run_script
from support.remissfix import ROUND

from styrdok.cli import main
from styrdok.readers.markdown.source import load_document
from styrdok.readers.remiss.placing import Places
from styrdok.readers.remiss.response import read_response

PLAN = "handlingsplan-bostadssociala"


def answer_in_libreoffice(office, docx: Path, out: Path, edits: list) -> Path:
    done = run_script(office, "loremiss.py", str(docx), str(out), json.dumps(edits))
    assert done.returncode == 0, done.stderr
    return out


def read_cli(root: Path, *files: Path, more: tuple[str, ...] = ()):
    return CliRunner().invoke(
        main,
        ["remiss", "läs", PLAN, "--omgång", ROUND, *map(str, files), *more, "--root", str(root)],
    )


def test_an_answer_from_libreoffice_is_read_placed_and_kept(plan_round, office, tmp_path):
    answer = answer_in_libreoffice(
        office,
        plan_round.docx,
        tmp_path / "Socialnämnden remissvar.docx",
        [
            ["author", "Karin Berg"],
            [
                "comment",
                "Arbeta med framtagna strategier",
                "Vilka strategier?",
                "2026-09-20T10:15:00",
            ],
            ["comment", "Minska antalet individer", "Bra rubrik.", "2026-09-20T10:16:00"],
            ["comment", "Bostadssociala programmet", "Bra i stort.", "2026-09-20T10:17:00"],
            ["remove_bookmark", "id_bostad_forst"],
            ["comment", "inlåsningseffekten", "Förklara ordet.", "2026-09-20T10:18:00"],
            ["track", True],
            ["replace", "Klart till december 2018", "Klart till juni 2019"],
            ["insert_after", "göra en kartläggning", " tillsammans med kriminalvården"],
        ],
    )
    result = read_cli(plan_round.root, answer)
    assert result.exit_code == 0, result.output
    assert "Socialnämnden, kommentarer: 6 nya synpunkter" in result.output
    entries = yaml.safe_load((plan_round.folder / "synpunkter.yaml").read_text(encoding="utf-8"))
    got = {(e["slag"], e.get("synpunkt") or e.get("efter")): e for e in entries}
    expected = {
        ("kommentar", "Bra i stort."): ("allmänt", "Bostadssociala programmet"),
        ("kommentar", "Vilka strategier?"): ("3:2", "Arbeta med framtagna strategier"),
        ("kommentar", "Bra rubrik."): ("3:2", "Minska antalet individer"),
        ("kommentar", "Förklara ordet."): ("3:10", "inlåsningseffekten"),
        ("ändring", "Klart till juni 2019"): ("3:2", "Klart till december 2018"),
        ("ändring", "tillsammans med kriminalvården"): ("3:2", None),
    }
    assert {
        k: (e["plats"], e.get("före") or (e["citat"] if k[0] == "kommentar" else None))
        for k, e in got.items()
    } == expected
    assert got["kommentar", "Förklara ordet."]["placerad"] == "rubrik"  # its bookmark was gone
    assert all(e["instans"] == "Socialnämnden" and e["författare"] == "Karin Berg" for e in entries)
    assert all(e["ställningstagande"] is None and e["motivering"] is None for e in entries)
    assert len({e["id"] for e in entries}) == 6
    kept = plan_round.folder / "svar" / answer.name
    assert kept.read_bytes() == answer.read_bytes()
    listed = yaml.safe_load((plan_round.folder / "svar.yaml").read_text(encoding="utf-8"))
    assert [(x["fil"], x["instans"], x["slag"], x["synpunkter"]) for x in listed] == [
        (f"svar/{answer.name}", "Socialnämnden", "kommentarer", 6)
    ]

    # the same file again: nothing new, nothing rewritten
    text = (plan_round.folder / "synpunkter.yaml").read_bytes()
    again = read_cli(plan_round.root, answer)
    assert again.exit_code == 0 and "redan inläst" in again.output
    assert (plan_round.folder / "synpunkter.yaml").read_bytes() == text

    # a copy saved again in LibreOffice (other bytes, the same comments): known by content
    copy = answer_in_libreoffice(office, answer, tmp_path / "Socialnämnden igen.docx", [])
    assert copy.read_bytes() != answer.read_bytes()
    third = read_cli(plan_round.root, copy)
    assert third.exit_code == 0, third.output
    assert "0 nya synpunkter, 6 redan inlästa" in third.output
    assert (plan_round.folder / "synpunkter.yaml").read_bytes() == text
    assert len(yaml.safe_load((plan_round.folder / "svar.yaml").read_text("utf-8"))) == 2


def test_a_comment_in_a_table_made_in_libreoffice(sent_policy, office, tmp_path):
    answer = answer_in_libreoffice(
        office,
        sent_policy.docx,
        tmp_path / "svar.docx",
        [
            ["author", "Per Holm"],
            ["comment", "Klassar informationen", "Även arkivet.", "2026-09-21T09:00:00"],
            ["comment", "Begreppslista", "Fler begrepp.", "2026-09-21T09:01:00"],
        ],
    )
    doc = load_document(sent_policy.root / "source" / sent_policy.doc)
    reading = read_response(answer, Places(doc), sent_policy.doc, ROUND)
    got = {r.text: (r.place, r.place_id, r.where, r.quote) for r in reading.remarks}
    assert got == {
        "Även arkivet.": ("4", "ansvar", "tabell", "Klassar informationen"),
        "Fler begrepp.": ("Bilaga 1", "begrepp", "", "Begreppslista"),
    }
