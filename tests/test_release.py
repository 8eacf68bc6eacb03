"""Releases: refusals write nothing, packages verify, a changed byte is caught, rebuilds match."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import git
import pypdf
import pytest
from click.testing import CliRunner
from gitrepo import CET, DOC, DocRepo

from styrdok.cli import main
from styrdok.errors import ReleaseError, StyrdokError
from styrdok.package import stage_package, verify_package
from styrdok.publish import remove_tree
from styrdok.release import release, releases

WHEN = datetime(2019, 9, 16, 10, 0, tzinfo=CET)


@pytest.fixture
def doc_repo(tmp_path) -> DocRepo:
    return DocRepo(tmp_path / "repo")


def writable_copy(package: Path, dest: Path) -> Path:
    shutil.copytree(package, dest)
    for p in [dest, *dest.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    return dest


def tags(repo: DocRepo) -> list[str]:
    return sorted(t.name for t in repo.repo.tags)


def test_release_writes_a_read_only_bag_and_an_annotated_tag(released):
    repo, first, _ = released
    assert first == repo.root / "build" / "arkiv" / DOC / "2018.1"
    files = sorted(str(p.relative_to(first)) for p in first.rglob("*") if p.is_file())
    assert files == [
        "bag-info.txt",
        "bagit.txt",
        f"data/{DOC}.docx",
        f"data/{DOC}.pdf",
        "data/metadata.json",
        "data/source/document.md",
        "data/source/document.yaml",
        "manifest-sha256.txt",
        "tagmanifest-sha256.txt",
    ]
    assert all(not (p.stat().st_mode & 0o222) for p in first.rglob("*"))
    tag = repo.repo.tags[f"{DOC}/2018.1"]
    assert tag.tag is not None  # annotated
    assert "Beslutsdatum: 2018-02-12" in tag.tag.message and "DNR: 000/000" in tag.tag.message
    meta = json.loads((first / "data" / "metadata.json").read_text(encoding="utf-8"))
    assert meta["commit"] == tag.commit.hexsha and meta["tag"] == f"{DOC}/2018.1"
    assert meta["commit_date"] == "2018-02-12T14:00:00Z"
    assert meta["metadata"]["dnr"] == "000/000" and meta["libreoffice"].startswith("LibreOffice")
    assert "Bagging-Date: 2018-02-12" in (first / "bag-info.txt").read_text(encoding="utf-8")
    assert verify_package(first) == []


def test_second_release_carries_change_report_against_the_first(released):
    repo, _, second = released
    report = (second / "data" / "changes.md").read_text(encoding="utf-8")
    assert (
        f"**Från:** versionen beslutad 12 februari 2018, DNR 000/000 ({DOC}/2018.1, commit"
        in report
    )
    assert "**Tidplan:** Klart [-juni 2018-]{+december 2019+}" in report
    assert (second / "data" / "changes.pdf").is_file()
    meta = json.loads((second / "data" / "metadata.json").read_text(encoding="utf-8"))
    assert meta["previous_release"] == f"{DOC}/2018.1"
    assert verify_package(second) == []
    assert [r.version for r in releases(repo.root, DOC)] == ["2018.1", "2019"]


def test_rebuild_from_a_clone_of_the_tag_is_byte_identical(released, tmp_path):
    repo, _, second = released
    clone = tmp_path / "clone"
    git.Repo.clone_from(repo.root, clone, branch=f"{DOC}/2019")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "styrdok.cli", "build", DOC, "--format", "docx", "-o", str(out)],
        cwd=clone,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    rebuilt = (out / DOC / f"{DOC}.docx").read_bytes()
    assert rebuilt == (second / "data" / f"{DOC}.docx").read_bytes()


@pytest.mark.parametrize(
    "version", ["../x", "a/b", "", " v1", "-v", "a..b", "x" * 101, "x.lock", "v1.", "v 1"]
)
def test_unsafe_version_is_refused(doc_repo, version):
    with pytest.raises(StyrdokError, match=r"versionen '.*' (får|är tomt)"):
        release(doc_repo.root, DOC, version)
    assert not (doc_repo.root / "build").exists()


def test_uncommitted_change_is_refused(doc_repo):
    doc_repo.edit("Klart våren 2018", "Klart hösten 2019")
    with pytest.raises(ReleaseError, match=f"source/{DOC}/document.md"):
        release(doc_repo.root, DOC, "1")
    assert tags(doc_repo) == ["handlingsplan-bostadssociala/2018", "start"]
    assert not (doc_repo.root / "build").exists()


def test_untracked_file_is_refused(doc_repo):
    (doc_repo.root / "templates" / "helsingborg" / "ny.docx").write_bytes(b"x")
    with pytest.raises(ReleaseError, match=r"templates/helsingborg/ny\.docx"):
        release(doc_repo.root, DOC, "1")
    assert not (doc_repo.root / "build").exists()


def test_invalid_document_is_refused(doc_repo):
    doc_repo.edit("typ: plan", "typ: strategi", file="document.yaml")
    doc_repo.commit("Fel typ", WHEN)
    with pytest.raises(ReleaseError, match=r"document\.yaml:2: okänd typ 'strategi'"):
        release(doc_repo.root, DOC, "1")
    assert not (doc_repo.root / "build").exists()
    assert "handlingsplan-bostadssociala/1" not in tags(doc_repo)


def test_existing_tag_or_package_is_refused(doc_repo):
    with pytest.raises(ReleaseError, match="redan släppt"):
        release(doc_repo.root, DOC, "2018")
    (doc_repo.root / "build" / "arkiv" / DOC / "3").mkdir(parents=True)
    with pytest.raises(ReleaseError, match="paketet finns redan"):
        release(doc_repo.root, DOC, "3")
    assert "handlingsplan-bostadssociala/3" not in tags(doc_repo)


def test_verify_catches_a_flipped_byte(released, tmp_path):
    package = writable_copy(released[1], tmp_path / "p")
    pdf = package / "data" / f"{DOC}.pdf"
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x01
    pdf.write_bytes(bytes(data))
    assert verify_package(package) == [f"{pdf}: kontrollsumman stämmer inte (filen är ändrad)"]


def test_verify_catches_missing_and_extra_files(released, tmp_path):
    package = writable_copy(released[1], tmp_path / "p")
    (package / "data" / "source" / "document.md").unlink()
    (package / "data" / "extra.txt").write_text("x", encoding="utf-8")
    (package / "README").write_text("x", encoding="utf-8")
    problems = verify_package(package)
    assert f"{package}/data/source/document.md: saknas" in problems
    assert f"{package}/data/extra.txt: fil som inte finns i manifest-sha256.txt" in problems
    assert f"{package}/README: fil som inte hör till paketet" in problems


def test_verify_catches_a_pdf_that_is_not_pdfa(tmp_path):
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    plain = tmp_path / "plain.pdf"
    with plain.open("wb") as f:
        writer.write(f)
    package = stage_package(tmp_path, {"dok.pdf": plain.read_bytes()}, {})
    declared, pdfa, pdfua = verify_package(package)
    assert declared == f"{package}/data/dok.pdf: PDF:en anger inte PDF/A-2b"
    assert pdfa.startswith(f"{package}/data/dok.pdf: PDF:en uppfyller inte PDF/A-2b")
    assert pdfua.startswith(f"{package}/data/dok.pdf: PDF:en uppfyller inte PDF/UA-1")
    assert "PDFA2B-ID-SCHEMA-001" in pdfa and "PDFUA1-STRUCT-TREE-ROOT-001" in pdfua
    remove_tree(package)


def test_cli_verify_and_releases(released, tmp_path):
    repo, first, _ = released
    ok = CliRunner().invoke(main, ["verify", str(first)])
    assert ok.exit_code == 0 and ok.output.strip().endswith(": ok")
    broken = writable_copy(first, tmp_path / "p")
    (broken / "data" / "metadata.json").write_text("{}", encoding="utf-8")
    bad = CliRunner().invoke(main, ["verify", str(broken)])
    assert bad.exit_code == 1 and "metadata.json: kontrollsumman stämmer inte" in bad.output
    listed = CliRunner().invoke(main, ["releases", DOC, "--root", str(repo.root)])
    assert [line.split("\t")[0] for line in listed.output.splitlines()] == ["2018.1", "2019"]
    missing = CliRunner().invoke(main, ["verify", str(tmp_path / "nowhere")])
    assert missing.exit_code == 1 and "nowhere: finns inte; ange mappen" in missing.output
    unknown = CliRunner().invoke(main, ["releases", "finns-inte", "--root", str(repo.root)])
    assert unknown.exit_code == 1 and "inget dokument med namnet 'finns-inte'" in unknown.output


def test_releases_of_a_document_never_released(tmp_path):
    repo = DocRepo(tmp_path / "repo", tag=False)
    result = CliRunner().invoke(main, ["releases", DOC, "--root", str(repo.root)])
    assert result.exit_code == 0 and f"{DOC}: inga släppta versioner ännu" in result.output
