"""The follow-up tests' plan and how a department fills in its workbook.

The plan (tests/roots/uppfoljning/source/trygg-bostad) has five measures: 2:1 and 3:2 of
Socialförvaltningen alone, 2:2 shared by Fastighetsförvaltningen and Socialförvaltningen, 2:3 of
Fastighetsförvaltningen alone (its Tidplan, våren 2026, has passed by September 2026), 3:1 shared
by Vård- och omsorgsförvaltningen and Socialförvaltningen (Tidplan: Löpande, no deadline).
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from styrdok.cli import main
from styrdok.project.layout import Project

ROOT = Path(__file__).resolve().parent.parent / "roots" / "uppfoljning"
DOC = "trygg-bostad"
YEAR = 2026
ON = date(2026, 9, 20)
SOCIAL = "Socialförvaltningen"
FASTIGHET = "Fastighetsförvaltningen"
VO = "Vård- och omsorgsförvaltningen"
# Each department's measures, by number, in the plan's order.
MEASURES = {
    FASTIGHET: ["2:2", "2:3"],
    SOCIAL: ["2:1", "2:2", "3:1", "3:2"],
    VO: ["3:1"],
}
FIRST_ROW = 8  # the workbook's first measure row (the header is row 7)
STATUS_COL, COMMENT_COL = 6, 7  # F and G


def project(tmp_path: Path) -> Project:
    """A copy of the follow-up plan's project to write into."""
    root = tmp_path / "projekt"
    shutil.copytree(ROOT, root)
    return Project(root)


def workbooks(project: Project, out: Path, year: int = YEAR) -> dict[str, Path]:
    """`utskick` of the plan: each department's workbook by department."""
    from styrdok.commands.uppfoljning import send_out

    paths = send_out(project, DOC, year, out)
    found = {}
    for department in MEASURES:
        (path,) = [p for p in paths if p.name.endswith(_slug(department) + ".xlsx")]
        found[department] = path
    return found


def _slug(department: str) -> str:
    from styrdok.writers.uppfoljning.workbook import slug

    return slug(department)


def fill(path: Path, answers: dict[str, tuple[str, str]], out: Path | None = None) -> Path:
    """Fill in a workbook as a department does in Excel (openpyxl keeps what Excel keeps):
    number → (status, comment)."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["Uppföljning"]
    row = FIRST_ROW
    while ws.cell(row, 1).value:
        number = ws.cell(row, 1).value
        if number in answers:
            status, comment = answers[number]
            ws.cell(row, STATUS_COL, status or None)
            ws.cell(row, COMMENT_COL, comment or None)
        row += 1
    target = out or path
    wb.save(target)
    return target


def run(*args: str):
    """The command line, as a user runs it (its output and exit code)."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
