"""Report stage: a change list → the change report for styrgruppen, in Swedish.

Markdown (changes.md), JSON (changes.json) and a report document model that render_docx lays out
in the city's layout (changes.docx), with inserted and deleted words visibly marked.
"""

from __future__ import annotations

import json
from dataclasses import replace

from .diff import ChangeSet, Entry, WordOp
from .model import (
    MEASURE_FIELDS,
    METADATA_LABELS,
    Document,
    Paragraph,
    Run,
    Section,
    Subheading,
    plain,
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
        "from": old.to_json(),
        "to": new.to_json(),
        "changes": [e.to_json() for e in changes.entries],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _label(rev: Revision) -> str:
    sha = f", {rev.commit[:8]}" if rev.commit else ""
    return f"{rev.ref} ({rev.date[:10]}{sha})"


def summary_lines(changes: ChangeSet) -> list[str]:
    """One line a target with the number of items of each kind of change."""
    lines = []
    for target, name in TARGETS.items():
        counts = []
        for kind, (one, many) in KINDS.items():
            n = len({e.id for e in changes.entries if e.target == target and e.kind == kind})
            if n:
                counts.append(f"{n} {one if n == 1 else many}")
        lines.append(f"{name}: {', '.join(counts) if counts else 'inga ändringar'}")
    return lines


def _groups(changes: ChangeSet, target: str) -> list[tuple[str, str, list[Entry]]]:
    """(heading, id, entries) per changed item of a kind, in the new document's order."""
    seen: dict[str, list[Entry]] = {}
    for e in changes.entries:
        if e.target == target:
            seen.setdefault(e.id, []).append(e)
    out = []
    for ident, entries in seen.items():
        number = entries[0].number or ""
        kinds = ", ".join(dict.fromkeys(KINDS[e.kind][0] for e in entries))
        title = _title(changes, target, ident)
        out.append((f"{number} {title} ({kinds})".strip(), ident, entries))
    return out


def _title(changes: ChangeSet, target: str, ident: str) -> str:
    """An item's title in the new revision, or in the old one if it was removed."""
    for doc in (changes.new, changes.old):
        items = doc.sections if target == "section" else [m for _, _, m in doc.numbered_measures()]
        found = next((plain(x.title) for x in items if x.id == ident), None)
        if found is not None:
            return found
    return ident


def changed_paragraphs(words: tuple[WordOp, ...]) -> list[tuple[WordOp, ...]]:
    """The word operations split into paragraphs, keeping only paragraphs that changed."""
    paragraphs: list[list[WordOp]] = [[]]
    for w in words:
        for i, piece in enumerate(w.text.split("\n\n")):
            if i:
                paragraphs.append([])
            if piece:
                paragraphs[-1].append(WordOp(w.op, piece))
    return [tuple(p) for p in paragraphs if any(w.op != "equal" for w in p)]


def _md_words(words: tuple[WordOp, ...]) -> str:
    out = []
    for w in words:
        if w.op == "equal":
            out.append(w.text)
        elif w.text.strip():
            out.append(f"{{+{w.text}+}}" if w.op == "insert" else f"[-{w.text}-]")
        else:
            out.append(w.text if w.op == "insert" else "")
    return "".join(out)


def _describe(e: Entry) -> str:
    if e.kind == "moved":
        return f"Flyttad från {e.old_number} till {e.number}."
    if e.kind == "renumbered":
        return f"Omnumrerad från {e.old_number} till {e.number}."
    if e.kind == "added":
        return "Ny i den här revisionen."
    if e.kind == "removed":
        return f"Borttagen (var {e.number})."
    return ""


def to_markdown(changes: ChangeSet, old: Revision, new: Revision) -> str:
    doc = changes.new.metadata
    lines = [
        f"# Ändringsrapport: {doc.titel}" + (f" – {doc.undertitel}" if doc.undertitel else ""),
        "",
        f"Jämförelse av **{changes.new.name}** från {_label(old)} till {_label(new)}.",
        "",
        "Tillagd text står som {+så här+}, borttagen text som [-så här-].",
        "",
        "## Sammanfattning",
        "",
        *[f"- {line}" for line in summary_lines(changes)],
    ]
    for target, name in TARGETS.items():
        groups = _groups(changes, target)
        if not groups:
            continue
        lines += ["", f"## {name}"]
        for heading, _, entries in groups:
            if target == "metadata":
                e = entries[0]
                lines += ["", f"- **{FIELDS[e.id]}:** {e.old} → {e.new}"]
                continue
            lines += ["", f"### {heading}"]
            for e in entries:
                if e.kind == "modified" and e.field == "text":
                    lines += ["", "**Text:**"]
                    lines += [f"\n> {_md_words(p)}" for p in changed_paragraphs(e.words)]
                elif e.kind == "modified":
                    lines += ["", f"**{FIELDS.get(e.field, e.field)}:** {_md_words(e.words)}"]
                else:
                    lines += ["", _describe(e)]
    return "\n".join(lines).rstrip() + "\n"


def _whole(e: Entry) -> tuple[WordOp, ...]:
    """A metadata value is replaced whole: old struck out, new marked as inserted."""
    return (WordOp("delete", e.old or ""), WordOp("equal", " → "), WordOp("insert", e.new or ""))


def _marked_runs(words: tuple[WordOp, ...]) -> tuple[Run, ...]:
    mark = {"equal": None, "insert": "ins", "delete": "del"}
    return tuple(Run(w.text, mark=mark[w.op]) for w in words if w.text)


def to_document(changes: ChangeSet, old: Revision, new: Revision) -> Document:
    """The report as a document model in the city's layout (one section a part)."""
    intro = (
        Paragraph((Run(f"Jämförelse från {_label(old)} till {_label(new)}."),)),
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
        for heading, _, entries in _groups(changes, target):
            if target == "metadata":
                e = entries[0]
                blocks.append(
                    Paragraph((Run(f"{FIELDS[e.id]}: ", bold=True), *_marked_runs(_whole(e))))
                )
                continue
            blocks.append(Subheading((Run(heading),), level=2))
            for e in entries:
                if e.kind == "modified" and e.field == "text":
                    blocks.append(Paragraph((Run("Text:", bold=True),)))
                    blocks += [Paragraph(_marked_runs(p)) for p in changed_paragraphs(e.words)]
                elif e.kind == "modified":
                    label = Run(f"{FIELDS.get(e.field, e.field)}: ", bold=True)
                    blocks.append(Paragraph((label, *_marked_runs(e.words))))
                else:
                    blocks.append(Paragraph((Run(_describe(e)),)))
        if blocks:
            sections.append(Section(target, (Run(name),), tuple(blocks)))
    meta = replace(
        changes.new.metadata,
        titel="Ändringsrapport",
        undertitel=f"{changes.new.metadata.titel} – {changes.new.metadata.undertitel}".rstrip(" –"),
    )
    return Document(changes.new.name, meta, tuple(sections))
