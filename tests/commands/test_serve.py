"""`styrdok serve` as a writer uses it: a real serve process on a copy of a project, a real
LibreOffice, Debian's chromium driven by playwright, files saved on disk as editors save them.

The page loads again by itself (its own script under its Content Security Policy, which is
why the tests wait with locators and never evaluate script in the page); a source `check`
refuses shows its problems with file:line instead of the text, and the page is back when the
file is fixed; the template rebuilds the DOCX and PDF; Ctrl-C and SIGTERM leave nothing; only
build/ is served and written; serve idles without CPU.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from docx.shared import RGBColor
from playwright.sync_api import expect
from support.browser import violations
from support.gitrepo import DOC, DocRepo
from support.serving import REPO, STYRDOK, Served, cpu_seconds, leftovers, processes_of

from styrdok.commands.serve.handler import is_loopback
from styrdok.commands.serve.watch import QUIET, Poller, Watcher
from styrdok.project.layout import Project

NAME = "liten"  # the document of the 'good' fixture project
WAIT = 60_000  # ms: a loaded machine (two shared cores) is slow, never this slow
OLD = "En inledande mening."


def good_project(root: Path) -> Path:
    """The 'good' fixture project with the city's template, in a folder of its own."""
    shutil.copytree(REPO / "tests" / "roots" / "good", root)
    shutil.copytree(REPO / "templates", root / "templates")
    return root


