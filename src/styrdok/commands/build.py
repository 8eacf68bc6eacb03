"""The build command as a recipe: load, validate, render and convert, then publish.

Everything is made in a staging folder inside the output folder (publish.py); only when every
document has loaded, validated, rendered and converted are the files renamed into place. A
document with a bad source does not stop the others: they are built, its earlier output stays,
and the command fails naming it. A failed conversion leaves build/ as it was, and another build
writing into the same folder at the same time keeps its output.
"""

from __future__ import annotations

import shutil
from collections import deque
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from styrdok.errors import Problem, SourceError
from styrdok.model.document import Document
from styrdok.project import buildcache as manifest
from styrdok.project import publish
from styrdok.project.formats import BUILD, build_file
from styrdok.project.layout import Project
from styrdok.project.names import TEMPLATE_FILE
from styrdok.project.settings import City
from styrdok.readers.markdown.source import find_documents, iter_folders

if TYPE_CHECKING:
    from concurrent.futures import Future

    from styrdok.convert.office import Office


def build_documents(
    project: Project,
    names: tuple[str, ...] = (),
    formats: tuple[str, ...] = BUILD,
    out_dir: Path | None = None,
    office: Office | None = None,
    say: Callable[[str], None] = lambda _: None,
    force: bool = False,
    progress: Callable[[str, int], None] = lambda name, total: None,
    jobs: int | None = None,
    today: date | None = None,
    shown: Callable[[str], None] | None = None,
) -> list[Path]:
    """Build the named documents (all by default) into `out_dir/<doc>/`; return written files.
    The register of all documents (register.py) is brought up to date in `out_dir` too.
    A document whose outputs are up to date is skipped (manifest.py) unless `force`. Each
    document's warnings (rules.py) go to `say` as it loads, and a summary at the end;
    `progress(name, total)` is called as each of the `total` documents to build is started.

    For PDF, `jobs` LibreOffice workers (default: one a usable core; never more than there are
    documents to build) start as soon as one document needs them (they boot while the sources
    load), and documents flow through them while the next ones load and render: in this
    process, or from 2 cores in render workers (render_pool.py). `office` is one the caller
    owns, used instead.

    With `shown`, each document's web page is published as soon as it is rendered, ahead of
    its PDF, and `shown(name)` is called (`styrdok serve` shows the new text while LibreOffice
    works). Its other outputs and its record follow together as usual; until they do, the
    record does not match the page, so a build stopped meanwhile rebuilds the document.
    """
    out_dir = project.output(out_dir, "-o") if out_dir else project.build
    publish.sweep(out_dir)  # what a killed build left, even when there is nothing to build
    try:
        run = (project, names, formats, out_dir, office, say, force, progress, jobs, shown)
        written = _build_stale(*run)
    except SourceError:  # the documents that did build are in the register
        if out_dir.is_dir():
            _register(project, out_dir, today)
        raise
    _register(project, out_dir, today)
    return written


def _register(project: Project, out_dir: Path, today: date | None) -> None:
    from styrdok.writers.register import (
        write_register,  # after the build: its imports wait, pandoc does not
    )

    write_register(project, out_dir, today)


def _build_stale(project, names, formats, out_dir, office, say, force, progress, jobs, shown):
    folders = find_documents(project.source, names)
    template = project.templates / TEMPLATE_FILE
    office_version = None
    if "pdf" in formats:
        from styrdok.convert.office import setup_version  # LibreOffice's modules only for a PDF

        office_version = setup_version()
    city = project.settings.city
    keys = {
        f.name: manifest.inputs_key(f, template, formats, office_version, city) for f in folders
    }
    stale = [
        f
        for f in folders
        if force or not manifest.up_to_date(out_dir / f.name, f.name, keys[f.name], formats)
    ]
    if not stale:
        say(f"styrdok: inget att bygga; {len(keys)} oförändrade")
        return []
    from styrdok.convert.office_pool import usable_cores
    from styrdok.convert.render_pool import worker_count

    cores = jobs or usable_cores()
    run = (project, stale, formats, out_dir)
    workers = worker_count(cores, len(stale))
    if "pdf" not in formats:
        return _build(*run, None, say, keys, progress, workers, shown)
    from styrdok.convert.office_pool import Offices  # LibreOffice is only needed for PDF

    count = min(cores, len(stale))
    # the render stage makes each PDF accessible (render_pool.finish), in a worker if there are
    offices: Offices[tuple[Document, bytes | None]]
    with Offices(count, [office] if office is not None else None, conform=False) as offices:
        offices.start()
        return _build(*run, offices, say, keys, progress, workers, shown)


class _Flow:
    """Documents on their way through LibreOffice and finishing (render_pool.finish), oldest
    first: with render workers, up to `ahead` documents finish while later ones convert;
    without, each is finished by the time it is handed on."""

    def __init__(self, renderers, offices, templates: Path, formats, ahead: int) -> None:
        self.renderers, self.offices = renderers, offices
        self.templates, self.formats, self.ahead = templates, formats, ahead
        self.finishing: deque = deque()  # (docx, Future of the DOCX with page numbers)

    def add(self, doc: Document, docx: Path, rendered: bytes | None) -> None:
        if rendered is None:
            return
        docx.write_bytes(rendered)
        if self.offices is not None:  # LibreOffice lays out the draft; pages then go in
            pdf = docx.with_suffix(".pdf")
            self._converted(
                self.offices.submit(docx, pdf, doc.metadata.full_title, (doc, rendered))
            )
        self._advance(self.ahead)

    def drain(self) -> None:
        if self.offices is not None:
            self._converted(list(self.offices.drain()))
        self._advance(0)

    def _advance(self, ahead: int) -> None:
        while self.finishing and (len(self.finishing) > ahead or self.finishing[0][1].done()):
            docx, future = self.finishing.popleft()
            with_pages = future.result()
            if with_pages is not None:
                docx.write_bytes(with_pages)

    def _converted(self, done: list[tuple[tuple[Document, bytes], Path]]) -> None:
        """Finish each converted PDF and give its DOCX the page numbers the PDF has."""
        for (doc, draft), pdf in done:
            docx = pdf.with_suffix(".docx")
            layout = "docx" in self.formats
            args = (pdf, docx, draft, doc, self.templates, layout)
            self.finishing.append((docx, self.renderers.submit("finish", *args, name=doc.name)))


