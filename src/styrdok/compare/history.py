"""History stage: each measure of a document followed by its id through every released version
(the tags `DOC/*`, oldest first) and the working tree — across renumbering, moves and renames.

    styrdok history DOC            one row per measure: its number in each version ('–' where
                                   it does not exist), so a renumbering shows at a glance
    styrdok history DOC ID         one row per version: number, title, Ansvarig, Tidplan
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from styrdok.errors import RevisionError
from styrdok.model.document import Document, plain
from styrdok.readers.revisions import WORKING_TREE, commit_tags, load_revision, open_repo


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


def measure_history(all_versions: list[Version], ident: str) -> list[State]:
    found = [s for v in all_versions if (s := states(v).get(ident)) is not None]
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


def render(all_versions: list[Version], ident: str | None, fmt: str) -> str:
    """The history as a text table, Markdown or JSON."""
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
        found = measure_history(all_versions, ident)
        if fmt == "json":
            return json.dumps(
                {"id": ident, "versions": [s.__dict__ for s in found]}, ensure_ascii=False, indent=2
            )
        table = [["version", "beslutad", "nr", "titel", "Ansvarig nämnd eller bolag", "Tidplan"]]
        table += [[s.version, s.decided, s.number, s.title, s.ansvarig, s.tidplan] for s in found]
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
