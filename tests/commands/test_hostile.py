"""The hostile suite: bad source, odd arguments, faults with real signals and a real LibreOffice,
and tampered packages. Every case asserts the exit code, a Swedish message that says what to do,
no traceback, and that nothing was lost, half-written or left behind (staging folders, part
files, LibreOffice processes and profiles)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import git
import pytest
from click.testing import CliRunner
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from support.gitrepo import DOC, SETTINGS

from styrdok.archive.package import stage_package, verify_package
from styrdok.cli import main
from styrdok.project.publish import remove_tree
from styrdok.writers import register

REPO = Path(__file__).resolve().parents[2]
RT_LINK = RELATIONSHIP_TYPE.HYPERLINK
STYRDOK = Path(sys.executable).with_name("styrdok")
NAME = "liten"  # the document of the 'good' fixture project
# How long the LibreOffice workers may take to stop LibreOffice and remove their profiles after
# styrdok was killed (1.1–1.6 s measured, also with both cores busy).
CLEAN_UP = 10.0
ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="mount needs root")


# --- helpers -------------------------------------------------------------------------------------


@pytest.fixture
def proj(tmp_path) -> Path:
    """A small project of our own (the 'good' fixture and the city's template) in git."""
    root = tmp_path / "proj"
    shutil.copytree(REPO / "tests" / "roots" / "good", root)
    shutil.copytree(REPO / "templates", root / "templates")
    (root / ".gitignore").write_text("/build/\n", encoding="utf-8")
    (root / "styrdok.toml").write_text(SETTINGS, encoding="utf-8")
    repo = git.Repo.init(root, initial_branch="main")
    repo.index.add([".gitignore", "styrdok.toml", "source", "templates"])
    actor = git.Actor("Anna Andersson", "anna@example.invalid")
    repo.index.commit("Start", author=actor, committer=actor)
    return root


def run(root: Path, *args: str):
    return CliRunner().invoke(main, [*args, "--root", str(root)] if root else list(args))


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under root (git's own folder aside) with its size and modification time."""
    return {
        p.relative_to(root).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def refused(result, message: str, code: int = 1) -> None:
    """A clean refusal: the exit code, the message, and no traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exception,
        result.output,
    )
    assert result.exit_code == code, result.output
    assert message in result.output, result.output
    assert "Traceback" not in result.output


def leftovers(*folders: Path) -> list[Path]:
    """Staging folders and part files of styrdok under the folders, and LibreOffice profiles."""
    found = [p for f in folders if f.exists() for p in f.rglob(".styrdok-*")]
    found += [p for f in folders if f.exists() for p in f.rglob("*.part")]
    return found


def no_libreoffice_of(pid: int) -> bool:
    """No LibreOffice profile of this styrdok process is left, and no LibreOffice runs on one."""
    profiles = list(Path(tempfile.gettempdir()).glob(f"styrdok-lo-{pid}-*"))
    running = subprocess.run(
        ["pgrep", "-f", f"styrdok-lo-{pid}-"], capture_output=True, text=True
    ).stdout.split()
    return not profiles and not running


def spoil(root: Path, file: str, old: str, new: str) -> None:
    path = root / "source" / NAME / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- 1. bad source: check and build refuse with file:line and the fix ----------------------------

BODY_LINE_5 = "Vad åtgärden gör."  # line 9 of document.md
BAD_SOURCE = [
    # (file, old text, new text, expected message)
    ("document.md", BODY_LINE_5, "Vad\x01 gör.", "document.md:9: texten innehåller ett osynligt"),
    ("document.md", BODY_LINE_5, "Rad ett\x0brad två", "document.md:9: texten innehåller en radbr"),
    ("document.md", BODY_LINE_5, "Enhet\x1fseparator", "document.md:9: texten innehåller ett osy"),
    ("document.md", BODY_LINE_5, "Noll\x00tecken", "document.md:9: texten innehåller ett NUL"),
    ("document.md", BODY_LINE_5, "Sida\x0cbrytning", "document.md:9: texten innehåller en sidbr"),
    ("document.md", BODY_LINE_5, "Tecken &#1; här", "document.md:9: texten innehåller ett osynl"),
    ("document.md", BODY_LINE_5, "Tecken &#xFFFE; här", "document.md:9: texten innehåller ett os"),
    ("document.md", BODY_LINE_5, "Tecken \ufffe här", "document.md:9: texten innehåller ett osyn"),
    ("document.md", BODY_LINE_5, "Kod `a\x01b` här", "document.md:9: texten innehåller ett osyn"),
    ("document.yaml", "titel: Handlingsplan", 'titel: "Plan\\x01"', "document.yaml:2: 'titel'"),
    ("document.yaml", "titel: Handlingsplan", 'titel: "Plan\\ud800"', "document.yaml:2: 'titel'"),
    ("document.yaml", "titel: Handlingsplan", "titel: Plan\x01", "document.yaml:2: texten inneh"),
    ("document.yaml", "titel: Handlingsplan", "titel: Plan\x0b", "document.yaml:2: texten inneh"),
    ("document.md", BODY_LINE_5, "[klicka](javascript:alert(1))", "document.md:9: länken 'java"),
    ("document.md", BODY_LINE_5, "[filen](file:///etc/passwd)", "document.md:9: länken 'file:"),
    ("document.md", BODY_LINE_5, "[bilaga](bilaga.pdf)", "document.md:9: länken 'bilaga.pdf'"),
    ("document.md", BODY_LINE_5, "[data](data:text/html,x)", "document.md:9: länken 'data:"),
    (
        "document.yaml",
        "datum: 2019-09-12",
        "datum: 2019-02-30",
        "document.yaml:4: datum '2019-02-30",
    ),
    ("document.yaml", "typ: plan", "typ: strategi", "document.yaml:1: okänd typ 'strategi'"),
    ("document.yaml", "dnr:", "diarienummer:", "document.yaml:5: okänd nyckel 'diarienummer'"),
    ("document.yaml", "giltighet: 2019-2020", "giltighet: [2019]", "document.yaml:8: 'giltighet'"),
    ("document.yaml", "titel: Handlingsplan", "titel: a: b", "document.yaml:2: värdet innehåller"),
    ("document.md", "{#en-atgard .åtgärd}", "{#inledning .åtgärd}", "document.md:7: id 'inledn"),
    ("document.md", "# Inledning {#inledning}", "# Inledning", "document.md:1:"),
]


@pytest.mark.parametrize(("file", "old", "new", "message"), BAD_SOURCE)
def test_bad_source_is_refused_by_check_and_build_with_its_line(proj, file, old, new, message):
    spoil(proj, file, old, new)
    before = snapshot(proj)
    refused(run(proj, "check"), message)
    refused(run(proj, "build", "--format", "docx"), message)
    assert snapshot(proj) == before and not (proj / "build").exists()


def test_source_that_is_not_utf8_or_is_missing(proj):
    body = proj / "source" / NAME / "document.md"
    body.write_bytes("# Inledning {#inledning}\n\nÅ".encode("latin-1"))
    refused(run(proj, "check"), "document.md:3: filen är inte UTF-8")
    body.unlink()
    refused(run(proj, "check"), "document.md:1: filen saknas")


def test_yaml_alias_bomb_is_refused_quickly(proj):
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
        f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    (proj / "source" / NAME / "document.yaml").write_text(bomb, encoding="utf-8")
    started = time.monotonic()
    refused(run(proj, "check"), "document.yaml:1: okänd nyckel 'a'")
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    "text",
    ["{{ titel }} och {% if x %}", "<w:p> & </w:t> ]]>", "Bostad 🏠 och שלום עולם", "m² ≥ 5 %"],
)
def test_odd_but_valid_text_is_built_literally(proj, text):
    spoil(proj, "document.md", BODY_LINE_5, text.replace("<", "\\<"))
    result = run(proj, "build", "--format", "docx")
    assert result.exit_code == 0, result.output
    from docx import Document

    docx = proj / "build" / NAME / f"{NAME}.docx"
    paragraphs = [p.text for p in Document(str(docx)).paragraphs]
    assert text in paragraphs


def test_a_title_over_255_characters_builds(proj):
    long = "Handlingsplan för " + "mycket " * 50
    spoil(proj, "document.yaml", "titel: Handlingsplan", f"titel: {long.strip()}")
    result = run(proj, "build", "--format", "docx")
    assert result.exit_code == 0, result.output


def test_a_folder_with_a_space_or_a_symlink_is_a_problem_not_a_traceback(proj, tmp_path):
    shutil.copytree(proj / "source" / NAME, proj / "source" / "med mellanslag")
    refused(run(proj, "check"), "med mellanslag/document.yaml:1: mappnamnet får bara innehålla")
    shutil.rmtree(proj / "source" / "med mellanslag")
    outside = tmp_path / "utanför"
    shutil.copytree(proj / "source" / NAME, outside)
    (proj / "source" / "länkad").symlink_to(outside)
    checked = run(proj, "check")
    refused(checked, "länkad/document.yaml:1: mappen är en symbolisk länk")
    assert f"{NAME}: ok" in checked.output  # the others are not held up
    refused(run(proj, "build", "--format", "docx"), "byggde inte länkad")
    assert sorted(p.name for p in (proj / "build").iterdir()) == sorted([NAME, *register.FILES])


def test_unknown_document_lists_the_existing_ones(proj):
    refused(
        run(proj, "check", "finns-inte"),
        f"inget dokument med namnet 'finns-inte'; dokumenten heter: {NAME}",
    )
    refused(run(proj, "build", "finns-inte"), f"dokumenten heter: {NAME}")


def template_parts(edit) -> bytes:
    """The city's template with each part changed by `edit(name, data)` (None: left out)."""
    import io
    import zipfile

    out = io.BytesIO()
    city = REPO / "templates" / "helsingborg" / "template.docx"
    with zipfile.ZipFile(city) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = edit(name, src.read(name))
            if data is not None:
                dst.writestr(name, data)
    return out.getvalue()


def without_style(style_id: bytes):
    import re

    pattern = rb'<w:style [^>]*w:styleId="' + style_id + rb'".*?</w:style>'
    return lambda n, d: re.sub(pattern, b"", d, flags=re.S) if n == "word/styles.xml" else d


def without_numbering(style_id: bytes):
    import re

    def edit(name: str, data: bytes) -> bytes:
        if name != "word/styles.xml":
            return data
        start = data.index(b'w:styleId="' + style_id + b'"')
        end = data.index(b"</w:style>", start)
        style = re.sub(rb"<w:numPr>.*?</w:numPr>", b"", data[start:end], flags=re.S)
        return data[:start] + style + data[end:]

    return edit


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (
            lambda t: t.read_bytes()[:5000],
            "template.docx: mallen går inte att öppna som Word-dokument: filen är inte en Word-fil",
        ),
        (lambda t: b"inte en zip", "template.docx: mallen går inte att öppna"),
        (
            lambda t: template_parts(
                lambda n, d: (
                    d.replace(b"document.main+xml", b"template.main+xml")
                    if n == "[Content_Types].xml"
                    else d
                )
            ),
            "filen är en Word-mall (.dotx), inte ett Word-dokument; öppna den i Word och spara "
            "den som Word-dokument (.docx)",
        ),
        (
            lambda t: template_parts(lambda n, d: None if n == "word/styles.xml" else d),
            "delen word/styles.xml saknas (word/document.xml hänvisar till den)",
        ),
        (
            lambda t: template_parts(without_style(b"Heading1")),
            "template.docx: mallen saknar formatmallen 'Heading 1' (Rubrik 1 i svenska Word)",
        ),
        (
            lambda t: template_parts(without_style(b"Title")),
            "mallen saknar formatmallen 'Title' (Rubrik i svenska Word), som styrdok skriver med;"
            " lägg till den i mallen i Word",
        ),
        (
            lambda t: template_parts(without_numbering(b"ListNumber")),
            "template.docx: formatmallen 'List Number' (Numrerad lista i svenska Word) har ingen "
            "numrering i mallen",
        ),
    ],
)
def test_a_broken_template_is_named_with_what_is_wrong_and_the_fix(proj, template, message):
    """Issue 22: never an exception's name ('(PackageNotFoundError)') or a traceback."""
    (proj / "source" / NAME / "document.md").write_text(
        (proj / "source" / NAME / "document.md")
        .read_text("utf-8")
        .replace("En inledande mening.", "En inledande mening.\n\n1. ett\n2. två"),
        encoding="utf-8",
    )
    path = proj / "templates" / "helsingborg" / "template.docx"
    path.write_bytes(template(path))
    result = run(proj, "build", "--format", "docx")
    refused(result, message)
    assert not re.search(r"\b\w+(Error|Exception)\b", result.output), result.output
    assert not (proj / "build" / NAME).exists()


def test_a_template_with_a_broken_field_is_a_clear_error(proj):
    import zipfile

    template = proj / "templates" / "helsingborg" / "template.docx"
    with zipfile.ZipFile(REPO / "templates" / "helsingborg" / "template.docx") as src:
        parts = {i: src.read(i) for i in src.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"{{", b"{{ {%", 1)
    with zipfile.ZipFile(template, "w") as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    refused(run(proj, "build", "--format", "docx"), "mallens fält går inte att fylla i")
    assert not (proj / "build").exists()


def test_a_template_without_the_body_field_is_a_clear_error(proj):
    import zipfile

    template = proj / "templates" / "helsingborg" / "template.docx"
    with zipfile.ZipFile(REPO / "templates" / "helsingborg" / "template.docx") as src:
        parts = {i: src.read(i) for i in src.namelist()}
    assert parts["word/document.xml"].count(b"{{p body }}") == 1
    xml = parts["word/document.xml"]
    for changed in (b"", b"{{p body }}</w:t></w:r></w:p><w:p><w:r><w:t>{{p body }}"):
        with zipfile.ZipFile(template, "w") as dst:
            for name, data in parts.items():
                dst.writestr(name, xml.replace(b"{{p body }}", changed) if data is xml else data)
        found = "0" if not changed else "2"
        refused(
            run(proj, "build", "--format", "docx"),
            f"ett stycke med fältet {{{{p body }}}} där innehållet hamnar (hittade {found})",
        )
        assert not (proj / "build" / NAME).exists()


@pytest.mark.parametrize(
    ("cut", "what"),
    [(rb"<w:pgSz [^>]*/>", "no page size"), (rb"<w:sectPr[ >].*?</w:sectPr>", "no page setup")],
)
def test_a_template_without_a_page_setup_still_builds(proj, cut, what):
    import re
    import zipfile

    template = proj / "templates" / "helsingborg" / "template.docx"
    with zipfile.ZipFile(REPO / "templates" / "helsingborg" / "template.docx") as src:
        parts = {i: src.read(i) for i in src.namelist()}
    xml = parts["word/document.xml"]
    cutting = re.compile(cut, re.DOTALL)
    assert cutting.search(xml), what
    parts["word/document.xml"] = cutting.sub(b"", xml)
    with zipfile.ZipFile(template, "w") as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    result = run(proj, "build", "--format", "docx")
    assert result.exit_code == 0, result.output


# --- 2. arguments: names, not paths; Swedish usage errors -----------------------------------------


def test_trailing_slash_from_tab_completion_is_accepted(proj):
    assert run(proj, "check", f"{NAME}/").exit_code == 0
    result = run(proj, "build", f"{NAME}/", "--format", "docx")
    assert result.exit_code == 0 and (proj / "build" / NAME / f"{NAME}.docx").is_file()
    listed = run(proj, "releases", f"{NAME}/")
    assert listed.exit_code == 0 and "inga släppta versioner ännu" in listed.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["build", f"source/{NAME}"],
            f"är en sökväg; ange dokumentets namn (mappens namn i source/); menade du '{NAME}'?",
        ),
        (["build", f"../source/{NAME}"], f"menade du '{NAME}'?"),
        (["build", "/etc"], "'/etc' är en sökväg"),
        (["check", ".."], "'..' är en sökväg"),
        (["diff", f"../source/{NAME}", "--from", "HEAD"], f"menade du '{NAME}'?"),
        (["release", f"source/{NAME}", "--version", "1"], f"menade du '{NAME}'?"),
        (["history", "a b"], "dokumentnamnet 'a b' får bara innehålla"),
        (["release", NAME, "--version", "x.lock"], "versionen 'x.lock' får inte sluta på .lock"),
        (["release", NAME, "--version", ""], "versionen '' är tomt"),
        (["release", NAME, "--version", "../x"], "versionen '../x' får bara innehålla"),
        (["release", NAME, "--version", "a..b"], "versionen 'a..b' får bara innehålla"),
        (["release", NAME, "--version", "v 1"], "versionen 'v 1' får bara innehålla"),
        (["releases", "finns-inte"], "inget dokument med namnet 'finns-inte'"),
        (["diff", NAME, "--from", "HEAD", "--format", ","], "inget format angivet"),
        (["diff", NAME, "--from", "HEAD", "--format", "xml"], "okänt format: xml"),
        (["diff", NAME, "--from", "finns-inte"], "revisionen 'finns-inte' finns inte"),
    ],
)
def test_bad_names_and_values_are_refused_and_nothing_is_written(proj, args, message):
    before = snapshot(proj)
    refused(run(proj, *args), message)
    assert snapshot(proj) == before
    assert not leftovers(proj)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bygg"], "styrdok: okänt kommando 'bygg'"),
        (["diff"], "styrdok: argumentet DOC saknas"),
        (["diff", NAME], "styrdok: flaggan --from saknas"),
        (["build", "--format", "xml"], "styrdok: --format: 'xml' är inget av"),
        (
            ["build", "--formatt", "pdf"],
            "styrdok: okänd flagga --formatt (menade du --force, --format?)",
        ),
        (["release", NAME, "--version"], "styrdok: flaggan --version behöver ett värde"),
        (["check", "--root"], "styrdok: flaggan --root behöver ett värde"),
        (["log", "-x"], "styrdok: okänd flagga -x"),
        (["log", NAME, "extra"], "styrdok: oväntat argument: extra"),
    ],
)
def test_usage_errors_are_swedish(args, message):
    result = CliRunner().invoke(main, args)
    refused(result, message, code=2)
    assert "Error" not in result.output and "Usage" not in result.output


