"""Report stage: a change list → the change report for styrgruppen, in Swedish.

Markdown (changes.md), JSON (changes.json) and a report document model that render_docx lays out
in the city's layout (changes.docx), with inserted and deleted words visibly marked.
"""

from __future__ import annotations

import json
from dataclasses import replace

from .diff import ChangeSet, Entry, FieldChange, WordOp
from .model import (
    MEASURE_FIELDS,
    METADATA_LABELS,
    Document,
    Paragraph,
    Run,
    Section,
    Subheading,
)
from .revisions import Revision

KINDS = {  # singular, plural
    "added": ("tillagd", "tillagda"),
    "removed": ("borttagen", "borttagna"),
    "modified": ("ändrad", "ändrade"),
    "moved": ("flyttad", "flyttade"),
    "renumbered": ("omnumrerad", "omnumrerade"),
}
TARGETS = {"metadata": "Metadata", "section": "Avsnitt", "measure": "Åtgärder"}
FIELDS = {"title": "Rubrik", "text": "Text", **MEASURE_FIELDS, **METADATA_LABELS}


def to_json(changes: ChangeSet, old: Revision, new: Revision) -> str:
    data = {
        "document": changes.new.name,
        "from": old.to_json() | _decision(changes.old),
        "to": new.to_json() | _decision(changes.new),
        "changes": [e.to_json() for e in changes.entries],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _decision(doc: Document) -> dict[str, str]:
    return {"decided": doc.metadata.datum.isoformat(), "dnr": doc.metadata.dnr}


def _label(rev: Revision, doc: Document) -> str:
    """A revision as people name it: the version decided on a date under a DNR; the git
    revision after it, for whoever must find it again."""
    m = doc.metadata
    sha = f", commit {rev.commit[:8]}" if rev.commit else ""
    return f"versionen beslutad {m.datum_long}, DNR {m.dnr} ({rev.ref}{sha})"


def summary_lines(changes: ChangeSet) -> list[str]:
    """One line a target with the number of items of each kind of change."""
    lines = []
    for target, name in TARGETS.items():
        counts = []
        for kind, (one, many) in KINDS.items():
            n = sum(1 for e in changes.entries if e.target == target and e.kind == kind)
            if n:
                counts.append(f"{n} {one if n == 1 else many}")
        lines.append(f"{name}: {', '.join(counts) if counts else 'inga ändringar'}")
    return lines


def _heading(e: Entry) -> str:
    """An item's heading in the report: number, title and what happened to it."""
    number = e.number if e.number is not None else e.old_number
    return f"{number or ''} {e.title} ({KINDS[e.kind][0]})".strip()


def _entries(changes: ChangeSet, target: str) -> list[Entry]:
    return [e for e in changes.entries if e.target == target]


def changed_paragraphs(words: tuple[WordOp, ...]) -> list[tuple[WordOp, ...]]:
    """The word operations split into paragraphs, keeping only paragraphs that changed."""
    paragraphs: list[list[WordOp]] = [[]]
    for w in words:
        for i, piece in enumerate(w.text.split("\n\n")):
            if i:
                paragraphs.append([])
            if piece:
                paragraphs[-1].append(replace(w, text=piece))
    return [tuple(p) for p in paragraphs if any(w.op != "equal" for w in p)]


def _md_words(words: tuple[WordOp, ...]) -> str:
    out = []
    for w in words:
        if w.op == "equal":
            out.append(w.text)
        elif w.text.strip():
            t = _md_style(w)
            out.append(f"{{+{t}+}}" if w.op == "insert" else f"[-{t}-]")
        else:
            out.append(w.text if w.op == "insert" else "")
    return "".join(out)


def _md_style(w: WordOp) -> str:
    """Marked words with their formatting, so a formatting-only change is visible."""
    t = f"**{w.text}**" if w.bold else w.text
    t = f"*{t}*" if w.italic else t
    return f"[{t}]({w.href})" if w.href else t


def _describe(e: Entry) -> str:
    if e.kind == "moved":
        return f"Flyttad från {e.old_number} till {e.number}."
    if e.kind == "renumbered":
        return f"Omnumrerad från {e.old_number} till {e.number}."
    if e.kind == "added":
        return "Ny i den här revisionen."
    if e.kind == "removed":
        return f"Borttagen (var {e.old_number})."
    return ""


def _field_label(f: FieldChange) -> str:
    label = FIELDS.get(f.field, f.field)
    return f"{label} (formatering)" if f.formatting else label


def to_markdown(changes: ChangeSet, old: Revision, new: Revision) -> str:
    doc = changes.new.metadata
    lines = [
        f"# Ändringsrapport: {doc.titel}" + (f" – {doc.undertitel}" if doc.undertitel else ""),
        "",
        f"Jämförelse av **{changes.new.name}** från {_label(old, changes.old)} "
        f"till {_label(new, changes.new)}.",
        "",
        "Tillagd text står som {+så här+}, borttagen text som [-så här-].",
        "",
        "## Sammanfattning",
        "",
        *[f"- {line}" for line in summary_lines(changes)],
    ]
    for target, name in TARGETS.items():
        entries = _entries(changes, target)
        if not entries:
            continue
        lines += ["", f"## {name}"]
        for e in entries:
            if target == "metadata":
                (f,) = e.fields
                lines += ["", f"- **{FIELDS[e.id]}:** {f.old} → {f.new}"]
                continue
            lines += ["", f"### {_heading(e)}"]
            if e.kind != "modified":
                lines += ["", _describe(e)]
            for f in e.fields:
                if f.field == "text":
                    lines += ["", f"**{_field_label(f)}:**"]
                    lines += [f"\n> {_md_words(p)}" for p in changed_paragraphs(f.words)]
                else:
                    lines += ["", f"**{_field_label(f)}:** {_md_words(f.words)}"]
    return "\n".join(lines).rstrip() + "\n"


def _whole(f: FieldChange) -> tuple[WordOp, ...]:
    """A metadata value is replaced whole: old struck out, new marked as inserted."""
    return (WordOp("delete", f.old or ""), WordOp("equal", " → "), WordOp("insert", f.new or ""))


def _marked_runs(words: tuple[WordOp, ...]) -> tuple[Run, ...]:
    mark = {"equal": None, "insert": "ins", "delete": "del"}
    return tuple(Run(w.text, w.bold, w.italic, w.href, mark=mark[w.op]) for w in words if w.text)


def to_document(changes: ChangeSet, old: Revision, new: Revision) -> Document:
    """The report as a document model in the city's layout (one section a part)."""
    intro = (
        Paragraph(
            (Run(f"Jämförelse från {_label(old, changes.old)} till {_label(new, changes.new)}."),)
        ),
        Paragraph(
            (
                Run("Tillagd text är "),
                Run("understruken", mark="ins"),
                Run(", borttagen text "),
                Run("överstruken", mark="del"),
                Run("."),
            )
        ),
        *[Paragraph((Run(line),)) for line in summary_lines(changes)],
    )
    sections = [Section("sammanfattning", (Run("Sammanfattning"),), intro)]
    for target, name in TARGETS.items():
        blocks: list = []
        for e in _entries(changes, target):
            if target == "metadata":
                (f,) = e.fields
                blocks.append(
                    Paragraph((Run(f"{FIELDS[e.id]}: ", bold=True), *_marked_runs(_whole(f))))
                )
                continue
            blocks.append(Subheading((Run(_heading(e)),), level=2))
            if e.kind != "modified":
                blocks.append(Paragraph((Run(_describe(e)),)))
            for f in e.fields:
                label = Run(f"{_field_label(f)}: ", bold=True)
                if f.field == "text":
                    blocks.append(Paragraph((label,)))
                    blocks += [Paragraph(_marked_runs(p)) for p in changed_paragraphs(f.words)]
                else:
                    blocks.append(Paragraph((label, *_marked_runs(f.words))))
        if blocks:
            sections.append(Section(target, (Run(name),), tuple(blocks)))
    meta = replace(
        changes.new.metadata,
        titel="Ändringsrapport",
        undertitel=f"{changes.new.metadata.titel} – {changes.new.metadata.undertitel}".rstrip(" –"),
    )
    return Document(changes.new.name, meta, tuple(sections))
