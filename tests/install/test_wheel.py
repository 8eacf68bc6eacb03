"""styrdok as a city installs it: the wheel `pip wheel .` builds, installed with pip into a fresh
venv in a temporary folder outside this repository, and run there in a git repository of the
city's own, with no file of this repository on the module path: init, new, check, build (DOCX,
PDF, HTML), a commit and an edit, diff, release and verify.

The wheel is built from a copy of pyproject.toml and src/ (setuptools leaves build/ and an
.egg-info where it builds, and build/ here is styrdok's own output folder). The venv gets its
dependencies from the package index as any install does. Measured on the 2-core development
machine (shared): 15–27 s for the wheel, the venv and the install (pip finds the dependencies in
its cache), 2–9 s for the commands.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support.pdftext import page_texts

from styrdok import __version__

REPO = Path(__file__).resolve().parents[2]
CITY = "Lunds kommun"
DOC, TITLE = "trygghetsplan", "Handlingsplan för trygghet i Lund"
VALUES = {
    "datum": "2026-03-01",
    "dnr": "KS 2026/12",
    "beslutat_av": "Kommunstyrelsen",
    "revideras_av": "Kommunstyrelsen",
    "giltighet": "2026–2028",
    "gäller_för": "Alla förvaltningar",
    "dokumentansvarig": "Säkerhetschef",
}
SETTINGS = {
    "arkivbildare": "Kommunstyrelsen, Lunds kommun",
    "klassificering": "1.2.3",
    "bevarande": "bevaras",
    "informationsklass": "öppen",
}


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None, ok: bool = True):
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    if ok:
        assert done.returncode == 0, f"{' '.join(map(str, args))}:\n{done.stdout}{done.stderr}"
    return done


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    """The bin folder of a fresh venv with the wheel of this repository installed."""
    base = tmp_path_factory.mktemp("wheel")
    assert not base.resolve().is_relative_to(REPO)
    tree = base / "styrdok"
    shutil.copytree(
        REPO / "src", tree / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    shutil.copy2(REPO / "pyproject.toml", tree / "pyproject.toml")
    dist = base / "dist"
    _run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-q", "-w", str(dist)], tree)
    (wheel,) = dist.glob("styrdok-*.whl")
    with zipfile.ZipFile(wheel) as z:  # what styrdok reads at run time travels in the wheel
        names = set(z.namelist())
    assert {
        "styrdok/data/templates/helsingborg/template.docx",
        "styrdok/data/page.css",
        "styrdok/data/project/styrdok.toml",
        "styrdok/data/project/gitlab-ci.yml",
        "styrdok/data/project/github-styrdok.yml",
    } <= names
    _run([sys.executable, "-m", "venv", str(base / "venv")], base)
    bin_dir = base / "venv" / "bin"
    _run([str(bin_dir / "pip"), "install", "-q", str(wheel)], base, _env(bin_dir))
    return bin_dir


def _env(bin_dir: Path) -> dict[str, str]:
    """The environment of a user's shell with the venv first on PATH: no PYTHONPATH (nor any
    other way for this repository's files onto the module path), and a git identity."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.pop("VIRTUAL_ENV", None)
    path = [p for p in env.get("PATH", "").split(os.pathsep) if not Path(p).is_relative_to(REPO)]
    env["PATH"] = os.pathsep.join([str(bin_dir), *path])
    env |= {
        "GIT_AUTHOR_NAME": "Lena Lund",
        "GIT_AUTHOR_EMAIL": "lena@example.invalid",
        "GIT_COMMITTER_NAME": "Lena Lund",
        "GIT_COMMITTER_EMAIL": "lena@example.invalid",
    }
    return env


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = "".join(
            z.read(n).decode() for n in z.namelist() if re.match(r"word/(document|header\d*)", n)
        )
    return " ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def test_the_installed_wheel_runs_a_citys_own_project(venv, tmp_path):
    env = _env(venv)
    styrdok = str(venv / "styrdok")
    project = tmp_path / "lund-styrdokument"
    project.mkdir()
    _run(["git", "init", "-q", "-b", "main"], project, env)
    _run(["git", "config", "user.name", "Lena Lund"], project, env)
    _run(["git", "config", "user.email", "lena@example.invalid"], project, env)

    # the styrdok that runs is the installed one, and nothing of this repository is on its path
    where = _run(
        [
            str(venv / "python"),
            "-c",
            "import styrdok, sys; print(styrdok.__file__); print(sys.path)",
        ],
        project,
        env,
    ).stdout.splitlines()
    assert Path(where[0]).is_relative_to(venv.parent)
    assert str(REPO) not in where[1]
    assert _run([styrdok, "--version"], project, env).stdout.strip().endswith(__version__)

    made = _run([styrdok, "init", "--stad", CITY], project, env).stdout
    assert "skapade templates/lunds-kommun/template.docx" in made and "Nästa steg:" in made
    toml = project / "styrdok.toml"
    text = toml.read_text(encoding="utf-8").replace('mapp = "<saknas>"', 'mapp = "../arkiv"')
    for key, value in SETTINGS.items():
        text = text.replace(f'{key} = "<saknas>"', f'{key} = "{value}"')
    toml.write_text(text, encoding="utf-8")

    _run([styrdok, "new", DOC, "--typ", "plan", "--titel", TITLE], project, env)
    meta = project / "source" / DOC / "document.yaml"
    refused = _run([styrdok, "check"], project, env, ok=False)
    assert refused.returncode == 1 and f"source/{DOC}/document.yaml:4: 'datum'" in refused.stderr
    text = meta.read_text(encoding="utf-8")
    for key, value in VALUES.items():
        text = text.replace(f'{key}: "<saknas>"', f'{key}: "{value}"')
    meta.write_text(text, encoding="utf-8")
    body = project / "source" / DOC / "document.md"
    fields = iter(["Kommunstyrelsen", "Våren 2027", "Årlig rapport till kommunstyrelsen"])
    body.write_text(
        re.sub(r"\\<saknas>", lambda _: next(fields), body.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    checked = _run([styrdok, "check"], project, env)
    assert checked.stdout.strip() == f"{DOC}: ok (2 avsnitt, 1 åtgärder)", checked.stderr

    built = _run([styrdok, "build"], project, env)
    assert "1 byggda" in built.stderr
    out = project / "build" / DOC
    docx = _docx_text(out / f"{DOC}.docx")
    assert TITLE in docx and "LUNDS KOMMUN" in docx and "Lunds kommuns styrdokument" in docx
    assert "Helsingborg" not in docx and "HELSINGBORG" not in docx
    pdf = out / f"{DOC}.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    first = " ".join(page_texts(pdf)[0].split())  # the title breaks over two lines
    assert first.startswith("LUNDS KOMMUN") and TITLE in first
    assert "Lunds kommuns styrdokument" in first and "Helsingborg" not in first
    page = (out / "index.html").read_text(encoding="utf-8")
    assert f"<h1>{TITLE}</h1>" in page and '<p class="city">LUNDS KOMMUN</p>' in page
    register = (project / "build" / "index.html").read_text(encoding="utf-8")
    assert "<title>Styrdokument – Lunds kommun</title>" in register and TITLE in register

    _run(["git", "add", "-A"], project, env)
    _run(["git", "commit", "-q", "-m", "Handlingsplanen"], project, env)
    body.write_text(
        body.read_text(encoding="utf-8").replace("Årlig rapport", "Rapport varje kvartal"),
        encoding="utf-8",
    )
    diffed = _run([styrdok, "diff", DOC, "--from", "HEAD", "--format", "json,html"], project, env)
    folder = out / "diff-HEAD..arbetskopian"
    assert diffed.stdout.split() == [
        f"build/{DOC}/diff-HEAD..arbetskopian/changes.{f}" for f in ("html", "json")
    ]
    changes = json.loads((folder / "changes.json").read_text(encoding="utf-8"))
    assert "Rapport varje kvartal" in json.dumps(changes, ensure_ascii=False)
    assert "Årlig rapport" in json.dumps(changes, ensure_ascii=False)
    assert '<p class="city">LUNDS KOMMUN</p>' in (folder / "changes.html").read_text("utf-8")

    _run(["git", "commit", "-q", "-am", "Uppföljning varje kvartal"], project, env)
    released = _run([styrdok, "release", DOC, "--version", "2026"], project, env)
    package = tmp_path / "arkiv" / DOC / "2026"
    assert released.stdout.strip() == str(package.resolve())
    source = next(package.glob("data/*/representations/kalla/data"))
    assert (source / "templates" / "lunds-kommun" / "template.docx").is_file()
    assert 'namn = "Lunds kommun"' in (source / "styrdok.toml").read_text(encoding="utf-8")
    record = json.loads(next(package.rglob("metadata.json")).read_text(encoding="utf-8"))
    assert record["records"]["arkivbildare"] == "Kommunstyrelsen, Lunds kommun"
    assert record["template"]["path"] == "templates/lunds-kommun/template.docx"
    archived = next(package.rglob(f"representations/docx/data/{DOC}.docx"))
    assert "Rapport varje kvartal" in _docx_text(archived)
    # the package's source is a project of its own that finds its template and rebuilds the DOCX
    # as `styrdok build` makes it (laid out by LibreOffice: its table of contents has page numbers)
    rebuilt = tmp_path / "ombyggd"
    _run([styrdok, "build", DOC, "-o", str(rebuilt)], source, env)
    assert (rebuilt / DOC / f"{DOC}.docx").read_bytes() == archived.read_bytes()

    verified = _run([styrdok, "verify", str(package)], project, env)
    assert verified.stdout.strip() == f"{package}: ok (stämmer med taggen {DOC}/2026)"
    # a changed byte in the package is found
    readme = next(package.rglob("LASMIG.txt"))
    readme.chmod(0o644)
    readme.write_bytes(readme.read_bytes() + b" ")
    spoiled = _run([styrdok, "verify", str(package)], project, env, ok=False)
    assert spoiled.returncode == 1 and "LASMIG.txt" in spoiled.stderr


def test_the_wheels_template_is_the_repositorys(venv):
    """The template a new project copies is the one this repository's example uses."""
    site = next(venv.parent.glob("lib/python*/site-packages/styrdok"))
    shipped = site / "data" / "templates" / "helsingborg" / "template.docx"
    assert (
        shipped.read_bytes() == (REPO / "templates" / "helsingborg" / "template.docx").read_bytes()
    )