def test_a_project_without_its_own_template_is_told_so(proj):
    shutil.rmtree(proj / "templates")
    result = run(proj, "build", "--format", "docx")
    assert result.exit_code == 0 and "använder styrdoks inbyggda mall" in result.output


def test_a_folder_that_is_not_a_project(tmp_path):
    refused(run(tmp_path, "check"), "source:1: mappen finns inte; kör styrdok i projektmappen")
    refused(run(tmp_path, "log", "dok"), "inte ett git-förråd")


def test_release_without_the_projects_own_template_is_refused(proj):
    shutil.rmtree(proj / "templates")
    repo = git.Repo(proj)
    repo.index.remove(["templates"], r=True)
    repo.index.commit("Mallen borta")
    refused(run(proj, "release", NAME, "--version", "1"), "projektet har ingen egen mall")
    assert not repo.tags and not (proj / "build").exists()


# --- OS faults: read-only and full disks (a tmpfs, when root) -----------------------------------


@pytest.fixture
def mount(tmp_path):
    mounted = []

    def make(options: str) -> Path:
        path = tmp_path / f"mnt{len(mounted)}"
        path.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], check=True)
        mounted.append(path)
        return path

    yield make
    for path in mounted:
        subprocess.run(["umount", "-l", str(path)], check=False)


