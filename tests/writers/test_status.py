"""`styrdok status`: each document's review state on a given day, and the exit code."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from styrdok.cli import main

REPO = Path(__file__).resolve().parents[2]
GOOD = REPO / "tests" / "roots" / "good" / "source" / "liten"

DOCUMENTS = {  # name → (extra metadata, the state on 2026-11-30)
    "gar-ut": ("giltighet: 2019-2020\n", "utgången"),
    "sen": ("giltighet: Tills vidare\naktualitetsprövas: 2026-06-01\n", "försenad"),
    "snart": ("giltighet: 2026-2028\naktualitetsprövas: 2027-01-15\n", "ska aktualitetsprövas"),
    "galler": ("giltighet: Tills vidare\naktualitetsprövas: 2027-09-01\n", "gäller"),
    "slut-satt": ("giltighet: Tills vidare\ngiltig_till: 2026-11-01\n", "utgången"),
    "ett-ar": ("giltighet: Tills vidare\n", "försenad"),  # decided 2019-09-12: reviewed 2020
}


def project(tmp_path: Path, names=DOCUMENTS) -> Path:
    root = tmp_path / "p"
    for name in names:
        extra, _ = DOCUMENTS[name]
        folder = root / "source" / name
        shutil.copytree(GOOD, folder)
        meta = folder / "document.yaml"
        text = meta.read_text(encoding="utf-8").replace("giltighet: 2019-2020\n", "")
        meta.write_text(text + extra, encoding="utf-8")
    return root


def status(root: Path, *args: str):
    return CliRunner().invoke(main, ["status", "--datum", "2026-11-30", *args, "--root", str(root)])


def test_each_state_and_a_failing_exit_when_one_is_overdue(tmp_path):
    root = project(tmp_path)
    result = status(root, "--format", "json")
    assert result.exit_code == 1
    rows = json.loads(result.output[: result.output.rindex("]") + 1])
    assert {r["dokument"]: r["läge"] for r in rows} == {n: s for n, (_, s) in DOCUMENTS.items()}
    by_name = {r["dokument"]: r for r in rows}
    assert by_name["gar-ut"]["giltig_till"] == "2020-12-31"  # from the year range
    assert by_name["ett-ar"]["aktualitetsprövas"] == "2020-09-12"  # a year after the decision
    assert "försenade eller utgångna: ett-ar, gar-ut, sen, slut-satt" in result.output


def test_all_current_exits_zero_and_csv_has_every_field(tmp_path):
    root = project(tmp_path, ["snart", "galler"])
    table = status(root)
    assert table.exit_code == 0, table.output
    assert table.output.splitlines()[0].split() == [
        "dokument",
        "typ",
        "beslutad",
        "senaste_version",
        "aktualitetsprövas",
        "läge",
    ]
    rows = list(csv.DictReader(io.StringIO(status(root, "--format", "csv").output)))
    assert [r["läge"] for r in rows] == ["gäller", "ska aktualitetsprövas"]
    assert rows[0]["titel"] == "Handlingsplan – Testdokument"


def test_a_review_date_that_is_no_date_is_a_source_problem(tmp_path):
    root = project(tmp_path, ["galler"])
    meta = root / "source" / "galler" / "document.yaml"
    meta.write_text(meta.read_text().replace("2027-09-01", "nästa år"), encoding="utf-8")
    result = status(root)
    assert result.exit_code == 1 and "datum 'nästa år' har fel form" in result.output


def test_releases_are_found_in_loose_and_packed_tags_and_none_without_tags(tmp_path):
    import subprocess

    from styrdok.writers.status import latest_releases

    root = tmp_path / "repo"
    shutil.copytree(REPO / "source" / "program-trygghet", root / "source" / "program-trygghet")
    env = {"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.invalid"}
    env |= {"GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@example.invalid"}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "Start")
    assert latest_releases(root) == {}
    git("tag", "-a", "program-trygghet/2023", "-m", "Släpp")
    assert latest_releases(root) == {"program-trygghet": "2023"}
    git("pack-refs", "--all")  # the tag now only a line of .git/packed-refs
    assert not list((root / ".git" / "refs" / "tags").rglob("2023"))
    assert latest_releases(root) == {"program-trygghet": "2023"}
