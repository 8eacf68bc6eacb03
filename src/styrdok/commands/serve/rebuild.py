"""The rebuild loop: serve's main thread builds what changed, a batch at a time, and tells the
open pages (live.py).

Everything that writes runs here, one thing at a time: the incremental build and the
comparisons pages ask for. So this thread is the only writer of build/ and the only user of
LibreOffice, and it is the thread Ctrl-C and SIGTERM interrupt: the build's own clean-up
(staging folders removed, LibreOffice stopped) is what ends serve in the middle of a build.

A batch of changes (watch.py):
1. the documents it concerns: those whose folder changed, every one for the template or
   styrdok.toml;
2. what `check` refuses besides a document that does not load (styrdok.toml, records values) is
   found first, from the metadata alone;
3. the build (commands/build.py, incremental) with the warm LibreOffice: each web page is
   published as soon as it is rendered and its pages load again at once, saying that the PDF
   is being made; the PDFs follow. A document whose source `check` refuses keeps its earlier
   output, and its pages show the problems instead;
4. the PDF views load the new PDFs; the register's pages load again if it changed.
"""

from __future__ import annotations

import queue
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from styrdok.commands.build import build_documents
from styrdok.commands.serve.live import PROJECT, Live, clock
from styrdok.errors import BuildError, Problem, SourceError, StyrdokError, os_message
from styrdok.project.layout import Project
from styrdok.project.names import BODY_FILE, META_FILE, SETTINGS_FILE
from styrdok.readers.markdown import pandoc
from styrdok.readers.markdown.source import find_documents, load_metadata

if TYPE_CHECKING:
    from styrdok.convert.office import Office


@dataclass(frozen=True)
class Changes:
    """Inputs that changed (None: all, the first build), and when the first of them did."""

    paths: frozenset[Path] | None
    when: float  # time.monotonic()


@dataclass(frozen=True)
class Comparison:
    """A page's request for the changes since `version` (with the redline, if `redline`)."""

    doc: str
    version: str
    redline: bool
    done: Future


