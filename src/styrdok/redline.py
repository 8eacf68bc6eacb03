"""Redline stage: old and new models → one model whose runs and blocks carry tracked changes.

The result renders with render_docx like any document: accepting every change gives the new
revision, rejecting every change gives the old one. Items present in both revisions are merged
word by word; added and removed items are whole inserted or deleted blocks, and a moved one is a
Word move: moved away where it was, moved to where it is, paired by name. Numbers are derived by
the renderer, so a renumbering is no change.
Changed metadata travels as the old values (MetadataRedline); the renderer tracks them where
the template shows them, on the cover and in the header.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar

from .diff import TOKEN, moved_measures, moved_sections, parents
from .model import (
    MEASURE_FIELDS,
    Block,
    BulletList,
    Change,
    Document,
    Inlines,
    ListItem,
    Measure,
    MetadataRedline,
    Run,
    Section,
)

T = TypeVar("T")
SIMILAR = 0.4  # paragraphs at least this alike are edited in place; others replaced whole


def redline(old: Document, new: Document, author: str, date: str) -> Document:
    """The new document with every difference from the old one as a tracked change."""
    ins, dele = Change("ins", author, date), Change("del", author, date)
    moved_m, moved_s = moved_measures(old, new), moved_sections(old, new)
    old_parent, new_parent = parents(old), parents(new)
    merged = {s.id for s in old.sections} & {s.id for s in new.sections} - moved_s

    # A move is named only where both of its places are marked on their own: a measure whose old
    # or new section is itself added, removed or moved goes with its section's mark instead.
    moves = [("section", s.id) for s in old.sections if s.id in moved_s] + [
        ("measure", m.id)
        for _, _, m in old.numbered_measures()
        if m.id in moved_m and old_parent[m.id] in merged and new_parent[m.id] in merged
    ]
    move_names = {key: f"move{n}" for n, key in enumerate(moves, 1)}

    def marked(target: str, item: T, change: Change) -> T:
        """The item as a whole insertion or deletion; a moved one pairs both places by name."""
        name = move_names.get((target, item.id))
        return replace(item, change=replace(change, move=name) if name else change)

    def merge_section(a: Section, b: Section) -> Section:
        measures = _merge_items(
            list(a.measures),
            list(b.measures),
            lambda m: m.id,
            keep=lambda m: m.id not in moved_m,
            both=lambda x, y: _merge_measure(x, y, ins, dele),
            mark=lambda m, c: marked("measure", m, c),
            ins=ins,
            dele=dele,
        )
        return Section(
            b.id,
            merge_runs(a.title, b.title, ins, dele),
            merge_blocks(a.blocks, b.blocks, ins, dele),
            tuple(measures),
            b.line,
        )

    sections = _merge_items(
        list(old.sections),
        list(new.sections),
        lambda s: s.id,
        keep=lambda s: s.id not in moved_s,
        both=merge_section,
        mark=lambda s, c: marked("section", s, c),
        ins=ins,
        dele=dele,
    )
    was = MetadataRedline(old.metadata, ins, dele) if old.metadata != new.metadata else None
    return replace(new, sections=tuple(sections), metadata_redline=was)


def _merge_measure(a: Measure, b: Measure, ins: Change, dele: Change) -> Measure:
    return Measure(
        b.id,
        merge_runs(a.title, b.title, ins, dele),
        merge_blocks(a.blocks, b.blocks, ins, dele),
        {
            k: merge_runs(a.fields.get(k, ()), b.fields.get(k, ()), ins, dele)
            for k in MEASURE_FIELDS
        },
        b.line,
    )


def _merge_items(
    old: list[T],
    new: list[T],
    ident: Callable[[T], str],
    keep: Callable[[T], bool],
    both: Callable[[T, T], T],
    mark: Callable[[T, Change], T],
    ins: Change,
    dele: Change,
) -> list[T]:
    """Merge two id sequences: kept items merged, the rest deleted where they were, inserted
    where they are."""
    a = [ident(x) if keep(x) else f"\0old:{ident(x)}" for x in old]
    b = [ident(x) if keep(x) else f"\0new:{ident(x)}" for x in new]
    out: list[T] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out += [both(x, y) for x, y in zip(old[i1:i2], new[j1:j2], strict=True)]
        else:
            out += [mark(x, dele) for x in old[i1:i2]]
            out += [mark(y, ins) for y in new[j1:j2]]
    return out


# --- blocks ------------------------------------------------------------------------------------


def _units(blocks: Sequence[Block]) -> list[tuple[str, Block | ListItem, bool]]:
    """Paragraph-level units: (kind, unit, ordered) with list items as units of their own."""
    out = []
    for block in blocks:
        if isinstance(block, BulletList):
            out += [("item", item, block.ordered) for item in block.items]
        else:
            out.append((type(block).__name__, block, False))
    return out


def _unit_text(unit: tuple[str, Block | ListItem, bool]) -> str:
    kind, u, _ = unit
    return kind + "\0" + "".join(r.text for r in u.runs)


def merge_blocks(
    old: tuple[Block, ...], new: tuple[Block, ...], ins: Change, dele: Change
) -> tuple[Block, ...]:
    a, b = _units(old), _units(new)
    ta, tb = [_unit_text(u) for u in a], [_unit_text(u) for u in b]
    merged: list[tuple[str, Block | ListItem, bool]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        if tag == "equal":
            merged += b[j1:j2]
            continue
        olds, news = a[i1:i2], b[j1:j2]
        while olds or news:
            if olds and news and _alike(olds[0], news[0]):
                (kind, x, _), (_, y, ordered) = olds.pop(0), news.pop(0)
                merged.append(
                    (kind, replace(y, runs=merge_runs(x.runs, y.runs, ins, dele)), ordered)
                )
            elif olds and (not news or not any(_alike(olds[0], n) for n in news)):
                kind, x, ordered = olds.pop(0)
                merged.append((kind, replace(x, change=dele), ordered))
            else:
                kind, y, ordered = news.pop(0)
                merged.append((kind, replace(y, change=ins), ordered))
    return _regroup(merged)


def _alike(x, y) -> bool:
    if x[0] != y[0]:
        return False
    a, b = "".join(r.text for r in x[1].runs), "".join(r.text for r in y[1].runs)
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= SIMILAR


def _regroup(units: list[tuple[str, Block | ListItem, bool]]) -> tuple[Block, ...]:
    out: list[Block] = []
    for kind, unit, ordered in units:
        if kind != "item":
            out.append(unit)  # type: ignore[arg-type]
        elif out and isinstance(out[-1], BulletList) and out[-1].ordered == ordered:
            out[-1] = BulletList((*out[-1].items, unit), ordered)  # type: ignore[arg-type]
        else:
            out.append(BulletList((unit,), ordered))  # type: ignore[arg-type]
    return tuple(out)


# --- runs --------------------------------------------------------------------------------------


def _styled_tokens(runs: Inlines) -> list[tuple[str, bool, bool, str | None]]:
    return [(t, r.bold, r.italic, r.href) for r in runs for t in TOKEN.findall(r.text)]


def merge_runs(old: Inlines, new: Inlines, ins: Change, dele: Change) -> Inlines:
    """Word-level merge of two runs sequences; formatting changes count as changes."""
    a, b = _styled_tokens(old), _styled_tokens(new)
    pieces: list[Run] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces += [Run(t, bo, it, h) for t, bo, it, h in b[j1:j2]]
            continue
        pieces += [Run(t, bo, it, h, dele) for t, bo, it, h in a[i1:i2]]
        pieces += [Run(t, bo, it, h, ins) for t, bo, it, h in b[j1:j2]]
    merged: list[Run] = []
    for p in pieces:
        last = merged[-1] if merged else None
        if last and (last.bold, last.italic, last.href, last.change) == (
            p.bold,
            p.italic,
            p.href,
            p.change,
        ):
            merged[-1] = replace(last, text=last.text + p.text)
        else:
            merged.append(p)
    return tuple(merged)
