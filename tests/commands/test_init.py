"""`styrdok init` and the city in styrdok.toml: what a new project holds, what init refuses and
never overwrites, the `<saknas>` values that `check` names at their lines, the city's name in
the template, the web pages and the register, and the settings' messages."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import git
import pytest
import yaml
from click.testing import CliRunner

from styrdok import __version__
from styrdok.cli import main
from styrdok.commands.init import template_name
from styrdok.errors import SourceError
from styrdok.project.layout import Project
from styrdok.project.names import TEMPLATE_DIR
from styrdok.project.settings import DEFAULT_CITY, City, load_settings

LUND = "Lunds kommun"
MADE = (
    "styrdok.toml",
    "source/README.md",
    ".gitignore",
    ".gitlab-ci.yml",
    ".github/workflows/styrdok.yml",
)
FILLED = {
    "mapp": "../arkiv",
    "arkivbildare": "Kommunstyrelsen, Lunds kommun",
    "klassificering": "1.2.3",
    "bevarande": "bevaras",
    "informationsklass": "öppen",
}


def init(folder: Path, *args: str):
    return CliRunner().invoke(main, ["init", str(folder), *args])


def files(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def word_texts(docx: bytes) -> str:
    """The text of a DOCX's document, header and footer parts, as one string of their w:t."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        xml = "".join(
            z.read(n).decode()
            for n in z.namelist()
            if re.match(r"word/(document|header\d*|footer\d*)\.xml$", n)
        )
    return " | ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def fill(toml: Path) -> None:
    text = toml.read_text(encoding="utf-8")
    for key, value in FILLED.items():
        text = text.replace(f'{key} = "<saknas>"', f'{key} = "{value}"')
    toml.write_text(text, encoding="utf-8")


def new_document(root: Path, name: str, title: str) -> None:
    """A policy made by `styrdok new` with its metadata filled in."""
    args = ["new", name, "--typ", "policy", "--titel", title, "--root", str(root)]
    made = CliRunner().invoke(main, args)
    assert made.exit_code == 0, made.output
    meta = root / "source" / name / "document.yaml"
    text = meta.read_text(encoding="utf-8")
    for key, value in {
        "datum": "2026-03-01",
        "dnr": "KS 2026/1",
        "beslutat_av": "Kommunfullmäktige",
        "revideras_av": "Kommunstyrelsen",
        "giltighet": "2026–2030",
        "gäller_för": "Hela kommunen",
        "dokumentansvarig": "Kanslichef",
    }.items():
        text = text.replace(f'{key}: "<saknas>"', f'{key}: "{value}"')
    meta.write_text(text, encoding="utf-8")


# --- what init makes ------------------------------------------------------------------------------


