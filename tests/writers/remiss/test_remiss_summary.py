"""Answering the comments and the remissammanställning: check warns about unanswered comments
(and refuses a position that is none), release refuses while any is unanswered (unless --force),
and the report says who answered, how many of each position, every comment at its place with
the change that answered it, and every response in full."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
import yaml
from click.testing import CliRunner
from support import docxcheck
from support.remissfix import ROUND
from support.wordresponse import WordResponse

from styrdok.cli import main
from styrdok.commands.release import release
from styrdok.commands.remiss import read, summary
from styrdok.errors import ReleaseError

PLAN = "handlingsplan-bostadssociala"


def answer(folder: Path, answers: dict[str, tuple[str, str]]) -> None:
    """Fill in ställningstagande and motivering of the entries whose synpunkt (or proposal)
    starts with a key, as the owner does in synpunkter.yaml."""
    path = folder / "synpunkter.yaml"
    head, *entries = re.split(r"(?m)^(?=- id: )", path.read_text(encoding="utf-8"))
    out = [head]
    for entry in entries:
        data = yaml.safe_load(entry)[0]
        said = data.get("synpunkt") or data.get("efter") or ""
        for key, (position, reason) in answers.items():
            if said.startswith(key):
                entry = entry.replace(
                    "  ställningstagande:\n", f"  ställningstagande: {position}\n"
                )
                entry = entry.replace("  motivering:\n", f"  motivering: {reason}\n")
        out.append(entry)
    path.write_text("".join(out), encoding="utf-8")


@pytest.fixture
def answered(plan_round, tmp_path):
    """Two answers read (Word comments from Socialnämnden, a letter from Fastighetsnämnden),
    the owner's positions written for most, and the document revised since the remiss."""
    response = WordResponse(plan_round.docx.read_bytes())
    response.comment("Arbeta med framtagna strategier", "Nämn kriminalvården.")
    response.comment("inlåsningseffekten", "Förklara ordet.")
    response.comment("bredda metoden för fler målgrupper", "För tidigt.")
    response.replace("Klart till december 2018", "Klart till juni 2019")
    response.comment("Bostadssociala programmet", "Bra i stort.")
    word = tmp_path / "Socialnämnden.docx"
    word.write_bytes(response.save())
    import docx

    letter = docx.Document()
    letter.add_paragraph("Fastighetsnämnden tillstyrker förslaget.")
    letter.add_paragraph("Nämnden föreslår att fler lägenheter anvisas.")
    path = tmp_path / "Fastighetsnämnden yttrande.docx"
    letter.save(str(path))
    read(plan_round.root, PLAN, ROUND, [word, path])
    answer(
        plan_round.folder,
        {
            "Nämn kriminalvården.": ("tillgodoses", "Kriminalvården nämns i 3:2."),
            "Förklara ordet.": ("tillgodoses", "Ordet förklaras i begreppslistan."),
            "För tidigt.": ("tillgodoses delvis", ""),
            "Klart till juni 2019": ("tillgodoses inte", "Tidplanen ligger fast."),
            "Bra i stort.": ("noteras", ""),
        },
    )
    doc_md = plan_round.root / "source" / PLAN / "document.md"
    text = doc_md.read_text(encoding="utf-8")
    doc_md.write_text(
        text.replace(
            "För att ta reda på nuläget", "Kriminalvården deltar. För att ta reda på nuläget"
        ),
        encoding="utf-8",
    )
    return plan_round


def test_check_warns_about_unanswered_comments_and_refuses_unknown_positions(answered):
    root = str(answered.root)
    result = CliRunner().invoke(main, ["check", PLAN, "--root", root])
    assert result.exit_code == 0, result.output
    path = answered.folder / "synpunkter.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    warned = re.findall(r"synpunkter\.yaml:(\d+): synpunkten (\S+) \(([^)]*)\) (.*)", result.output)
    assert sorted((who, what.split(";")[0]) for _, _, who, what in warned) == [
        ("Fastighetsnämnden, allmänt", "är obesvarad"),
        ("Socialnämnden, 3:10", "är 'tillgodoses delvis' men saknar motivering"),
    ]
    for line, ident, _, _ in warned:  # each at its entry's first line
        assert lines[int(line) - 1] == f"- id: {ident}"
    strict = CliRunner().invoke(main, ["check", PLAN, "--strict", "--root", root])
    assert strict.exit_code == 1 and "varningar i handlingsplan-bostadssociala" in strict.output

    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("ställningstagande: noteras", "ställningstagande: tillgodosett", 1).replace(
            "  motivering: Tidplanen", "  motiveringen: Tidplanen", 1
        ),
        encoding="utf-8",
    )
    broken = CliRunner().invoke(main, ["check", PLAN, "--root", root])
    assert broken.exit_code == 1
    assert (
        "ställningstagandet 'tillgodosett' finns inte (menade du 'tillgodoses'?)" in broken.output
    )
    assert "okänd nyckel 'motiveringen' i en synpunkt (menade du 'motivering'?)" in broken.output


