"""The build command as a recipe: load, validate, render and convert, then publish.

Everything is made in a staging folder inside the output folder (publish.py); only when every
document has loaded, validated, rendered and converted are the files renamed into place. A
document with a bad source does not stop the others: they are built, its earlier output stays,
and the command fails naming it. A failed conversion leaves build/ as it was, and another build
writing into the same folder at the same time keeps its output.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from . import manifest, publish
from .errors import SourceError
from .formats import BUILD, build_file, build_format
from .model import Document
from .project import Project
from .register import write_register
from .render_docx import TEMPLATE_FILE, Layout, render_docx
from .rules import warnings
from .source import find_documents, iter_documents

if TYPE_CHECKING:
    from .office import Office


def pdf_title(doc: Document) -> str:
    m = doc.metadata
    return m.titel + (f" – {m.undertitel}" if m.undertitel else "")


def build_documents(
    project: Project,
    names: tuple[str, ...] = (),
    formats: tuple[str, ...] = BUILD,
    out_dir: Path | None = None,
    office: Office | None = None,
    say: Callable[[str], None] = lambda _: None,
    force: bool = False,
    progress: Callable[[str, int], None] = lambda name, total: None,
    today: date | None = None,
) -> list[Path]:
    """Build the named documents (all by default) into `out_dir/<doc>/`; return written files.
    The register of all documents (register.py) is brought up to date in `out_dir` too.
    A document whose outputs are up to date is skipped (manifest.py) unless `force`. Each
    document's warnings (rules.py) go to `say` as it loads, and a summary at the end;
    `progress(name, total)` is called as each of the `total` documents to build is started.

    For PDF, LibreOffice starts as soon as one document needs it (it boots while the sources
    load), and documents flow through a pipeline: document n converts while n+1 loads and
    renders.
    """
    out_dir = project.output(out_dir, "-o") if out_dir else project.build
    publish.sweep(out_dir)  # what a killed build left, even when there is nothing to build
    try:
        written = _build_stale(project, names, formats, out_dir, office, say, force, progress)
    except SourceError:  # the documents that did build are in the register
        if out_dir.is_dir():
            write_register(project, out_dir, today)
        raise
    write_register(project, out_dir, today)
    return written


def _build_stale(project, names, formats, out_dir, office, say, force, progress) -> list[Path]:
    folders = find_documents(project.source, names)
    keys = {
        f.name: manifest.inputs_key(f, project.templates / TEMPLATE_FILE, formats) for f in folders
    }
    stale = tuple(
        n
        for n, key in keys.items()
        if force or not manifest.up_to_date(out_dir / n, n, key, formats)
    )
    if not stale:
        say(f"styrdok: inget att bygga; {len(keys)} oförändrade")
        return []
    run = (project, stale, formats, out_dir)
    if "pdf" not in formats:
        return _build(*run, None, say, keys, progress)
    if office is not None:
        office.start()
        return _build(*run, office, say, keys, progress)
    from .office import Office  # LibreOffice is only needed for PDF

    with Office() as own:
        own.start()
        return _build(*run, own, say, keys, progress)


def _build(project, names, formats, out_dir: Path, office, say, keys, progress) -> list[Path]:
    made = [p for p in (*out_dir.parents, out_dir) if not p.exists()]
    built, pending = [], None
    try:
        with publish.staging(out_dir) as staging:

            def collect(then: tuple[Document, Path] | None = None) -> None:
                """Wait for the conversion in flight, if any, and hand LibreOffice the next
                document (`then`) at once; then give the finished DOCX the PDF's page numbers
                while the next one converts."""
                nonlocal pending
                flight, pending = pending, None
                pdf = office.finish(flight[0]) if flight is not None else None
                if then is not None:
                    doc, docx = then
                    job = office.submit(docx, docx.with_suffix(".pdf"), pdf_title(doc))
                    pending = (job, doc, docx)
                if flight is not None and pdf is not None and "docx" in formats:
                    _, doc, docx = flight
                    docx.write_bytes(render_docx(doc, project.templates, pdf_layout(pdf)))

            broken: SourceError | None = None
            try:
                try:
                    for doc in iter_documents(project.source, names):
                        progress(doc.name, len(names))
                        for warning in warnings(doc, project.source / doc.name):
                            say(str(warning))
                        docx = staging / doc.name / f"{doc.name}.docx"
                        docx.parent.mkdir()
                        if "html" in formats:
                            page = build_format("html").write()(doc, formats)
                            (docx.parent / build_file(doc.name, "html")).write_bytes(page.encode())
                        if "docx" in formats or office is not None:
                            docx.write_bytes(render_docx(doc, project.templates))
                        if office is not None:
                            collect(then=(doc, docx))
                        built.append(doc.name)
                except SourceError as e:  # the valid documents are built all the same
                    broken = e
                collect()
            except Exception:
                with contextlib.suppress(Exception):  # LibreOffice finishes writing first
                    collect()
                raise
            except BaseException:  # Ctrl-C, SIGTERM: stop LibreOffice now, not after its job
                if office is not None:
                    office.close()
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
            unchanged = len(keys) - len(names)
            failed = f", {len(broken.documents)} med fel" if broken is not None else ""
            say(f"styrdok: {len(built)} byggda, {unchanged} oförändrade{failed}")
            if broken is not None:  # their earlier output stays as it was
                broken.done = written
                raise broken
            return written
    except BaseException:
        publish.remove_empty(made)
        raise


def pdf_layout(pdf: Path) -> Layout:
    """The page of each numbered section (the PDF's top-level bookmarks that start with a
    number) and the page count, for the DOCX's table of contents and properties."""
    import pypdf

    reader = pypdf.PdfReader(pdf)
    pages = tuple(
        reader.get_destination_page_number(item) + 1
        for item in reader.outline
        if not isinstance(item, list) and re.match(r"(?:\d+|Bilaga \d+) ", item.title or "")
    )
    return Layout(pages, len(reader.pages))


def convert_to_pdf(items: list[tuple[Document, Path]], office: Office | None = None) -> list[Path]:
    """Convert built DOCX files to PDF/A-2b through one LibreOffice for all of them."""
    if office is None:
        from .office import Office

        with Office() as own:
            return convert_to_pdf(items, own)
    return [
        office.convert(docx, docx.with_suffix(".pdf"), title=pdf_title(doc)) for doc, docx in items
    ]
