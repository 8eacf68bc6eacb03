"""The output formats, one table: what each command can write, the file it goes to, whether
LibreOffice makes it, and which function writes it.

A light module on purpose: the CLI reads it to offer and check formats without importing the
renderers (a writer is named as "module:function" and imported only when it is used), so
`styrdok --version` imports nothing of them. A new format is a new row here and its writer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any


@dataclass(frozen=True)
class Format:
    """One output format: its name, file, whether LibreOffice makes it, and its writer."""

    name: str  # as the user asks for it: --format html
    suffix: str
    office: bool  # converted by LibreOffice (which must then run)
    writer: str  # "module:function" in styrdok that makes it
    label: str  # what it is, in Swedish
    file: str = ""  # a fixed file name; otherwise the stem plus the suffix
    text: bool = False  # its writer returns the whole file as text (UTF-8)
    page: bool = False  # a web page: its writer takes the city (its banner) as the last argument

    def filename(self, stem: str) -> str:
        return self.file or f"{stem}{self.suffix}"

    def write(self) -> Callable:
        module, _, path = self.writer.partition(":")
        found: Any = import_module(f"styrdok.{module}")
        for name in path.split("."):
            found = getattr(found, name)
        return found


# A document's outputs, in build/<doc>/: render_docx(doc, templates, layout) → bytes;
# the PDF from that DOCX; document_page(doc, formats, city) → str.
BUILD_FORMATS = (
    Format("docx", ".docx", False, "writers.docx:render_docx", "Word-dokumentet"),
    Format("pdf", ".pdf", True, "convert.office:Office.convert", "PDF/A-dokumentet"),
    Format(
        "html",
        ".html",
        False,
        "writers.html:document_page",
        "webbsidan",
        "index.html",
        text=True,
        page=True,
    ),
)

# A comparison's outputs: the change list and the change report, writer(changes, old, new) → str
# (a page also takes the city);
# docx and pdf are the report and the redline (compare.py).
DIFF_FORMATS = (
    Format("json", ".json", False, "writers.report:to_json", "ändringslistan", text=True),
    Format(
        "md", ".md", False, "writers.report:to_markdown", "ändringsrapporten i Markdown", text=True
    ),
    Format(
        "docx", ".docx", False, "writers.report:to_document", "ändringsrapporten och redline i Word"
    ),
    Format(
        "pdf",
        ".pdf",
        True,
        "convert.office:Office.convert",
        "ändringsrapporten och redline som PDF",
    ),
    Format(
        "html",
        ".html",
        False,
        "writers.html:report_page",
        "ändringsrapporten som webbsida",
        text=True,
        page=True,
    ),
)

BUILD = tuple(f.name for f in BUILD_FORMATS)
DIFF = tuple(f.name for f in DIFF_FORMATS)


def build_format(name: str) -> Format:
    return next(f for f in BUILD_FORMATS if f.name == name)


def diff_format(name: str) -> Format:
    return next(f for f in DIFF_FORMATS if f.name == name)


def build_file(doc: str, fmt: str) -> str:
    """The file name of a document's output in one format (in build/<doc>/)."""
    return build_format(fmt).filename(doc)