def test_init_makes_a_project_whose_placeholders_check_names_at_their_lines(tmp_path):
    root = tmp_path / "lund"
    result = init(root, "--stad", LUND)
    assert result.exit_code == 0, result.output
    for name in MADE:
        assert (root / name).is_file(), name
        assert f"skapade {name}" in result.output
    template = root / "templates" / "lunds-kommun" / "template.docx"
    assert template.is_file() and "skapade templates/lunds-kommun/template.docx" in result.output
    assert "Nästa steg:" in result.output and "git init" in result.output  # not in a repository
    assert not [p for p in (root / "source").iterdir() if p.is_dir()]  # no document yet
    assert (root / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "/build/"

    toml = root / "styrdok.toml"
    data = tomllib.loads(toml.read_text(encoding="utf-8"))
    assert data["stad"] == {"namn": LUND, "sidhuvud": "LUNDS KOMMUN"}
    assert data["mall"] == {"namn": "lunds-kommun"}
    assert data["arkiv"] == {"mapp": "<saknas>"}
    assert set(data["metadata"]) == set(FILLED) - {"mapp"}
    lines = toml.read_text(encoding="utf-8").splitlines()
    expected = [n for n, line in enumerate(lines, 1) if line.endswith('= "<saknas>"')]
    assert len(expected) == 5

    checked = CliRunner().invoke(main, ["check", "--root", str(root)])
    assert checked.exit_code == 1
    named = [int(n) for n in re.findall(rf"^{re.escape(str(toml))}:(\d+): ", checked.output, re.M)]
    assert named == expected  # each at its own line, in order
    assert f"{toml}:{expected[0]}: 'mapp' i [arkiv] är inte ifyllt ännu (<saknas>); skriv " in (
        checked.output
    )
    assert "'arkivbildare' i [metadata] är inte ifyllt ännu (<saknas>)" in checked.output
    assert "inga dokument ännu; skapa ett med styrdok new" in checked.output
    assert checked.output.rstrip().endswith("styrdok: fel i styrdok.toml")

    fill(toml)
    checked = CliRunner().invoke(main, ["check", "--root", str(root)])
    assert checked.exit_code == 0, checked.output
    assert "<saknas>" not in checked.output


def test_a_project_with_placeholders_still_builds_but_does_not_release(tmp_path):
    root = tmp_path / "lund"
    assert init(root, "--stad", LUND).exit_code == 0
    new_document(root, "plan", "Policy för test")
    repo = git.Repo.init(root, initial_branch="main")
    repo.git.add(A=True)
    actor = git.Actor("Anna Andersson", "anna@example.invalid")
    repo.index.commit("Start", author=actor, committer=actor)
    runner = CliRunner()
    built = runner.invoke(main, ["build", "--format", "docx", "--root", str(root)])
    assert built.exit_code == 0, built.output
    text = word_texts((root / "build" / "plan" / "plan.docx").read_bytes())
    assert "Policy för test" in text and "LUNDS KOMMUN" in text
    released = runner.invoke(main, ["release", "plan", "--version", "1", "--root", str(root)])
    assert released.exit_code == 1
    toml = root / "styrdok.toml"
    assert re.search(
        rf"{re.escape(str(toml))}:\d+: 'mapp' i \[arkiv\] är inte ifyllt", released.output
    )
    assert "eller ange --archive MAPP" in released.output
    released = runner.invoke(
        main,
        [
            "release",
            "plan",
            "--version",
            "1",
            "--archive",
            str(tmp_path / "a"),
            "--root",
            str(root),
        ],
    )
    assert released.exit_code == 1
    assert "styrdok.toml är inte ifylld; fyll i (eller ta bort) raderna:" in released.output
    assert "'informationsklass' i [metadata] är inte ifyllt" in released.output
    assert not (tmp_path / "a").exists()


def test_without_stad_the_project_is_helsingborgs_and_the_template_the_built_in_one(tmp_path):
    root = tmp_path / "hbg"
    assert init(root).exit_code == 0
    copy = root / "templates" / "helsingborg" / "template.docx"
    assert copy.read_bytes() == (TEMPLATE_DIR / "template.docx").read_bytes()
    settings = load_settings(root)
    assert settings.city == DEFAULT_CITY and settings.template == "helsingborg"
    assert Project(root).own_templates == root / "templates" / "helsingborg"


def test_stad_puts_the_name_into_the_template_and_nothing_else(tmp_path):
    root = tmp_path / "lund"
    assert init(root, "--stad", LUND).exit_code == 0
    built_in = (TEMPLATE_DIR / "template.docx").read_bytes()
    copy = (root / "templates" / "lunds-kommun" / "template.docx").read_bytes()
    before, after = word_texts(built_in), word_texts(copy)
    assert "HELSINGBORG" in before and "Helsingborgs stads styrdokument" in before
    assert "Helsingborg" not in after and "HELSINGBORG" not in after
    assert after == before.replace("HELSINGBORG", "LUNDS KOMMUN").replace(
        "Helsingborgs stads styrdokument", "Lunds kommuns styrdokument"
    )
    with zipfile.ZipFile(io.BytesIO(copy)) as z:
        core = z.read("docProps/core.xml").decode()
        names = z.namelist()
    assert "<dc:title>Lunds kommun – mall</dc:title>" in core and "Helsingborg" not in core
    with zipfile.ZipFile(io.BytesIO(built_in)) as z:
        assert sorted(names) == sorted(z.namelist())
    settings = load_settings(root)
    assert settings.city == City(LUND, "LUNDS KOMMUN") and settings.template == "lunds-kommun"
    assert Project(root).templates == root / "templates" / "lunds-kommun"


def test_the_web_pages_and_the_register_carry_the_citys_name(tmp_path):
    root = tmp_path / "lund"
    assert init(root, "--stad", LUND).exit_code == 0
    new_document(root, "plan-test", "Policy för test")
    runner = CliRunner()
    built = runner.invoke(main, ["build", "--format", "html", "--root", str(root)])
    assert built.exit_code == 0, built.output
    page = (root / "build" / "plan-test" / "index.html").read_text(encoding="utf-8")
    register = (root / "build" / "index.html").read_text(encoding="utf-8")
    assert '<p class="city">LUNDS KOMMUN</p>' in page
    assert "<title>Styrdokument – Lunds kommun</title>" in register
    assert "Register över Lunds kommuns styrdokument" in register
    assert "<caption>Lunds kommuns styrdokument, 1 st," in register
    assert "Helsingborg" not in page + register and "HELSINGBORG" not in page + register

    # a new header word in styrdok.toml is a new input: the page is made again
    toml = root / "styrdok.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('"LUNDS KOMMUN"', '"LUND"'), encoding="utf-8"
    )
    built = runner.invoke(main, ["build", "--format", "html", "--root", str(root)])
    assert "1 byggda" in built.output
    page = (root / "build" / "plan-test" / "index.html").read_text(encoding="utf-8")
    register = (root / "build" / "index.html").read_text(encoding="utf-8")
    assert '<p class="city">LUND</p>' in page and '<p class="city">LUND</p>' in register


