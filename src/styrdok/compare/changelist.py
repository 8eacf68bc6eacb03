"""Diff stage: two document models → a change list, one entry per changed item. Pure: no git,
no files, no DOCX. Which items match, stay or move is decided in match.py, for the redline too.

Each entry names the item (target, id, its number before and after) and how it changed: added,
removed, moved, renumbered or only modified; its `fields` hold every changed field word by word
(for an added or removed item: all of its fields, so a reader sees who owns it and by when).

A reference shows its target's current number, so a renumbered measure changes the text of every
item that refers to it. That is no edit: an item is compared with its old text as the new revision
numbers it (`references.resolve(old, numbered_as=new)`), and the items that refer to a renumbered
item are named on its entry instead (`referenced_from`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import assert_never

from styrdok.compare.match import (
    Matching,
    StyledToken,
    opcodes,
    styled_tokens,
    tokens,
    word_opcodes,
)
from styrdok.model import references
from styrdok.model.document import (
    MEASURE_FIELDS,
    METADATA_LABELS,
    RECORDS_LABELS,
    Block,
    BulletList,
    Document,
    Inlines,
    Measure,
    Paragraph,
    Script,
    Section,
    Subheading,
    Table,
    plain,
)

PARAGRAPH_BREAK: StyledToken = ("\n\n", False, False, None, None)


@dataclass(frozen=True)
class WordOp:
    op: str  # equal | insert | delete
    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None
    script: Script | None = None

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"op": self.op, "text": self.text}
        keys = ("bold", "italic", "href", "script")
        out.update({k: v for k in keys if (v := getattr(self, k))})
        return out


@dataclass(frozen=True)
class FieldChange:
    field: str  # title | text | a key of MEASURE_FIELDS | a metadata key
    old: str | None  # None: the item was added
    new: str | None  # None: the item was removed
    words: tuple[WordOp, ...] = ()

    @property
    def formatting(self) -> bool:
        """Only the formatting changed (bold, italic, a link), not the words."""
        return self.old == self.new

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"field": self.field, "old": self.old, "new": self.new}
        if self.formatting:
            out["formatting"] = True
        out["words"] = [w.to_json() for w in self.words]
        return out


@dataclass(frozen=True)
class Entry:
    target: str  # metadata | section | measure
    kind: str  # added | removed | moved | renumbered | modified
    id: str
    number: str | None = None  # in the new revision (None: removed)
    old_number: str | None = None  # in the old revision (None: added)
    title: str = ""  # the item's title (the old one for a removed item)
    fields: tuple[FieldChange, ...] = ()
    # an item whose number changed: the items of the new revision whose references to it now
    # show its new number, each as (target, id, number), in document order
    referenced_from: tuple[tuple[str, str, str], ...] = ()

    def field(self, name: str) -> FieldChange | None:
        return next((f for f in self.fields if f.field == name), None)

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "target": self.target,
            "kind": self.kind,
            "id": self.id,
            "number": self.number,
            "old_number": self.old_number,
            "title": self.title,
            "fields": [f.to_json() for f in self.fields],
        }
        if self.referenced_from:
            out["referenced_from"] = [
                {"target": t, "id": i, "number": n} for t, i, n in self.referenced_from
            ]
        return out


@dataclass(frozen=True)
class ChangeSet:
    old: Document
    new: Document
    entries: tuple[Entry, ...] = field(default_factory=tuple)
    # each measure's last reported follow-up (id → "genomförd 2026"), for the change report
    follow_up: dict[str, str] = field(default_factory=dict)


def word_diff(old: str, new: str) -> tuple[WordOp, ...]:
    """Word-level operations that turn `old` into `new` (whitespace kept as tokens)."""
    return _ops(
        [(t, False, False, None, None) for t in tokens(old)],
        [(t, False, False, None, None) for t in tokens(new)],
    )


def _ops(a: list[StyledToken], b: list[StyledToken]) -> tuple[WordOp, ...]:
    """Operations on styled words, consecutive words of one operation and style joined."""
    pieces: list[WordOp] = []
    for tag, i1, i2, j1, j2 in word_opcodes(a, b):
        if tag == "equal":
            pieces += [WordOp("equal", *t) for t in b[j1:j2]]
            continue
        pieces += [WordOp("delete", *t) for t in a[i1:i2]]
        pieces += [WordOp("insert", *t) for t in b[j1:j2]]
    out: list[WordOp] = []
    for p in pieces:
        last = out[-1] if out else None
        if last and (last.op, last.bold, last.italic, last.href, last.script) == (
            p.op,
            p.bold,
            p.italic,
            p.href,
            p.script,
        ):
            out[-1] = replace(p, text=last.text + p.text)
        else:
            out.append(p)
    return tuple(out)


def block_tokens(blocks: tuple[Block, ...]) -> list[StyledToken]:
    """The prose of some blocks as styled words, paragraphs apart. The structure is written as
    in the source, so a change of it is a change of the text: a subheading starts with '## ',
    a bullet with '- ', a numbered item with its number ('2. '), a table row is a line
    '| cell | cell |', so a changed cell is a change of its words in its row."""
    units: list[list[StyledToken]] = []

    def marker(text: str) -> list[StyledToken]:
        return [(text, False, False, None, None), (" ", False, False, None, None)]

    for block in blocks:
        match block:
            case Subheading():
                units.append(marker("#" * block.level) + styled_tokens(block.runs))
            case Paragraph():
                units.append(styled_tokens(block.runs))
            case BulletList():
                for k, item in enumerate(block.items, block.start):
                    number = f"{k}." if block.ordered else "-"
                    units.append(marker(number) + styled_tokens(item.runs))
            case Table():
                units += [table_row(row) for row in (block.header, *block.rows)]
            case _:
                assert_never(block)
    out: list[StyledToken] = []
    for i, unit in enumerate(units):
        out += ([PARAGRAPH_BREAK] if i else []) + unit
    return out


def table_row(cells: tuple[Inlines, ...]) -> list[StyledToken]:
    """A table row as styled words, as the source writes it: `| a | b |`."""
    bar: list[StyledToken] = [("|", False, False, None, None)]
    space: list[StyledToken] = [(" ", False, False, None, None)]
    out = list(bar)
    for cell in cells:
        out += space + styled_tokens(cell) + space + bar
    return out


def _fields(item: Section | Measure) -> dict[str, list[StyledToken]]:
    out = {"title": styled_tokens(item.title), "text": block_tokens(item.blocks)}
    if isinstance(item, Measure):
        out |= {k: styled_tokens(item.fields.get(k, ())) for k in MEASURE_FIELDS}
    return out


def _changed_fields(
    old: Section | Measure | None, new: Section | Measure | None
) -> tuple[FieldChange, ...]:
    """The fields that differ (in words or formatting); one side None gives all non-empty."""
    a = _fields(old) if old is not None else None
    b = _fields(new) if new is not None else None
    out = []
    for name in b or a or {}:  # the new side's fields, or the old side's if it was removed
        ta, tb = (a[name] if a else []), (b[name] if b else [])
        if ta == tb or (not ta and not tb):
            continue
        out.append(
            FieldChange(
                name,
                "".join(t[0] for t in ta) if a is not None else None,
                "".join(t[0] for t in tb) if b is not None else None,
                _ops(ta, tb),
            )
        )
    return tuple(out)


def diff_documents(old: Document, new: Document) -> ChangeSet:
    """Every changed item from `old` to `new`: metadata, then sections, then measures, each in
    the new document's order with removed items where they were. Texts are compared as they
    read, references with their current numbers (as the redline shows them); an item that is in
    both revisions is compared with its old text as the new revision numbers it, so a reference
    whose number only followed its target is no change."""
    a, b = references.resolve(old), references.resolve(new)
    match = Matching(a, b)
    renumbered = _by_id(references.resolve(old, numbered_as=new))
    entries = _metadata(a, b)
    entries += _items("section", a.sections, b.sections, match.moved_sections, match, renumbered)
    old_measures = [m for s in a.sections for m in s.measures]
    new_measures = [m for s in b.sections for m in s.measures]
    moved = match.moved_measures
    entries += _items("measure", old_measures, new_measures, moved, match, renumbered)
    return ChangeSet(old, new, tuple(_referenced_from(entries, new, match)))


def _by_id(doc: Document) -> dict[str, Section | Measure]:
    out: dict[str, Section | Measure] = {}
    for section in doc.sections:
        out[section.id] = section
        out |= {m.id: m for m in section.measures}
    return out


def _referenced_from(entries: list[Entry], new: Document, match: Matching) -> list[Entry]:
    """Each entry whose number changed, with the items of the new revision that refer to it
    (their references show its new number, so they are listed here, not as modified)."""
    where = {ident: (target, number) for (target, ident), number in match.new_numbers.items()}
    by_target: dict[str, list[tuple[str, str, str]]] = {}
    for target, item, _ in references.references(new):
        found = by_target.setdefault(target, [])
        if item in where and (where[item][0], item, where[item][1]) not in found:
            found.append((where[item][0], item, where[item][1]))
    return [
        replace(e, referenced_from=tuple(by_target[e.id]))
        if e.id in by_target and e.number and e.old_number and e.number != e.old_number
        else e
        for e in entries
    ]


def _metadata(old: Document, new: Document) -> list[Entry]:
    out = []
    for key, label in (METADATA_LABELS | RECORDS_LABELS).items():  # the cover's, the archive's
        a, b = (str(getattr(m, key) or "") for m in (old.metadata, new.metadata))
        if a != b:
            change = FieldChange(key, a, b, word_diff(a, b))
            out.append(Entry("metadata", "modified", key, title=label, fields=(change,)))
    return out


def _items(
    target: str,
    old_items: Sequence[Section | Measure],
    new_items: Sequence[Section | Measure],
    moved: set[str],
    match: Matching,
    renumbered: dict[str, Section | Measure],
) -> list[Entry]:
    """The entries of one kind of item, in the order the redline shows them: the new
    document's order, each removed item where it was (after what stood before it). An item
    in both is compared as `renumbered` has it: its old text with the new numbers."""
    old_by = {x.id: x for x in old_items}
    new_by = {x.id: x for x in new_items}
    stay = (old_by.keys() & new_by.keys()) - moved
    a = [x.id if x.id in stay else f"\0old:{x.id}" for x in old_items]
    b = [x.id if x.id in stay else f"\0new:{x.id}" for x in new_items]
    out: list[Entry] = []
    for _, i1, i2, j1, j2 in opcodes(a, b):
        for x in old_items[i1:i2]:
            if x.id not in new_by:
                fields = _changed_fields(x, None)
                number = match.old_numbers[target, x.id]
                out.append(Entry(target, "removed", x.id, None, number, plain(x.title), fields))
        for x in new_items[j1:j2]:
            was = renumbered[x.id] if x.id in old_by else None
            entry = _entry(target, was, x, x.id in moved, match)
            if entry is not None:
                out.append(entry)
    return out


def _entry(
    target: str, old: Section | Measure | None, new: Section | Measure, moved: bool, match: Matching
) -> Entry | None:
    """How an item in the new revision changed, or None if it did not."""
    number = match.new_numbers[target, new.id]
    if old is None:
        return Entry(
            target, "added", new.id, number, None, plain(new.title), _changed_fields(None, new)
        )
    old_number = match.old_numbers[target, new.id]
    fields = _changed_fields(old, new)
    if moved:
        kind = "moved"
    elif old_number != number:
        kind = "renumbered"
    elif fields:
        kind = "modified"
    else:
        return None
    return Entry(target, kind, new.id, number, old_number, plain(new.title), fields)
