"""The build command as a recipe: load, validate, render and convert, then publish.

Everything is made in a staging folder inside the output folder; only when every document has
loaded, validated, rendered and converted are the files renamed into place. A bad source file or
a failed conversion leaves build/ as it was.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .formats import BUILD
from .model import Document
from .project import Project
from .render_docx import Layout, render_docx
from .source import iter_documents

if TYPE_CHECKING:
    from .office import Office


def write_atomic(path: Path, data: bytes) -> None:
    """Write bytes to `path` through a temporary file in the same folder and one rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def pdf_title(doc: Document) -> str:
    m = doc.metadata
    return m.titel + (f" – {m.undertitel}" if m.undertitel else "")


def build_documents(
    project: Project,
    names: tuple[str, ...] = (),
    formats: tuple[str, ...] = BUILD,
    out_dir: Path | None = None,
    office: Office | None = None,
) -> list[Path]:
    """Build the named documents (all by default) into `out_dir/<doc>/`; return written files.

    For PDF, LibreOffice starts first (it boots while the sources load), and documents flow
    through a pipeline: document n converts while n+1 loads and renders.
    """
    out_dir = out_dir or project.build
    if "pdf" not in formats:
        return _build(project, names, formats, out_dir, None)
    if office is not None:
        office.start()
        return _build(project, names, formats, out_dir, office)
    from .office import Office  # LibreOffice is only needed for PDF

    with Office() as own:
        own.start()
        return _build(project, names, formats, out_dir, own)


def _build(project, names, formats, out_dir: Path, office) -> list[Path]:
    made = next((p for p in (*reversed(out_dir.parents), out_dir) if not p.exists()), None)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".styrdok-", dir=out_dir))
    written: list[Path] = []
    built, pending = [], None

    def collect(then: tuple[Document, Path] | None = None) -> None:
        """Wait for the conversion in flight, if any, and hand LibreOffice the next document
        (`then`) at once; then give the finished DOCX the PDF's page numbers while the next
        one converts."""
        nonlocal pending
        flight, pending = pending, None
        pdf = office.finish(flight[0]) if flight is not None else None
        if then is not None:
            doc, docx = then
            pending = (office.submit(docx, docx.with_suffix(".pdf"), pdf_title(doc)), doc, docx)
        if flight is not None and pdf is not None and "docx" in formats:
            _, doc, docx = flight
            docx.write_bytes(render_docx(doc, project.templates, pdf_layout(pdf)))

    try:
        for doc in iter_documents(project.source, names):
            docx = staging / doc.name / f"{doc.name}.docx"
            docx.parent.mkdir()
            docx.write_bytes(render_docx(doc, project.templates))
            if office is not None:
                collect(then=(doc, docx))
            built.append(doc.name)
        collect()
        for name in built:
            for fmt in formats:
                target = out_dir / name / f"{name}.{fmt}"
                target.parent.mkdir(exist_ok=True)
                os.replace(staging / name / target.name, target)
                written.append(target)
        return sorted(written)
    except Exception:
        with contextlib.suppress(Exception):  # LibreOffice finishes writing before staging goes
            collect()
        raise
    finally:
        shutil.rmtree(made if made is not None and not written else staging, ignore_errors=True)


def pdf_layout(pdf: Path) -> Layout:
    """The page of each numbered section (the PDF's top-level bookmarks that start with a
    number) and the page count, for the DOCX's table of contents and properties."""
    import pypdf

    reader = pypdf.PdfReader(pdf)
    pages = tuple(
        reader.get_destination_page_number(item) + 1
        for item in reader.outline
        if not isinstance(item, list) and re.match(r"\d+ ", item.title or "")
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
