"""PDFs of built DOCX files, and the layout LibreOffice gave them, read back from the PDF: what
the DOCX's table of contents and page count are filled in with."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from styrdok.model.document import Document
from styrdok.writers.docx import Layout

if TYPE_CHECKING:
    from styrdok.convert.office import Office


def pdf_layout(pdf: Path) -> Layout:
    """The page of each numbered section (the PDF's top-level bookmarks that start with a
    number) and the page count, for the DOCX's table of contents and properties."""
    import pypdf  # read only when a PDF is laid out

    reader = pypdf.PdfReader(pdf)
    pages = tuple(
        page + 1
        for item in reader.outline
        if not isinstance(item, list)
        and re.match(r"(?:\d+|Bilaga \d+) ", item.title or "")
        and (page := reader.get_destination_page_number(item)) is not None
    )
    return Layout(pages, len(reader.pages))


def convert_to_pdf(items: list[tuple[Document, Path]], office: Office | None = None) -> list[Path]:
    """Convert built DOCX files to PDF/A-2b through one LibreOffice for all of them."""
    if office is None:
        from styrdok.convert.office import Office

        with Office() as own:
            return convert_to_pdf(items, own)
    return [
        office.convert(docx, docx.with_suffix(".pdf"), title=doc.metadata.full_title)
        for doc, docx in items
    ]
