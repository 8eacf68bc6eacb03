"""Render workers: processes that load, render and finish documents beside this one, so that a
build uses more cores than one Python process can (`styrdok build -j N`).

The Python work a document costs (reading pandoc's syntax tree into the model, checking it,
rendering the DOCX and the web page, making LibreOffice's PDF accessible, putting the PDF's
page numbers into the DOCX) runs in worker processes (render_worker.py): folders and models go
to them, models and bytes come back. Without workers (`count` 0) the same calls run here, in
order, and the build is the same. Each worker keeps the build's guarantees: it is in a session
of its own, so Ctrl-C reaches only the build, which stops it; it stops by itself once the build
is gone, even by SIGKILL (its input ends); it writes nothing but the staged PDF it is given;
and a worker that dies fails the build with a message, it does not hang it.
"""

from __future__ import annotations

import contextlib
import pickle
import queue
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from styrdok.errors import BuildError
from styrdok.project.settings import DEFAULT_CITY, City

if TYPE_CHECKING:
    from styrdok.convert.office import Office
    from styrdok.model.document import Document

MIN_PER_WORKER = 6  # fewer documents a worker than this, and its start costs more than it saves


def worker_count(jobs: int, documents: int) -> int:
    """How many render workers a build of `documents` on `jobs` cores uses: one a core from two
    cores on, but none for a few documents. Measured with two cores, DOCX + PDF + HTML: 12 %
    faster with workers on documents of 30 pages, 5 % slower on documents of 3–10 pages."""
    if jobs < 2:
        return 0
    return min(jobs, documents // MIN_PER_WORKER)


class Renderers:
    """A pool of render workers; a context manager. `submit` returns a Future either way."""

    def __init__(self, count: int) -> None:
        self.workers = [_Worker() for _ in range(count)]  # they boot while the sources load
        self.idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        for worker in self.workers:
            self.idle.put(worker)
        self.threads = ThreadPoolExecutor(count) if count else None  # one talks to each worker

    def __enter__(self) -> Renderers:
        return self

    def __exit__(self, kind: type | None, *exc: object) -> None:
        self.close(cancel=kind is not None)

    def close(self, cancel: bool = False) -> None:
        """Stop the workers: after the calls in hand (after an error, queued calls are dropped
        and the workers killed at once)."""
        if self.threads is not None:
            if cancel:
                for worker in self.workers:
                    worker.kill()
            self.threads.shutdown(wait=True, cancel_futures=cancel)
        for worker in self.workers:
            worker.close()

    def submit(self, task: str, *args: Any, name: str = "") -> Future:
        """Run TASKS[task](*args) in a worker, or here without workers; `name` is the
        document's, for an error."""
        if self.threads is not None:
            return self.threads.submit(self._call, task, args, name)
        done: Future = Future()
        try:
            done.set_result(TASKS[task](*args))
        except Exception as e:  # raised by result(), as from a worker
            done.set_exception(e)
        return done

    def _call(self, task: str, args: tuple, name: str) -> Any:
        worker = self.idle.get()
        try:
            return worker.call(task, args, name)
        finally:
            self.idle.put(worker)


class _Worker:
    """One render worker process and its pipe: a length-prefixed pickle each way."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            # -P: not the current folder first on the module path (a docx.py there would do)
            [sys.executable, "-P", "-m", "styrdok.convert.render_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            start_new_session=True,  # Ctrl-C at the terminal is the build's to handle
        )

    def call(self, task: str, args: tuple, name: str) -> Any:
        assert self.process.stdin is not None and self.process.stdout is not None
        data = pickle.dumps((task, args), protocol=pickle.HIGHEST_PROTOCOL)
        ok: bool | None = None  # until a whole answer is in: no answer, or half of one
        value: Any = None
        try:
            self.process.stdin.write(len(data).to_bytes(8, "big") + data)
            self.process.stdin.flush()
            size = self.process.stdout.read(8)
            length = int.from_bytes(size, "big") if len(size) == 8 else -1
            answer = self.process.stdout.read(length) if length >= 0 else b""
            if len(answer) == length:
                ok, value = pickle.loads(answer)
        except Exception:  # a broken pipe, a garbled answer: the worker is gone
            ok = None
        if ok is None:
            self.kill()
            raise BuildError(
                f"{name or task}: processen som gjorde dokumentet avslutades oväntat (slut på "
                "minne, eller dödad); bygg igen, med färre samtidiga jobb (-j) om det upprepas"
            )
        if not ok:
            raise value
        return value

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()

    def close(self) -> None:
        """Its input ends, so it stops; killed if it has not within a few seconds."""
        with contextlib.suppress(OSError):
            if self.process.stdin is not None:
                self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


# --- the calls a worker runs -------------------------------------------------------------------


class Prepared(NamedTuple):
    """A document made ready for LibreOffice and publishing."""

    doc: Document
    warnings: tuple[str, ...]  # rules.py's, as printed
    page: bytes | None  # the web page, if asked for
    docx: bytes | None  # the DOCX (a draft when `draft`), if a DOCX or a PDF is asked for


def prepare(
    folder: Path,
    templates: Path,
    formats: tuple[str, ...],
    draft: bool,
    city: City = DEFAULT_CITY,
):
    """Load the document in `folder` and prepare it; or every problem it has (a list)."""
    from styrdok.readers.markdown.source import load_or_problems

    loaded = load_or_problems(folder)
    if isinstance(loaded, list):
        return loaded
    return prepared(loaded, folder, templates, formats, draft, city)


def prepared(
    doc: Document,
    folder: Path,
    templates: Path,
    formats: tuple[str, ...],
    draft: bool,
    city: City = DEFAULT_CITY,
    docx: bool = True,
) -> Prepared:
    """A loaded document's warnings, web page (under `city`'s banner) and DOCX (or the draft
    LibreOffice lays out); without `docx`, the caller renders the DOCX later (after showing the
    page first)."""
    from styrdok.project.formats import build_format
    from styrdok.readers.rules import warnings

    said = tuple(str(w) for w in warnings(doc, folder))
    page = build_format("html").write()(doc, formats, city) if "html" in formats else None
    rendered = render(doc, templates, draft) if docx and (draft or "docx" in formats) else None
    return Prepared(doc, said, page.encode() if page is not None else None, rendered)


def render(doc: Document, templates: Path, draft: bool) -> bytes:
    """The DOCX of a document: a draft for LibreOffice to lay out, or the final file."""
    from styrdok.writers.docx import render_docx, render_draft

    return render_draft(doc, templates) if draft else render_docx(doc, templates)


def finish(
    pdf: Path, docx: Path, draft: bytes, doc: Document, templates: Path, layout: bool
) -> bytes | None:
    """Make LibreOffice's PDF/A-2b at `pdf` PDF/UA-1 as well (in place, dated as `docx`), and
    if `layout`, return the DOCX with the PDF's page numbers in its table of contents."""
    from styrdok.convert.pdf_conform import make_accessible

    make_accessible(pdf, docx)
    if not layout:
        return None
    from styrdok.convert.pdf import pdf_layout
    from styrdok.writers.docx import with_layout

    return with_layout(draft, doc, pdf_layout(pdf), templates)


def built(doc: Document, templates: Path, folder: Path, office: Office) -> tuple[bytes, Path]:
    """The DOCX and the PDF that `styrdok build` (default formats) makes of a document, made one
    at a time by the build's own steps: the draft laid out by LibreOffice into a PDF/A-2b made
    PDF/UA-1 as well (at `folder/<name>.pdf`), then the DOCX with the PDF's page numbers in its
    table of contents and the page count in its properties. A release archives these, so that its
    DOCX is the same bytes as a build of the tagged commit."""
    draft = render(doc, templates, draft=True)
    docx = folder / f"{doc.name}.docx"
    docx.write_bytes(draft)
    pdf = office.convert(docx, docx.with_suffix(".pdf"), title=doc.metadata.full_title)
    from styrdok.convert.pdf import pdf_layout
    from styrdok.writers.docx import with_layout

    final = with_layout(draft, doc, pdf_layout(pdf), templates)
    docx.write_bytes(final)
    return final, pdf


TASKS: dict[str, Callable[..., Any]] = {"prepare": prepare, "finish": finish}