def test_release_refuses_while_comments_are_unanswered_unless_forced(answered, office):
    import git

    repo = git.Repo(answered.root)
    repo.git.add("-A")
    actor = git.Actor("Anna Andersson", "anna@example.invalid")
    repo.index.commit("Svar och revidering", author=actor, committer=actor)
    with pytest.raises(ReleaseError) as e:
        release(answered.root, PLAN, "2027", office=office)
    assert "synpunkter från remissen är obesvarade" in e.value.message
    assert "--force" in e.value.message and "synpunkter.yaml:" in e.value.message
    package = release(answered.root, PLAN, "2027", office=office, force=True)
    assert (package / "bagit.txt").is_file()


def test_the_remissammanstallning(answered, office):
    made = summary(answered.root, PLAN, ROUND, ("pdf", "docx", "html"), office=office)
    names = sorted(p.name for p in made)
    assert names == [
        "remissammanstallning.docx",
        "remissammanstallning.html",
        "remissammanstallning.pdf",
    ]
    pdf = answered.out / "remissammanstallning.pdf"
    with pdfplumber.open(pdf) as document:
        text = "\n".join(page.extract_text() for page in document.pages)
        cells = [
            " ".join((cell or "").split())
            for page in document.pages
            for table in page.extract_tables()
            for row in table
            for cell in row
        ]
    flat = " ".join(text.split())
    for expected in (
        "Remissammanställning",
        "Remissomgång: 2026-1, skickad 1 september 2026, sista svarsdag 31 oktober 2026",
        "2 av 3 tillfrågade instanser har svarat; 1 har inte svarat: Vård- och omsorgsnämnden",
        "Tillgodoses 2",
        "Tillgodoses delvis 1",
        "Tillgodoses inte 1",
        "Noteras 1",
        "Ännu inte besvarad 1",
        "Totalt 6",
        "Synpunkt 5 (Socialnämnden, 3:10) tillgodoses, men 3:10 har inte ändrats sedan",
        "3 Åtgärder",
        "3:2 Minska antalet individer",
        "Nämn kriminalvården.",
        "Ändring: 3:2 Minska antalet individer",
        "Ändringar sedan remissversionen",
        "Remissvaren i sin helhet",
        "Fastighetsnämnden tillstyrker förslaget.",
        "Nämnden föreslår att fler lägenheter anvisas.",
    ):
        assert expected in flat, expected
    assert (
        "Tillgodoses. Ordet förklaras i begreppslistan. Obs: 3:10 har inte ändrats sedan "
        "remissversionen." in cells
    )
    assert any(
        c.startswith("Tillgodoses. Kriminalvården nämns i 3:2. Ändring: 3:2 Minska")
        and c.endswith("(ändrad: Text)")
        for c in cells
    )
    # in the remiss version's order: general first, then 3:2 before 3:10
    assert (
        flat.index("Bra i stort.")
        < flat.index("Nämn kriminalvården.")
        < flat.index("Förklara ordet.")
    )
    assert docxcheck.problems(answered.out / "remissammanstallning.docx") == []
    page = (answered.out / "remissammanstallning.html").read_text(encoding="utf-8")
    for href in set(re.findall(r'href="#([^"]+)"', page)):
        assert f'id="{href}"' in page, href


def test_the_report_page_has_no_accessibility_violations(answered, browser):
    from support.browser import violations

    (html,) = summary(answered.root, PLAN, ROUND, ("html",))
    for width in (1280, 390):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(html.as_uri())
        assert violations(page) == []
        page.close()


def test_an_unknown_format_and_a_round_never_sent(answered):
    result = CliRunner().invoke(
        main,
        [
            "remiss",
            "sammanställning",
            PLAN,
            "--omgång",
            ROUND,
            "--format",
            "xlsx",
            "--root",
            str(answered.root),
        ],
    )
    assert result.exit_code == 1 and "okänt format: xlsx" in result.output
    result = CliRunner().invoke(
        main,
        ["remiss", "sammanställning", PLAN, "--omgång", "1999-1", "--root", str(answered.root)],
    )
    assert (
        result.exit_code == 1
        and "omgången 1999-1 av handlingsplan-bostadssociala finns inte" in result.output
    )