@ROOT_ONLY
def test_read_only_output_folder(proj, mount):
    out = mount("ro,size=1m")
    refused(run(proj, "build", "--format", "docx", "-o", str(out)), "filsystemet är skrivskyddat")


@ROOT_ONLY
def test_full_disk_during_a_docx_build(proj, mount):
    out = mount("size=16k")
    refused(run(proj, "build", "--format", "docx", "-o", str(out)), "disken är full")
    assert not leftovers(out) and not list(out.iterdir())


@ROOT_ONLY
def test_full_disk_during_a_pdf_build(proj, mount):
    out = mount("size=48k")
    result = run(proj, "build", "-o", str(out))
    refused(result, "disken är full")
    assert "IOException" not in result.output
    assert not leftovers(out) and not list(out.iterdir())


@ROOT_ONLY
def test_full_archive_disk_during_release(proj, mount):
    archive = mount("size=64k")
    refused(
        run(proj, "release", NAME, "--version", "1", "--archive", str(archive)), "disken är full"
    )
    assert not git.Repo(proj).tags and not leftovers(archive)
    assert not (archive / NAME / "1").exists()


# --- 3. faults with real signals and a real LibreOffice ------------------------------------------


def start(root: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(STYRDOK), *args, "--root", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def profiles_of(pid: int) -> list[Path]:
    return list(Path(tempfile.gettempdir()).glob(f"styrdok-lo-{pid}-*"))


def libreoffice_of(pid: int) -> bool:
    return bool(profiles_of(pid))


def many(proj: Path, count: int = 4) -> None:
    """More documents, so that a build is still running when it is signalled."""
    for i in range(count):
        shutil.copytree(REPO / "source" / DOC, proj / "source" / f"plan-{i}")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_signal_during_a_pdf_build_leaves_no_libreoffice_and_the_last_build(proj, sig):
    many(proj)
    assert run(proj, "build", "--format", "docx").exit_code == 0
    before = snapshot(proj / "build")
    proc = start(proj, "build", "-j", "2")  # two LibreOffice workers, each with its profile
    assert wait_for(lambda: len(profiles_of(proc.pid)) == 2)
    time.sleep(0.5)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode != 0 and "Traceback" not in err
    assert wait_for(lambda: no_libreoffice_of(proc.pid), CLEAN_UP)
    after = snapshot(proj / "build")
    if sig == signal.SIGKILL:  # nothing could clean up; the staging folder is swept next time
        after = {k: v for k, v in after.items() if not k.startswith(".styrdok-")}
    assert after == before  # the last build's files, untouched
    if sig != signal.SIGKILL:
        assert not leftovers(proj / "build")
    result = run(proj, "build", "--format", "docx")  # the next run sweeps what SIGKILL left
    assert result.exit_code == 0 and not leftovers(proj / "build")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_during_a_docx_build_leaves_nothing(proj, sig):
    many(proj, 6)
    proc = start(proj, "build", "--format", "docx")
    assert wait_for(lambda: list((proj / "build").glob(".styrdok-*")), 20)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode != 0 and "Traceback" not in err
    assert not leftovers(proj / "build")
    assert not (proj / "build").exists() or not any((proj / "build").iterdir())


def render_workers_of(pid: int) -> list[int]:
    """The render worker processes a styrdok process started (render_pool.py)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (proc / "cmdline").read_bytes()
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if b"styrdok.convert.render_worker" in cmdline and ppid == pid:
            found.append(int(proc.name))
    return found


def gone(pids: list[int]) -> bool:
    return not any(Path(f"/proc/{p}").exists() for p in pids)


@pytest.mark.parametrize(
    ("fmt", "sig"),
    [
        ("docx", signal.SIGKILL),
        ("docx", signal.SIGTERM),
        ("docx", signal.SIGINT),
        ("all", signal.SIGKILL),  # two LibreOffices beside the two workers
        ("all", signal.SIGTERM),
    ],
)
def test_signal_during_a_build_with_render_workers_leaves_none(proj, fmt, sig):
    many(proj, 12)  # 13 documents: two render workers with -j 2
    assert run(proj, "build", "--format", "docx").exit_code == 0
    before = snapshot(proj / "build")
    proc = start(proj, "build", "--format", fmt, "--force", "-j", "2")
    assert wait_for(lambda: len(render_workers_of(proc.pid)) == 2)
    workers = render_workers_of(proc.pid)
    staged = ".styrdok-*/*/*.pdf" if fmt == "all" else ".styrdok-*"  # midway
    assert wait_for(lambda: list((proj / "build").glob(staged)), 60)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode != 0 and "Traceback" not in err
    # gone by SIGKILL too: their input ended
    assert wait_for(lambda: gone(workers) and no_libreoffice_of(proc.pid), CLEAN_UP)
    after = snapshot(proj / "build")
    if sig == signal.SIGKILL:  # the staging folder is swept by the next run
        after = {k: v for k, v in after.items() if not k.startswith(".styrdok-")}
    assert after == before  # the last build's files, untouched
    if sig != signal.SIGKILL:
        assert not leftovers(proj / "build")
    result = run(proj, "build", "--format", "docx", "-j", "2")
    assert result.exit_code == 0 and not leftovers(proj / "build")


def test_a_diff_interrupted_keeps_the_last_diff_whole(proj):
    repo = git.Repo(proj)
    spoil(proj, "document.md", BODY_LINE_5, "Vad åtgärden gör nu.")
    repo.index.add(["source"])
    repo.index.commit("Ändring")
    out = proj / "build" / "diff"
    assert (
        run(proj, "diff", NAME, "--from", "HEAD~1", "--to", "HEAD", "-o", str(out)).exit_code == 0
    )
    before = snapshot(out)
    assert set(before) == {
        "changes.html",
        "changes.json",
        "changes.md",
        "changes.docx",
        "changes.pdf",
        "redline.docx",
        "redline.pdf",
    }
    proc = start(proj, "diff", NAME, "--from", "HEAD~1", "-o", str(out))
    assert wait_for(lambda: libreoffice_of(proc.pid))
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=30)
    assert snapshot(out) == before and not leftovers(out)
    only_md = run(proj, "diff", NAME, "--from", "HEAD~1", "--format", "md", "-o", str(out))
    assert only_md.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["changes.md"]  # no mix of two runs


def test_a_release_killed_after_its_package_is_completed_by_the_retry(proj):
    assert run(proj, "release", NAME, "--version", "1").exit_code == 0
    git.Repo(proj).delete_tag(f"{NAME}/1")  # the state a SIGKILL between package and tag leaves
    result = run(proj, "release", NAME, "--version", "1")
    assert result.exit_code == 0, result.output
    assert "slutförde ett avbrutet släpp" in result.output
    assert f"{NAME}/1" in [t.name for t in git.Repo(proj).tags]
    assert verify_package(proj.parent / "arkiv" / NAME / "1") == []


def test_a_package_of_another_commit_without_tag_is_never_replaced(proj):
    assert run(proj, "release", NAME, "--version", "1").exit_code == 0
    repo = git.Repo(proj)
    repo.delete_tag(f"{NAME}/1")
    spoil(proj, "document.md", BODY_LINE_5, "Ändrad.")
    repo.index.add(["source"])
    repo.index.commit("Ändring")
    package = proj.parent / "arkiv" / NAME / "1"
    before = snapshot(package)
    refused(run(proj, "release", NAME, "--version", "1"), "git fetch --tags")
    assert snapshot(package) == before


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_a_release_stopped_during_conversion_leaves_no_tag_and_the_retry_works(proj, sig):
    proc = start(proj, "release", NAME, "--version", "1")
    assert wait_for(lambda: libreoffice_of(proc.pid))
    proc.send_signal(sig)
    proc.communicate(timeout=30)
    assert proc.returncode != 0
    assert not git.Repo(proj).tags
    assert not (proj.parent / "arkiv" / NAME / "1").exists()
    assert wait_for(lambda: no_libreoffice_of(proc.pid), CLEAN_UP)
    retry = run(proj, "release", NAME, "--version", "1")
    assert retry.exit_code == 0, retry.output
    assert not leftovers(proj.parent / "arkiv")


def test_two_releases_of_one_version_at_once(proj):
    first = start(proj, "release", NAME, "--version", "1")
    assert wait_for(lambda: libreoffice_of(first.pid))
    second = run(proj, "release", NAME, "--version", "1")
    refused(second, "ett annat släpp pågår")
    first.communicate(timeout=60)
    assert first.returncode == 0
    assert verify_package(proj.parent / "arkiv" / NAME / "1") == []


def test_a_failing_build_keeps_a_concurrent_builds_output(proj, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(proj, other)
    spoil(other, "document.md", BODY_LINE_5, "Fel\x01")
    out = tmp_path / "out"  # made by whichever build comes first
    good = start(proj, "build", "--format", "docx", "-o", str(out))
    bad = run(other, "build", "--format", "docx", "-o", str(out))
    good.communicate(timeout=60)
    assert good.returncode == 0
    refused(bad, "texten innehåller")
    assert (out / NAME / f"{NAME}.docx").is_file()


def test_killed_libreoffice_leaves_no_lock_and_the_restart_converts(proj):
    scratch = set(Path(tempfile.gettempdir()).glob("lu*.tmp"))  # LibreOffice's temp folders
    proc = start(proj, "build")
    assert wait_for(lambda: libreoffice_of(proc.pid))
    wait_for(lambda: subprocess.run(["pgrep", "-f", f"styrdok-lo-{proc.pid}-"]).returncode == 0)
    time.sleep(0.3)
    subprocess.run(["pkill", "-KILL", "-f", f"soffice.bin.*styrdok-lo-{proc.pid}-"], check=False)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert (proj / "build" / NAME / f"{NAME}.pdf").is_file()
    assert not list(proj.rglob(".~lock.*")) and not leftovers(proj / "build")
    assert set(Path(tempfile.gettempdir()).glob("lu*.tmp")) <= scratch


def test_a_stale_staging_folder_of_a_dead_process_is_swept(proj):
    dead = 4_194_305  # above Linux's largest process id: no such process
    stale = proj / "build" / f".styrdok-{dead}-x"
    (stale / "liten").mkdir(parents=True)
    live = proj / "build" / f".styrdok-{os.getpid()}-y"  # ours: alive, kept
    live.mkdir()
    assert run(proj, "build", "--format", "docx").exit_code == 0
    assert not stale.exists() and live.exists()
    live.rmdir()


# --- 4. tampering with a package -----------------------------------------------------------------


def writable_copy(package: Path, dest: Path) -> Path:
    shutil.copytree(package, dest)
    for p in [dest, *dest.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    return dest


def rewrite_manifests(bag: Path) -> None:
    import hashlib

    def sha(p: Path) -> str:
        return hashlib.sha256(p.read_bytes()).hexdigest()

    payload = sorted(p for p in (bag / "data").rglob("*") if p.is_file())
    (bag / "manifest-sha256.txt").write_text(
        "".join(f"{sha(p)}  {p.relative_to(bag).as_posix()}\n" for p in payload)
    )
    tags = ["bag-info.txt", "bagit.txt", "manifest-sha256.txt"]
    (bag / "tagmanifest-sha256.txt").write_text("".join(f"{sha(bag / t)}  {t}\n" for t in tags))


@pytest.fixture
def package(released, tmp_path) -> Path:
    _, first, _ = released
    return writable_copy(first, tmp_path / "paket")


def verify(path: Path):
    return CliRunner().invoke(main, ["verify", str(path)])


def test_a_file_removed_with_its_manifest_line_is_caught(package):
    next(package.rglob("document.md")).unlink()
    rewrite_manifests(package)
    refused(verify(package), "enligt Payload-Oxum")


def test_a_half_cut_manifest_is_a_clear_error(package):
    manifest = package / "manifest-sha256.txt"
    manifest.write_bytes(manifest.read_bytes()[:40])
    refused(verify(package), "manifest-sha256.txt:1: raden är inte 'kontrollsumma sökväg'")


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (lambda p: (p / "bag-info.txt").unlink(), "bag-info.txt: saknas"),
        (lambda p: (p / "bagit.txt").write_text("skräp"), "paketets beskrivning går inte att läsa"),
        (
            lambda p: (p / "data" / "extra.pdf").write_bytes(b"%PDF"),
            "extra.pdf: fil som inte finns i manifest",
        ),
        (lambda p: next(p.rglob("metadata.json")).write_text("{}"), "kontrollsumman stämmer inte"),
        (lambda p: (p / "tagmanifest-sha256.txt").write_text(""), "Payload-Oxum"),
    ],
)
def test_tampering_is_caught(package, tamper, message):
    if "Oxum" in message:  # the tag manifest emptied and bag-info's count changed with it
        info = package / "bag-info.txt"
        info.write_text(info.read_text().replace("Payload-Oxum: ", "Payload-Oxum: 1"))
    tamper(package)
    refused(verify(package), message)


def test_verify_of_a_file_or_nothing(tmp_path):
    refused(verify(tmp_path / "inget"), "finns inte; ange mappen för ett arkivpaket")
    (tmp_path / "fil.txt").write_text("x")
    refused(verify(tmp_path / "fil.txt"), "är en fil; ange paketets mapp")


def test_a_staged_package_is_read_only_and_removable(tmp_path):
    staged = stage_package(tmp_path, {"a.txt": b"a"}, {})
    assert not os.access(staged / "data" / "a.txt", os.W_OK) or os.geteuid() == 0
    assert verify_package(staged) == []
    remove_tree(staged)
    assert not staged.exists()


# --- slow: large inputs (make test-all) ---------------------------------------------------------


@pytest.mark.slow
def test_5000_measures_check_and_build_in_linear_time(proj):
    parts = ["# Inledning {#inledning}\n\nText.\n\n# Åtgärder {#atgarder}\n"]
    for i in range(5000):
        parts.append(
            f"\n## Åtgärd nummer {i} {{#atgard-{i} .åtgärd}}\n\nGör något {i}.\n\n"
            "Ansvarig nämnd eller bolag\n: Socialnämnden\n\nTidplan\n: 2026\n\n"
            "Uppföljning\n: Styrgruppen\n"
        )
    (proj / "source" / NAME / "document.md").write_text("".join(parts), encoding="utf-8")
    started = time.monotonic()
    assert run(proj, "check").exit_code == 0
    checked = time.monotonic() - started
    result = run(proj, "build", "--format", "docx")
    built = time.monotonic() - started - checked
    assert result.exit_code == 0, result.output
    assert checked < 8 and built < 18, (checked, built)  # quadratic was 8.5 s and 36 s


@pytest.mark.slow
def test_a_one_megabyte_line(proj):
    line = " ".join(f"ord{i}" for i in range(150_000))[:1_000_000]
    spoil(proj, "document.md", BODY_LINE_5, line)
    started = time.monotonic()
    assert run(proj, "check").exit_code == 0
    assert time.monotonic() - started < 8  # quadratic was 11.7 s
    assert run(proj, "build", "--format", "docx").exit_code == 0


# --- the second probe's cases ---------------------------------------------------------------------


@pytest.mark.parametrize("datum", ["1979-12-31", "2108-01-01"])
def test_a_decision_date_outside_the_zip_years_builds(proj, datum):
    spoil(proj, "document.yaml", "datum: 2019-09-12", f"datum: {datum}")
    assert run(proj, "build", "--format", "docx").exit_code == 0


def test_tags_of_files_and_tags_without_the_document_are_passed_over(proj):
    repo = git.Repo(proj)
    blob = repo.git.rev_parse("HEAD:.gitignore")
    repo.git.tag("-a", "nyckel", "-m", "en nyckel", blob)
    repo.git.tag("-a", f"{NAME}/blob", "-m", "x", blob)
    first = repo.head.commit
    (proj / "README").write_text("x")
    repo.index.add(["README"])
    repo.index.commit("Annat")
    repo.create_tag(f"{NAME}/1", ref=first)
    for args in (["log", NAME], ["releases", NAME], ["history", NAME], ["check"]):
        result = run(proj, *args)
        assert result.exit_code == 0, (args, result.output)
    refused(run(proj, "diff", NAME, "--from", "nyckel"), "revisionen 'nyckel' finns inte")


def test_a_repository_without_commits_and_a_source_outside_it(tmp_path, proj):
    empty = tmp_path / "tom"
    shutil.copytree(proj, empty, ignore=shutil.ignore_patterns(".git"))
    git.Repo.init(empty)
    refused(run(empty, "release", NAME, "--version", "1"), "förrådet har inga incheckningar")
    linked = tmp_path / "länkad"
    linked.mkdir()
    git.Repo.init(linked)
    (linked / "source").symlink_to(proj / "source")
    (linked / "x").write_text("x")
    git.Repo(linked).index.add(["x"])
    git.Repo(linked).index.commit("x")
    refused(run(linked, "log", NAME), "ligger utanför git-förrådet")


def test_odd_yaml_keys_deep_nesting_tabs_and_line_separators(proj):
    meta = proj / "source" / NAME / "document.yaml"
    original = meta.read_text(encoding="utf-8")
    meta.write_text(original + "? [a, b]\n: c\n", encoding="utf-8")
    refused(run(proj, "check"), "document.yaml:11: en nyckel ska vara ett ord")
    meta.write_text(original.replace("titel:", "\ttitel:"), encoding="utf-8")
    refused(run(proj, "check"), "document.yaml:2: tabbtecken i metadata")
    meta.write_text(original.replace("titel: Handlingsplan", "titel: Hand\u2028lingsplan"))
    refused(run(proj, "check"), "document.yaml:2: texten innehåller en osynlig radavgränsare")
    meta.write_text(original, encoding="utf-8")
    spoil(proj, "document.md", BODY_LINE_5, "> " * 300 + "djupt")
    refused(run(proj, "check"), "nästlad för djupt")


def test_cr_line_endings_give_the_right_lines(proj):
    body = proj / "source" / NAME / "document.md"
    text = body.read_text(encoding="utf-8").replace(BODY_LINE_5, "[x](#finns-inte)")
    body.write_bytes(text.replace("\n", "\r").encode())
    refused(run(proj, "check"), "document.md:9: hänvisningen till '#finns-inte'")


def test_a_killed_imports_staging_folder_does_not_break_check(proj):
    stale = proj / "source" / f".styrdok-{4_194_305}-{NAME}x"
    shutil.copytree(proj / "source" / NAME, stale)
    assert run(proj, "check").exit_code == 0
    assert run(proj, "build", "--format", "docx").exit_code == 0


def test_a_build_never_leaves_another_runs_format_beside_its_own(proj):
    stale = proj / "build" / NAME / f"{NAME}.pdf"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"%PDF an older run")
    assert run(proj, "build", "--format", "docx").exit_code == 0
    assert sorted(p.name for p in stale.parent.iterdir()) == [".bygge.json", f"{NAME}.docx"]


def test_outputs_inside_source_are_refused(proj):
    before = snapshot(proj)
    inside = str(proj / "source" / NAME)
    refused(run(proj, "build", "-o", inside), "bland dokumentens källtext; välj en mapp utanför")
    refused(run(proj, "diff", NAME, "--from", "HEAD", "-o", inside), "välj en mapp utanför med -o")
    refused(run(proj, "release", NAME, "--version", "1", "--archive", inside), "--archive")
    assert snapshot(proj) == before and not git.Repo(proj).tags


def test_a_file_given_as_output_folder(proj):
    refused(run(proj, "build", "-o", str(proj / ".gitignore")), "-o / --output: är en fil", 2)


def test_release_without_a_git_identity_is_refused_before_building(proj, tmp_path):
    env = {"HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1", "XDG_CONFIG_HOME": str(tmp_path)}
    env |= {k: "" for k in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME", "EMAIL")}
    git.Repo(proj).git.config("--unset", "user.name", with_exceptions=False)
    result = CliRunner(env=env).invoke(
        main, ["release", NAME, "--version", "1", "--root", str(proj)]
    )
    refused(result, "git vet inte vem du är")
    assert not (proj / "build").exists()


def test_broken_parts_and_bombs_in_a_word_file(proj, tmp_path):
    import zipfile

    assert run(proj, "build", "--format", "docx").exit_code == 0
    good = proj / "build" / NAME / f"{NAME}.docx"
    with zipfile.ZipFile(good) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    cases = {
        "stilar.docx": {**parts, "word/styles.xml": b"<w:styles"},
        "utan-body.docx": {**parts, "word/document.xml": b"<a/>"},
    }
    for name, content in cases.items():
        with zipfile.ZipFile(tmp_path / name, "w") as z:
            for part, data in content.items():
                z.writestr(part, data)
        refused(run(proj, "import", str(tmp_path / name)), "inte ett Word-dokument")
    with zipfile.ZipFile(tmp_path / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<a/>")
        z.writestr("word/media/noll.bin", bytes(210 << 20))
    refused(run(proj, "import", str(tmp_path / "bomb.docx")), "packar upp till mer än 200 MB")


def test_import_into_keeps_the_owners_line_endings(proj, tmp_path):
    from docx import Document

    assert run(proj, "build", "--format", "docx").exit_code == 0
    built = Document(str(proj / "build" / NAME / f"{NAME}.docx"))
    paragraph = next(p for p in built.paragraphs if p.text == BODY_LINE_5)
    paragraph.runs[0].text = "Vad åtgärden nu gör."
    edited = tmp_path / "redigerad.docx"
    built.save(str(edited))
    body = proj / "source" / NAME / "document.md"
    body.write_bytes(body.read_bytes().replace(b"\n", b"\r\n"))
    assert run(proj, "import", str(edited), "--into", NAME).exit_code == 0
    data = body.read_bytes()
    assert "Vad åtgärden nu gör.".encode() in data and data.count(b"\n") == data.count(b"\r\n")


def test_verify_refuses_links_pipes_and_unlisted_tag_files(package):
    info = package / "bag-info.txt"
    info.write_text(info.read_text().replace("External-Identifier", "External-Identifierx"))
    manifest = package / "tagmanifest-sha256.txt"
    manifest.write_text(
        "".join(x for x in manifest.read_text().splitlines(True) if "bag-info" not in x)
    )
    refused(verify(package), "bag-info.txt: fil som inte finns i tagmanifest-sha256.txt")
    os.mkfifo(package / "data" / "rör.pdf")
    refused(verify(package), "rör.pdf: inte en vanlig fil")
    (package / "data" / "rör.pdf").unlink()
    (package / "data" / "noll.pdf").symlink_to("/dev/zero")
    refused(verify(package), "noll.pdf: inte en vanlig fil")
    refused(verify(package / "bagit.txt"), "är en fil; ange paketets mapp")


def test_a_template_not_in_git_is_refused_before_building(proj):
    (proj / ".gitignore").write_text("/build/\ntemplates/\n")
    repo = git.Repo(proj)
    repo.index.remove(["templates"], r=True, cached=True)
    repo.index.add([".gitignore"])
    repo.index.commit("Mallen utanför git")
    refused(run(proj, "release", NAME, "--version", "1"), "mallen är inte incheckad i git")
    assert not repo.tags


def test_a_word_link_to_a_file_is_imported_as_text(proj, tmp_path):
    from docx import Document

    assert run(proj, "build", "--format", "docx").exit_code == 0
    built = proj / "build" / NAME / f"{NAME}.docx"
    doc = Document(str(built))
    paragraph = next(p for p in doc.paragraphs if p.text == BODY_LINE_5)
    rid = doc.part.relate_to("file:///S:/bilagor/bilaga.pdf", RT_LINK, is_external=True)
    link = paragraph.runs[0]._r
    wrapper = link.makeelement(qn("w:hyperlink"), {qn("r:id"): rid})
    link.addprevious(wrapper)
    wrapper.append(link)
    doc.save(str(tmp_path / "med-fillank.docx"))
    result = run(proj, "import", str(tmp_path / "med-fillank.docx"), "--name", "fillank")
    assert result.exit_code == 0, result.output
    assert "länken till 'file:///S:/bilagor/bilaga.pdf' går inte att följa" in result.output
    body = (proj / "source" / "fillank" / "document.md").read_text(encoding="utf-8")
    assert BODY_LINE_5 in body and "file:" not in body


# --- archive settings and verify's repository (issue 13) -----------------------------------------


def test_a_styrdok_toml_that_is_not_utf8_is_named(proj):
    (proj / "styrdok.toml").write_bytes(
        '[metadata]\narkivbildare = "Kulturnämnden"\n'.encode("latin-1")
    )
    refused(run(proj, "release", NAME, "--version", "1"), "styrdok.toml:1: filen är inte UTF-8")
    refused(run(proj, "check"), "styrdok.toml:1: filen är inte UTF-8")


def test_an_archive_folder_that_is_a_file_is_refused_without_traceback(proj, tmp_path):
    blocker = tmp_path / "fil"
    blocker.write_text("x", encoding="utf-8")
    result = run(proj, "release", NAME, "--version", "1", "--archive", str(blocker / "arkiv"))
    refused(result, f"{blocker}: är en fil, inte en mapp; ange arkivmappen")
    assert not git.Repo(proj).tags


def test_verify_with_a_repository_that_is_none(released, tmp_path):
    _, first, _ = released
    result = CliRunner().invoke(main, ["verify", str(first), "--repo", str(tmp_path)])
    refused(result, "inte ett git-förråd")


def test_a_release_tag_without_its_package_sha_is_reported_not_failed(proj):
    assert run(proj, "release", NAME, "--version", "1").exit_code == 0
    repo = git.Repo(proj)
    repo.delete_tag(f"{NAME}/1")
    repo.create_tag(f"{NAME}/1", message="Version 1, taggad för hand")
    package = proj.parent / "arkiv" / NAME / "1"
    result = CliRunner().invoke(main, ["verify", str(package), "--repo", str(proj)])
    assert result.exit_code == 0, result.output
    assert "har ingen Paket-SHA256" in result.output and "inte jämfört" in result.output


@pytest.mark.parametrize(
    ("interrupt", "code", "said"),
    [(KeyboardInterrupt(), 130, "styrdok: avbrutet"), (SystemExit(143), 143, "")],
)
def test_an_interruption_a_library_turned_into_its_own_error_still_ends_as_one(
    proj, monkeypatch, interrupt, code, said
):
    """Ctrl-C (or SIGTERM) inside zipfile's writing makes its clean-up raise ValueError ("Can't
    close the ZIP file while there is an open writing handle"): the command still ends as
    interrupted, with no traceback."""
    import styrdok.commands.build as build

    def interrupted_while_zipping(*args, **kwargs):
        try:
            raise interrupt
        finally:
            raise ValueError("Can't close the ZIP file while there is an open writing handle")

    monkeypatch.setattr(build, "build_documents", interrupted_while_zipping)
    result = CliRunner().invoke(main, ["build", "--format", "docx", "--root", str(proj)])
    assert result.exit_code == code, result.output
    assert said in result.output and "Traceback" not in result.output
    assert not isinstance(result.exception, ValueError)
