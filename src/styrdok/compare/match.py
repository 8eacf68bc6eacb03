"""Matching: which items of two revisions are the same, which stayed and which moved, and how
their words differ. Pure; the change list (diff.py), the change report and the redline all read
this one result, so they cannot disagree.

- Identity is the author-given id; numbers are never used to match.
- Among the items present in both revisions, the ones that stay are a **maximum-weight increasing
  subsequence** of the old order in the new one, weight = the item's size in words, so the fewest
  words count as moved: two small sections that swap places never make a large one between them
  "move". Ties go to the items that come first in the old revision (see `stable`).
- A measure whose section changed has moved; a section's move moves none of its measures.
- Text is compared word by word on *styled* words (text, bold, italic, link), so a formatting-only
  change is a change everywhere.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from styrdok.model import walk
from styrdok.model.document import Document, Inlines, Measure, Script, Section, plain
from styrdok.model.ids import numbers

TOKEN = re.compile(r"\s+|\w+|[^\w\s]")

# text, bold, italic, link, super- or subscript
StyledToken = tuple[str, bool, bool, str | None, Script | None]


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def styled_tokens(runs: Inlines) -> list[StyledToken]:
    """Styled words; a footnote as its text between `[^` and `]` where its mark stands, so a
    changed footnote is a change in its paragraph."""
    out: list[StyledToken] = []
    for r in runs:
        if r.note is not None:
            out += [("[^", False, False, None, None), *styled_tokens(r.note)]
            out.append(("]", False, False, None, None))
        else:
            out += [(t, r.bold, r.italic, r.href, r.script) for t in TOKEN.findall(r.text)]
    return out


Opcode = tuple[str, int, int, int, int]  # tag, a's start and end, b's start and end


def opcodes(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[Opcode]:
    """difflib's edit script between two token sequences, without its junk heuristic."""
    return list(difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes())


def word_opcodes(a: Sequence[str | StyledToken], b: Sequence[str | StyledToken]) -> list[Opcode]:
    """The edit script between two word sequences (plain or styled tokens), for people: a
    stretch of unchanged whitespace between two changes joins them, so a rewritten phrase
    reads as one deletion and one insertion, not word, space, word."""
    out: list[Opcode] = []
    ops = _at_paragraph_ends(opcodes(a, b), a, b)
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        between = 0 < k < len(ops) - 1
        if tag == "equal" and between and all(_text(t).isspace() for t in a[i1:i2]):
            tag = "replace"
        if out and tag != "equal" and out[-1][0] != "equal":
            _, p1, _, q1, _ = out[-1]
            out[-1] = ("replace", p1, i2, q1, j2)
        else:
            out.append((tag, i1, i2, j1, j2))
    return out


def _at_paragraph_ends(
    ops: list[Opcode], a: Sequence[str | StyledToken], b: Sequence[str | StyledToken]
) -> list[Opcode]:
    """A paragraph (a list item, a table row) added or removed whole ends at a paragraph
    break: of the equally short ways to mark it (the block slid along the equal words around
    it), the one that marks `| row |` + break and not `|` + break + `| row` (difflib's)."""
    out: list[list[Any]] = [list(op) for op in ops]
    for k, op in enumerate(out):
        prev = out[k - 1] if k else None
        nxt = out[k + 1] if k + 1 < len(out) else None
        if op[0] not in ("delete", "insert") or any(x and x[0] != "equal" for x in (prev, nxt)):
            continue
        seq, start, end = (a, op[1], op[2]) if op[0] == "delete" else (b, op[3], op[4])
        if _text(seq[end - 1]) == BREAK:
            continue
        left = prev[2] - prev[1] if prev else 0
        right = nxt[2] - nxt[1] if nxt else 0
        size = end - start
        shifts = sorted(range(-min(left, size), min(right, size) + 1), key=abs)
        s = next(
            (
                s
                for s in shifts
                if s
                and (seq[start : start + s] == seq[end : end + s] if s > 0 else True)
                and (seq[start + s : start] == seq[end + s : end] if s < 0 else True)
                and _text(seq[end + s - 1]) == BREAK
            ),
            0,
        )
        if not s:
            continue
        if prev:
            prev[2] += s
            prev[4] += s
        if nxt:
            nxt[1] += s
            nxt[3] += s
        for i in range(1, 5):
            op[i] += s
    first = out[0] if out else None
    if first and (first[1] or first[3]):  # the block slid right from the very start
        out.insert(0, ["equal", 0, first[1], 0, first[3]])
    last = out[-1] if out else None
    if last and (last[2] < len(a) or last[4] < len(b)):  # slid left from the very end
        out.append(["equal", last[2], len(a), last[4], len(b)])
    return [tuple(op) for op in out if op[0] != "equal" or op[2] > op[1] or op[4] > op[3]]