def save(path: Path, text: str) -> None:
    """Save as editors do: a temporary file beside it, renamed onto it."""
    temporary = path.with_name(f".{path.name}.tmp{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def save_and_settle(served: Served, path: Path, text: str) -> dict:
    """Save a file once serve is idle, and wait until it has rebuilt after it."""
    builds = served.settled()["builds"]
    save(path, text)
    return served.settled(builds + 1)


def outside_build(root: Path, *saved: Path) -> dict[str, tuple[int, int] | None]:
    """Every file of the project outside build/ with its size and modification time (only its
    presence for the files the test itself `saved`)."""
    return {
        p.relative_to(root).as_posix(): None
        if p in saved
        else (p.stat().st_size, p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if p.is_file() and p.relative_to(root).parts[0] != "build"
    }


@pytest.fixture(scope="module")
def chromium(browser):
    """The session's one Chromium (conftest.py: playwright's sync API allows one at a time)."""
    return browser


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One serve of the 'good' project for the tests that leave it as they found it."""
    root = good_project(tmp_path_factory.mktemp("serve") / "proj")
    server = Served(root)
    server.settled()
    yield server
    assert server.stop() == 0, server.stderr
    assert not leftovers(server.proc.pid, root / "build")


# --- 1. the loop a writer sees -------------------------------------------------------------------


def test_a_saved_sentence_appears_an_error_shows_its_line_and_a_fix_clears_it(served, chromium):
    body = served.root / "source" / NAME / "document.md"
    good = body.read_text(encoding="utf-8")
    before = outside_build(served.root, body)
    context = chromium.new_context()  # with the pages' Content Security Policy in force
    page, register = context.new_page(), context.new_page()
    page.goto(served.url + f"{NAME}/")
    register.goto(served.url)
    expect(page.get_by_text(OLD)).to_be_visible()
    expect(page.locator("#sd-lage")).to_contain_text("Byggd", timeout=WAIT)

    new = "En mening som skrevs medan sidan var öppen."
    save(body, good.replace(OLD, new))
    expect(page.get_by_text(new)).to_be_visible(timeout=WAIT)  # loaded again by itself
    expect(page.get_by_text(OLD)).to_have_count(0)
    expect(page.locator("#sd-lage")).to_contain_text("efter att du sparade", timeout=WAIT)

    broken = good.replace(OLD, new) + "\n# En rubrik utan id\n\nText.\n"
    line = broken.splitlines().index("# En rubrik utan id") + 1
    save(body, broken)
    problems = page.locator(".sd-fel")
    expect(problems).to_be_visible(timeout=WAIT)
    expect(problems).to_contain_text(f"source/{NAME}/document.md:{line}")
    expect(problems).to_contain_text("avsnittet saknar id; skriv rubriken som")
    expect(page.get_by_text(new)).to_have_count(0)  # the problems, instead of the old text
    expect(register.locator(".sd-fel")).to_contain_text(f"document.md:{line}", timeout=WAIT)
    axe = chromium.new_context(bypass_csp=True).new_page()  # axe-core is injected as a script
    axe.goto(served.url + f"{NAME}/")
    assert violations(axe) == []

    save(body, good)
    expect(page.get_by_text(OLD)).to_be_visible(timeout=WAIT)
    expect(page.locator(".sd-fel")).to_have_count(0)
    expect(register.locator(".sd-fel")).to_have_count(0, timeout=WAIT)
    axe.goto(served.url + f"{NAME}/")
    assert violations(axe) == []
    axe.goto(served.url + f"_styrdok/pdf/{NAME}")
    assert violations(axe) == []
    served.settled(served.status()["builds"])
    assert outside_build(served.root, body) == before  # nothing written but build/
    context.close()


def test_the_pdf_view_follows_the_pdf(served, chromium):
    body = served.root / "source" / NAME / "document.md"
    good = body.read_text(encoding="utf-8")
    page = chromium.new_page()
    with page.expect_response(lambda r: f"{NAME}.pdf?v=" in r.url, timeout=WAIT):
        page.goto(served.url + f"_styrdok/pdf/{NAME}")
    frame = page.locator("#sd-pdf")
    first = frame.get_attribute("src")
    new = "En mening för PDF:en."
    try:
        with page.expect_response(
            lambda r: f"{NAME}.pdf?v=" in r.url and not r.url.endswith(first), timeout=WAIT
        ) as made:
            save(body, good.replace(OLD, new))
        assert made.value.status == 200 and frame.get_attribute("src") != first
        pdf = served.get(f"/{NAME}/{NAME}.pdf")[
            2
        ]  # what the view loaded (its body is the viewer's)
        with pdfplumber.open(io.BytesIO(pdf)) as read:
            assert new in "".join(p.extract_text() or "" for p in read.pages)
        expect(page.locator("#sd-lage")).to_contain_text("PDF:en", timeout=WAIT)
    finally:
        page.close()
        save_and_settle(served, body, good)


def test_several_saves_in_a_row_give_one_rebuild(served):
    body = served.root / "source" / NAME / "document.md"
    good = body.read_text(encoding="utf-8")
    builds = served.settled()["builds"]
    assert builds >= 1
    gaps, last = 0, None
    try:
        for n in range(5):  # an editor's swap file, then the save by rename, one after another
            (body.parent / f".{body.name}.swp").write_bytes(b"vim")
            save(body, good.replace(OLD, f"Sparning nummer {n}."))
            now = time.monotonic()
            # saves further apart than QUIET are two saves (this process may be descheduled)
            gaps += last is not None and now - last > QUIET
            last = now
        served.settled(builds + 1)
        time.sleep(5 * QUIET)
        done = served.settled(builds + 1)["builds"]
        # one rebuild, or one more for each pair of saves that came further apart than QUIET
        assert builds + 1 <= done <= builds + 1 + gaps
        time.sleep(5 * QUIET)
        assert served.settled(builds + 1)["builds"] == done  # and then no more
        status, _, page = served.get(f"/{NAME}/")
        assert status == 200 and "Sparning nummer 4." in page.decode()
    finally:  # the next tests start from the document as it was
        (body.parent / f".{body.name}.swp").unlink(missing_ok=True)
        if body.read_text(encoding="utf-8") != good:
            save_and_settle(served, body, good)


def test_a_new_document_is_served_and_a_removed_one_leaves_the_register(served):
    builds = served.settled()["builds"]
    shutil.copytree(served.root / "source" / NAME, served.root / "source" / "ny")
    served.settled(builds + 1)
    status, _, page = served.get("/ny/")
    assert status == 200 and OLD in page.decode()
    assert 'href="ny/index.html"' in served.get("/")[2].decode()
    builds = served.settled()["builds"]
    shutil.rmtree(served.root / "source" / "ny")
    served.settled(builds + 1)
    assert 'href="ny/index.html"' not in served.get("/")[2].decode()
    assert served.get("/ny/")[0] == 404
    assert 'href="liten/index.html"' in served.get("/")[2].decode()


# --- 2. the template -----------------------------------------------------------------------------


def heading_colours(pdf: bytes) -> set[tuple[float, ...]]:
    with pdfplumber.open(io.BytesIO(pdf)) as read:
        return {
            tuple(round(float(c), 2) for c in char.get("non_stroking_color") or ())
            for page in read.pages
            for char in page.chars
            if char["text"] == "I" and char["size"] > 13  # "Inledning", a heading
        }


def test_a_saved_template_rebuilds_the_docx_and_pdf_and_a_broken_one_shows_why(tmp_path, chromium):
    root = good_project(tmp_path / "proj")
    template = root / "templates" / "helsingborg" / "template.docx"
    server = Served(root)
    try:
        server.settled()
        page = chromium.new_page()
        page.goto(server.url + f"{NAME}/")
        docx = f"/{NAME}/{NAME}.docx"
        pdf = f"/{NAME}/{NAME}.pdf"
        old_docx, old_pdf = server.get(docx)[2], server.get(pdf)[2]
        red = (0.56, 0.11, 0.11)
        assert red not in heading_colours(old_pdf)

        builds = server.status()["builds"]
        edited = Document(str(template))
        edited.styles["Heading 1"].font.color.rgb = RGBColor(0x8F, 0x1D, 0x1D)
        saved = io.BytesIO()
        edited.save(saved)
        temporary = template.with_name("~$template.docx")  # as Word saves
        temporary.write_bytes(saved.getvalue())
        os.replace(temporary, template)
        server.settled(builds + 1)
        new_docx, new_pdf = server.get(docx)[2], server.get(pdf)[2]
        assert hashlib.sha256(new_docx).digest() != hashlib.sha256(old_docx).digest()
        assert b"8F1D1D" in Document(io.BytesIO(new_docx)).styles.element.xml.encode()
        assert red in heading_colours(new_pdf)  # the PDF made again, with the new template
        expect(page.get_by_text(OLD)).to_be_visible(timeout=WAIT)

        template.write_bytes(b"inte en Word-fil")
        problems = page.locator(".sd-fel")
        expect(problems).to_be_visible(timeout=WAIT)
        expect(problems).to_contain_text("templates/helsingborg/template.docx")
        expect(problems).to_contain_text("mallen går inte att öppna som Word-dokument")
        expect(page.get_by_text(OLD)).to_have_count(0)
        assert server.get(docx)[2] == new_docx  # the last good build stays

        template.write_bytes(saved.getvalue())
        expect(page.get_by_text(OLD)).to_be_visible(timeout=WAIT)
        expect(page.locator(".sd-fel")).to_have_count(0)
    finally:
        assert server.stop() == 0, server.stderr
    assert not leftovers(server.proc.pid, root / "build")


# --- 3. ending it --------------------------------------------------------------------------------


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 0), (signal.SIGTERM, 143)])
def test_ctrl_c_or_sigterm_while_a_pdf_is_made_leaves_nothing(tmp_path, sig, code):
    root = tmp_path / "proj"
    shutil.copytree(REPO / "source", root / "source")  # four documents: a build that lasts
    shutil.copytree(REPO / "templates", root / "templates")
    before = outside_build(root)
    server = Served(root)
    pid = server.proc.pid
    server.wait(lambda s: s["pdf_pending"], what="a PDF being made")  # the first build
    assert processes_of(pid)  # LibreOffice and its worker run
    assert server.stop(sig) == code, server.stderr
    assert "Traceback" not in server.stderr
    assert leftovers(pid, root / "build") == []
    assert outside_build(root) == before
    with pytest.raises(OSError):
        socket.create_connection((server.host, server.port), timeout=2).close()


# --- 4. safe by default --------------------------------------------------------------------------


def test_only_build_is_served(served, tmp_path):
    secret = tmp_path / "hemlig.txt"
    secret.write_text("HEMLIGT", encoding="utf-8")
    build = served.root / "build"
    (build / NAME / "ut.txt").symlink_to(secret)
    (build / NAME / "utdir").symlink_to(tmp_path, target_is_directory=True)
    try:
        for path in (
            "/../hemlig.txt",
            "/../../../../etc/passwd",
            f"/{NAME}/../../hemlig.txt",
            "/%2e%2e/hemlig.txt",
            "/%2E%2E/%2E%2E/%2e%2e/etc/passwd",
            f"/{NAME}/%2e%2e%2f%2e%2e%2fhemlig.txt",
            "/..%2f..%2fetc%2fpasswd",
            "/%252e%252e/hemlig.txt",
            f"/{NAME}/ut.txt",  # a symbolic link out of build/
            f"/{NAME}/utdir/hemlig.txt",
            f"/{NAME}/.bygge.json",  # hidden files: records, staging folders
            "/.register.json",
            "/%00/etc/passwd",
        ):
            status, _, body = served.get(path)
            assert status == 404, path
            assert b"HEMLIGT" not in body and b"root:" not in body, path
        assert served.get("/", "POST")[0] == 405
        assert served.get("/", headers={"Host": "evil.example:80"})[0] == 421
        status, headers, _ = served.get(f"/{NAME}/")
        assert status == 200 and "script-src 'sha256-" in headers["Content-Security-Policy"]
        status, headers, _ = served.get(f"/{NAME}/{NAME}.pdf")
        assert status == 200 and headers["Content-Type"] == "application/pdf"
        assert served.get(f"/{NAME}")[1]["Location"] == f"/{NAME}/"
    finally:
        (build / NAME / "ut.txt").unlink()
        (build / NAME / "utdir").unlink()


def test_a_host_other_than_this_machine_is_warned_about_and_a_busy_port_refused(tmp_path):
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")
    root = good_project(tmp_path / "proj")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        out = subprocess.run(
            [str(STYRDOK), "serve", "--host", "0.0.0.0", "--port", port, "--root", str(root)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert out.returncode == 1
    assert "varning: med --host 0.0.0.0" in out.stderr
    assert f"porten {port} används redan" in out.stderr and "Traceback" not in out.stderr
    assert not (root / "build").exists()


# --- 5. the changes since the last release ------------------------------------------------------


def test_the_changes_since_the_last_release_are_built_on_request(tmp_path, chromium):
    repo = DocRepo(tmp_path / "repo")  # the example, released as 2018
    other = repo.root / "source" / "annan"
    shutil.copytree(repo.folder, other)
    server = Served(repo.root, DOC)  # only the one named
    try:
        builds = server.settled()["builds"]
        assert server.get("/annan/")[0] == 404 and not (repo.root / "build" / "annan").exists()
        save(other / "document.md", "# Ändrad {#andrad}\n\nText.\n")
        time.sleep(10 * QUIET)
        assert server.settled()["builds"] == builds  # a document not served is not built
        page = chromium.new_page()
        page.goto(server.url + f"{DOC}/")
        page.get_by_role("link", name="Ändringar sedan 2018").click()
        expect(page.locator("h1")).to_contain_text("Ändringsrapport", timeout=WAIT)
        assert "/diff/" in page.url
        repo.edit(": Klart juni 2018\n", ": Klart december 2019\n")
        expect(page.get_by_text("december 2019").first).to_be_visible(timeout=WAIT)
        status, headers, pdf = server.get(f"/diff/{DOC}/redline.pdf?fr%C3%A5n=2018")
        assert status == 200 and headers["Content-Type"] == "application/pdf"
        with pdfplumber.open(io.BytesIO(pdf)) as read:
            assert "december 2019" in "".join(p.extract_text() or "" for p in read.pages)
        status, _, body = server.get(f"/diff/{DOC}?fr%C3%A5n=1999")
        assert status == 400 and "1999" in body.decode()
    finally:
        assert server.stop() == 0, server.stderr
    assert not leftovers(server.proc.pid, repo.root / "build")


# --- 6. idle --------------------------------------------------------------------------------------


def test_serve_uses_no_cpu_while_nothing_changes(served):
    served.settled()
    pid = served.proc.pid
    start = cpu_seconds(pid)
    time.sleep(3)
    assert cpu_seconds(pid) - start < 0.03  # no polling loop: its threads sleep in select()


# --- 7. the watcher -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [Watcher, Poller])
def test_the_watcher_gives_one_batch_a_save_and_ignores_editors_files(tmp_path, kind):
    root = good_project(tmp_path / "proj")
    batches: list[frozenset[Path]] = []
    watcher = kind(Project(root), lambda paths, when: batches.append(paths))
    watcher.start()
    pause = 0.5 if kind is Watcher else 3.0
    try:
        body = root / "source" / NAME / "document.md"
        text = body.read_text(encoding="utf-8")
        for n in range(4):
            (body.parent / "4913").write_bytes(b"")  # vim's test file
            save(body, text + f"\n{n}\n")
        (body.parent / "4913").unlink()
        time.sleep(pause)
        assert batches == [frozenset({body.resolve()})]
        (body.parent / "document.md~").write_text("backup", encoding="utf-8")
        (root / "README.txt").write_text("inget", encoding="utf-8")
        time.sleep(pause)
        assert len(batches) == 1
        new = root / "source" / "ny"
        new.mkdir()
        time.sleep(pause)
        (new / "document.yaml").write_text("typ: plan\n", encoding="utf-8")
        time.sleep(pause)
        assert (new / "document.yaml").resolve() in set().union(*batches[1:])
        (root / "styrdok.toml").write_text("", encoding="utf-8")
        time.sleep(pause)
        assert (root / "styrdok.toml").resolve() in batches[-1]
    finally:
        watcher.close()