# --- what init refuses and never overwrites ------------------------------------------------------


@pytest.mark.parametrize("existing", ["styrdok.toml", "source"])
def test_a_folder_with_a_project_is_refused_and_nothing_written(tmp_path, existing):
    root = tmp_path / "proj"
    root.mkdir()
    if existing == "source":
        (root / "source" / "plan").mkdir(parents=True)
        (root / "source" / "plan" / "document.md").write_text("# Text {#text}\n", "utf-8")
    else:
        (root / existing).write_text('[arkiv]\nmapp = "/srv/arkiv"\n', encoding="utf-8")
    before = files(root)
    result = init(root, "--stad", LUND)
    assert result.exit_code == 1
    assert f"{root}: har redan ett styrdok-projekt ({existing}" in result.output
    assert "init skriver aldrig över" in result.output and "Traceback" not in result.output
    assert files(root) == before
    assert sorted(p.name for p in root.iterdir()) == [existing]


def test_existing_files_are_kept_as_they_are_and_named(tmp_path):
    root = tmp_path / "repo"
    (root / ".github" / "workflows").mkdir(parents=True)
    own = {
        ".gitignore": b"*.tmp\n",
        ".gitlab-ci.yml": b"test:\n  script: [echo egen]\n",
        "README.md": b"# Lunds styrdokument\n",
    }
    for name, data in own.items():
        (root / name).write_bytes(data)
    result = init(root, "--stad", LUND)
    assert result.exit_code == 0, result.output
    for name, data in own.items():
        assert (root / name).read_bytes() == data  # never overwritten
    assert "fanns redan och lämnades orörd: .gitignore (lägg till raden /build/ i den)" in (
        result.output
    )
    assert "fanns redan och lämnades orörd: .gitlab-ci.yml" in result.output
    assert "skapade .gitlab-ci.yml" not in result.output
    assert (root / ".github" / "workflows" / "styrdok.yml").is_file()
    assert (root / "styrdok.toml").is_file()
    # a second init is refused now: the folder has a project
    again = init(root, "--stad", "Malmö stad")
    assert again.exit_code == 1 and "har redan ett styrdok-projekt" in again.output
    assert not (root / "templates" / "malmo-stad").exists()


