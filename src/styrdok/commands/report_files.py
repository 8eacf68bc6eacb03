"""A report in the city's layout written as files: the remissammanställning, the
uppföljningsrapport. One recipe for both: the web page given, the DOCX rendered from the report's
model with the project's template, and with a PDF the DOCX laid out by LibreOffice first so that
its table of contents has page numbers, as `styrdok build` does for a document. Everything is
staged and published at once; what a report of another format left before is removed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from styrdok.model.document import Document
from styrdok.project import publish

if TYPE_CHECKING:
    from styrdok.convert.office import Office


def write_report(
    report: Document,
    page: str | None,
    stem: str,
    formats: tuple[str, ...],
    every_format: tuple[str, ...],
    out: Path,
    templates: Path,
    office: Office | None = None,
) -> list[Path]:
    """Write `report` into `out` as <stem>.pdf, .docx and .html (`page`, when "html" is among
    `formats`); the files of `every_format` not asked for this time are removed."""
    from styrdok.convert.pdf import convert_to_pdf, pdf_layout  # LibreOffice's side only here
    from styrdok.writers.docx import render_docx, render_draft, with_layout

    files: dict[str, bytes] = {}
    if "html" in formats and page is not None:
        files[f"{stem}.html"] = page.encode()
    made = [p for p in (*out.parents, out) if not p.exists()]
    try:
        with publish.staging(out) as staging:
            if "pdf" in formats:
                draft = render_draft(report, templates)
                (staging / f"{stem}.docx").write_bytes(draft)
                (pdf,) = convert_to_pdf([(report, staging / f"{stem}.docx")], office)
                files[f"{stem}.pdf"] = pdf.read_bytes()
                if "docx" in formats:
                    files[f"{stem}.docx"] = with_layout(draft, report, pdf_layout(pdf), templates)
            elif "docx" in formats:
                files[f"{stem}.docx"] = render_docx(report, templates)
            for name, data in files.items():
                (staging / name).write_bytes(data)
            return publish.publish(
                [(staging / name, out / name) for name in sorted(files)],
                remove=[out / f"{stem}.{f}" for f in every_format],
            )
    except BaseException:
        publish.remove_empty(made)
        raise
