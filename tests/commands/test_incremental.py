"""Incremental builds: only what changed is rebuilt, by content hashes, never by timestamps."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from styrdok.cli import main

REPO = Path(__file__).resolve().parents[2]


def project(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    for name in ("program-trygghet", "riktlinjer-sociala-medier"):
        shutil.copytree(REPO / "source" / name, root / "source" / name)
    shutil.copytree(REPO / "templates", root / "templates")
    return root


def build(root: Path, *args: str):
    result = CliRunner().invoke(main, ["build", "--format", "docx", *args, "--root", str(root)])
    assert result.exit_code == 0, result.output
    return result.output


def stamps(root: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in (root / "build").rglob("*.docx")
    }


def test_an_unchanged_rebuild_rewrites_nothing(tmp_path):
    root = project(tmp_path)
    assert "2 byggda, 0 oförändrade" in build(root)
    before = stamps(root)
    assert "inget att bygga; 2 oförändrade" in build(root)
    assert stamps(root) == before


def test_a_changed_source_rebuilds_that_document_only(tmp_path):
    root = project(tmp_path)
    build(root)
    before = stamps(root)
    body = root / "source" / "program-trygghet" / "document.md"
    body.write_text(body.read_text(encoding="utf-8").replace("trygga", "säkra"), "utf-8")
    output = build(root)
    assert "1 byggda, 1 oförändrade" in output and "program-trygghet.docx" in output
    after = stamps(root)
    riktlinjer = "build/riktlinjer-sociala-medier/riktlinjer-sociala-medier.docx"
    assert after[riktlinjer] == before[riktlinjer]
    program = "build/program-trygghet/program-trygghet.docx"
    assert after[program] != before[program]


def test_a_changed_template_or_force_rebuilds_all(tmp_path):
    root = project(tmp_path)
    build(root)
    assert "2 byggda" in build(root, "--force")
    template = root / "templates" / "helsingborg" / "template.docx"
    template.write_bytes(template.read_bytes() + b"\0")  # another template (a zip tolerates it)
    assert "2 byggda, 0 oförändrade" in build(root)


def test_a_missing_or_hand_edited_output_is_rebuilt(tmp_path):
    root = project(tmp_path)
    build(root)
    edited = root / "build" / "program-trygghet" / "program-trygghet.docx"
    edited.write_bytes(edited.read_bytes() + b"x")
    (root / "build" / "riktlinjer-sociala-medier" / "riktlinjer-sociala-medier.docx").unlink()
    assert "2 byggda, 0 oförändrade" in build(root)
    assert "inget att bygga" in build(root)


def test_quiet_drops_the_summary_and_a_terminal_gets_a_progress_bar(tmp_path):
    import subprocess
    import sys

    root = project(tmp_path)
    assert "oförändrade" not in build(root, "-q")
    styrdok = Path(sys.executable).with_name("styrdok")
    command = f"{styrdok} build --force --format docx --root {root}"
    log = tmp_path / "terminal.log"
    subprocess.run(["script", "-qc", command, str(log)], check=True, capture_output=True)
    seen = log.read_bytes().decode("utf-8", "replace")
    assert "program-trygghet" in seen and "/2" in seen  # the bar: a document, done/total
    assert "styrdok: 2 byggda, 0 oförändrade" in seen