class Rebuilder:
    """The loop; `changed` and `diff` are called from other threads."""

    def __init__(
        self,
        project: Project,
        names: tuple[str, ...],
        office: Office,
        live: Live,
        say: Callable[[str], None],
    ) -> None:
        self.root, self.names, self.office = project.root, names, office
        self.live, self.say = live, say
        self.jobs: queue.Queue[Changes | Comparison] = queue.Queue()
        self.compared: dict[tuple[str, str], bool] = {}  # (doc, version) → with the redline

    # --- asked from other threads ------------------------------------------------------------

    def changed(self, paths: frozenset[Path], when: float) -> None:
        """A batch of changed inputs (the watcher's thread)."""
        self.jobs.put(Changes(paths, when))

    def touched(self, paths: frozenset[Path]) -> None:
        """Inputs just saved (the watcher's thread, before it knows whether more saves follow):
        pandoc starts reading a saved document.md, and the build takes its reading if the text
        is still the same."""
        source = self.root.resolve() / "source"
        bodies = [p for p in paths if p.name == BODY_FILE and p.parent.parent == source]
        if bodies:
            pandoc.read_early(bodies, pandoc.SOURCE_FORMAT)

    def diff(self, doc: str, version: str, redline: bool) -> Path:
        """The folder with the comparison of `doc` since `version`, made by the loop (a
        handler's thread waits for it)."""
        job = Comparison(doc, version, redline, Future())
        self.jobs.put(job)
        return job.done.result()

    def fail_waiting(self) -> None:
        """Answer the requests still waiting once serve ends."""
        while True:
            try:
                job = self.jobs.get_nowait()
            except queue.Empty:
                return
            if isinstance(job, Comparison) and not job.done.done():
                job.done.set_exception(StyrdokError("styrdok serve avslutades"))

    # --- the loop ----------------------------------------------------------------------------

    def run(self) -> None:
        """Build everything, then each batch as it comes; until interrupted."""
        self.jobs.put(Changes(None, time.monotonic()))
        while True:
            job = self.jobs.get()  # sleeps until there is something (Ctrl-C still reaches it)
            if isinstance(job, Comparison):
                self._compare(job)
                continue
            later: list[Comparison] = []
            while True:  # every batch already waiting is built with this one
                try:
                    more = self.jobs.get_nowait()
                except queue.Empty:
                    break
                if isinstance(more, Comparison):
                    later.append(more)
                else:
                    job = _merged(job, more)
            try:
                self._rebuild(job)
            finally:
                pandoc.stop_early(unless_current=True)  # texts saved over before they were built
            for comparison in later:
                self.jobs.put(comparison)

    def _compare(self, job: Comparison) -> None:
        from styrdok.commands.compare import compare, diff_folder

        project = Project(self.root)
        out = diff_folder(project, job.doc, job.version, None)
        key = (job.doc, job.version)
        try:
            if key not in self.compared or (job.redline and not self.compared[key]):
                formats = ("html", "docx", "pdf") if job.redline else ("html",)
                compare(project.root, job.doc, job.version, None, out, formats, self.office)
                self.compared[key] = job.redline
            job.done.set_result(out)
        except Exception as e:  # the page shows a StyrdokError; anything else is a bug
            job.done.set_exception(e)
            if not isinstance(e, StyrdokError):
                traceback.print_exc()
        finally:
            if not job.done.done():  # interrupted
                job.done.set_exception(StyrdokError("styrdok serve avslutades"))

    def _served(self, project: Project) -> list[str]:
        return list(self.names) or project.known_documents()

    def _concerned(self, project: Project, changes: Changes) -> tuple[list[str], bool]:
        """The served documents a batch concerns, and whether it concerns every page."""
        served = self._served(project)
        if changes.paths is None:
            return served, True
        root = project.root.resolve()
        source = project.source.resolve()
        docs: set[str] = set()
        for path in changes.paths:
            if path.parent == source or path.parent.parent == source:
                docs.add(path.relative_to(source).parts[0])
            elif path == root / SETTINGS_FILE or path.is_relative_to(root):
                return served, True  # styrdok.toml, the template, or source/ itself
        gone = docs - set(served)
        return sorted(docs & set(served) | (gone & set(self.names))), False

    # --- one batch ---------------------------------------------------------------------------

    def _rebuild(self, changes: Changes) -> None:
        project = Project(self.root)  # styrdok.toml read afresh
        docs, every = self._concerned(project, changes)
        removed = self._forget_removed(project)
        if not docs and not every and not removed:
            return
        live = self.live
        with live.lock:
            live.busy = True
            before = {d: list(live.problems.get(d, [])) for d in [*docs, PROJECT]}
            notices_before = list(live.notices)
        live.say({d: "Bygger om …" for d in docs})
        for key in [k for k in self.compared if k[0] in docs]:
            del self.compared[key]

        found = _Checked(project, docs)
        build = _Run(self, changes, found.records)
        built, notices = build.run(project, found, removed)
        with live.lock:
            for doc in docs:
                live.problems[doc] = found.problems.get(doc, []) + found.records.get(doc, [])
            live.problems[PROJECT] = found.project
            live.notices = notices
            live.builds += 1
            live.busy = False
            after = {d: list(live.problems.get(d, [])) for d in [*docs, PROJECT]}
            live.pdf_pending -= set(docs)
        live.pdf_done(built)
        if after[PROJECT] != before[PROJECT] or notices != notices_before:
            live.reload([], register=True, every=True)
        else:
            changed = [d for d in docs if after[d] != before[d]]  # the register lists them
            unshown = [d for d in changed if d not in build.shown]  # not loaded again yet
            if changed or build.register_changed(project) or removed:
                live.reload(unshown, register=True)
        self._report(project, docs, built, after, build, changes.paths is None)
        from styrdok.writers.status import latest_releases

        releases = latest_releases(project.root)
        with live.lock:
            live.releases = releases

    def _forget_removed(self, project: Project) -> bool:
        """Forget the problems of documents that are no longer there; whether there were any."""
        served = set(self._served(project)) | set(self.names)
        with self.live.lock:
            gone = [d for d in self.live.problems if d != PROJECT and d not in served]
            for doc in gone:
                del self.live.problems[doc]
        return bool(gone)

    def _report(self, project, docs, built, after, build, first: bool) -> None:
        """The status lines of the pages and a line a document on the terminal."""
        now = clock()
        lines = {}
        for doc in docs:
            found = after.get(doc, []) + after.get(PROJECT, [])
            if found:
                lines[doc] = f"{len(found)} fel i källan ({now})"
                self.say(f"{now} {doc}: {len(found)} fel; sidan visar dem")
                for problem in found:
                    self.say(f"  {_shown(project, problem)}")
            elif doc in built:
                page, pdf = build.times.get(doc, (None, None))
                if first or page is None:
                    lines[doc] = f"Byggd {now}"
                else:
                    after_save = f"webbsidan {page:.2f} s, PDF:en {pdf:.2f} s efter att du sparade"
                    lines[doc] = f"Aktuell {now}: {after_save}"
                    self.say(f"{now} {doc}: {after_save}")
            else:
                lines[doc] = f"Aktuell {now}"
        count = len(self.live.problems_of(PROJECT))
        lines[PROJECT] = f"{count} fel i källan ({now})" if count else f"Aktuellt {now}"
        self.live.say(lines)


class _Checked:
    """What `check` refuses in a batch's documents before anything is built: styrdok.toml
    (`project`), records values (`records`, from the metadata alone), documents that are gone
    (`problems`); the documents that can be built (`existing`). The build adds to `problems`."""

    def __init__(self, project: Project, docs: list[str]) -> None:
        self.project: list[Problem] = []
        try:
            project.settings  # noqa: B018 (read now: its problems are check's)
        except SourceError as e:
            self.project += e.problems
        self.records = {} if self.project else {d: _records(project, d) for d in docs}
        self.problems: dict[str, list[Problem]] = {}
        self.existing = []
        for doc in docs:
            try:
                find_documents(project.source, [doc])
                self.existing.append(doc)
            except SourceError as e:
                self.problems[doc] = e.problems


