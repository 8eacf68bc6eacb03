"""A styrdok project: where its sources, templates and outputs are. Light on purpose (the CLI
imports it before it knows which command runs); it grows into the register of documents."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# The city's template shipped with styrdok; a project may carry its own in templates/helsingborg.
TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates" / "helsingborg"


@dataclass(frozen=True)
class Project:
    """Where a styrdok project keeps its parts."""

    root: Path

    @property
    def source(self) -> Path:
        return self.root / "source"

    @property
    def templates(self) -> Path:
        local = self.root / "templates" / "helsingborg"
        return local if local.is_dir() else TEMPLATE_DIR

    @property
    def build(self) -> Path:
        return self.root / "build"
