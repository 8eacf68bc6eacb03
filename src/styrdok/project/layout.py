"""A styrdok project: where its sources, templates and outputs are, and what its names may be.

Light on purpose (the CLI imports it before it knows which command runs); it grows into the
register of documents. Every command takes document names through `document_name`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from styrdok.errors import StyrdokError
from styrdok.project.names import SETTINGS_FILE, TEMPLATE_DIR, TEMPLATES, name_problem

if TYPE_CHECKING:
    from styrdok.project.settings import Settings


@dataclass(frozen=True)
class Project:
    """Where a styrdok project keeps its parts."""

    root: Path

    @property
    def source(self) -> Path:
        return self.root / "source"

    @property
    def own_templates(self) -> Path:
        """The project's template folder: templates/<[mall] namn in styrdok.toml>, by default
        templates/helsingborg (the name of styrdok's own template)."""
        return self.root / TEMPLATES / self.settings.template

    @property
    def templates(self) -> Path:
        local = self.own_templates
        return local if local.is_dir() else TEMPLATE_DIR

    @property
    def build(self) -> Path:
        return self.root / "build"

    @cached_property
    def settings(self) -> Settings:
        """styrdok.toml at the project root (read once; a SourceError names its problems)."""
        from styrdok.project.settings import load_settings  # parsed only when a command needs it

        return load_settings(self.root)

    def archive(self, chosen: Path | None) -> Path:
        """The archive folder: the one chosen (--archive), else styrdok.toml's [arkiv] mapp.
        Never in build/ (make clean empties it) nor in source/."""
        folder = chosen if chosen is not None else self.settings.archive
        unfilled = self.settings.unfilled.get("arkiv.mapp")
        if folder is None and unfilled is not None:
            raise StyrdokError(f"{unfilled}; eller ange --archive MAPP")
        if folder is None:
            raise StyrdokError(
                f"ingen arkivmapp: ange --archive MAPP, eller en gång för projektet i "
                f'{self.root / SETTINGS_FILE}: [arkiv] mapp = "/sökväg/till/arkivet"'
            )
        if folder.resolve().is_relative_to(self.build.resolve()):
            raise StyrdokError(
                f"{folder}: arkivmappen ligger i {self.build}/, som byggen skriver över och "
                f"'make clean' tar bort; välj en mapp utanför (--archive eller {SETTINGS_FILE})"
            )
        existing = next(p for p in (folder, *folder.parents) if p.exists())
        if not existing.is_dir():
            raise StyrdokError(f"{existing}: är en fil, inte en mapp; ange arkivmappen")
        return self.output(folder, "--archive")

    def document_name(self, value: str) -> str:
        """A document's name as the commands take it: a name, not a path. A trailing slash (tab
        completion) is dropped; a path to a folder in source/ is answered with its name."""
        name = value.rstrip("/")
        if "/" in name or "\\" in name or name in (".", ".."):
            base = Path(name).name
            hint = (
                f"; menade du '{base}'?"
                if base and (self.source / base).is_dir()
                else f"; dokumenten finns i {self.source}/"
            )
            raise StyrdokError(
                f"'{value}' är en sökväg; ange dokumentets namn (mappens namn i source/){hint}"
            )
        problem = name_problem(name)
        if problem:
            raise StyrdokError(f"dokumentnamnet '{value}' {problem}")
        return name

    def output(self, path: Path, option: str) -> Path:
        """An output folder the user chose, refused inside source/: files there would mix with
        the documents' text (and block the next release as untracked changes)."""
        if path.resolve().is_relative_to(self.source.resolve()):
            raise StyrdokError(
                f"{path}: ligger i {self.source}/, bland dokumentens källtext; välj en mapp "
                f"utanför med {option}"
            )
        return path

    def known_documents(self) -> list[str]:
        """The names of the document folders in source/ (for messages)."""
        if not self.source.is_dir():
            return []
        return sorted(p.parent.name for p in self.source.glob("*/document.yaml"))