@pytest.mark.parametrize("stad", ["", "  ", "Lund\nkommun", "x" * 101])
def test_a_stad_that_cannot_be_a_name_is_refused(tmp_path, stad):
    result = init(tmp_path / "p", "--stad", stad)
    assert result.exit_code == 1
    assert "--stad: skriv stadens eller kommunens namn på en rad" in result.output
    assert not (tmp_path / "p").exists()


def test_init_in_a_file_is_refused(tmp_path):
    blocker = tmp_path / "fil"
    blocker.write_text("x", encoding="utf-8")
    result = init(blocker)
    assert result.exit_code == 1 and f"{blocker}: är en fil" in result.output


def test_a_failure_midway_removes_what_init_made(tmp_path, monkeypatch):
    from styrdok.commands import init as init_module

    real = init_module.renamed

    def broken(*args):  # the template cannot be made: a disk that is full, say
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(init_module, "renamed", broken)
    root = tmp_path / "ny" / "lund"
    with pytest.raises(OSError):
        init_module.init_project(root, LUND)
    assert not (tmp_path / "ny").exists()
    monkeypatch.setattr(init_module, "renamed", real)

    # a failure while writing: the files made so far go, the folder that was there stays
    root = tmp_path / "lund"
    root.mkdir()
    (root / "README.md").write_text("egen\n", encoding="utf-8")
    writes = []
    real_open = Path.open

    def failing_open(self, mode="r", *args, **kwargs):
        if "x" in mode:
            writes.append(self)
            if len(writes) == 3:
                raise OSError(28, "No space left on device")
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", failing_open)
    with pytest.raises(OSError):
        init_module.init_project(root, LUND)
    monkeypatch.setattr(Path, "open", real_open)
    assert files(root) == {"README.md": b"egen\n"}
    assert sorted(p.name for p in root.iterdir()) == ["README.md"]


# --- the names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "genitive", "folder"),
    [
        ("Helsingborgs stad", "Helsingborgs stads", "helsingborg"),
        ("Lunds kommun", "Lunds kommuns", "lunds-kommun"),
        ("Västerås", "Västerås", "vasteras"),
        ("Region Skåne", "Region Skånes", "region-skane"),
        ("Malmö stad", "Malmö stads", "malmo-stad"),
        ("Kalix", "Kalix", "kalix"),
    ],
)
def test_names_genitive_and_template_folder(name, genitive, folder):
    city = DEFAULT_CITY if name == DEFAULT_CITY.name else City(name, name.upper())
    assert city.genitive == genitive
    assert template_name(city) == folder