def test_a_release_archives_the_round_and_verify_checks_it(answered, office, tmp_path):
    import os
    import shutil

    import docx
    import git
    from support.eark import CONTRADICTORY, eark_findings, sip

    from styrdok.commands.verify import verify

    letter = docx.Document()
    letter.add_paragraph("Vård- och omsorgsnämnden har inget att invända.")
    word = tmp_path / "vard.docx"
    letter.save(str(word))
    pdf = office.finish(office.submit(word, tmp_path / "vard.pdf", title="Yttrande"), conform=False)
    read(answered.root, PLAN, ROUND, [pdf], body="Vård- och omsorgsnämnden")
    answer(answered.folder, {"Vård- och omsorgsnämnden har": ("noteras", "")})
    path = answered.folder / "synpunkter.yaml"
    text = path.read_text(encoding="utf-8")
    partly = "  ställningstagande: tillgodoses delvis\n  motivering:"
    text = text.replace(partly, f"{partly} Metoden breddas 2020.")
    path.write_text(text.replace("  ställningstagande:\n", "  ställningstagande: noteras\n"))
    repo = git.Repo(answered.root)
    repo.git.add("-A")
    actor = git.Actor("Anna Andersson", "anna@example.invalid")
    repo.index.commit("Svar och revidering", author=actor, committer=actor)

    package = release(answered.root, PLAN, "2027", office=office)
    docs = package / "data" / f"{PLAN}_2027" / "documentation"
    kept = docs / "remiss" / ROUND
    source = answered.folder
    names = sorted(p.relative_to(kept).as_posix() for p in kept.rglob("*") if p.is_file())
    received = sorted(p.relative_to(source).as_posix() for p in (source / "svar").iterdir())
    assert names == sorted(
        ["omgang.yaml", "remissammanstallning.pdf", "svar.yaml", "synpunkter.yaml", *received]
    )
    assert len(received) == 3 and any(n.endswith(".pdf") for n in received)
    for name in ["omgang.yaml", "svar.yaml", "synpunkter.yaml", *received]:
        assert (kept / name).read_bytes() == (source / name).read_bytes(), name
    with pdfplumber.open(kept / "remissammanstallning.pdf") as report:
        flat = " ".join(" ".join(p.extract_text() for p in report.pages).split())
    assert "3 av 3 tillfrågade instanser har svarat" in flat and "Ännu inte besvarad" not in flat
    readme = (docs / "LASMIG.txt").read_text(encoding="utf-8")
    assert "documentation/remiss/<omgång>/" in readme and "documentation/uppfoljning/" in readme
    mets = (package / "data" / f"{PLAN}_2027" / "METS.xml").read_text(encoding="utf-8")
    premis = (docs.parent / "metadata" / "preservation" / "premis.xml").read_text("utf-8")
    for name in received:
        assert f"documentation/remiss/{ROUND}/{name}" in mets
    assert "PDF, mottaget svar" in premis  # the letter's PDF is kept as it came, no PDF/A
    assert verify(package, answered.root).problems == []
    errors = [f for f in eark_findings(sip(package)) if f["severity"] == "Error"]
    assert {f["rule"] for f in errors} == CONTRADICTORY  # as every release (test_release.py)

    # a round whose response is gone, or another file put in its place, does not verify
    copy = tmp_path / "copy"
    shutil.copytree(package, copy)
    for folder, _, files in os.walk(copy):
        os.chmod(folder, 0o755)
        for f in files:
            os.chmod(os.path.join(folder, f), 0o644)
    gone, *_ = sorted((copy / "data").glob(f"*/documentation/remiss/{ROUND}/svar/*.pdf"))
    gone.unlink()
    problems = verify(copy, answered.root).problems
    assert any(
        str(gone) in p and "svaret från Vård- och omsorgsnämnden saknas i paketet" in p
        for p in problems
    ), problems
    swapped = next(gone.parent.glob("*.docx"))
    swapped.write_bytes(swapped.read_bytes() + b" ")
    assert any(
        str(swapped) in p and "är inte det som lästes in" in p
        for p in verify(copy, answered.root).problems
    )


def test_a_forced_release_of_a_broken_round_names_the_committed_file(answered, office):
    import git

    from styrdok.errors import SourceError
    from styrdok.project.layout import Project

    path = answered.folder / "synpunkter.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("ställningstagande: noteras", "ställningstagande: kanske", 1))
    repo = git.Repo(answered.root)
    repo.git.add("-A")
    repo.index.commit("Svar")
    with pytest.raises(SourceError) as e:
        release(answered.root, PLAN, "2027", office=office, force=True)
    (problem,) = e.value.problems
    assert problem.path == path and "'kanske' finns inte" in problem.message
    assert not (Project(answered.root).archive(None) / PLAN / "2027").exists()  # nothing made
    assert f"{PLAN}/2027" not in [t.name for t in repo.tags]
