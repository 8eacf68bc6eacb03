"""Load and validate stage: a document's source files → the document model.

The entry points: find the document folders, load each (on threads, while pandoc runs), and
collect every problem with its file and line before anything is reported. The metadata is read
by metadata.py; the content is Markdown parsed by pandoc (commonmark_x with source positions)
and read in passes over its AST: positions.py (the line of each node), inlines.py (text and its
formatting), blocks.py (paragraphs, lists, tables), outline.py (sections, measures, fields) and
lints.py (the checks, with their messages).
"""

from __future__ import annotations

import contextlib
import difflib
import gc
import os
import threading
from collections.abc import Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from styrdok.errors import Problem, SourceError
from styrdok.model.document import Document, Metadata, Section
from styrdok.project.names import BODY_FILE, META_FILE, name_problem
from styrdok.project.publish import guarded
from styrdok.readers.markdown import lints, metadata, pandoc, positions
from styrdok.readers.markdown.blocks import BlockReader
from styrdok.readers.markdown.inlines import LINK_TARGET, InlineReader
from styrdok.readers.markdown.lints import (
    ID_PATTERN,
    NOTE_DEFINITION,
    NOTE_REFERENCE,
    PLACEHOLDER,
    Report,
)
from styrdok.readers.markdown.metadata import REQUIRED_KEYS
from styrdok.readers.markdown.outline import Outline

# What the Word reader and the importer share with this reader: the same file names, ids,
# footnote labels, placeholder, required keys and link targets.
__all__ = [
    "BODY_FILE",
    "ID_PATTERN",
    "LINK_TARGET",
    "META_FILE",
    "NOTE_DEFINITION",
    "NOTE_REFERENCE",
    "PLACEHOLDER",
    "REQUIRED_KEYS",
    "find_documents",
    "iter_documents",
    "iter_folders",
    "load_document",
    "load_documents",
    "load_metadata",
    "load_or_problems",
    "parse_document",
]


def find_documents(root: Path, names: tuple[str, ...] | list[str] = ()) -> list[Path]:
    """The document folders under `root`, all of them or the named ones."""
    if not root.is_dir():
        raise SourceError(
            [
                Problem(
                    root,
                    1,
                    "mappen finns inte; kör styrdok i projektmappen (den med source/) "
                    "eller ange den med --root",
                )
            ]
        )
    if names:
        missing = [n for n in names if not (root / n / META_FILE).is_file()]
        if missing:
            found = sorted(p.parent.name for p in root.glob(f"*/{META_FILE}"))

            def known(name: str) -> str:  # the existing names, the closest first
                if not found:
                    return "; source/ är tom"
                close = difflib.get_close_matches(name, found, n=len(found), cutoff=0)
                return f"; dokumenten heter: {', '.join(close)}"

            raise SourceError(
                [
                    Problem(root / n, 1, f"inget dokument med namnet '{n}'{known(n)}")
                    for n in missing
                ]
            )
        folders = [root / n for n in dict.fromkeys(names)]  # each once, in the order given
    else:
        # hidden folders are not documents (a killed import's staging folder is one)
        folders = sorted(
            p.parent for p in root.glob(f"*/{META_FILE}") if not p.parent.name.startswith(".")
        )
    return folders


def _folder_problems(folder: Path) -> list[Problem]:
    """A folder that is a symbolic link (git keeps the link, not the document) or whose name
    is no document name: a problem of that document, with the fix."""

    where = folder / META_FILE
    if folder.is_symlink():
        message = (
            "mappen är en symbolisk länk; git sparar bara länken, inte dokumentet. Flytta "
            "dokumentets mapp hit i stället"
        )
        return [Problem(where, 1, message)]
    if problem := name_problem(folder.name):
        return [Problem(where, 1, f"mappnamnet {problem}; byt namn på mappen")]
    return []


def load_documents(root: Path, names: tuple[str, ...] | list[str] = ()) -> list[Document]:
    """Load every named document (all by default); report all problems of all of them at once."""
    return list(iter_documents(root, names))


def iter_documents(root: Path, names: tuple[str, ...] | list[str] = ()) -> Iterator[Document]:
    """The named documents (all by default) in order, each as soon as it has loaded.

    Loading starts at the call, on parallel threads (most of a load is waiting for pandoc's
    process), so the caller can prepare meanwhile. A document with problems does not stop the
    others: every valid document is yielded, and once all have loaded a SourceError lists every
    problem of every broken one."""
    return iter_folders(find_documents(root, names))


def iter_folders(folders: list[Path]) -> Generator[Document, None, None]:
    """`iter_documents` for document folders already found (find_documents)."""
    pandoc.binary()  # found once, before the threads
    pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 1)
    return _loaded(pool, pool.map(load_or_problems, folders))


def _loaded(
    pool: ThreadPoolExecutor, outcomes: Iterator[Document | list[Problem]]
) -> Generator[Document, None, None]:
    problems: list[Problem] = []
    try:
        for outcome in outcomes:
            if isinstance(outcome, list):
                problems.extend(outcome)
            else:
                yield outcome
    finally:  # without waiting: a generator left by an error may end inside the garbage
        pool.shutdown(wait=False, cancel_futures=True)  # collector, where a join can deadlock
    if problems:
        raise SourceError(problems)


