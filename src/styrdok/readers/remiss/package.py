"""A returned Word file opened with care: it comes from outside (another office, another
organisation), so it is opened by the Word importer's package pass (readers/word/package.py:
inflated bytes counted as they come, no DTD, no network, Strict OOXML read as transitional,
encrypted and OLE files named) with the words of a remiss response, and its refusals become a
`ResponseError`, which `styrdok remiss läs` gathers file by file.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from styrdok.errors import StyrdokError
from styrdok.readers.word.package import Package, WordFileError, Wording

MAX_FILE = 100 << 20  # a response is a few MB at most; more is a broken or hostile file

RESPONSE = Wording(
    unreadable="inte en Word-fil (.docx) som går att läsa; spara svaret som .docx eller PDF",
    locked=(
        "är ett lösenordsskyddat Word-dokument eller ett i det äldre .doc-formatet; öppna det "
        "i Word, ta bort lösenordet och spara svaret som .docx (eller be avsändaren om det "
        "utan lösenord)"
    ),
    too_large=(
        "packar upp till mer än {mb} MB, orimligt mycket för ett remissvar; spara svaret utan "
        "bilder, eller som PDF"
    ),
    part_too_large=(
        "delen '{name}' packar upp till mer än {mb} MB, orimligt mycket för ett remissvar (en "
        "zip-bomb?); spara svaret på nytt i Word som .docx, eller som PDF"
    ),
)


class ResponseError(StyrdokError):
    """A returned file that cannot be read, or that answers another document or round."""


@contextmanager
def open_package(path: Path) -> Iterator[Package]:
    """The DOCX at `path`, open while the block runs; what is wrong with it, on opening or on
    reading its parts, is a ResponseError."""
    try:
        size = path.stat().st_size
    except OSError:
        raise ResponseError(f"{path}: filen finns inte") from None
    if size > MAX_FILE:
        raise ResponseError(f"{path}: filen är större än {MAX_FILE >> 20} MB; inget remissvar")
    try:
        with Package(path, RESPONSE) as package:
            yield package
    except WordFileError as e:
        raise ResponseError(e.message) from None