BREAK = "\n\n"  # between the paragraphs of a text compared as one (diff.PARAGRAPH_BREAK)


def _text(token: str | StyledToken) -> str:
    return token if isinstance(token, str) else token[0]


def stable(old: Sequence[str], new: Sequence[str], weight: dict[str, int]) -> set[str]:
    """The ids common to both orders that stay in place: the increasing subsequence (old order
    read in the new) of maximum total weight; every other common id has moved.

    Ties, deterministically: first more items kept, then the set whose old positions come first
    (compared position by position). So when two equal items swap, the earlier one stays and the
    later one is reported as moved before it — the document as styrgruppen knew it is the anchor.
    """
    position = {ident: i for i, ident in enumerate(new)}
    seq = [ident for ident in old if ident in position]
    # best[i]: the best chain ending at seq[i] as (weight, count, old positions in order)
    best: list[Chain] = []
    for i, ident in enumerate(seq):
        top: Chain = (weight.get(ident, 1), 1, (i,))
        for j in range(i):
            if position[seq[j]] < position[ident]:
                w, n, path = best[j]
                cand = (w + weight.get(ident, 1), n + 1, (*path, i))
                top = _better(cand, top)
        best.append(top)
    if not best:
        return set()
    winner = best[0]
    for cand in best[1:]:
        winner = _better(cand, winner)
    return {seq[k] for k in winner[2]}


Chain = tuple[int, int, tuple[int, ...]]  # weight, count, old positions in order


def _better(a: Chain, b: Chain) -> Chain:
    """The better of two chains: more weight, then more items, then earlier old positions."""
    if a[:2] != b[:2]:
        return a if a[:2] > b[:2] else b
    return a if a[2] < b[2] else b


def words(node: walk.Node | Iterable[walk.Node]) -> int:
    """The words of every text in `node`: titles, text, fields and footnotes."""
    return sum(
        1 for runs in walk.inlines(node, notes=True) for t in tokens(plain(runs)) if not t.isspace()
    )


def measure_weight(m: Measure) -> int:
    return 1 + words(m)


def section_weight(s: Section) -> int:
    """A section's weight: its words and those of its measures, and one for it and each."""
    return 1 + len(s.measures) + words(s)


def document_words(doc: Document) -> int:
    """The words of a document's content (titles, text, fields)."""
    return words(doc)


@dataclass(frozen=True)
class Matching:
    """How the sections and measures of two revisions correspond."""

    old: Document
    new: Document

    @cached_property
    def old_parent(self) -> dict[str, str]:
        return {m.id: s.id for s in self.old.sections for m in s.measures}

    @cached_property
    def new_parent(self) -> dict[str, str]:
        return {m.id: s.id for s in self.new.sections for m in s.measures}

    @cached_property
    def moved_sections(self) -> set[str]:
        a, b = [s.id for s in self.old.sections], [s.id for s in self.new.sections]
        weight = {s.id: section_weight(s) for s in self.old.sections}
        return (set(a) & set(b)) - stable(a, b, weight)

    @cached_property
    def moved_measures(self) -> set[str]:
        """Measures in both revisions that changed section, or left the order that the others
        in their section kept (maximum weight, as for sections)."""
        old_parent, new_parent = self.old_parent, self.new_parent
        common = old_parent.keys() & new_parent.keys()
        moved = {i for i in common if old_parent[i] != new_parent[i]}
        new_sections = {s.id: s for s in self.new.sections}
        for section in self.old.sections:
            if section.id in new_sections:
                a = [m.id for m in section.measures if m.id in common - moved]
                b = [m.id for m in new_sections[section.id].measures if m.id in common - moved]
                weight = {m.id: measure_weight(m) for m in section.measures}
                moved |= set(a) - stable(a, b, weight)
        return moved

    @cached_property
    def old_numbers(self) -> dict[tuple[str, str], str]:
        return numbers(self.old)

    @cached_property
    def new_numbers(self) -> dict[tuple[str, str], str]:
        return numbers(self.new)