def _prepared(
    renderers,
    loading,
    folders: list[Path],
    templates: Path,
    formats,
    draft: bool,
    city: City,
    late: bool,
):
    """Each document loaded, checked and rendered (render_pool.prepare), in order; once all are
    done, a SourceError with every problem of the documents that could not be loaded. Without
    workers this process renders what `loading` loads (the DOCX left to the caller if `late`);
    with them, each worker loads and renders whole documents, up to two each ahead of the one
    handed on."""
    from styrdok.convert.render_pool import prepared

    if loading is not None:
        by_name = {f.name: f for f in folders}
        for doc in loading:
            yield prepared(doc, by_name[doc.name], templates, formats, draft, city, not late)
        return
    waiting: deque[Future] = deque()
    problems: list[Problem] = []
    ahead = iter(folders)
    for folder in ahead:
        waiting.append(
            renderers.submit(
                "prepare", *(folder, templates, formats, draft, city), name=folder.name
            )
        )
        if len(waiting) == 2 * len(renderers.workers):
            break
    while waiting:
        outcome = waiting.popleft().result()
        for folder in ahead:  # one more in, one out
            waiting.append(
                renderers.submit(
                    "prepare", *(folder, templates, formats, draft, city), name=folder.name
                )
            )
            break
        if isinstance(outcome, list):
            problems += outcome
        else:
            yield outcome
    if problems:
        raise SourceError(problems)


def _show(page: Path, folder: Path, shown: Callable[[str], None], name: str) -> None:
    """Publish a copy of a staged web page ahead of the rest of its document, and say so."""
    early = page.with_name(f".{page.name}.tidig")
    shutil.copyfile(page, early)
    publish.publish([(early, folder / page.name)])
    shown(name)


def _build(
    project, folders, formats, out_dir: Path, offices, say, keys, progress, workers: int, shown
) -> list[Path]:
    made = [p for p in (*out_dir.parents, out_dir) if not p.exists()]
    built = []
    templates = project.templates
    # without workers, pandoc runs on loading threads while the renderer imports
    loading = None if workers else iter_folders(folders)
    from styrdok.convert.render_pool import Renderers, render

    if not workers:  # this process renders: its writer imports while pandoc reads the sources
        from styrdok.writers import docx  # noqa: F401

    try:
        with publish.staging(out_dir) as staging:
            broken: SourceError | None = None
            try:
                with Renderers(workers) as renderers:
                    flow = _Flow(renderers, offices, templates, formats, 2 * workers)
                    draft = offices is not None
                    city = project.settings.city
                    late = shown is not None and loading is not None  # the page before the DOCX
                    run = (renderers, loading, folders, templates, formats, draft, city, late)
                    try:
                        for ready in _prepared(*run):
                            doc = ready.doc
                            progress(doc.name, len(folders))
                            for warning in ready.warnings:
                                say(warning)
                            docx_file = staging / doc.name / f"{doc.name}.docx"
                            docx_file.parent.mkdir()
                            if ready.page is not None:
                                page = docx_file.parent / build_file(doc.name, "html")
                                page.write_bytes(ready.page)
                                if shown is not None:
                                    _show(page, out_dir / doc.name, shown, doc.name)
                            rendered = ready.docx
                            if late and (draft or "docx" in formats):
                                rendered = render(doc, templates, draft)
                            flow.add(doc, docx_file, rendered)
                            built.append(doc.name)
                    except SourceError as e:  # the valid documents are built all the same
                        broken = e
                    flow.drain()
            except Exception:
                if offices is not None:  # LibreOffice finishes writing first
                    offices.settle()
                raise
            except BaseException:  # Ctrl-C, SIGTERM: stop LibreOffice now, not after its job
                if offices is not None:
                    offices.close()
                raise
            moves, records = [], []
            for name in built:
                staged = [staging / name / build_file(name, fmt) for fmt in formats]
                moves += [(s, out_dir / name / s.name) for s in staged]
                # what the document was made from, published with its outputs
                record = manifest.record(staging / name, keys[name], staged)
                records.append((record, out_dir / name / manifest.RECORD))
            # a document's files come from one run: a format not built now is removed
            stale = [out_dir / name / build_file(name, fmt) for name in built for fmt in BUILD]
            publish.publish(moves + records, remove=stale)
            written = sorted(target for _, target in moves)
            unchanged = len(keys) - len(folders)
            failed = f", {len(broken.documents)} med fel" if broken is not None else ""
            say(f"styrdok: {len(built)} byggda, {unchanged} oförändrade{failed}")
            if broken is not None:  # their earlier output stays as it was
                broken.done = written
                raise broken
            return written
    except BaseException:
        publish.remove_empty(made)
        raise
    finally:
        # the loading threads end here and now, not whenever the garbage collector finds the
        # generator that an error left (a collection inside a thread's start deadlocked once)
        if loading is not None:
            loading.close()
