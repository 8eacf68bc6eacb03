"""A response as PDF: a letter (its text, page by page) and any notes a reader put on its pages
(PDF comments: sticky notes, highlights with a note), each with its page."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from styrdok.readers.remiss.package import MAX_FILE, ResponseError

MAX_PAGES = 500


@dataclass
class PdfNote:
    page: int
    author: str
    text: str
    quote: str = ""


@dataclass
class PdfFile:
    text: str
    author: str = ""
    title: str = ""
    notes: list[PdfNote] = field(default_factory=list)


def read_pdf(path: Path) -> PdfFile:
    """The text and notes of a PDF, or a ResponseError saying why it cannot be read."""
    import pypdf
    from pypdf.errors import PdfReadError

    if path.stat().st_size > MAX_FILE:
        raise ResponseError(f"{path}: filen är större än {MAX_FILE >> 20} MB; inget remissvar")
    try:
        reader = pypdf.PdfReader(path)
        if reader.is_encrypted:
            raise ResponseError(
                f"{path}: PDF:en är lösenordsskyddad; be om en version utan lösenord"
            )
        if len(reader.pages) > MAX_PAGES:
            raise ResponseError(f"{path}: PDF:en har fler än {MAX_PAGES} sidor; inget remissvar")
        pages, notes = [], []
        for n, page in enumerate(reader.pages, 1):
            pages.append((page.extract_text() or "").strip())
            for ref in page.get("/Annots") or ():
                annot = ref.get_object()
                subtype = str(annot.get("/Subtype", ""))
                contents = str(annot.get("/Contents", "") or "").strip()
                if subtype in ("/Link", "/Widget", "/Popup") or not contents:
                    continue
                notes.append(PdfNote(n, str(annot.get("/T", "") or ""), contents))
        info: dict = dict(reader.metadata or {})
        author = str(info.get("/Author", "") or "")
        title = str(info.get("/Title", "") or "")
    except ResponseError:
        raise
    except (PdfReadError, OSError, ValueError, KeyError, TypeError, RecursionError):
        raise ResponseError(
            f"{path}: PDF:en går inte att läsa; spara svaret som PDF på nytt eller som .docx"
        ) from None
    return PdfFile("\n\n".join(p for p in pages if p), author, title, notes)
