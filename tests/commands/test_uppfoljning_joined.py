"""The follow-up joined to the rest (issue 23 §4): `styrdok status` and the register show the
latest follow-up's year and share genomförd; `history DOC ID` shows each year's status under the
version in force then."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime, timedelta, timezone

import git
from support.followup import DOC, project, run

from styrdok.writers.register import write_register

YEAR_2025 = """\
år: 2025
åtgärder:
  oversyn-bestand:
    Fastighetsförvaltningen:
      status: påbörjad
      kommentar: "Inventering pågår."
"""
YEAR_2026 = """\
år: 2026
åtgärder:
  bostad-forst:
    Socialförvaltningen:
      status: genomförd
  oversyn-bestand:
    Fastighetsförvaltningen:
      status: genomförd
      kommentar: "Rapporten är lämnad."
  vrakningsforebyggande:
    Socialförvaltningen:
      status: försenad
"""
YEAR_2027 = """\
år: 2027
åtgärder:
  oversyn-bestand:
    Fastighetsförvaltningen:
      status: avbruten
      kommentar: "Ersatt av en ny åtgärd."
"""


def with_years(tmp_path, **years: str):
    p = project(tmp_path)
    folder = p.source / DOC / "uppfoljning"
    folder.mkdir()
    for name, text in years.items():
        (folder / f"{name[1:]}.yaml").write_text(text, encoding="utf-8")
    return p


def test_status_shows_the_latest_follow_up_and_share_done(tmp_path):
    p = with_years(tmp_path, y2025=YEAR_2025, y2026=YEAR_2026)
    table = run("status", "--datum", "2026-01-01", "--root", p.root)
    header, line = (re.split(r"\s{2,}", row) for row in table.output.splitlines()[:2])
    assert header[-2:] == ["läge", "uppföljning"]
    assert line[-2:] == ["ska aktualitetsprövas", "2026: 40 % genomförda"]  # 2 of 5 measures
    (row,) = json.loads(
        run("status", "--format", "json", "--root", p.root).output.split("\nstyrdok")[0]
    )
    assert row["senaste_uppföljning"] == 2026 and row["andel_genomförda"] == 40
    text = run("status", "--format", "csv", "--datum", "2026-01-01", "--root", p.root).output
    (row,) = csv.DictReader(io.StringIO(text))
    assert row["senaste_uppföljning"] == "2026" and row["andel_genomförda"] == "40"


def test_status_without_follow_ups_is_as_before(tmp_path):
    p = project(tmp_path)
    table = run("status", "--datum", "2026-01-01", "--root", p.root)
    assert table.output.splitlines()[0].split() == [
        "dokument", "typ", "beslutad", "senaste_version", "aktualitetsprövas", "läge"
    ]  # fmt: skip
    (row,) = json.loads(
        run("status", "--format", "json", "--root", p.root).output.split("\nstyrdok")[0]
    )
    assert row["senaste_uppföljning"] is None and row["andel_genomförda"] is None


def test_the_register_shows_the_follow_up_and_follows_its_file(tmp_path):
    p = with_years(tmp_path, y2026=YEAR_2026)
    out = tmp_path / "build"
    day = date(2026, 10, 1)
    write_register(p, out, day)
    (row,) = json.loads((out / "register.json").read_text("utf-8"))
    assert (row["senaste_uppföljning"], row["andel_genomförda"]) == (2026, 40)
    page = (out / "index.html").read_text("utf-8")
    assert '<th scope="col">Uppföljning</th>' in page
    assert 'data-label="Uppföljning">2026: 40 % genomförda</td>' in page
    assert write_register(p, out, day) == []  # nothing changed: nothing written
    (p.source / DOC / "uppfoljning" / "2027.yaml").write_text(YEAR_2027, encoding="utf-8")
    assert out / "register.json" in write_register(p, out, day)
    (row,) = json.loads((out / "register.json").read_text("utf-8"))
    assert (row["senaste_uppföljning"], row["andel_genomförda"]) == (2027, 0)


CET = timezone(timedelta(hours=1))


def test_history_shows_each_year_s_status_under_the_version_in_force(tmp_path):
    """Version 2025 (decided 2025-03-17) is followed up in 2025 and 2026; the revision decided
    2027-03-01 moves the Tidplan of 2:3 and is followed up in 2027."""
    p = with_years(tmp_path, y2025=YEAR_2025, y2026=YEAR_2026)
    repo = git.Repo.init(p.root, initial_branch="main")
    with repo.config_writer() as c:
        c.set_value("user", "name", "Test").set_value("user", "email", "t@example.invalid")
    repo.index.add(["source"])
    when = datetime(2025, 3, 17, 10, 0, tzinfo=CET)
    repo.index.commit("Plan 2025", author_date=when, commit_date=when)
    repo.create_tag(f"{DOC}/2025")
    body = p.source / DOC / "document.md"
    body.write_text(body.read_text("utf-8").replace("Klart våren 2026", "Klart 2028"), "utf-8")
    meta = p.source / DOC / "document.yaml"
    meta.write_text(meta.read_text("utf-8").replace("2025-03-17", "2027-03-01"), "utf-8")
    (p.source / DOC / "uppfoljning" / "2027.yaml").write_text(YEAR_2027, encoding="utf-8")
    repo.index.add(["source"])
    when = datetime(2027, 3, 1, 10, 0, tzinfo=CET)
    repo.index.commit("Revidering 2027", author_date=when, commit_date=when)
    repo.create_tag(f"{DOC}/2027")
    result = run("history", DOC, "oversyn-bestand", "--root", p.root)
    assert result.exit_code == 0, result.output
    rows = [re.split(r"\s{2,}", line) for line in result.output.splitlines()]
    assert rows[0][-2:] == ["Tidplan", "Uppföljning"]
    assert rows[1][0] == "2025" and rows[1][-2:] == [
        "Klart våren 2026",
        "2025: påbörjad; 2026: genomförd",
    ]
    assert rows[2][0] == "2027" and rows[2][-2:] == ["Klart 2028", "2027: avbruten"]
    assert rows[3][0] == "arbetskopian" and rows[3][-1] == "–"
    data = json.loads(
        run("history", DOC, "oversyn-bestand", "--format", "json", "--root", p.root).output
    )
    first = data["versions"][0]
    assert first["follow_ups"] == [
        {"year": 2025, "status": "påbörjad", "answers": [
            {"department": "Fastighetsförvaltningen", "status": "påbörjad",
             "comment": "Inventering pågår."}]},
        {"year": 2026, "status": "genomförd", "answers": [
            {"department": "Fastighetsförvaltningen", "status": "genomförd",
             "comment": "Rapporten är lämnad."}]},
    ]  # fmt: skip


def test_a_release_archives_the_follow_ups_since_the_last_one_and_verify_checks_them(
    tmp_path, office, repo
):
    import shutil

    from support.eark import CONTRADICTORY, eark_findings, sip
    from support.gitrepo import SETTINGS

    from styrdok.commands.release import release
    from styrdok.commands.verify import verify

    p = with_years(tmp_path, y2025=YEAR_2025)
    shutil.copytree(repo / "templates", p.root / "templates")
    (p.root / "styrdok.toml").write_text(SETTINGS, encoding="utf-8")
    (p.root / ".gitignore").write_text("/build/\n", encoding="utf-8")
    g = git.Repo.init(p.root, initial_branch="main")
    with g.config_writer() as c:
        c.set_value("user", "name", "Test").set_value("user", "email", "t@example.invalid")
    g.index.add(["source", "templates", "styrdok.toml", ".gitignore"])
    when = datetime(2025, 3, 17, 10, 0, tzinfo=CET)
    g.index.commit("Plan 2025", author_date=when, commit_date=when)
    first = release(p.root, DOC, "2025", office=office)
    docs = first / "data" / f"{DOC}_2025" / "documentation"
    assert (docs / "uppfoljning" / "2025.yaml").read_text("utf-8") == YEAR_2025
    assert (docs / "uppfoljning" / "uppfoljningsrapport-2025.pdf").is_file()
    (p.source / DOC / "uppfoljning" / "2026.yaml").write_text(YEAR_2026, encoding="utf-8")
    meta = p.source / DOC / "document.yaml"
    meta.write_text(meta.read_text("utf-8").replace("2025-03-17", "2027-03-01"), "utf-8")
    g.index.add(["source"])
    when = datetime(2027, 3, 1, 10, 0, tzinfo=CET)
    g.index.commit("Revidering 2027", author_date=when, commit_date=when)
    second = release(p.root, DOC, "2027", office=office)
    package = second / "data" / f"{DOC}_2027"
    names = sorted(f.name for f in (package / "documentation" / "uppfoljning").iterdir())
    assert names == ["2026.yaml", "uppfoljningsrapport-2026.pdf"]  # only what is new
    mets = (package / "METS.xml").read_text("utf-8")
    assert "documentation/uppfoljning/uppfoljningsrapport-2026.pdf" in mets
    assert verify(second, p.root).problems == []
    errors = [f for f in eark_findings(sip(second)) if f["severity"] == "Error"]
    assert {f["rule"] for f in errors} == CONTRADICTORY  # as every release (test_release.py)
    pdf = package / "documentation" / "uppfoljning" / "uppfoljningsrapport-2026.pdf"
    pdf.write_bytes(pdf.read_bytes().replace(b"Uppf", b"Uppg", 1))
    assert any(
        "uppfoljningsrapport-2026.pdf" in problem for problem in verify(second, p.root).problems
    )


def test_the_change_report_says_a_removed_measure_s_last_status_and_why_a_deadline_moved(
    tmp_path,
):
    p = with_years(tmp_path, y2025=YEAR_2025, y2026=YEAR_2026)
    g = git.Repo.init(p.root, initial_branch="main")
    with g.config_writer() as c:
        c.set_value("user", "name", "Test").set_value("user", "email", "t@example.invalid")
    g.index.add(["source"])
    when = datetime(2025, 3, 17, 10, 0, tzinfo=CET)
    g.index.commit("Plan 2025", author_date=when, commit_date=when)
    g.create_tag(f"{DOC}/2025")
    body = p.source / DOC / "document.md"
    text = body.read_text("utf-8").replace("Klart december 2027", "Klart december 2028")
    body.write_text(text.split("## Vräkningsförebyggande arbete")[0], "utf-8")
    meta = p.source / DOC / "document.yaml"
    meta.write_text(meta.read_text("utf-8").replace("2025-03-17", "2027-03-01"), "utf-8")
    out = tmp_path / "diff"
    result = run("diff", DOC, "--from", "2025", "--format", "md,json", "-o", out, "--root", p.root)
    assert result.exit_code == 0, result.output
    listed = json.loads((out / "changes.json").read_text("utf-8"))["changes"]
    reported = {(c["kind"], c["old_number"]): c.get("last_reported") for c in listed}
    assert reported[("removed", "3:2")] == "försenad 2026"
    assert reported[("modified", "2:1")] == "genomförd 2026"
    md = (out / "changes.md").read_text("utf-8")
    assert "### Borttagen: (var 3:2) Vräkningsförebyggande arbete – försenad 2026" in md
    assert "| Åtgärd | Tidplan förut | Tidplan nu | Senast rapporterat |" in md
    assert (
        "| 2:1 Bostad först för fler hushåll | Klart december 2027 | Klart december 2028 | "
        "genomförd 2026 |" in md
    )


def test_the_change_report_without_follow_ups_is_as_before(tmp_path):
    p = project(tmp_path)
    g = git.Repo.init(p.root, initial_branch="main")
    with g.config_writer() as c:
        c.set_value("user", "name", "Test").set_value("user", "email", "t@example.invalid")
    g.index.add(["source"])
    g.index.commit("Plan 2025")
    body = p.source / DOC / "document.md"
    body.write_text(body.read_text("utf-8").replace("Klart december 2027", "2028"), "utf-8")
    out = tmp_path / "diff"
    result = run("diff", DOC, "--from", "HEAD", "--format", "md", "-o", out, "--root", p.root)
    assert result.exit_code == 0, result.output
    md = (out / "changes.md").read_text("utf-8")
    assert "| Åtgärd | Tidplan förut | Tidplan nu |\n" in md and "Senast rapporterat" not in md
