"""User-facing errors: one base class, one subclass per pipeline stage.

A `StyrdokError` is a user's mistake or a problem in the environment, printed without a
traceback and with exit code 1. Anything else that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations

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
        super().__init__("\n".join(str(p) for p in self.problems))


class BuildError(StyrdokError):
    """A document could not be built (template, renderer or converter)."""


class RevisionError(StyrdokError):
    """A git revision or the document at a revision cannot be read."""


class ReleaseError(StyrdokError):
    """A release was refused or an archive package does not verify."""
