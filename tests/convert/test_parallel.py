"""Parallel conversion (`build -j N`): several LibreOffice workers fed from one queue, and the
DOCX that gets its page numbers from its PDF without a second render."""

from __future__ import annotations

import io
import os
import shutil
import signal
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from support.revise import documents

from styrdok.cli import main
from styrdok.convert.office import Office
from styrdok.convert.office_pool import Offices
from styrdok.model.document import Paragraph, Run
from styrdok.project.layout import Project
from styrdok.readers.markdown.source import iter_documents
from styrdok.writers.docx import PAGE_MARK, Layout, render_docx, render_draft, with_layout

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = tuple(iter_documents(REPO / "source"))
FOLDER, DOCX = REPO / "source" / EXAMPLES[0].name, ("docx",)  # a render worker's "prepare"


def layouts(entries: int) -> list[Layout]:
    """A layout that fits the contents, and ones that do not (too few, too many entries)."""
    fits = Layout(tuple(range(3, 3 + 2 * entries, 2)), 7 + 2 * entries)
    return [fits, Layout(fits.toc_pages[:-1], 9), Layout((*fits.toc_pages, 99), 100)]


@pytest.mark.parametrize("doc", EXAMPLES, ids=lambda d: d.name)
def test_page_numbers_put_into_the_draft_give_the_whole_render(doc):
    draft = render_draft(doc)
    assert PAGE_MARK.encode() not in render_docx(doc)
    for layout in layouts(len(doc.sections)):
        assert with_layout(draft, doc, layout) == render_docx(doc, layout=layout)


def test_a_text_that_holds_the_page_mark_is_rendered_whole():
    doc = EXAMPLES[0]
    first = doc.sections[0]
    marked = Paragraph((Run(f"Tecknet {PAGE_MARK} står i texten."),))
    doc = replace(doc, sections=(replace(first, blocks=(marked, *first.blocks)), *doc.sections[1:]))
    layout = layouts(len(doc.sections))[0]
    made = with_layout(render_draft(doc), doc, layout)
    assert made == render_docx(doc, layout=layout)
    with zipfile.ZipFile(io.BytesIO(made)) as z:  # the writer's own mark stays as written
        assert "Tecknet \ue010 står" in z.read("word/document.xml").decode()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_page_numbers_into_any_draft_give_the_whole_render(doc):
    for layout in layouts(len(doc.sections))[:2]:
        assert with_layout(render_draft(doc), doc, layout) == render_docx(doc, layout=layout)


def test_the_pool_spreads_conversions_and_hands_each_back_once(example_build, tmp_path):
    with Offices[int](2) as offices:
        offices.start()
        done = []
        for n in range(5):
            done += offices.submit(example_build, tmp_path / f"{n}.pdf", "t", n)
        done += offices.drain()
        pids = {office.pid for office in offices.all}
    assert sorted(keep for keep, _ in done) == [0, 1, 2, 3, 4]
    assert all(pdf == tmp_path / f"{keep}.pdf" and pdf.is_file() for keep, pdf in done)
    assert len(pids) == 2 and None not in pids
    assert [p.name for p in tmp_path.iterdir() if p.suffix != ".pdf"] == []


def test_a_hung_worker_is_restarted_while_the_other_goes_on(example_build, tmp_path):
    workers = [Office(timeout=4), Office(timeout=4)]
    try:
        with Offices[int](offices=workers) as offices:
            offices.start()
            done = offices.submit(example_build, tmp_path / "0.pdf", "t", 0)
            done += offices.submit(example_build, tmp_path / "1.pdf", "t", 1)
            done += offices.drain()
            hung = workers[0].pid
            assert hung is not None
            os.killpg(hung, signal.SIGSTOP)
            for n in range(2, 6):
                done += offices.submit(example_build, tmp_path / f"{n}.pdf", "t", n)
            done += offices.drain()
        assert sorted(keep for keep, _ in done) == list(range(6))
        assert workers[0].pid not in (None, hung)  # a new LibreOffice took over
    finally:
        for office in workers:
            office.close()
    assert not Path(f"/proc/{hung}").exists() or "Z" in Path(f"/proc/{hung}/stat").read_text()


