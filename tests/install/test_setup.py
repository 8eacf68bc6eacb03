"""The set-up's choice of system packages (scripts/system-packages, run by `make build` and
`make test`), on machines simulated by fake commands on PATH: only what is missing is asked
for, `build` never asks for the tests' browser or npm, and Debian's npm is never asked for
beside NodeSource's Node.js."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "system-packages"
TOOLS = ("bash", "grep", "env", "cat")  # what the script runs besides the machine's commands


def fake(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!/bin/bash\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def machine(tmp_path: Path, *, has: set[str], nodesource: bool = False) -> dict[str, str]:
    """A PATH of fake commands: those in `has` are present, apt-get records its calls."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in TOOLS:
        os.symlink(shutil.which(tool), bin_dir / tool)
    fake(bin_dir, "id", "echo 0")
    fake(bin_dir, "apt-get", f'echo "$@" >> {tmp_path / "apt.log"}')
    for command in ("soffice", "pdftoppm", "npm"):
        if command in has:
            fake(bin_dir, command, "exit 0")
    fonts = "Liberation Sans:style=Regular" if "fonts" in has else ""
    fake(bin_dir, "fc-list", f"echo '{fonts}'")
    fake(bin_dir, "python3", "exit 0" if "uno" in has else "exit 1")
    fake(bin_dir, "chromium", "exit 0")
    if "chromium" not in has:
        (bin_dir / "chromium").chmod(0o644)
    installed = {"libreoffice-calc-nogui"} & has
    node = "Version: 20.20.2-1nodesource1" if nodesource else ""
    fake(
        bin_dir,
        "dpkg",
        'case "$2" in '
        + "".join(f"{p}) exit 0;; " for p in installed)
        + f"nodejs) {'echo ' + repr(node) + '; exit 0' if node else 'exit 1'};; "
        + "*) exit 1;; esac",
    )
    return {
        "PATH": str(bin_dir),
        "SYSTEM_PYTHON": str(bin_dir / "python3"),
        "CHROMIUM": str(bin_dir / "chromium"),
    }


def run(tmp_path: Path, stage: str, env: dict[str, str]) -> tuple[subprocess.CompletedProcess, str]:
    done = subprocess.run(
        [str(Path(env["PATH"]) / "bash"), str(SCRIPT), stage],
        env=env,
        capture_output=True,
        text=True,
    )
    log = tmp_path / "apt.log"
    return done, log.read_text(encoding="utf-8") if log.exists() else ""


EVERYTHING = {"soffice", "uno", "fonts", "pdftoppm", "chromium", "npm", "libreoffice-calc-nogui"}


@pytest.mark.parametrize(
    ("stage", "has", "asked"),
    [
        ("build", EVERYTHING, None),
        ("test", EVERYTHING, None),
        ("build", set(), "libreoffice-writer-nogui python3-uno fonts-liberation2"),
        ("build", EVERYTHING - {"soffice"}, "libreoffice-writer-nogui"),
        ("test", EVERYTHING - {"chromium", "pdftoppm"}, "poppler-utils chromium"),
        ("test", EVERYTHING - {"npm"}, "npm"),
        ("test", EVERYTHING - {"libreoffice-calc-nogui"}, "libreoffice-calc-nogui"),
        ("build", {"npm"}, "libreoffice-writer-nogui python3-uno fonts-liberation2"),
    ],
)
def test_only_what_is_missing_is_asked_for(tmp_path, stage, has, asked):
    done, log = run(tmp_path, stage, machine(tmp_path, has=has))
    assert done.returncode == 0, done.stderr
    if asked is None:
        assert log == "" and done.stdout == ""
    else:
        assert log.splitlines() == [
            "update -qq",
            f"install -y -qq --no-install-recommends {asked}",
        ]
        assert f"Installerar systempaket: {asked}" in done.stdout


def test_nodesource_node_with_only_libreoffice_missing(tmp_path):
    """The reported machine: Node.js and its npm from NodeSource, LibreOffice missing. Only
    LibreOffice is asked for; Debian's npm (which conflicts with it) never."""
    env = machine(tmp_path, has=EVERYTHING - {"soffice"}, nodesource=True)
    for stage in ("build", "test"):
        done, log = run(tmp_path, stage, env)
        assert done.returncode == 0, done.stderr
        assert "npm" not in log.split("--no-install-recommends")[-1]
    assert log.count("libreoffice-writer-nogui") == 2


def test_nodesource_node_without_its_npm_is_refused_not_broken(tmp_path):
    env = machine(tmp_path, has=EVERYTHING - {"npm"}, nodesource=True)
    done, log = run(tmp_path, "test", env)
    assert done.returncode == 1 and log == ""
    assert "NodeSource" in done.stderr and "krockar" in done.stderr
