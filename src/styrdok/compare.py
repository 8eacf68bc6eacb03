"""The compare command as a recipe: load both revisions, diff, render every format, write.

Everything is rendered in memory before anything is written; files are written atomically.
"""

from __future__ import annotations

import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from . import report
from .build import Project, convert_to_pdf, pdf_layout, write_atomic
from .diff import diff_documents
from .errors import StyrdokError
from .formats import DIFF
from .redline import redline
from .render_docx import render_docx
from .revisions import load_revision

if TYPE_CHECKING:
    from .office import Office


def compare(
    root: Path,
    doc: str,
    from_ref: str,
    to_ref: str | None,
    out_dir: Path,
    formats: tuple[str, ...] = DIFF,
    office: Office | None = None,
) -> list[Path]:
    """Write the change list, change report and redline of `doc` from one revision to another."""
    unknown = [f for f in formats if f not in DIFF]
    if unknown:
        raise StyrdokError(f"okänt format: {', '.join(unknown)}; välj bland {', '.join(DIFF)}")
    with ThreadPoolExecutor(2) as pool:  # each parse waits on its own pandoc process
        old_job = pool.submit(load_revision, root, doc, from_ref)
        new_job = pool.submit(load_revision, root, doc, to_ref)
        (old, old_rev), (new, new_rev) = old_job.result(), new_job.result()
    changes = diff_documents(old, new)
    templates = Project(root).templates
    files: dict[str, bytes] = {}
    if "json" in formats:
        files["changes.json"] = report.to_json(changes, old_rev, new_rev).encode()
    if "md" in formats:
        files["changes.md"] = report.to_markdown(changes, old_rev, new_rev).encode()
    documents = {}
    if "docx" in formats or "pdf" in formats:
        documents = {
            "changes.docx": report.to_document(changes, old_rev, new_rev),
            "redline.docx": redline(old, new, author=new_rev.author, date=new_rev.date),
        }
    rendered = {name: render_docx(document, templates) for name, document in documents.items()}
    pdfs: dict[str, bytes] = {}
    if "pdf" in formats:
        with tempfile.TemporaryDirectory() as tmp:
            items = []
            for name, document in documents.items():
                (Path(tmp) / name).write_bytes(rendered[name])
                items.append((document, Path(tmp) / name))
            for (document, docx), pdf in zip(items, convert_to_pdf(items, office), strict=True):
                pdfs[pdf.name] = pdf.read_bytes()
                if "docx" in formats:  # the DOCX's page numbers and count as the PDF has them
                    rendered[docx.name] = render_docx(document, templates, pdf_layout(pdf))
    if "docx" in formats:
        files.update(rendered)
    files.update(pdfs)
    written = []
    for name, data in files.items():
        write_atomic(out_dir / name, data)
        written.append(out_dir / name)
    return written