def load_or_problems(folder: Path) -> Document | list[Problem]:
    """The document in `folder`, or every problem its folder and files have."""
    if problems := _folder_problems(folder):
        return problems
    try:
        return load_document(folder)
    except SourceError as e:
        return e.problems


def load_document(folder: Path) -> Document:
    """Load one document folder from disk."""
    files = {}
    for name in (META_FILE, BODY_FILE):
        path = folder / name
        files[name] = path.read_bytes() if path.is_file() else None
    return parse_document(folder.name, files[META_FILE], files[BODY_FILE], folder)


def load_metadata(folder: Path) -> Metadata:
    """Only a document's metadata (its document.yaml, not its text): for lists of many
    documents, such as the register, that need no pandoc."""
    path = folder / META_FILE
    report = Report(path)
    text = _text(path.read_bytes() if path.is_file() else None, report, "sina metadata")
    found = metadata.parse(text, report) if text is not None else None
    if report.problems or found is None:
        raise SourceError(report.problems)
    return found


def parse_document(name: str, meta: bytes | None, body: bytes | None, folder: Path) -> Document:
    """Build the model from the two source files' bytes (from disk or from a git revision)."""
    meta_report, body_report = Report(folder / META_FILE), Report(folder / BODY_FILE)
    body_text = _text(body, body_report, "sitt innehåll")
    with contextlib.ExitStack() as stack:
        reading = None  # pandoc reads the text while the metadata is read
        if body_text is not None and body_text.strip():
            # stopped afterwards (it has ended unless something failed), also by Ctrl-C or
            # SIGTERM at any moment: no pandoc outlives the command
            reading = stack.enter_context(
                guarded(
                    lambda: pandoc.reading(body_text, pandoc.SOURCE_FORMAT, body_report.path),
                    pandoc.Reading.cancel,
                )
            )
        meta_text = _text(meta, meta_report, "sina metadata")
        found = metadata.parse(meta_text, meta_report) if meta_text is not None else None
        sections = (
            _parse_body(body_text, body_report, reading, not meta_report.problems)
            if body_text is not None
            else ()
        )
    if meta_report.problems or body_report.problems:
        raise SourceError(meta_report.problems + body_report.problems)
    assert found is not None
    return Document(name=name, metadata=found, sections=sections)


def _text(data: bytes | None, report: Report, what: str) -> str | None:
    """A source file's text, or None with a problem if it is missing or not UTF-8."""
    if data is None:
        report(1, f"filen saknas; varje dokument behöver {what} i {report.path.name}")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        report(line, "filen är inte UTF-8; spara den som UTF-8")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # Windows and old Mac line ends
    found = False
    for number, line_text in enumerate(text.split("\n"), 1):
        if message := lints.unusable_character(line_text):
            report(number, message)
            found = True
    return None if found else text


def _parse_body(
    text: str, report: Report, reading: pandoc.Reading | None, clean: bool
) -> tuple[Section, ...]:
    """The sections of document.md's text, read in passes over pandoc's AST: positions, then
    inlines and blocks as the outline folds them, then the checks on the whole text. `clean`:
    the metadata had no problems (an empty document is only named as such then)."""
    if reading is None:
        report(1, "dokumentet är tomt; förväntade minst ett avsnitt '# Rubrik {#id}'")
        return ()
    output = reading.json()
    try:
        with _collector_paused:
            outline = Outline(BlockReader(InlineReader(report), text.split("\n")))
            for block, line in positions.flatten(positions.top_blocks(output), 1):
                outline.add(block, line)
            sections = outline.finish()
            for line, message in lints.footnote_labels(text):
                report(line, message)
    except RecursionError:
        report(
            1,
            "texten är nästlad för djupt (listor, citat eller betoning i hundratal "
            "nivåer); skriv den med högst en listnivå",
        )
        return ()
    if not sections and clean and not report.problems:
        report(1, "dokumentet har inga avsnitt; förväntade minst ett '# Rubrik {#id}'")
    return sections


class _CollectorPause:
    """Python's cyclic garbage collector off while an AST is read and folded. With sourcepos
    pandoc wraps every word in a Span, so a large document is millions of small dicts and lists
    that the collector scans again and again as they are made, many times the work of reading
    them. They hold no cycles, so nothing is lost. The switch is per process and
    documents load on several threads: the first in turns it off, the last out back on."""

    def __init__(self) -> None:
        self.lock, self.inside, self.was_on = threading.Lock(), 0, False

    def __enter__(self) -> None:
        with self.lock:
            if self.inside == 0:
                self.was_on = gc.isenabled()
                gc.disable()
            self.inside += 1

    def __exit__(self, *exc: object) -> None:
        with self.lock:
            self.inside -= 1
            if self.inside == 0 and self.was_on:
                gc.enable()


_collector_paused = _CollectorPause()