# --- settings: [stad] and [mall] ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[stad]\nnamn = "Lund\\nkommun"\n', "2: 'namn' i [stad] ska stå på en rad"),
        (
            '[stad]\nsidhuvud = "' + "X" * 41 + '"\n',
            "2: 'sidhuvud' i [stad] är 41 tecken; skriv högst 40",
        ),
        ("[stad]\nnamn = 12\n", "2: 'namn' ska vara en text inom citattecken"),
        ('[stad]\nort = "Lund"\n', "2: okänd nyckel 'ort' i [stad]; kända nycklar: namn, sidhuvud"),
        (
            '[mall]\nnamn = "../lund"\n',
            "2: 'namn' i [mall] får bara innehålla a–z, A–Z, siffror och . _ - (och börja och "
            "sluta med en bokstav eller siffra); det är mallens mapp i templates/",
        ),
        ('stad = "Lund"\n', "1: 'stad' är en del: skriv [stad] på en egen rad"),
        ('[ort]\nnamn = "Lund"\n', "1: okänd del 'ort'; kända delar: [stad], [mall], [arkiv]"),
    ],
)
def test_bad_city_settings_are_named_with_line_and_fix(tmp_path, toml, message):
    (tmp_path / "styrdok.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(SourceError) as e:
        load_settings(tmp_path)
    assert f"{tmp_path / 'styrdok.toml'}:{message}" in str(e.value)


def test_city_defaults(tmp_path):
    toml = tmp_path / "styrdok.toml"
    assert load_settings(tmp_path).city == DEFAULT_CITY  # no styrdok.toml
    toml.write_text('[stad]\nnamn = "Lunds kommun"\n', encoding="utf-8")
    assert load_settings(tmp_path).city == City(LUND, "LUNDS KOMMUN")  # header from the name
    toml.write_text('[stad]\nsidhuvud = "HBG"\n', encoding="utf-8")
    assert load_settings(tmp_path).city == City("Helsingborgs stad", "HBG")
    toml.write_text('[mall]\nnamn = "lund"\n', encoding="utf-8")
    assert Project(tmp_path).own_templates == tmp_path / "templates" / "lund"
    # a project's template that is missing: the build says so and uses styrdok's own
    assert Project(tmp_path).templates == TEMPLATE_DIR


# --- the CI definitions ---------------------------------------------------------------------------


CHECKER = Path(sys.executable).with_name("check-jsonschema")


def test_ci_definitions_check_on_push_build_on_a_schedule_and_keep_artifacts(tmp_path):
    root = tmp_path / "p"
    assert init(root, "--stad", LUND).exit_code == 0
    gitlab_file, github_file = (
        root / ".gitlab-ci.yml",
        root / ".github" / "workflows" / "styrdok.yml",
    )
    gitlab = yaml.safe_load(gitlab_file.read_text(encoding="utf-8"))
    assert gitlab["variables"]["STYRDOK"] == f"styrdok=={__version__}"
    assert gitlab["kontroll"]["script"] == ["styrdok check"]
    assert gitlab["kontroll"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "push"'}]
    assert gitlab["bygge"]["script"] == ["styrdok build"]
    assert {"if": '$CI_PIPELINE_SOURCE == "schedule"'} in gitlab["bygge"]["rules"]
    assert gitlab["bygge"]["artifacts"]["paths"] == ["build/"]
    assert "libreoffice-writer-nogui python3-uno" in gitlab["bygge"]["variables"]["PDF_PAKET"]
    assert any("styrdok status" in line for line in gitlab["status"]["script"])
    assert gitlab["status"]["artifacts"]["paths"] == ["status.csv"]
    install = " ".join(gitlab[".styrdok"]["before_script"])
    assert 'pip install --quiet "$STYRDOK"' in install and "apt-get install" in install

    github = yaml.safe_load(github_file.read_text(encoding="utf-8"))
    on = github[True]  # YAML 1.1 reads the key `on` as true
    assert set(on) == {"push", "schedule", "workflow_dispatch"}
    assert github["env"]["STYRDOK"] == f"styrdok=={__version__}"
    check_steps = [s.get("run", "") for s in github["jobs"]["kontroll"]["steps"]]
    assert "styrdok check" in check_steps and github["jobs"]["kontroll"]["if"] == (
        "github.event_name == 'push'"
    )
    build_steps = github["jobs"]["bygge"]["steps"]
    runs = "\n".join(s.get("run", "") for s in build_steps)
    assert "styrdok build" in runs and "styrdok status" in runs
    assert "libreoffice-writer-nogui python3-uno fonts-liberation2" in runs
    upload = next(s for s in build_steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"].split() == ["build/", "status.csv"]
    for text in (gitlab_file, github_file):  # commented in Swedish
        assert "# styrdoks version, låst" in text.read_text(encoding="utf-8")

    # both against their services' published schemas (check-jsonschema carries them)
    for schema, path in (
        ("vendor.gitlab-ci", gitlab_file),
        ("vendor.github-workflows", github_file),
    ):
        done = subprocess.run(
            [str(CHECKER), "--builtin-schema", schema, str(path)], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr
    # and the check can fail: a job whose rules are no list
    spoiled = tmp_path / "spoiled.yml"
    spoiled.write_text(
        gitlab_file.read_text(encoding="utf-8").replace(
            '  rules:\n    - if: $CI_PIPELINE_SOURCE == "push"', "  rules: ja", 1
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [str(CHECKER), "--builtin-schema", "vendor.gitlab-ci", str(spoiled)], capture_output=True
    )
    assert done.returncode == 1


def test_check_warns_when_the_template_and_styrdok_toml_name_different_cities(tmp_path):
    """The Word files' header comes from the template, the web pages' from [stad]: renamed in
    one place only, check says so at the line of [stad] sidhuvud (a warning: --strict fails)."""
    root = tmp_path / "lund"
    assert init(root, "--stad", LUND).exit_code == 0
    toml = root / "styrdok.toml"
    fill(toml)
    assert CliRunner().invoke(main, ["check", "--strict", "--root", str(root)]).exit_code == 0
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('sidhuvud = "LUNDS KOMMUN"', 'sidhuvud = "MALMÖ"'), "utf-8")
    lines = toml.read_text("utf-8").splitlines()
    line = next(n for n, s in enumerate(lines, 1) if s.startswith("sidhuvud"))
    checked = CliRunner().invoke(main, ["check", "--root", str(root)])
    assert checked.exit_code == 0, checked.output
    template = root / "templates" / "lunds-kommun" / "template.docx"
    assert f"{toml}:{line}: varning: mallens sidhuvud ({template}) börjar med 'LUNDS KOMMUN'" in (
        checked.output
    )
    assert "men [stad] sidhuvud är 'MALMÖ'" in checked.output
    strict = CliRunner().invoke(main, ["check", "--strict", "--root", str(root)])
    assert strict.exit_code == 1 and "varningar i styrdok.toml (--strict)" in strict.output


def test_the_remiss_and_follow_up_reports_carry_the_citys_name(tmp_path):
    """The remissammanställning's and the uppföljningsrapport's web pages are under the
    project's banner, as its documents' pages are."""
    from datetime import date

    from support.followup import DOC, project

    from styrdok.commands.remiss import send, summary
    from styrdok.commands.uppfoljning import report

    root = tmp_path / "lund"
    assert init(root, "--stad", LUND).exit_code == 0
    new_document(root, "policy-test", "Policy för test")
    repo = git.Repo.init(root, initial_branch="main")
    repo.git.add("-A")
    repo.index.commit("Start", author=git.Actor("T", "t@x.invalid"))
    send(root, "policy-test", "2027-1", ["Tekniska nämnden"], date(2027, 3, 31), formats=("docx",))
    (page,) = summary(root, "policy-test", "2027-1", ("html",))
    text = page.read_text(encoding="utf-8")
    assert '<p class="city">LUNDS KOMMUN</p>' in text and "HELSINGBORG" not in text

    p = project(tmp_path)
    (p.root / "styrdok.toml").write_text(
        '[stad]\nnamn = "Lunds kommun"\nsidhuvud = "LUNDS KOMMUN"\n', encoding="utf-8"
    )
    folder = p.source / DOC / "uppfoljning"
    folder.mkdir(exist_ok=True)
    (folder / "2025.yaml").write_text(
        "år: 2025\nåtgärder:\n  oversyn-bestand:\n    Fastighetsförvaltningen:\n"
        "      status: påbörjad\n",
        encoding="utf-8",
    )
    (page,) = report(Project(p.root), DOC, 2025, ("html",))
    text = page.read_text(encoding="utf-8")
    assert '<p class="city">LUNDS KOMMUN</p>' in text and "HELSINGBORG" not in text
