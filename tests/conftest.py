"""Shared fixtures: the example is loaded and built once per session, with one LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from support.gitrepo import CET, DOC, DocRepo
from support.remissfix import plan_round, sent_plan, sent_policy  # noqa: F401 (the remiss fixtures)

from styrdok.commands.build import Project, build_documents
from styrdok.commands.release import release
from styrdok.readers.markdown.source import load_document

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = "handlingsplan-bostadssociala"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def example():
    return load_document(REPO / "source" / EXAMPLE)


@pytest.fixture(scope="session")
def office():
    """One LibreOffice for the session; every PDF made through it is validated as PDF/A-2b and
    PDF/UA-1 (page-validation) as it is finished, so a test that makes one fails on a defect."""
    from styrdok.convert.office import Office
    from styrdok.convert.pdf_conform import conformance

    class ValidatingOffice(Office):
        def finish(self, job, conform=True):
            pdf = super().finish(job, conform)
            if conform:  # else the build's render stage finishes it (tests check built PDFs)
                assert conformance(pdf) == []
            return pdf

    with ValidatingOffice() as office:
        yield office


@pytest.fixture(scope="session")
def example_build(tmp_path_factory) -> Path:
    """The example's DOCX, built once through the library's build stage."""
    out = tmp_path_factory.mktemp("build")
    (docx,) = build_documents(Project(REPO), (EXAMPLE,), ("docx",), out)
    return docx


@pytest.fixture(scope="session")
def example_pdf(example_build, office) -> Path:
    """The example's PDF through the shared LibreOffice."""
    from styrdok.convert.pdf import convert_to_pdf

    (pdf,) = convert_to_pdf([(load_document(REPO / "source" / EXAMPLE), example_build)], office)
    return pdf


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (tests/support/browser.py); playwright's sync API
    allows one at a time, so every test file that looks at pages shares it."""
    from playwright.sync_api import sync_playwright
    from support.browser import launch

    with sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()


@pytest.fixture
def project(tmp_path) -> Project:
    """A copy of the small 'good' fixture project, to build into or spoil."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "tests" / "roots" / "good", root)
    return Project(root)


@pytest.fixture(scope="session")
def history(tmp_path_factory, repo):
    """The example history, made by the script a user runs."""
    dest = tmp_path_factory.mktemp("historik") / "repo"
    script = repo / "scripts" / "make_history.py"
    subprocess.run([sys.executable, str(script), str(dest)], check=True, capture_output=True)
    return dest


@pytest.fixture(scope="session")
def released(tmp_path_factory, office):
    """A repository with two releases: 2018.1 and, after a revision, 2019."""
    repo = DocRepo(tmp_path_factory.mktemp("rel") / "repo", tag=False)
    repo.settings()
    first = release(repo.root, DOC, "2018.1", office=office)
    repo.edit(": Klart juni 2018\n", ": Klart december 2019\n")
    repo.edit("datum: 2018-02-12", "datum: 2019-09-16", file="document.yaml")
    repo.commit("Revidering 2019", datetime(2019, 9, 16, 10, 0, tzinfo=CET))
    second = release(repo.root, DOC, "2019", office=office)
    return repo, first, second
