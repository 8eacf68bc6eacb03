"""References by identity: `[åtgärd 3:4](#bostad-forst)` in the source points at the measure
with the id `bostad-forst`, not at the number 3:4. Before a document is laid out, every
reference gets the target's current number: the number at the end of the link text is
replaced (or, if the text has none, appended), so "se åtgärd 3:4" stays right when the
measures are renumbered. A laid-out reference links to the target's bookmark.

In the model an unresolved reference is a run whose `href` is `#<id>`; a resolved one has
`#<bookmark name>` (`#id_…`, which an id — no underscores — can never be).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from styrdok.model import walk
from styrdok.model.document import APPENDIX, Document, Inlines, Measure, Run, Section
from styrdok.model.ids import BOOKMARK_PREFIX, bookmark_name, numbers

NUMBER_AT_END = re.compile(r"\d+(?::\d+)?\s*$")
PLAIN_REFERENCE = re.compile(r"\b(åtgärd(?:erna)?|avsnitt)\s+(\d+(?::\d+)?)\b", re.IGNORECASE)


def target(run: Run) -> str | None:
    """The id an unresolved reference points at, or None for any other run."""
    href = run.href or ""
    if href.startswith("#") and not href.startswith("#" + BOOKMARK_PREFIX):
        return href[1:]
    return None


def resolve(doc: Document, numbered_as: Document | None = None) -> Document:
    """The document with every reference's text carrying its target's current number; with
    `numbered_as` (a later revision), the number the target has there, where it still is: a
    comparison then sees no change in a reference that only followed its renumbered target."""
    by_id = {ident: number for (_, ident), number in numbers(doc).items()}
    if numbered_as is not None:
        later = {ident: number for (_, ident), number in numbers(numbered_as).items()}
        by_id |= {ident: later[ident] for ident in by_id.keys() & later.keys()}

    def runs(rs: Inlines) -> Inlines:
        out: list[Run] = []
        for r in rs:
            ident = target(r)
            if r.note is not None:  # references inside a footnote
                out.append(replace(r, note=runs(r.note)))
                continue
            if ident is None:
                out.append(r)
                continue
            if ident not in by_id:  # a reference to nothing (check refuses it): plain text
                out.append(replace(r, href=None))
                continue
            text, number = r.text.rstrip(), by_id[ident]
            if NUMBER_AT_END.search(text):  # "bilaga 2" keeps its word: only the digits change
                text = NUMBER_AT_END.sub(number.removeprefix(f"{APPENDIX} "), text)
            else:
                text = f"{text} {number}"
            out.append(
                replace(
                    r, text=text + r.text[len(r.text.rstrip()) :], href="#" + bookmark_name(ident)
                )
            )
        return tuple(out)

    return walk.map_inlines(doc, runs)


def _items(doc: Document) -> Iterator[Section | Measure]:
    """Each section followed by its measures."""
    for s in doc.sections:
        yield s
        yield from s.measures


def _runs_of(item: Section | Measure) -> list[Inlines]:
    """Every run sequence of a section's own text or of a measure (title, text, fields), then
    the texts of the footnotes in them."""
    out = list(walk.inlines(item, measures=False))
    return out + [r.note for rs in out for r in rs if r.note is not None]


def references(doc: Document) -> list[tuple[str, str, int]]:
    """Every reference as (the id it points at, the item it stands in, that item's line)."""
    return [
        (t, item.id, item.line)
        for item in _items(doc)
        for rs in _runs_of(item)
        for r in rs
        if (t := target(r)) is not None
    ]


def plain_references(doc: Document) -> list[tuple[int, str, str]]:
    """Numbers written as plain text ("se åtgärd 3:2") that could be references: (line of the
    section or measure they stand in, the text, the id of the item that has that number)."""
    by_number = {number: ident for (_, ident), number in numbers(doc).items()}
    out = []
    for item in _items(doc):
        for rs in _runs_of(item)[1:]:
            text = "".join(r.text for r in rs if not r.href)
            for m in PLAIN_REFERENCE.finditer(text):
                if m.group(2) in by_number:
                    out.append((item.line, m.group(0), by_number[m.group(2)]))
    return out
