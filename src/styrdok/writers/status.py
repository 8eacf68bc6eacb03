"""Which documents are due for review (aktualitetsprövning) or no longer valid.

The rules, one place:

- **Review date**: `aktualitetsprövas` in document.yaml; without it, one year after the decision
  date (`datum`), as the guidelines of Swedish municipalities ask for a yearly review.
- **End of validity**: `giltig_till`; without it, the last day of the last year when `giltighet`
  is a year or a range of years (`2018-2019` → 2019-12-31); otherwise (`Tills vidare`) none.
- **State**, the first that holds: *utgången* (validity ended), *försenad* (review date passed),
  *ska aktualitetsprövas* (within 90 days), *gäller*.
- **Follow-up** (plans): the year of the latest `uppfoljning/<år>.yaml` and the share of the
  current measures that are genomförd in it (readers/uppfoljning/summary.py).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

from styrdok.model.document import Document
from styrdok.project.layout import Project
from styrdok.readers.markdown.source import iter_documents

SOON = timedelta(days=90)
OVERDUE = ("utgången", "försenad")


@dataclass(frozen=True)
class Status:
    """One document's line in `styrdok status`."""

    dokument: str
    typ: str
    titel: str
    beslutad: str
    dokumentansvarig: str
    senaste_version: str
    aktualitetsprövas: str
    giltig_till: str
    läge: str
    senaste_uppföljning: int | None = None  # the latest follow-up's year
    andel_genomförda: int | None = None  # in it, the share of the measures genomförd, in %

    @property
    def uppföljning(self) -> str:
        """The follow-up in words for a table: '2026: 40 % genomförda'."""
        if self.senaste_uppföljning is None:
            return ""
        share = (
            f": {self.andel_genomförda} % genomförda" if self.andel_genomförda is not None else ""
        )
        return f"{self.senaste_uppföljning}{share}"


def review_date(doc: Document) -> date:
    m = doc.metadata
    if m.aktualitetsprövas:
        return m.aktualitetsprövas
    try:
        return m.datum.replace(year=m.datum.year + 1)
    except ValueError:  # 29 February
        return m.datum + timedelta(days=365)


def valid_until(doc: Document) -> date | None:
    m = doc.metadata
    if m.giltig_till:
        return m.giltig_till
    years = re.fullmatch(r"\s*(?:\d{4}\s*[-–]\s*)?(\d{4})\s*", m.giltighet)
    return date(int(years.group(1)), 12, 31) if years else None


def state(doc: Document, today: date) -> str:
    until = valid_until(doc)
    if until is not None and until < today:
        return "utgången"
    review = review_date(doc)
    if review < today:
        return "försenad"
    if review <= today + SOON:
        return "ska aktualitetsprövas"
    return "gäller"


def statuses(project: Project, today: date) -> list[Status]:
    """Every document's status on `today`, in name order."""
    latest = latest_releases(project.root)
    return [
        status_of(doc, latest, today, project.source / doc.name)
        for doc in iter_documents(project.source)
    ]


def status_of(
    doc: Document, latest: dict[str, str], today: date, folder: Path | None = None
) -> Status:
    """One document's status; `latest` from latest_releases. With its `folder`, its latest
    follow-up too (the text is read only for a document that has one)."""
    from styrdok.readers.uppfoljning.summary import latest_follow_up

    m, until = doc.metadata, valid_until(doc)
    follow = latest_follow_up(folder, doc) if folder is not None else None
    return Status(
        doc.name,
        m.typ,
        m.full_title,
        m.datum.isoformat(),
        m.dokumentansvarig,
        latest.get(doc.name, ""),
        review_date(doc).isoformat(),
        until.isoformat() if until else "",
        state(doc, today),
        follow.year if follow else None,
        follow.done_percent if follow else None,
    )


def latest_releases(root: Path) -> dict[str, str]:
    """Each document's newest released version, if the project is a git repository."""
    from styrdok.errors import RevisionError

    if not _may_have_tags(root):  # no tag, no release: spare a build the import of GitPython
        return {}
    from styrdok.readers.revisions import all_releases

    try:
        return {doc: found[-1].version for doc, found in all_releases(root).items()}
    except RevisionError:
        return {}


def _may_have_tags(root: Path) -> bool:
    """Whether the git repository around `root` may hold a tag, read from git's own files (a
    tag is a file under refs/tags or a line of packed-refs); True when that cannot be told."""
    state = tags_state(root)
    return state is None or state != ""


def tags_state(root: Path) -> str | None:
    """The tags of the git repository around `root` as git's own files hold them, each as its
    name and the object it names (packed-refs' lines, then the files under refs/tags, which win,
    as in git): "" for none, None when that cannot be told (a worktree or submodule, whose refs
    are elsewhere). A tag names its commit for good, so the same state gives the same releases:
    the register need not open the repository (GitPython, 0.1 s) to see that nothing was
    released since its last build."""
    for folder in (root.resolve(), *root.resolve().parents):
        git_dir = folder / ".git"
        if git_dir.is_file():
            return None
        if git_dir.is_dir():
            found: dict[str, str] = {}
            try:
                packed = (git_dir / "packed-refs").read_text(encoding="utf-8", errors="replace")
            except FileNotFoundError:
                packed = ""
            except OSError:
                return None
            for line in packed.splitlines():
                target, _, name = line.partition(" ")
                if name.startswith("refs/tags/"):
                    found[name] = target
            tags = git_dir / "refs" / "tags"
            for path in sorted(tags.rglob("*")) if tags.is_dir() else ():
                if path.is_file():
                    try:
                        target = path.read_text(encoding="utf-8", errors="replace").strip()
                    except OSError:
                        return None
                    found[path.relative_to(git_dir).as_posix()] = target
            return "\n".join(f"{name} {target}" for name, target in sorted(found.items()))
    return ""


def csv_text(header: list[str], rows: list[list]) -> str:
    """CSV for a spreadsheet: a text that starts as a formula would (=, +, -, @, a tab or a
    carriage return) gets a leading apostrophe, so that opening the file runs nothing (a title
    is the document owner's text)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [
                "'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r") else v
                for v in row
            ]
        )
    return out.getvalue()


def render(rows: list[Status], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2)
    fields = list(Status.__dataclass_fields__)
    if fmt == "csv":
        values = [["" if v is None else v for v in asdict(r).values()] for r in rows]
        return csv_text(fields, values).rstrip("\n")
    shown: tuple[str, ...] = ("dokument", "typ", "beslutad", "senaste_version", "aktualitetsprövas")
    shown += ("läge", "uppföljning") if any(r.uppföljning for r in rows) else ("läge",)
    table = [list(shown)] + [[str(getattr(r, k)) or "–" for k in shown] for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(shown))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in table
    )
