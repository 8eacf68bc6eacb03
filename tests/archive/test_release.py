"""Releases: refusals write nothing, packages verify, a changed byte is caught, rebuilds match."""

from __future__ import annotations

import hashlib
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
from support.eark import CONTRADICTORY, eark_findings, sip
from support.gitrepo import CET, DOC, SETTINGS, DocRepo

from styrdok.archive.package import stage_package, verify_package
from styrdok.cli import main
from styrdok.commands.release import release, releases
from styrdok.errors import ReleaseError, StyrdokError
from styrdok.project.publish import remove_tree

WHEN = datetime(2019, 9, 16, 10, 0, tzinfo=CET)
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def doc_repo(tmp_path) -> DocRepo:
    repo = DocRepo(tmp_path / "repo")
    repo.settings()
    return repo


def writable_copy(package: Path, dest: Path) -> Path:
    shutil.copytree(package, dest)
    for p in [dest, *dest.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    return dest


def tags(repo: DocRepo) -> list[str]:
    return sorted(t.name for t in repo.repo.tags)


def test_release_writes_an_eark_package_in_a_bagit_1_0_bag_and_an_anchored_tag(released):
    repo, first, _ = released
    assert first == repo.root.parent / "arkiv" / DOC / "2018.1"
    files = sorted(str(p.relative_to(first)) for p in first.rglob("*") if p.is_file())
    objid = f"data/{DOC}_2018.1"
    assert files == [
        "bag-info.txt",
        "bagit.txt",
        f"{objid}/METS.xml",
        f"{objid}/documentation/LASMIG.txt",
        f"{objid}/metadata/descriptive/dc.xml",
        f"{objid}/metadata/other/metadata.json",
        f"{objid}/metadata/preservation/premis.xml",
        f"{objid}/representations/docx/data/{DOC}.docx",
        f"{objid}/representations/kalla/data/source/{DOC}/document.md",
        f"{objid}/representations/kalla/data/source/{DOC}/document.yaml",
        f"{objid}/representations/kalla/data/templates/helsingborg/template.docx",
        f"{objid}/representations/pdfa/data/{DOC}.pdf",
        f"{objid}/schemas/metadata.schema.json",
        "manifest-sha256.txt",
        "tagmanifest-sha256.txt",
    ]
    assert all(not (p.stat().st_mode & 0o222) for p in first.rglob("*"))
    assert (first / "bagit.txt").read_text() == (
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    )
    info = (first / "bag-info.txt").read_text(encoding="utf-8")
    for line in (
        "Source-Organization: Kommunstyrelsen, Helsingborgs stad",
        f"External-Identifier: {DOC}/2018.1",
        "Diarienummer: 000/000",
        "Beslutsdatum: 2018-02-12",
        "Beslutsinstans: Styrgruppen för det bostadssociala programmet",
        "Bevarande: bevaras",
        "Släppt-av: " + repo.repo.git.var("GIT_COMMITTER_IDENT").rsplit(" ", 2)[0],
    ):
        assert f"\n{line}\n" in f"\n{info}"
    tag = repo.repo.tags[f"{DOC}/2018.1"]
    assert tag.tag is not None  # annotated
    message = tag.tag.message
    assert "Beslutsdatum: 2018-02-12" in message and "DNR: 000/000" in message
    digest = hashlib.sha256((first / "tagmanifest-sha256.txt").read_bytes()).hexdigest()
    assert f"Paket-SHA256: {digest}" in message
    meta = json.loads((sip(first) / "metadata/other/metadata.json").read_text(encoding="utf-8"))
    assert meta["commit"] == tag.commit.hexsha and meta["tag"] == f"{DOC}/2018.1"
    assert meta["commit_date"] == "2018-02-12T14:30:00Z"  # the settings commit
    assert meta["metadata"]["dnr"] == "000/000" and meta["libreoffice"].startswith("LibreOffice")
    assert meta["records"]["arkivbildare"] == "Kommunstyrelsen, Helsingborgs stad"
    template = (repo.root / "templates/helsingborg/template.docx").read_bytes()
    assert meta["template"]["sha256"] == hashlib.sha256(template).hexdigest()
    assert meta["template"]["path"] == "templates/helsingborg/template.docx"
    assert verify_package(first) == []


def test_the_package_passes_the_eark_csip_and_sip_rules(released):
    _, first, second = released
    for package in (first, second):
        errors = [f for f in eark_findings(sip(package)) if f["severity"] == "Error"]
        assert [e for e in errors if e["rule"] not in CONTRADICTORY] == []
        assert {e["rule"] for e in errors} == CONTRADICTORY  # the validator did run


def test_the_eark_check_catches_a_broken_mets(released, tmp_path):
    package = writable_copy(sip(released[1]), tmp_path / "sip")
    mets = package / "METS.xml"
    mets.write_text(
        mets.read_text(encoding="utf-8").replace('OBJID="', 'XOBJID="', 1), encoding="utf-8"
    )
    rules = {f["rule"] for f in eark_findings(package) if f["severity"] == "Error"}
    assert "CSIP1" in rules


def test_second_release_carries_change_report_against_the_first(released):
    repo, _, second = released
    report = (sip(second) / "documentation" / "changes.md").read_text(encoding="utf-8")
    assert (
        f"**Från:** versionen beslutad 12 februari 2018, DNR 000/000 ({DOC}/2018.1, commit"
        in report
    )
    assert "**Tidplan:** Klart [-juni 2018-]{+december 2019+}" in report
    assert (sip(second) / "documentation" / "changes.pdf").is_file()
    meta = json.loads((sip(second) / "metadata/other/metadata.json").read_text("utf-8"))
    assert meta["previous_release"] == f"{DOC}/2018.1"
    assert verify_package(second) == []
    assert [r.version for r in releases(repo.root, DOC)] == ["2018.1", "2019"]


def rebuilt_docx(cwd: Path, out: Path) -> bytes:
    """`styrdok build DOC` with its default formats (DOCX, PDF, HTML) in `cwd`: the DOCX."""
    result = subprocess.run(
        [sys.executable, "-m", "styrdok.cli", "build", DOC, "-o", str(out)],
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return (out / DOC / f"{DOC}.docx").read_bytes()


def laid_out(docx: bytes) -> tuple[str | None, list[str]]:
    """A DOCX's page count (docProps/app.xml) and the page numbers its table of contents holds."""
    import re
    import zipfile
    from io import BytesIO

    with zipfile.ZipFile(BytesIO(docx)) as z:
        app = z.read("docProps/app.xml").decode()
        body = z.read("word/document.xml").decode()
    pages = re.search(r"<Pages>(\d+)</Pages>", app)
    toc = re.findall(r'<w:pStyle w:val="toc1"/>.*?<w:tab/><w:t[^>]*>(\d*)</w:t>', body)
    return (pages.group(1) if pages else None), toc


def test_the_released_docx_is_the_built_one_of_the_tag(released, tmp_path):
    """`styrdok build` (default formats) of a clone at the tag gives the package's DOCX byte
    for byte: with the page numbers of its table of contents and its page count (issue 22)."""
    repo, _, second = released
    clone = tmp_path / "clone"
    git.Repo.clone_from(repo.root, clone, branch=f"{DOC}/2019")
    rebuilt = rebuilt_docx(clone, tmp_path / "out")
    archived = (sip(second) / "representations/docx/data" / f"{DOC}.docx").read_bytes()
    pages, toc = laid_out(archived)
    assert pages is not None and int(pages) >= 3
    assert toc and all(n.isdigit() for n in toc), toc
    assert rebuilt == archived


def test_rebuild_from_the_package_alone_is_byte_identical(released, tmp_path):
    """The package's read-me and the README promise it: `styrdok build DOC` in the package's
    source folder (no git there) gives its DOCX byte for byte."""
    _, _, second = released
    source = writable_copy(sip(second) / "representations/kalla/data", tmp_path / "kalla")
    rebuilt = rebuilt_docx(source, tmp_path / "out")
    assert rebuilt == (sip(second) / "representations/docx/data" / f"{DOC}.docx").read_bytes()
    readme = (sip(second) / "documentation/LASMIG.txt").read_text("utf-8")
    assert f"styrdok build {DOC} -o /tmp/ombyggt" in readme


def rewrite_manifests(bag: Path) -> None:
    """Recompute both manifests and the payload count, as a forger would."""
    from styrdok.archive.package import bag_files

    payload = {
        p.relative_to(bag / "data").as_posix(): p.read_bytes()
        for p in (bag / "data").rglob("*")
        if p.is_file()
    }
    info = {}
    for line in (bag / "bag-info.txt").read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition(": ")
        if key != "Payload-Oxum":
            info[key] = value
    for name, data in bag_files(payload, info).items():
        if not name.startswith("data/"):
            (bag / name).write_bytes(data)


def test_replaced_files_with_recomputed_manifests_are_caught_through_the_tag(released, tmp_path):
    repo, first, _ = released
    package = writable_copy(first, tmp_path / "p")
    pdf = next(package.rglob("*.pdf"))
    second_pdf = next(released[2].rglob(f"{DOC}.pdf"))
    pdf.write_bytes(second_pdf.read_bytes())  # a valid PDF/A, just not the one released
    rewrite_manifests(package)
    assert verify_package(package) == []  # the package alone cannot tell
    result = CliRunner().invoke(main, ["verify", str(package), "--repo", str(repo.root)])
    assert result.exit_code == 1
    assert f"paketet är inte det som släpptes: taggen {DOC}/2018.1 anger Paket-SHA256" in (
        result.output
    )
    ok = CliRunner().invoke(main, ["verify", str(first), "--repo", str(repo.root)])
    assert ok.exit_code == 0, ok.output
    assert ok.output.strip() == f"{first}: ok (stämmer med taggen {DOC}/2018.1)"


def test_verify_all_prints_one_line_per_package(released, tmp_path):
    repo, first, second = released
    archive = tmp_path / "arkiv"
    writable_copy(first, archive / DOC / "2018.1")
    writable_copy(second, archive / DOC / "2019")
    ok = CliRunner().invoke(main, ["verify", "--all", str(archive), "--repo", str(repo.root)])
    assert ok.exit_code == 0, ok.output
    assert ok.output.splitlines() == [
        f"{archive / DOC / '2018.1'}: ok (stämmer med taggen {DOC}/2018.1)",
        f"{archive / DOC / '2019'}: ok (stämmer med taggen {DOC}/2019)",
    ]
    (next((archive / DOC / "2019").rglob("LASMIG.txt"))).write_text("ändrad", encoding="utf-8")
    bad = CliRunner().invoke(main, ["verify", "--all", str(archive), "--repo", str(repo.root)])
    assert bad.exit_code == 1
    lines = bad.output.splitlines()
    assert lines[0].endswith(": ok (stämmer med taggen handlingsplan-bostadssociala/2018.1)")
    assert lines[1].startswith(f"{archive / DOC / '2019'}: FEL: ")
    assert "kontrollsumman stämmer inte" in lines[1]
    assert "1 paket verifieras inte" in bad.output
    empty = CliRunner().invoke(main, ["verify", "--all", str(tmp_path / "p-tom")])
    assert empty.exit_code == 1 and "finns inte eller är ingen mapp" in empty.output


def test_releasing_the_same_content_again_is_refused_unless_forced(tmp_path, office):
    repo = DocRepo(tmp_path / "repo", tag=False)
    repo.settings()
    release(repo.root, DOC, "1", office=office)
    with pytest.raises(ReleaseError, match=r"oförändrat sedan version 1 \(taggen .*/1\)"):
        release(repo.root, DOC, "2", office=office)
    assert tags(repo) == [f"{DOC}/1", "start"]
    assert not (tmp_path / "arkiv" / DOC / "2").exists()
    forced = release(repo.root, DOC, "2", office=office, force_same_content=True)
    assert verify_package(forced) == []


def test_make_clean_leaves_the_archive_alone(released, tmp_path):
    repo, first, _ = released
    (repo.root / "build").mkdir(exist_ok=True)
    (repo.root / "build" / "x.txt").write_text("x", encoding="utf-8")
    before = sorted(p.relative_to(first) for p in first.rglob("*"))
    result = subprocess.run(
        ["make", "-f", str(REPO / "Makefile"), "clean"],
        cwd=repo.root,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert not (repo.root / "build").exists()
    assert sorted(p.relative_to(first) for p in first.rglob("*")) == before
    assert verify_package(first) == []


def test_an_archive_in_build_or_none_at_all_is_refused(tmp_path):
    repo = DocRepo(tmp_path / "repo", tag=False)
    with pytest.raises(StyrdokError, match=r"ingen arkivmapp: ange --archive MAPP"):
        release(repo.root, DOC, "1")
    with pytest.raises(StyrdokError, match=r"'make clean' tar bort"):
        release(repo.root, DOC, "1", archive=repo.root / "build" / "arkiv")
    assert tags(repo) == ["start"] and not (repo.root / "build").exists()


def test_records_metadata_is_validated_with_file_and_line(tmp_path):
    repo = DocRepo(tmp_path / "repo", tag=False)
    repo.edit(
        "dnr:", "bevarande: kanske\nprotokollsparagraf: paragraf tolv\ndnr:", file="document.yaml"
    )
    result = CliRunner().invoke(main, ["check", DOC, "--root", str(repo.root)])
    assert result.exit_code == 1
    yaml_path = repo.folder / "document.yaml"
    assert f"{yaml_path}:6: 'bevarande' är 'kanske'; förväntade bevaras eller gallras" in (
        result.output
    )
    assert f"{yaml_path}:7: 'protokollsparagraf' är 'paragraf tolv'; skriv paragrafens" in (
        result.output
    )


def test_records_defaults_come_from_styrdok_toml_and_gallras_needs_a_decision(tmp_path, office):
    repo = DocRepo(tmp_path / "repo", tag=False)
    repo.settings(SETTINGS.replace("bevaras", "gallras"))
    repo.edit("dnr:", "protokollsparagraf: 12\ndnr:", file="document.yaml")
    repo.commit("Paragraf", WHEN)
    toml = repo.root / "styrdok.toml"
    checked = CliRunner().invoke(main, ["check", DOC, "--root", str(repo.root)])
    assert checked.exit_code == 1
    assert f"{toml}:6: 'bevarande' är gallras men 'gallringsbeslut' saknas" in checked.output
    with pytest.raises(ReleaseError, match=r"styrdok\.toml:6: 'bevarande' är gallras"):
        release(repo.root, DOC, "1")
    assert tags(repo) == ["start"]
    repo.edit("dnr:", "gallringsbeslut: KS 2020/12\ndnr:", file="document.yaml")
    repo.commit("Gallringsbeslut", WHEN)
    package = release(repo.root, DOC, "1", office=office)
    meta = json.loads(next(package.rglob("metadata.json")).read_text(encoding="utf-8"))
    assert meta["records"] == {
        "protokollsparagraf": "§ 12",
        "arkivbildare": "Kommunstyrelsen, Helsingborgs stad",
        "klassificering": "",
        "bevarande": "gallras",
        "gallringsbeslut": "KS 2020/12",
        "informationsklass": "",
        "ersätter": "",
    }
    dc = next(package.rglob("dc.xml")).read_text(encoding="utf-8")
    assert "<dc:rights>Bevarande: gallras (KS 2020/12)</dc:rights>" in dc
    assert "beslutad av Styrgruppen för det bostadssociala programmet 2018-02-12 § 12" in dc


def test_a_broken_styrdok_toml_is_named_with_its_line(tmp_path):
    repo = DocRepo(tmp_path / "repo", tag=False)
    toml = repo.root / "styrdok.toml"
    toml.write_text(
        '[arkiv]\nmapp = "../arkiv"\n\n[metadata]\nbevarande = "kanske"\n"färg" = "blå"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["release", DOC, "--version", "1", "--root", str(repo.root)])
    assert result.exit_code == 1
    assert f"{toml}:5: 'bevarande' är 'kanske'; förväntade bevaras eller gallras" in result.output
    assert f"{toml}:6: okänd nyckel 'färg' i [metadata]" in result.output
    toml.write_text('[arkiv\nmapp = "x"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["release", DOC, "--version", "1", "--root", str(repo.root)])
    assert result.exit_code == 1 and f"{toml}:1: ogiltig TOML" in result.output
    assert "Traceback" not in result.output and tags(repo) == ["start"]
    toml.write_text('arkiv = "../arkiv"\n', encoding="utf-8")  # a part written as a value
    result = CliRunner().invoke(main, ["release", DOC, "--version", "1", "--root", str(repo.root)])
    assert f"{toml}:1: 'arkiv' är en del: skriv [arkiv] på en egen rad" in result.output


def test_protokollsparagraf_is_kept_as_paragraph_sign_and_number(tmp_path):
    repo = DocRepo(tmp_path / "repo", tag=False)
    repo.edit("dnr:", "protokollsparagraf: 123\nersätter: 2014/55\ndnr:", file="document.yaml")
    from styrdok.readers.markdown.source import load_document

    m = load_document(repo.folder).metadata
    assert (m.protokollsparagraf, m.ersätter) == ("§ 123", "2014/55")


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
    (doc_repo.root.parent / "arkiv" / DOC / "3").mkdir(parents=True)
    with pytest.raises(ReleaseError, match="paketet finns redan"):
        release(doc_repo.root, DOC, "3")
    assert "handlingsplan-bostadssociala/3" not in tags(doc_repo)


def test_verify_catches_a_flipped_byte(released, tmp_path):
    package = writable_copy(released[1], tmp_path / "p")
    pdf = next(package.rglob(f"{DOC}.pdf"))
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x01
    pdf.write_bytes(bytes(data))
    assert verify_package(package) == [f"{pdf}: kontrollsumman stämmer inte (filen är ändrad)"]


def test_verify_catches_missing_and_extra_files(released, tmp_path):
    package = writable_copy(released[1], tmp_path / "p")
    body = next(package.rglob("document.md"))
    body.unlink()
    (package / "data" / "extra.txt").write_text("x", encoding="utf-8")
    (package / "README").write_text("x", encoding="utf-8")
    problems = verify_package(package)
    assert f"{body}: saknas" in problems
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
    assert ok.exit_code == 0 and ok.output.startswith(f"{first}: ok (inte jämfört med taggen")
    broken = writable_copy(first, tmp_path / "p")
    next(broken.rglob("metadata.json")).write_text("{}", encoding="utf-8")
    bad = CliRunner().invoke(main, ["verify", str(broken)])
    assert bad.exit_code == 1 and "metadata.json: kontrollsumman stämmer inte" in bad.output
    listed = CliRunner().invoke(main, ["releases", DOC, "--root", str(repo.root)])
    rows = [line.split("\t") for line in listed.output.splitlines()]
    assert [r[:4] for r in rows] == [
        ["2018.1", "2018-02-12", "000/000", f"{DOC}/2018.1"],
        ["2019", "2019-09-16", "000/000", f"{DOC}/2019"],
    ]
    assert [r[5] for r in rows] == [str(first), str(first.parent / "2019")]
    missing = CliRunner().invoke(main, ["verify", str(tmp_path / "nowhere")])
    assert missing.exit_code == 1 and "nowhere: finns inte; ange mappen" in missing.output
    unknown = CliRunner().invoke(main, ["releases", "finns-inte", "--root", str(repo.root)])
    assert unknown.exit_code == 1 and "inget dokument med namnet 'finns-inte'" in unknown.output


def test_releases_of_a_document_never_released(tmp_path):
    repo = DocRepo(tmp_path / "repo", tag=False)
    result = CliRunner().invoke(main, ["releases", DOC, "--root", str(repo.root)])
    assert result.exit_code == 0 and f"{DOC}: inga släppta versioner ännu" in result.output


def test_the_example_history_releases_as_its_script_says(history, office, tmp_path):
    clone = tmp_path / "historik"
    git.Repo.clone_from(history, clone)
    package = release(clone, DOC, "2019", office=office)
    assert package == tmp_path / "arkiv" / DOC / "2019"
    assert verify_package(package) == []
    meta = json.loads(next(package.rglob("metadata.json")).read_text(encoding="utf-8"))
    assert meta["previous_release"] == f"{DOC}/2018"
    assert meta["records"]["arkivbildare"] == "Helsingborgs stad (exempel)"