def test_a_parallel_build_writes_what_a_serial_one_does(tmp_path):
    outputs = {}
    for jobs in ("1", "2"):
        root = tmp_path / f"j{jobs}"
        shutil.copytree(REPO / "source", root / "source")
        shutil.copytree(REPO / "templates", root / "templates")
        result = CliRunner().invoke(main, ["build", "-q", "-j", jobs, "--root", str(root)])
        assert result.exit_code == 0, result.output
        outputs[jobs] = {p.relative_to(root): p for p in (root / "build").rglob("*.*")}
    assert sorted(outputs["1"]) == sorted(outputs["2"])
    assert len([p for p in outputs["1"] if p.suffix == ".pdf"]) == len(EXAMPLES)
    for name, path in outputs["1"].items():
        if path.suffix == ".docx":  # the DOCX is deterministic; the PDF carries a time stamp
            assert path.read_bytes() == outputs["2"][name].read_bytes(), name


@pytest.mark.parametrize(
    ("value", "said"),
    [("0", "'0' är för litet; ange ett heltal, minst 1"), ("tre", "'tre' är inget heltal")],
)
def test_jobs_must_be_a_positive_number(value, said):
    result = CliRunner().invoke(main, ["build", "-j", value, "--root", str(REPO)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"-j / --jobs: {said}" in result.output


def test_more_workers_than_documents_start_no_idle_libreoffice(tmp_path, monkeypatch):
    root = tmp_path / "p"
    shutil.copytree(REPO / "source" / EXAMPLES[0].name, root / "source" / EXAMPLES[0].name)
    shutil.copytree(REPO / "templates", root / "templates")
    counts = []
    original = Offices.__init__

    def counting(self, count=1, offices=None, conform=True):
        counts.append(count)
        original(self, count, offices, conform)

    monkeypatch.setattr(Offices, "__init__", counting)
    from styrdok.commands.build import build_documents

    build_documents(Project(root), jobs=8)
    assert counts == [1]


# --- render workers (render_pool.py) -------------------------------------------------------------


def _project(root: Path) -> Project:
    shutil.copytree(REPO / "source", root / "source")
    shutil.copytree(REPO / "templates", root / "templates")
    return Project(root)


def test_render_workers_build_what_this_process_builds(tmp_path, monkeypatch):
    """DOCX, HTML and PDF through two render workers (rendering, PDF/UA finishing and the page
    numbers in the DOCX all in them) are the files a build without workers writes."""
    from styrdok.commands.build import build_documents
    from styrdok.convert import render_pool
    from styrdok.convert.pdf_conform import conformance

    outputs = {}
    for workers in (0, 2):
        monkeypatch.setattr(render_pool, "worker_count", lambda jobs, docs, w=workers: w)
        project = _project(tmp_path / f"w{workers}")
        started = []
        monkeypatch.setattr(render_pool._Worker, "__init__", _counted(started))
        written = build_documents(project, jobs=2, force=True)
        assert len(started) == workers
        outputs[workers] = {p.relative_to(project.root): p for p in written}
    assert sorted(outputs[0]) == sorted(outputs[2])
    for name, path in outputs[2].items():
        if path.suffix == ".pdf":  # finished in a worker: still PDF/A-2b and PDF/UA-1
            assert conformance(path) == [], name
        else:
            assert path.read_bytes() == outputs[0][name].read_bytes(), name


def _counted(started: list):
    from styrdok.convert import render_pool

    original = render_pool._Worker.__init__

    def init(self):
        started.append(self)
        original(self)

    return init


def test_render_workers_report_every_broken_document_and_build_the_others(tmp_path, monkeypatch):
    from styrdok.commands.build import build_documents
    from styrdok.convert import render_pool
    from styrdok.errors import SourceError

    said = {}
    for workers in (0, 2):
        monkeypatch.setattr(render_pool, "worker_count", lambda jobs, docs, w=workers: w)
        project = _project(tmp_path / f"w{workers}")
        for broken in EXAMPLES[1:3]:
            body = project.source / broken.name / "document.md"
            body.write_text(body.read_text(encoding="utf-8") + "\n# Utan id\n", "utf-8")
        warnings: list[str] = []
        with pytest.raises(SourceError) as e:
            build_documents(project, formats=("docx", "html"), jobs=2, say=warnings.append)
        built = sorted({p.parent.name for p in e.value.done})
        assert built == sorted({EXAMPLES[0].name, EXAMPLES[3].name}), built
        rel = [str(p).replace(str(project.root), "") for p in e.value.problems]
        said[workers] = (rel, warnings[:-1], [p.relative_to(project.root) for p in e.value.done])
    assert said[0] == said[2]  # the same problems, warnings and files, in the same order


def test_how_many_render_workers():
    from styrdok.convert.render_pool import worker_count

    assert worker_count(1, 300) == 0  # one core: this process renders while pandoc reads
    assert worker_count(2, 300) == 2
    assert worker_count(8, 300) == 8
    assert worker_count(8, 12) == 2  # a worker's start pays off over a few documents
    assert worker_count(8, 5) == 0


def test_a_users_error_in_a_render_worker_is_told_as_here(tmp_path):
    from styrdok.convert.render_pool import Renderers
    from styrdok.errors import BuildError

    broken = tmp_path / "mall"
    broken.mkdir()
    (broken / "template.docx").write_bytes(b"inte en zip")
    with Renderers(1) as renderers:
        future = renderers.submit("prepare", FOLDER, broken, DOCX, False)
        with pytest.raises(BuildError, match="mallen går inte att öppna som Word-dokument"):
            future.result()
        # the worker goes on with the next document
        again = renderers.submit("prepare", FOLDER, REPO / "templates" / "helsingborg", DOCX, False)
        assert again.result().docx[:2] == b"PK"


def test_a_render_worker_that_dies_fails_its_document_with_a_message(tmp_path):
    from styrdok.convert.render_pool import Renderers
    from styrdok.errors import BuildError

    templates = REPO / "templates" / "helsingborg"
    with Renderers(1) as renderers:
        assert (
            renderers.submit("prepare", FOLDER, templates, DOCX, False).result().docx[:2] == b"PK"
        )
        renderers.workers[0].process.send_signal(signal.SIGKILL)
        renderers.workers[0].process.wait()
        future = renderers.submit("prepare", FOLDER, templates, DOCX, False, name="dokumentet")
        with pytest.raises(BuildError, match=r"^dokumentet: processen som gjorde dokumentet av"):
            future.result()


def test_a_half_answer_from_a_render_worker_is_a_message_not_a_traceback(tmp_path):
    """A worker killed while it writes its answer (the out-of-memory killer, say)."""
    import subprocess
    import sys

    from styrdok.convert.render_pool import Renderers
    from styrdok.errors import BuildError

    fake = tmp_path / "halv.py"  # reads a call, answers with a length and a few bytes of it
    fake.write_text(
        "import sys\n"
        "n = int.from_bytes(sys.stdin.buffer.read(8), 'big'); sys.stdin.buffer.read(n)\n"
        "sys.stdout.buffer.write((1000).to_bytes(8, 'big') + b'0123456789')\n",
        encoding="utf-8",
    )
    with Renderers(1) as renderers:
        worker = renderers.workers[0]
        worker.kill()
        worker.close()
        worker.process = subprocess.Popen(
            [sys.executable, str(fake)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        future = renderers.submit("prepare", FOLDER, tmp_path, DOCX, False, name="dok")
        with pytest.raises(BuildError, match=r"^dok: processen som gjorde dokumentet"):
            future.result()


def test_render_workers_take_no_module_from_the_current_folder(tmp_path, monkeypatch):
    from styrdok.convert.render_pool import Renderers

    (tmp_path / "docx.py").write_text("raise ImportError('fel docx')\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with Renderers(1) as renderers:
        templates = REPO / "templates" / "helsingborg"
        assert (
            renderers.submit("prepare", FOLDER, templates, DOCX, False).result().docx[:2] == b"PK"
        )


def test_an_os_error_in_a_render_worker_is_the_same_os_error(tmp_path):
    """The CLI words an OSError (disk full, no permission) in Swedish; from a worker too."""
    from styrdok.convert.render_pool import Renderers

    with Renderers(1) as renderers:
        missing = tmp_path / "finns-inte.pdf"
        future = renderers.submit("finish", missing, missing, b"", EXAMPLES[0], tmp_path, False)
        with pytest.raises(OSError):
            future.result()
