"""The compare command as a recipe: load both revisions, diff, render every format, write.

Everything is rendered and converted in a staging folder before anything is published; the
files of one run then replace those of the last run together (publish.py).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from styrdok.compare.changelist import diff_documents
from styrdok.compare.redline import LEGEND, redline
from styrdok.convert.pdf import convert_to_pdf, pdf_layout
from styrdok.errors import StyrdokError
from styrdok.project import publish
from styrdok.project.formats import DIFF, DIFF_FORMATS
from styrdok.project.layout import Project
from styrdok.readers.revisions import WORKING_TREE, load_revision
from styrdok.readers.uppfoljning.summary import last_reported
from styrdok.writers import report
from styrdok.writers.docx import render_docx, render_draft, with_layout

# Every file a comparison can write: the change list and report in each format, the redline in
# the Word formats.
OUTPUT_FILES = (*(f.filename("changes") for f in DIFF_FORMATS), "redline.docx", "redline.pdf")

if TYPE_CHECKING:
    from styrdok.convert.office import Office


def diff_folder(project: Project, doc: str, from_ref: str, to_ref: str | None) -> Path:
    """Where a comparison goes when no folder is chosen (`styrdok diff`, `styrdok serve`):
    build/<doc>/diff-<från>..<till>/, each revision's name made safe as a folder name."""

    def safe(ref: str) -> str:
        return "".join(c if c.isalnum() or c in "-._" else "_" for c in ref)

    return project.build / doc / f"diff-{safe(from_ref)}..{safe(to_ref or WORKING_TREE)}"


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
    if not formats:
        raise StyrdokError(f"inget format angivet; välj bland {', '.join(DIFF)}")
    unknown = [f for f in formats if f not in DIFF]
    if unknown:
        raise StyrdokError(f"okänt format: {', '.join(unknown)}; välj bland {', '.join(DIFF)}")
    project = Project(root)
    project.output(out_dir, "-o")
    with ThreadPoolExecutor(2) as pool:  # each parse waits on its own pandoc process
        old_job = pool.submit(load_revision, root, doc, from_ref)
        new_job = pool.submit(load_revision, root, doc, to_ref)
        (old, old_rev), (new, new_rev) = old_job.result(), new_job.result()
    changes = diff_documents(old, new)
    # what the follow-ups (they accumulate in the working tree) last said of each measure, up
    # to the new revision's decision: why a measure went or its deadline moved
    reported = last_reported(project.source / doc, new.metadata.datum)
    changes = replace(changes, follow_up=reported)
    templates = project.templates
    files: dict[str, bytes] = {}
    city = (project.settings.city,)
    for fmt in DIFF_FORMATS:  # the change list and the report as text: json, md, html
        if fmt.text and fmt.name in formats:
            text = fmt.write()(changes, old_rev, new_rev, *(city if fmt.page else ()))
            files[fmt.filename("changes")] = text.encode()
    documents = {}
    if "docx" in formats or "pdf" in formats:
        documents = {
            "changes.docx": report.to_document(changes, old_rev, new_rev),
            "redline.docx": redline(old, new, author=new_rev.author, date=new_rev.date),
        }
    # For PDF, LibreOffice lays out drafts, and the PDF's page numbers then go into the DOCX
    render = render_draft if "pdf" in formats else render_docx
    rendered = {name: render(document, templates) for name, document in documents.items()}
    made = [p for p in (*out_dir.parents, out_dir) if not p.exists()]
    try:
        with publish.staging(out_dir) as staging:
            if "pdf" in formats:
                items = []
                for name, document in documents.items():
                    (staging / name).write_bytes(rendered[name])
                    items.append((document, staging / name))
                # the redline PDF, read on paper, has a key to its marks (redline.LEGEND); the
                # Word file does not, so that Accept All gives the new revision exactly. The
                # key can move pages, so the Word file's page numbers come from its own PDF.
                keyed = staging / "redline-med-forklaring.docx"
                redline_doc = documents["redline.docx"]
                keyed.write_bytes(render_docx(replace(redline_doc, legend=LEGEND), templates))
                if "docx" not in formats:
                    items = [item for item in items if item[1].name != "redline.docx"]
                pdfs = convert_to_pdf([*items, (redline_doc, keyed)], office)
                for (document, docx), pdf in zip(items, pdfs, strict=False):
                    files[pdf.name] = pdf.read_bytes()
                    if "docx" in formats:  # the DOCX's page numbers and count as the PDF has them
                        layout = pdf_layout(pdf)
                        rendered[docx.name] = with_layout(
                            rendered[docx.name], document, layout, templates
                        )
                files["redline.pdf"] = pdfs[-1].read_bytes()
            if "docx" in formats:
                files.update(rendered)
            for name, data in files.items():
                (staging / name).write_bytes(data)
            # One diff's outputs, published together; what an earlier run wrote in a format not
            # asked for now goes, so the folder never mixes two runs.
            return publish.publish(
                [(staging / name, out_dir / name) for name in sorted(files)],
                remove=[out_dir / name for name in OUTPUT_FILES],
            )
    except BaseException:
        publish.remove_empty(made)
        raise