class _Run:
    """One build of a batch: the callbacks build_documents calls, and what they saw."""

    def __init__(self, rebuilder: Rebuilder, changes: Changes, records: dict) -> None:
        self.rebuilder, self.changes, self.records = rebuilder, changes, records
        self.current = ""
        self.warnings: dict[str, list[str]] = {}
        self.shown: list[str] = []
        self.page_times: dict[str, float] = {}
        self.times: dict[str, tuple[float, float]] = {}
        self.register_before: bytes | None = None

    def run(self, project: Project, found: _Checked, removed: bool) -> tuple[list[str], list[str]]:
        """Build the documents that can be; the ones built and notices for the pages. What
        `check` refuses goes into `found`."""
        notices: list[str] = []
        written: list[Path] = []
        try:
            if found.existing:
                written = self.build(project, found.existing)
            elif removed and project.build.is_dir():  # the register without them
                from styrdok.writers.register import write_register

                write_register(project, project.build)
        except SourceError as e:
            written = e.done
            for problem in e.problems:
                doc = _document_of(project, problem.path)
                found.problems.setdefault(doc, []).append(problem)
        except BuildError as e:  # LibreOffice, or the template
            from styrdok.convert.office import OfficeError

            if isinstance(e, OfficeError):
                notices.append(f"PDF:en kunde inte göras: {e.message}")
            else:
                found.project.append(_problem(e.message))
        except OSError as e:  # a full disk, a folder without permission: said, serve goes on
            found.project.append(_problem(os_message(e)))
        return sorted({p.parent.name for p in written}), notices

    def register_changed(self, project: Project) -> bool:
        from styrdok.writers.register import RECORD

        return _read(project.build / RECORD) != self.register_before

    def build(self, project: Project, docs: list[str]) -> list[Path]:
        from styrdok.writers.register import RECORD

        self.register_before = _read(project.build / RECORD)
        office = self.rebuilder.office
        written = build_documents(
            project,
            tuple(docs),
            office=office,
            say=self.said,
            progress=self.started,
            shown=self.page_shown,
        )
        done = time.monotonic() - self.changes.when
        for doc, page in self.page_times.items():
            self.times[doc] = (page, done)
        return written

    def started(self, name: str, total: int) -> None:
        self.current = name
        self.warnings[name] = []

    def said(self, message: str) -> None:
        if message.startswith("styrdok: "):
            return  # the build's summary: serve says what it built its own way
        for root in (f"{self.rebuilder.root.resolve()}/", f"{self.rebuilder.root}/"):
            message = message.removeprefix(root)  # the path from the project's folder
        self.warnings.setdefault(self.current, []).append(message)
        self.rebuilder.say(message)

    def page_shown(self, name: str) -> None:
        """A document's new web page is in build/: its pages load again, its PDF follows."""
        live = self.rebuilder.live
        self.page_times[name] = time.monotonic() - self.changes.when
        with live.lock:
            live.problems[name] = list(self.records.get(name, []))
            live.warnings[name] = self.warnings.get(name, [])
            live.pdf_pending.add(name)
        self.shown.append(name)
        live.reload([name])
        live.say({name: f"Webbsidan är ny ({clock()}); PDF:en görs …"})


def _merged(a: Changes, b: Changes) -> Changes:
    paths = None if a.paths is None or b.paths is None else a.paths | b.paths
    return Changes(paths, min(a.when, b.when))


def _records(project: Project, doc: str) -> list[Problem]:
    """What `check` refuses in a document's records values (styrdok.toml's defaults applied)."""
    from styrdok.project.records import problems

    folder = project.source / doc
    try:
        metadata = load_metadata(folder)
        text = (folder / META_FILE).read_text("utf-8")
    except (SourceError, OSError, UnicodeDecodeError):
        return []  # the build names what is wrong
    return problems(project, metadata, folder / META_FILE, text)


def _document_of(project: Project, path: Path) -> str:
    """The document a problem's file belongs to (PROJECT for one outside source/<doc>/)."""
    try:
        parts = path.resolve().relative_to(project.source.resolve()).parts
    except ValueError:
        return PROJECT
    return parts[0] if parts else PROJECT


def _problem(message: str) -> Problem:
    """A build error as a problem: its file when the message starts with one, line 0."""
    where, sep, text = message.partition(": ")
    if sep and ("/" in where or "." in where) and " " not in where:
        return Problem(Path(where), 0, text)
    return Problem(Path("styrdok"), 0, message)


def _shown(project: Project, problem: Problem) -> str:
    path = problem.path
    root = project.root.resolve()
    if path.is_absolute() and path.is_relative_to(root):
        path = path.relative_to(root)
    where = f"{path}:{problem.line}" if problem.line else str(path)
    return f"{where}: {problem.message}"


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
