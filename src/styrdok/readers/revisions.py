"""Revisions stage: a document's source at any git revision, read straight from git objects.

The working tree is never checked out or touched: blobs are read from the commit's tree. The
revision `None` means the working tree as it is on disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import git

from styrdok.errors import RevisionError
from styrdok.model.document import Document
from styrdok.project.names import BODY_FILE, META_FILE
from styrdok.readers.markdown.source import load_document, parse_document

WORKING_TREE = "arbetskopian"


@dataclass(frozen=True)
class Revision:
    """Where a loaded document came from."""

    ref: str
    commit: str | None
    date: str  # ISO 8601 in UTC
    author: str

    def to_json(self) -> dict:
        return {"ref": self.ref, "commit": self.commit, "date": self.date}


def open_repo(root: Path) -> git.Repo:
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise RevisionError(f"{root}: inte ett git-förråd; revisioner läses ur git") from None
    if not repo.head.is_valid():
        raise RevisionError(
            f"{repo.working_tree_dir}: förrådet har inga incheckningar ännu; checka in "
            "dokumentet först (git add source templates && git commit)"
        )
    return repo


def commit_tags(repo: git.Repo) -> list[tuple[git.TagReference, git.Commit]]:
    """Every tag that names a commit, with its commit; a tag of a file or a tree (a public
    key, say) names no revision and is passed over."""
    out = []
    for tag in repo.tags:
        try:
            out.append((tag, tag.commit))
        except ValueError:
            continue
    return out


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _first_line(message: str | bytes) -> str:
    """A commit message's first line (GitPython gives bytes for an undecodable one)."""
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
    return text.strip().splitlines()[0] if text.strip() else ""


def document_path(repo: git.Repo, root: Path, doc: str) -> str:
    """The document folder's path inside the repository, with forward slashes."""
    folder = (root / "source" / doc).resolve()
    try:
        return folder.relative_to(Path(repo.working_tree_dir or "").resolve()).as_posix()
    except ValueError:
        raise RevisionError(
            f"{root / 'source' / doc}: ligger utanför git-förrådet {repo.working_tree_dir} "
            "(en symbolisk länk?); flytta dokumenten in i förrådet"
        ) from None


def resolve(repo: git.Repo, ref: str, doc: str | None = None) -> git.Commit:
    """The commit a revision names: a branch or tag by its exact name, then a version of the
    document by the name people use (`2024` for the tag `DOC/2024`), then any git revision
    (a commit, `HEAD~1` …)."""
    names = {t.name: c for t, c in commit_tags(repo)} | {h.name: h.commit for h in repo.heads}
    if ref in names:
        return names[ref]
    if doc is not None and f"{doc}/{ref}" in names:
        return names[f"{doc}/{ref}"]
    try:
        return repo.commit(ref)
    except (git.BadName, ValueError, git.BadObject):
        versions = sorted(
            v for t, _ in commit_tags(repo) if (v := _version(t.name, doc)) is not None
        )
        known = f"; dokumentets versioner: {', '.join(versions)}" if versions else ""
        raise RevisionError(
            f"revisionen '{ref}' finns inte (varken version, tagg, gren eller commit){known}"
        ) from None


def _version(tag: str, doc: str | None) -> str | None:
    """The version a tag names for the document (`DOC/2024` → `2024`), else None."""
    prefix = f"{doc}/"
    return tag[len(prefix) :] if doc is not None and tag.startswith(prefix) else None


def own_tag(tag: str, doc: str) -> bool:
    """Whether a tag belongs to the document: its versions, and tags of no document at all."""
    return tag.startswith(f"{doc}/") or "/" not in tag


def load_revision(root: Path, doc: str, ref: str | None) -> tuple[Document, Revision]:
    """The document at `ref` (a tag, branch or commit), or in the working tree for None."""
    repo = open_repo(root)
    rel = document_path(repo, root, doc)
    if ref is None:
        folder = root / "source" / doc
        if not (folder / META_FILE).is_file():
            raise RevisionError(f"dokumentet '{doc}' finns inte i arbetskopian ({folder})")
        files = [folder / META_FILE, folder / BODY_FILE]
        newest = max(f.stat().st_mtime for f in files if f.exists())
        with repo.config_reader() as config:
            author = config.get_value("user", "name", "styrdok")
        when = datetime.fromtimestamp(newest, UTC)
        return load_document(folder), Revision(WORKING_TREE, None, _iso(when), str(author))
    commit = resolve(repo, ref, doc)
    blobs = {}
    for name in (META_FILE, BODY_FILE):
        try:
            blobs[name] = (commit.tree / f"{rel}/{name}").data_stream.read()
        except KeyError:
            blobs[name] = None
    if blobs[META_FILE] is None and blobs[BODY_FILE] is None:
        raise RevisionError(
            f"dokumentet '{doc}' finns inte i revisionen '{ref}' ({commit.hexsha[:8]})"
        )
    folder = Path(f"{ref}:{rel}")
    document = parse_document(doc, blobs[META_FILE], blobs[BODY_FILE], folder)
    revision = Revision(
        ref, commit.hexsha, _iso(commit.committed_datetime), commit.author.name or ""
    )
    return document, revision


@dataclass(frozen=True)
class LogEntry:
    """One commit in a document's history."""

    commit: str
    date: str
    author: str
    message: str
    tags: tuple[str, ...]


def log(root: Path, doc: str) -> list[LogEntry]:
    """The commits that touched the document, newest first, with the tags that point at them."""
    repo = open_repo(root)
    rel = document_path(repo, root, doc)
    tags: dict[str, list[str]] = {}
    for tag, commit in commit_tags(repo):
        if own_tag(tag.name, doc):
            tags.setdefault(commit.hexsha, []).append(tag.name)
    try:
        commits = list(repo.iter_commits(paths=rel))
    except (git.GitCommandError, ValueError):
        commits = []
    if not commits:
        raise RevisionError(f"dokumentet '{doc}' har ingen historik i git ({rel})")
    return [
        LogEntry(
            c.hexsha,
            _iso(c.committed_datetime),
            c.author.name or "",
            _first_line(c.message),
            tuple(sorted(tags.get(c.hexsha, []))),
        )
        for c in commits
    ]


@dataclass(frozen=True)
class Release:
    """A released version: the tag `DOC/VERSION` and its commit (committed at `date`)."""

    version: str
    tag: str
    commit: str
    date: str


def all_releases(root: Path) -> dict[str, list[Release]]:
    """Every document's released versions, oldest first, in one pass over the tags: a tag
    `DOC/VERSION` on a commit that holds the document (a tag elsewhere is no version of it)."""
    repo = open_repo(root)
    try:
        base = document_path(repo, root, "")  # source/ inside the repository
    except RevisionError:
        base = "source"
    found: dict[str, list[Release]] = {}
    for tag, commit in commit_tags(repo):
        doc, _, version = tag.name.partition("/")
        if not version:
            continue
        try:
            commit.tree / f"{base}/{doc}/{META_FILE}"
        except KeyError:
            continue
        date = commit.committed_datetime.isoformat()
        found.setdefault(doc, []).append(Release(version, tag.name, commit.hexsha, date))
    return {doc: sorted(rs, key=lambda r: (r.date, r.version)) for doc, rs in found.items()}
