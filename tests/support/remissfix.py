"""Fixtures of the remiss tests: a repository with the example plan (and one with the policy,
which has a table) sent on remiss once per session through the shared LibreOffice, and a fresh
copy of it for each test that reads answers into it."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from styrdok.commands.remiss import send
from support.gitrepo import CET, DocRepo

ROUND = "2026-1"
BODIES = ["Socialnämnden", "Fastighetsnämnden", "Vård- och omsorgsnämnden"]
DEADLINE = date(2026, 10, 31)
SENT = date(2026, 9, 1)
POLICY = "policy-informationssakerhet"


class Sent:
    """A repository whose document went out on remiss: where everything is."""

    def __init__(self, root: Path, doc: str):
        self.root, self.doc = root, doc
        self.out = root / "build" / doc / f"remiss-{ROUND}"
        self.docx = self.out / f"{doc}-remissversion.docx"
        self.pdf = self.out / f"{doc}-remissversion.pdf"
        self.form = self.out / "svarsformular.docx"
        self.folder = root / "source" / doc / "remiss" / ROUND

    def copy(self, dest: Path) -> Sent:
        shutil.copytree(self.root, dest, symlinks=True)
        return Sent(dest, self.doc)


def _sent(tmp_path_factory, office, doc: str, formats=("docx", "pdf")) -> Sent:
    repo = DocRepo(tmp_path_factory.mktemp("remiss") / "repo", doc=doc)
    repo.settings()
    send(repo.root, doc, ROUND, BODIES, DEADLINE, SENT, "", None, formats, office)
    repo.commit("Remiss 2026-1", datetime(2026, 9, 1, 12, 0, tzinfo=CET), paths=["source"])
    return Sent(repo.root, doc)


@pytest.fixture(scope="session")
def sent_plan(tmp_path_factory, office) -> Sent:
    """The example plan on remiss: the remiss version as DOCX and PDF, and the form."""
    return _sent(tmp_path_factory, office, "handlingsplan-bostadssociala")


@pytest.fixture(scope="session")
def sent_policy(tmp_path_factory, office) -> Sent:
    """The policy (a table, an appendix) on remiss, DOCX only."""
    return _sent(tmp_path_factory, office, POLICY, formats=("docx",))


@pytest.fixture
def plan_round(sent_plan, tmp_path) -> Sent:
    """A copy of the plan's repository to read answers into."""
    return sent_plan.copy(tmp_path / "repo")
