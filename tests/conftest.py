"""Shared fixtures: the example is loaded and built once per session, with one LibreOffice."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from styrdok.build import Project, build_documents
from styrdok.source import load_document

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
    from styrdok.office import Office

    with Office() as office:
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
    from styrdok.build import convert_to_pdf

    (pdf,) = convert_to_pdf([(load_document(REPO / "source" / EXAMPLE), example_build)], office)
    return pdf


@pytest.fixture
def project(tmp_path) -> Project:
    """A copy of the small 'good' fixture project, to build into or spoil."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "tests" / "roots" / "good", root)
    return Project(root)
