"""Real git repositories in temp folders holding a copy of the example, with real commits."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import git

REPO = Path(__file__).resolve().parents[2]
DOC = "handlingsplan-bostadssociala"
CET = timezone(timedelta(hours=1))
SETTINGS = """\
[arkiv]
mapp = "../arkiv"

[metadata]
arkivbildare = "Kommunstyrelsen, Helsingborgs stad"
bevarande = "bevaras"
"""


class DocRepo:
    """A git repository with the example plan: commit 'start' (no document), then the plan,
    tagged as decided version 2018 unless `tag` is false."""

    def __init__(self, root: Path, doc: str = DOC, tag: bool = True):
        self.root, self.doc = root, doc
        root.mkdir(parents=True, exist_ok=True)
        (root / ".gitignore").write_text("/build/\n", encoding="utf-8")
        self.repo = git.Repo.init(root, initial_branch="main")
        self.repo.index.add([".gitignore"])
        self.commit("Start", datetime(2017, 12, 1, 9, 0, tzinfo=CET), tag="start", paths=[])
        shutil.copytree(REPO / "source" / doc, root / "source" / doc)
        shutil.copytree(REPO / "templates", root / "templates")
        when = datetime(2018, 2, 12, 15, 0, tzinfo=CET)
        self.commit("Plan 2018", when, tag=f"{doc}/2018" if tag else None)

    def settings(self, text: str = SETTINGS) -> None:
        """Commit a styrdok.toml: the archive folder beside the repository, an arkivbildare."""
        (self.root / "styrdok.toml").write_text(text, encoding="utf-8")
        self.commit(
            "Inställningar", datetime(2018, 2, 12, 15, 30, tzinfo=CET), paths=["styrdok.toml"]
        )

    @property
    def folder(self) -> Path:
        return self.root / "source" / self.doc

    def edit(self, old: str, new: str, file: str = "document.md", count: int = 1) -> None:
        path = self.folder / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {file}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    def commit(
        self,
        message: str,
        when: datetime,
        tag: str | None = None,
        author: str = "Anna Andersson",
        paths: list[str] | None = None,
    ) -> str:
        actor = git.Actor(author, "anna@example.invalid")
        self.repo.index.add(["source", "templates"] if paths is None else paths)
        commit = self.repo.index.commit(
            message, author=actor, committer=actor, author_date=when, commit_date=when
        )
        if tag:
            self.repo.create_tag(tag, message=message)
        return commit.hexsha


def measure_block(text: str, ident: str) -> str:
    """The Markdown of one measure in document.md."""
    start = text.index(f"{{#{ident} .åtgärd}}")
    start = text.rindex("\n## ", 0, start) + 1
    ends = [i for i in (text.find("\n## ", start + 1), text.find("\n# ", start + 1)) if i != -1]
    return text[start : min(ends) + 1]
