"""Diff stage: two document models → a change list. Pure: no git, no files, no DOCX.

Metadata is matched by key, sections and measures by their stable id. Among the items present in
both revisions, the longest run that kept its order stays in place; the others are `moved`. An
item that stayed in place but got another number is `renumbered`. Text is compared word by word.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .model import (
    METADATA_LABELS,
    Block,
    BulletList,
    Document,
    Inlines,
    Measure,
    Paragraph,
    Section,
    Subheading,
    plain,
)

TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class WordOp:
    op: str  # equal | insert | delete
    text: str


@dataclass(frozen=True)
class Entry:
    target: str  # metadata | section | measure
    kind: str  # added | removed | modified | moved | renumbered
    id: str
    number: str | None = None  # the new number; the old one for a removed item
    field: str | None = None
    old: str | None = None
    new: str | None = None
    old_number: str | None = None
    words: tuple[WordOp, ...] = ()

    def to_json(self) -> dict:
        out = {"target": self.target, "kind": self.kind, "id": self.id, "number": self.number}
        for key in ("field", "old", "new", "old_number"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.words:
            out["words"] = [{"op": w.op, "text": w.text} for w in self.words]
        return out


@dataclass(frozen=True)
class ChangeSet:
    old: Document
    new: Document
    entries: tuple[Entry, ...] = field(default_factory=tuple)


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def word_diff(old: str, new: str) -> tuple[WordOp, ...]:
    """Word-level operations that turn `old` into `new` (whitespace kept as tokens)."""
    a, b = tokens(old), tokens(new)
    ops: list[WordOp] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(WordOp("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            ops.append(WordOp("delete", "".join(a[i1:i2])))
        if j2 > j1:
            ops.append(WordOp("insert", "".join(b[j1:j2])))
    return tuple(ops)


def kept_in_order(old_ids: list[str], new_ids: list[str]) -> set[str]:
    """The common ids that keep their relative order (a longest matching run); others moved."""
    common = set(old_ids) & set(new_ids)
    a = [i for i in old_ids if i in common]
    b = [i for i in new_ids if i in common]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return {a[m.a + k] for m in matcher.get_matching_blocks() for k in range(m.size)}


def moved_sections(old: Document, new: Document) -> set[str]:
    """Sections in both revisions that left the order the others kept."""
    a, b = [s.id for s in old.sections], [s.id for s in new.sections]
    return (set(a) & set(b)) - kept_in_order(a, b)


def moved_measures(old: Document, new: Document) -> set[str]:
    """Measures in both revisions that moved: to another section, or out of the order that the
    others in their section kept. A section's own move moves none of its measures."""
    old_parent, new_parent = parents(old), parents(new)
    common = old_parent.keys() & new_parent.keys()
    moved = {i for i in common if old_parent[i] != new_parent[i]}
    new_sections = {s.id: s for s in new.sections}
    for section in old.sections:
        if section.id in new_sections:
            a = [m.id for m in section.measures if m.id in common and m.id not in moved]
            b = [m.id for m in new_sections[section.id].measures if m.id in common - moved]
            moved |= set(a) - kept_in_order(a, b)
    return moved


def block_text(blocks: tuple[Block, ...]) -> str:
    """The prose of some blocks as plain text: paragraphs apart, list items as '- '."""
    parts = []
    for block in blocks:
        if isinstance(block, Paragraph | Subheading):
            parts.append(plain(block.runs))
        elif isinstance(block, BulletList):
            parts.extend(f"- {plain(item.runs)}" for item in block.items)
    return "\n\n".join(parts)


def diff_documents(old: Document, new: Document) -> ChangeSet:
    """Every change from `old` to `new`, in document order: metadata, sections, measures."""
    entries = _metadata(old, new)
    entries += _items(
        "section",
        [(str(i), s) for i, s in enumerate(old.sections, 1)],
        [(str(i), s) for i, s in enumerate(new.sections, 1)],
        _section_fields,
        moved_sections(old, new),
    )
    entries += _items(
        "measure",
        [(n, m) for n, _, m in old.numbered_measures()],
        [(n, m) for n, _, m in new.numbered_measures()],
        _measure_fields,
        moved_measures(old, new),
    )
    return ChangeSet(old, new, tuple(entries))


def _metadata(old: Document, new: Document) -> list[Entry]:
    out = []
    for key in METADATA_LABELS:
        a, b = str(getattr(old.metadata, key)), str(getattr(new.metadata, key))
        if a != b:
            out.append(
                Entry("metadata", "modified", key, field=key, old=a, new=b, words=word_diff(a, b))
            )
    return out


def parents(doc: Document) -> dict[str, str]:
    """Each measure's section id."""
    return {m.id: s.id for _, s, m in doc.numbered_measures()}


def _section_fields(s: Section) -> dict[str, Inlines | str]:
    return {"title": s.title, "text": block_text(s.blocks)}


def _measure_fields(m: Measure) -> dict[str, Inlines | str]:
    return {"title": m.title, "text": block_text(m.blocks), **m.fields}


def _items(target, old_items, new_items, fields, moved: set[str]) -> list[Entry]:
    old_by = {x.id: (n, x) for n, x in old_items}
    new_by = {x.id: (n, x) for n, x in new_items}
    out = []
    for n, x in old_items:
        if x.id not in new_by:
            out.append(Entry(target, "removed", x.id, number=n, old=plain(x.title)))
    for n, x in new_items:
        key = x.id
        if key not in old_by:
            out.append(Entry(target, "added", key, number=n, new=plain(x.title)))
            continue
        old_n, old_x = old_by[key]
        if key in moved:
            out.append(Entry(target, "moved", key, number=n, old_number=old_n))
        elif old_n != n:
            out.append(Entry(target, "renumbered", key, number=n, old_number=old_n))
        a, b = fields(old_x), fields(x)
        for name in b:
            va = a[name] if isinstance(a[name], str) else plain(a[name])
            vb = b[name] if isinstance(b[name], str) else plain(b[name])
            if va != vb:
                out.append(Entry(target, "modified", key, n, name, va, vb, words=word_diff(va, vb)))
    return out
