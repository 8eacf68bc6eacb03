"""The build command as a recipe: load and validate everything, render, then write.

Nothing is written until every document has loaded and rendered; each file is written under a
temporary name and renamed into place, so build/ never holds a half-written file.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .model import Document
from .render_docx import TEMPLATE_DIR, render_docx
from .source import load_documents

if TYPE_CHECKING:
    from .office import Office

FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class Project:
    """Where a styrdok project keeps its parts."""

    root: Path

    @property
    def source(self) -> Path:
        return self.root / "source"

    @property
    def templates(self) -> Path:
        local = self.root / "templates" / "helsingborg"
        return local if local.is_dir() else TEMPLATE_DIR

    @property
    def build(self) -> Path:
        return self.root / "build"


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
    formats: tuple[str, ...] = FORMATS,
    out_dir: Path | None = None,
    office: Office | None = None,
) -> list[Path]:
    """Build the named documents (all by default) into `out_dir/<doc>/`; return written files.

    Every document is loaded and validated before anything is written. For PDF, LibreOffice
    starts first (it boots while the sources load) and converts document n while n+1 renders.
    """
    if "pdf" not in formats:
        return _build(project, names, formats, out_dir, None)
    if office is not None:
        office.start()
        return _build(project, names, formats, out_dir, office)
    from .office import Office  # LibreOffice is only needed for PDF

    with Office() as own:
        own.start()
        return _build(project, names, formats, out_dir, own)


def _build(project, names, formats, out_dir, office) -> list[Path]:
    docs = load_documents(project.source, names)
    out_dir = out_dir or project.build
    written: list[Path] = []
    pending = None  # (job, pdf path as the caller named it)
    for doc in docs:
        data = render_docx(doc, project.templates)
        docx = out_dir / doc.name / f"{doc.name}.docx"
        write_atomic(docx, data)
        if "docx" in formats:
            written.append(docx)
        if office is not None:
            if pending is not None:
                office.finish(pending[0])
                written.append(pending[1])
            pdf = docx.with_suffix(".pdf")
            pending = (office.submit(docx, pdf, pdf_title(doc)), pdf)
    if pending is not None:
        office.finish(pending[0])
        written.append(pending[1])
    if "docx" not in formats:
        for doc in docs:
            (out_dir / doc.name / f"{doc.name}.docx").unlink()
    return sorted(written)


def convert_to_pdf(items: list[tuple[Document, Path]], office: Office | None = None) -> list[Path]:
    """Convert built DOCX files to PDF/A-2b through one LibreOffice for all of them."""
    if office is None:
        from .office import Office

        with Office() as own:
            return convert_to_pdf(items, own)
    return [
        office.convert(docx, docx.with_suffix(".pdf"), title=pdf_title(doc)) for doc, docx in items
    ]
