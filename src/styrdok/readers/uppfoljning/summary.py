"""A plan's latest follow-up in one line: its year and the share of the measures genomförd (for
`styrdok status` and the register). Best effort: a document without follow-up files has none,
and a follow-up file with problems shows its year without a share (`check` names them)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from styrdok.errors import SourceError
from styrdok.model.document import Document
from styrdok.readers.uppfoljning.yaml_file import read_follow_up, year_files


@dataclass(frozen=True)
class Summary:
    year: int
    done_percent: int | None  # of the current measures, rounded; None when it cannot be told


def latest_follow_up(folder: Path, doc: Document | None = None) -> Summary | None:
    """The latest follow-up of the document in `folder` (`doc` is loaded when it is not given
    with its text), or None when it has none."""
    files, _ = year_files(folder)
    if not files:
        return None
    year = max(files)
    follow, problems = read_follow_up(files[year], folder.name)
    if follow is None or problems:
        return Summary(year, None)
    if doc is None or not doc.sections:
        from styrdok.readers.markdown.source import load_document

        try:
            doc = load_document(folder)
        except SourceError:
            return Summary(year, None)
    measures = doc.numbered_measures()
    if not measures:
        return Summary(year, None)
    done = sum(follow.status(m.id).done for _, _, m in measures)
    return Summary(year, round(100 * done / len(measures)))


def follow_up_key(folder: Path) -> str:
    """The hash of a document's follow-up files (the register's record of its inputs)."""
    files, _ = year_files(folder)
    digest = hashlib.sha256()
    for year, path in sorted(files.items()):
        digest.update(f"{year}:".encode() + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest() if files else ""


def last_reported(folder: Path, before: date | None = None) -> dict[str, str]:
    """Each measure's last reported status in the follow-ups of the document in `folder`
    (those dated before `before`, when given), as the change report says it:
    {"bostad-forst": "genomförd 2026"}. A file that cannot be read is left out (check names it)."""
    files, _ = year_files(folder)
    out: dict[str, str] = {}
    for _, path in sorted(files.items()):
        follow, problems = read_follow_up(path, folder.name)
        if follow is None or problems or (before is not None and follow.date >= before):
            continue
        for ident in follow.answers:
            out[ident] = f"{follow.status(ident).value} {follow.year}"
    return out
