"""Reading our PDFs back: page texts without the running header."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf

HEADER = re.compile(r"^HELSINGBORG.*?SID (\d+)\((\d+)\)\s*", re.S)


def page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(pdf).pages]


def body_text(pdf: Path) -> str:
    """The text of every page with the header cut off, so sentences join across pages."""
    return "\n".join(HEADER.sub("", t, count=1) for t in page_texts(pdf))
