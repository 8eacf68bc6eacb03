"""History stage: each measure of a document followed by its id through every released version
(the tags `DOC/*`, oldest first) and the working tree — across renumbering, moves and renames.

    styrdok history DOC            one row per measure: its number in each version ('–' where
                                   it does not exist), so a renumbering shows at a glance
    styrdok history DOC ID         one row per version: number, title, Ansvarig, Tidplan, and
                                   the status of each year's follow-up under that version

A year's follow-up (source/<dok>/uppfoljning/<år>.yaml in the working tree, where they
accumulate) belongs to the version in force on its day: the latest decided on or before it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from styrdok.errors import RevisionError
from styrdok.model.document import Document, plain
from styrdok.model.uppfoljning import FollowUp
from styrdok.readers.revisions import WORKING_TREE, commit_tags, load_revision, open_repo
from styrdok.readers.uppfoljning.yaml_file import read_follow_up, year_files


@dataclass(frozen=True)
class Version:
    name: str  # the release's name (2019) or "arbetskopian"
    ref: str | None  # the tag, None for the working tree
    decided: str  # the decision date in the document
    document: Document


@dataclass(frozen=True)
class State:
    """One measure as one version has it."""

    version: str
    decided: str
    number: str
    title: str
    ansvarig: str
    tidplan: str
    follow_ups: tuple[dict, ...] = ()  # {year, status, answers: [{department, status, comment}]}


def versions(root: Path, doc: str) -> list[Version]:
    """The released versions, oldest first, then the working tree if it holds the document."""
    repo = open_repo(root)
    tags = sorted(
        ((t, c) for t, c in commit_tags(repo) if t.name.startswith(f"{doc}/")),
        key=lambda tc: (tc[1].committed_datetime, tc[0].name),
    )
    out = []
    for tag, _ in tags:
        try:
            document, _ = load_revision(root, doc, tag.name)
        except RevisionError:  # a tag on a commit without the document: no version of it
            continue
        version = tag.name[len(doc) + 1 :]
        out.append(Version(version, tag.name, document.metadata.datum.isoformat(), document))
    if (root / "source" / doc).is_dir():
        document, _ = load_revision(root, doc, None)
        out.append(Version(WORKING_TREE, None, document.metadata.datum.isoformat(), document))
    if not out:
        raise RevisionError(f"dokumentet '{doc}' har varken släppta versioner eller en arbetskopia")
    return out


def states(version: Version) -> dict[str, State]:
    """Every measure of a version by id."""
    return {
        m.id: State(
            version.name,
            version.decided,
            number,
            plain(m.title),
            plain(m.fields.get("ansvarig", ())),
            plain(m.fields.get("tidplan", ())),
        )
        for number, _, m in version.document.numbered_measures()
    }


def follow_ups(root: Path, doc: str) -> list[FollowUp]:
    """The document's follow-ups in the working tree that can be read, oldest first."""
    files, _ = year_files(root / "source" / doc)
    found = [read_follow_up(path, doc)[0] for _, path in sorted(files.items())]
    return [f for f in found if f is not None]


def in_force(all_versions: list[Version], follow_up: FollowUp) -> Version:
    """The version a follow-up speaks of: the latest decided on or before its day (of equal
    dates the release, not the working tree), else the first."""
    day = follow_up.date.isoformat()
    before = [v for v in all_versions if v.decided <= day]
    if not before:
        return all_versions[0]
    latest = max(v.decided for v in before)
    return next(v for v in before if v.decided == latest)


def measure_history(
    all_versions: list[Version], ident: str, years: Sequence[FollowUp] = ()
) -> list[State]:
    found = []
    for v in all_versions:
        s = states(v).get(ident)
        if s is None:
            continue
        mine = [
            {
                "year": f.year,
                "status": f.status(ident).value,
                "answers": [
                    {"department": a.department, "status": a.status, "comment": a.comment}
                    for a in f.comments(ident)
                ],
            }
            for f in years
            if in_force(all_versions, f) is v
        ]
        found.append(replace(s, follow_ups=tuple(mine)))
    if not found:
        known = sorted({i for v in all_versions for i in states(v)})
        raise RevisionError(
            f"åtgärden '{ident}' finns inte i någon version; åtgärder: {', '.join(known)}"
        )
    return found


def overview(all_versions: list[Version]) -> list[dict]:
    """One row per measure ever present: its id, latest number and title, the versions it
    exists in and its number in each of them."""
    rows: dict[str, dict] = {}
    for v in all_versions:
        for ident, s in states(v).items():
            row = rows.setdefault(ident, {"id": ident, "versions": [], "numbers": {}})
            row.update(number=s.number, title=s.title)
            row["versions"].append(v.name)
            row["numbers"][v.name] = s.number
    return list(rows.values())


def render(
    all_versions: list[Version], ident: str | None, fmt: str, years: Sequence[FollowUp] = ()
) -> str:
    """The history as a text table, Markdown or JSON; with `years`, a measure's statuses."""
    names = [v.name for v in all_versions]
    if ident is None:
        rows = overview(all_versions)
        if fmt == "json":
            return json.dumps({"versions": names, "measures": rows}, ensure_ascii=False, indent=2)
        table = [["id", "nr", "titel", *names]]
        table += [
            [r["id"], r["number"], r["title"], *(r["numbers"].get(n, "–") for n in names)]
            for r in rows
        ]
    else:
        found = measure_history(all_versions, ident, years)
        if fmt == "json":
            data = [
                {k: v for k, v in s.__dict__.items() if k != "follow_ups" or years} for s in found
            ]
            for entry in data:
                if "follow_ups" in entry:
                    entry["follow_ups"] = list(entry["follow_ups"])
            return json.dumps({"id": ident, "versions": data}, ensure_ascii=False, indent=2)
        table = [["version", "beslutad", "nr", "titel", "Ansvarig nämnd eller bolag", "Tidplan"]]
        table[0] += ["Uppföljning"] if years else []
        for s in found:
            row = [s.version, s.decided, s.number, s.title, s.ansvarig, s.tidplan]
            statuses = "; ".join(f"{f['year']}: {f['status']}" for f in s.follow_ups)
            table.append(row + ([statuses or "–"] if years else []))
    return _markdown(table) if fmt == "md" else _text(table)


def _text(table: list[list[str]]) -> str:
    widths = [min(max(len(row[i]) for row in table), 60) for i in range(len(table[0]))]
    lines = []
    for row in table:
        cells = [c if len(c) <= w else c[: w - 1] + "…" for c, w in zip(row, widths, strict=True)]
        lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())
    return "\n".join(lines)


def _markdown(table: list[list[str]]) -> str:
    def row(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return "\n".join([row(table[0]), row(["---"] * len(table[0])), *map(row, table[1:])])
