"""User-facing errors: one base class, one subclass per pipeline stage.

A `StyrdokError` is a user's mistake or a problem in the environment, printed without a
traceback and with exit code 1. Anything else that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass
from pathlib import Path

import click


class StyrdokError(click.ClickException):
    """Base class for every error a user can cause or fix."""

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(
            f"styrdok: {self.message}" if "\n" not in self.message else self.message, err=True
        )


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a source file, located by path and line."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class SourceError(StyrdokError):
    """The source of one or more documents is invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        self.done: list[Path] = []  # what was built of the other, valid documents
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def documents(self) -> list[str]:
        """The names of the documents with problems (their folders in source/)."""
        return sorted({p.path.parent.name for p in self.problems})


class BuildError(StyrdokError):
    """A document could not be built (template, renderer or converter)."""


class RevisionError(StyrdokError):
    """A git revision or the document at a revision cannot be read."""


class ReleaseError(StyrdokError):
    """A release was refused or an archive package does not verify."""


# --- the one place where failures of the machine become messages -----------------------------

_OS_MESSAGES = {
    errno.ENOSPC: "disken är full; frigör utrymme och försök igen",
    errno.EDQUOT: "diskkvoten är slut; frigör utrymme och försök igen",
    errno.EROFS: "filsystemet är skrivskyddat; välj en annan mapp",
    errno.EACCES: "behörighet saknas; välj en mapp du får skriva i eller ändra behörigheten",
    errno.EPERM: "behörighet saknas; välj en mapp du får skriva i eller ändra behörigheten",
    errno.ENOENT: "finns inte",
    errno.ENOTDIR: "en del av sökvägen är en fil, inte en mapp",
    errno.EISDIR: "är en mapp, inte en fil",
    errno.ENOTEMPTY: "mappen finns redan och är inte tom (körde två kommandon samtidigt?)",
    errno.EEXIST: "finns redan (körde två kommandon samtidigt?)",
    errno.ENAMETOOLONG: "namnet är för långt för filsystemet",
    errno.EMFILE: "för många öppna filer; försök igen med färre dokument",
}

# What LibreOffice says when it cannot write (its UNO exception text), in the user's words.
_OFFICE_MESSAGES = (
    ("Class:Space", _OS_MESSAGES[errno.ENOSPC]),
    ("Class:Write", "LibreOffice kunde inte skriva filen; kontrollera utrymme och behörighet"),
    ("Class:Access", _OS_MESSAGES[errno.EACCES]),
)


def os_message(e: OSError) -> str:
    """A Swedish message for an error of the operating system, naming the file."""
    what = _OS_MESSAGES.get(e.errno or 0, e.strerror or str(e))
    where = str(e.filename) if e.filename is not None else ""
    where = where.split("/.styrdok-")[0]  # the folder the user knows, not our staging in it
    return f"{where}: {what}" if where else what


def office_message(error: str, folder: Path) -> str:
    """A Swedish message for LibreOffice's own error text, which rarely says why it could not
    write: the folder it wrote into is asked (free space, permission) before its jargon is
    passed on in parentheses."""
    if "IOException" in error:
        try:
            stats = os.statvfs(folder)
            if stats.f_bavail * stats.f_frsize < 4 << 20:
                return f"{folder}: {_OS_MESSAGES[errno.ENOSPC]}"
        except OSError:
            pass
        if not os.access(folder, os.W_OK):
            return f"{folder}: {_OS_MESSAGES[errno.EACCES]}"
    for marker, message in _OFFICE_MESSAGES:
        if marker in error:
            return message
    # the worker's answer starts with the exception's class ("RuntimeError: …"): not for users
    said = re.sub(r"^[\w.]*(Error|Exception)\b:?\s*", "", error).strip()
    if said == "LibreOffice kunde inte öppna filen":
        return (
            "LibreOffice kunde inte öppna filen; den är skadad eller inte ett Word-dokument. "
            "Bygg den igen med styrdok"
        )
    return "LibreOffice kunde inte konvertera filen" + (f" ({said})" if said else "")


def interruption(error: BaseException | None) -> BaseException | None:
    """The Ctrl-C (KeyboardInterrupt) or SIGTERM (SystemExit, cli._terminate) that `error` was
    raised while handling, if any: a library's clean-up can turn an interruption into an error
    of its own (zipfile, closing an archive whose member was being written, raises ValueError)."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, (KeyboardInterrupt, SystemExit)):
            return error
        error = error.__context__
    return None
