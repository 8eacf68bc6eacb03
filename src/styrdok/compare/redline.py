"""Redline stage: old and new models → one model whose runs and blocks carry tracked changes.

The result renders with render_docx like any document: accepting every change gives the new
revision, rejecting every change gives the old one — text, formatting and heading numbers.
Which items stay, move, appear or disappear comes from match.py, as for the change list:

- an item in both revisions that stayed is merged in place, word by word (styled words, so a
  bold or a link that changed is a tracked change too);
- an added item is one insertion, a removed one a deletion, each with its own numbers;
- a moved item is a Word move: its old version moved away where it was (old numbers), and where
  it is now its new version moved to. Its own edits are tracked inside the move, paragraph by
  paragraph: a paragraph (title, field, prose) that it changed is an insertion inside the move,
  one it gained too; what it lost shows once, at the origin. Word-level marks inside a move
  would be valid OOXML, but LibreOffice 7.4 undoes them wrongly: a deletion nested in moved-to
  text (w:moveTo around w:del) survives Accept All and Reject All, and a redline that starts
  inside a paragraph and ends with its mark makes Reject All join the next paragraph into it
  with the wrong style. Whole paragraphs keep every redline's ends at paragraph boundaries;
- a heading's number is tracked text: a renumbered item shows its old number deleted and its new
  one inserted.
Changed metadata travels as the old values (MetadataRedline); the renderer tracks them where
the template shows them, on the cover and in the header.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar, assert_never, overload

from styrdok.compare.match import Matching, opcodes, styled_tokens, word_opcodes
from styrdok.model import references, walk
from styrdok.model.document import (
    MEASURE_FIELDS,
    Block,
    BulletList,
    Change,
    Document,
    Inlines,
    ListItem,
    Measure,
    MetadataRedline,
    Paragraph,
    Run,
    Section,
    Subheading,
    Table,
    join_runs,
    plain,
)

T = TypeVar("T", Section, Measure)
SIMILAR = 0.4  # paragraphs at least this alike are edited in place; others replaced whole


# The key to a redline's marks, on its PDF's table-of-contents page: the marks shown as
# LibreOffice and Word show them (the colour is the author's; 0646A2 is the first author's).
LEGEND = (
    Run("Så läser du redline-versionen: ", bold=True),
    Run("tillagd text är "),
    Run("understruken", mark="ins"),
    Run(" och borttagen text "),
    Run("överstruken", mark="del"),
    Run(
        ". Ett avsnitt eller en åtgärd som flyttats är grön och markerad på båda ställena: "
        "dubbelt överstruken där den stod och dubbelt understruken där den står nu, med sina "
        "ändringar markerade inuti. Ett ändrat nummer står som det gamla överstruket och det nya "
        "understruket. Ändrade metadata syns på försättsbladet och i sidhuvudet. I Word-filen ger "
        "Granska ▸ Godkänn alla den nya versionen och Avvisa alla den gamla; den här förklaringen "
        "finns bara i PDF:en."
    ),
)


def redline(old: Document, new: Document, author: str, date: str) -> Document:
    """The new document with every difference from the old one as a tracked change."""
    # references carry their numbers first, so a reference whose target was renumbered shows
    # its old number deleted and its new one inserted, as the heading does
    old, new = references.resolve(old), references.resolve(new)
    sections = _Redline(
        Matching(old, new), Change("ins", author, date), Change("del", author, date)
    ).sections()
    was = (
        MetadataRedline(old.metadata, Change("ins", author, date), Change("del", author, date))
        if old.metadata != new.metadata
        else None
    )
    return replace(new, sections=tuple(sections), metadata_redline=was)


@dataclass
class _Redline:
    match: Matching
    ins: Change
    dele: Change

    def __post_init__(self) -> None:
        m = self.match
        kept = {s.id for s in m.old.sections} & {s.id for s in m.new.sections} - m.moved_sections
        # A move is named only where both of its places are marked on their own: a measure whose
        # old or new section is itself added, removed or moved goes with its section's mark.
        # An item that holds a table is shown deleted where it was and inserted where it is,
        # not as a Word move: a moved paragraph's mark right above a table cannot be undone in
        # LibreOffice 7.4, nor moved off the table as other marks are (see ooxml).
        tabled = _with_tables(m.old) | _with_tables(m.new)
        moves = [
            ("section", s.id)
            for s in m.old.sections
            if s.id in m.moved_sections and ("section", s.id) not in tabled
        ] + [
            ("measure", x.id)
            for s in m.old.sections
            for x in s.measures
            if x.id in m.moved_measures
            and m.old_parent[x.id] in kept
            and m.new_parent[x.id] in kept
            and ("measure", x.id) not in tabled
        ]
        self.move_names = {key: f"move{n}" for n, key in enumerate(moves, 1)}

    # --- numbers -------------------------------------------------------------------------------

    def number(self, target: str, ident: str, side: str) -> Inlines:
        """The item's number: as it was ('old'), as it is ('new'), or tracked ('both')."""
        a = self.match.old_numbers.get((target, ident))
        b = self.match.new_numbers.get((target, ident))
        if side == "old" or (side == "both" and b is None):
            return (Run(f"{a} "),)
        if side == "new" or a == b or a is None:
            return (Run(f"{b} "),)
        return (Run(f"{a} ", change=self.dele), Run(f"{b} ", change=self.ins))

    # --- whole items -----------------------------------------------------------------------------

    @overload
    def whole(self, target: str, item: Section, side: str, change: Change) -> Section: ...
    @overload
    def whole(self, target: str, item: Measure, side: str, change: Change) -> Measure: ...
    def whole(
        self, target: str, item: Section | Measure, side: str, change: Change
    ) -> Section | Measure:
        """An item as it was ('old', deleted or moved away) or is ('new', inserted), numbered so."""
        name = self.move_names.get((target, item.id))
        change = replace(change, move=name) if name else change
        number = self.number(target, item.id, side)
        match item:
            case Section():
                measures = tuple(
                    replace(m, number=self.number("measure", m.id, side)) for m in item.measures
                )
                return replace(item, change=change, measures=measures, number=number)
            case Measure():
                return replace(item, change=change, number=number)
            case _:
                assert_never(item)

    def sections(self) -> list[Section]:
        m = self.match
        return _merge_items(
            list(m.old.sections),
            list(m.new.sections),
            moved=m.moved_sections,
            both=lambda a, b: self.section(a, b, "both"),
            old=lambda a: self.whole("section", a, "old", self.dele),
            new=lambda b: self.new_or_moved("section", b),
        )

    @overload
    def new_or_moved(self, target: str, item: Section) -> Section: ...
    @overload
    def new_or_moved(self, target: str, item: Measure) -> Measure: ...
    def new_or_moved(self, target: str, item: Section | Measure) -> Section | Measure:
        """An item where it is now: inserted, or — moved — its merged version moved to here."""
        if (target, item.id) not in self.move_names:
            return self.whole(target, item, "new", self.ins)
        to = replace(self.ins, move=self.move_names[target, item.id])
        old = self.match.old
        match item:
            case Section():
                was = next(x for x in old.sections if x.id == item.id)
                return replace(self.section(was, item, "new"), change=to)
            case Measure():
                was_measure = next(x for s in old.sections for x in s.measures if x.id == item.id)
                return replace(self.measure(was_measure, item, "new"), change=to)
            case _:
                assert_never(item)

    # --- merged items ----------------------------------------------------------------------------

    def section(self, a: Section, b: Section, side: str) -> Section:
        """A section in both revisions; side 'new' inside a move's destination."""
        m = self.match
        inside_move = side == "new"
        measures = _merge_items(
            list(a.measures),
            list(b.measures),
            moved=m.moved_measures,
            both=lambda x, y: self.measure(x, y, side),
            old=None if inside_move else (lambda x: self.whole("measure", x, "old", self.dele)),
            new=(lambda y: self.whole("measure", y, "new", self.ins))
            if inside_move
            else (lambda y: self.new_or_moved("measure", y)),
        )
        title = merge_runs(a.title, b.title, self.ins, self.dele, keep_deleted=not inside_move)
        return Section(
            b.id,
            title,
            merge_blocks(a.blocks, b.blocks, self.ins, self.dele, keep_deleted=not inside_move),
            tuple(measures),
            b.line,
            number=self._numbered_like(self.number("section", b.id, side), title, side),
            appendix=b.appendix,
        )

    def _numbered_like(self, number: Inlines, title: Inlines, side: str) -> Inlines:
        """Inside a move, a heading whose title changed is inserted whole, number included."""
        if side == "new" and any(r.change for r in title):
            return tuple(replace(r, change=self.ins) for r in number)
        return number

    def measure(self, a: Measure, b: Measure, side: str) -> Measure:
        keep = side != "new"  # inside a move's destination deleted words stay at its origin
        title = merge_runs(a.title, b.title, self.ins, self.dele, keep)
        return Measure(
            b.id,
            title,
            merge_blocks(a.blocks, b.blocks, self.ins, self.dele, keep),
            {
                k: merge_runs(a.fields.get(k, ()), b.fields.get(k, ()), self.ins, self.dele, keep)
                for k in MEASURE_FIELDS
            },
            b.line,
            number=self._numbered_like(self.number("measure", b.id, side), title, side),
        )


def _with_tables(doc: Document) -> set[tuple[str, str]]:
    """The sections and measures that hold a table (a section: in its measures too)."""
    out = set()
    for s in doc.sections:
        out |= {("measure", x.id) for x in s.measures if any(walk.traverse(x, Table))}
        if any(walk.traverse(s, Table)):
            out.add(("section", s.id))
    return out


def _merge_items(
    olds: list[T],
    news: list[T],
    moved: set[str],
    both: Callable[[T, T], T],
    old: Callable[[T], T] | None,
    new: Callable[[T], T],
) -> list[T]:
    """Merge two item sequences: the items in both that stayed are merged with `both`; the
    others are given where they were by `old` (left out where it is None) and where they are
    by `new`."""
    ids_a, ids_b = {x.id for x in olds}, {y.id for y in news}
    stay = (ids_a & ids_b) - moved
    a = [x.id if x.id in stay else f"\0old:{x.id}" for x in olds]
    b = [y.id if y.id in stay else f"\0new:{y.id}" for y in news]
    out: list[T] = []
    for tag, i1, i2, j1, j2 in opcodes(a, b):
        if tag == "equal":
            out += [both(x, y) for x, y in zip(olds[i1:i2], news[j1:j2], strict=True)]
            continue
        out += [old(x) for x in olds[i1:i2]] if old is not None else []
        out += [new(y) for y in news[j1:j2]]
    return out


# --- blocks ------------------------------------------------------------------------------------

# A paragraph-level unit: its kind, the block or list item, and a list item's list kind
# (ordered, start), else None.
Text = Paragraph | Subheading | ListItem
Unit = tuple[str, Text | Table, tuple[bool, int] | None]


def _units(blocks: Sequence[Block]) -> list[Unit]:
    """Paragraph-level units: list items are units of their own."""
    out: list[Unit] = []
    for block in blocks:
        match block:
            case BulletList():
                out += [("item", item, (block.ordered, block.start)) for item in block.items]
            case Paragraph() | Subheading() | Table():
                out.append((type(block).__name__, block, None))
            case _:
                assert_never(block)
    return out


def _unit_key(unit: Unit) -> tuple[object, ...]:
    """What makes two units the same: kind, list kind (a table's: its number of columns),
    level, and the styled words (a table's: cell by cell)."""
    kind, u, ordered = unit
    match u:
        case Table():
            return (kind, len(u.header), 0, tuple(_row_key(r) for r in (u.header, *u.rows)))
        case Subheading():
            return (kind, ordered, u.level, tuple(styled_tokens(u.runs)))
        case Paragraph() | ListItem():
            return (kind, ordered, 0, tuple(styled_tokens(u.runs)))
        case _:
            assert_never(u)


def _row_key(cells: tuple[Inlines, ...]) -> tuple:
    return tuple(tuple(styled_tokens(c)) for c in cells)


def merge_blocks(
    old: tuple[Block, ...],
    new: tuple[Block, ...],
    ins: Change,
    dele: Change,
    keep_deleted: bool = True,
) -> tuple[Block, ...]:
    """Blocks merged paragraph by paragraph: alike ones word by word, the rest inserted or
    deleted whole (deleted ones left out when `keep_deleted` is false: inside a move)."""
    a, b = _units(old), _units(new)
    merged: list[Unit] = []
    for tag, i1, i2, j1, j2 in opcodes([_unit_key(u) for u in a], [_unit_key(u) for u in b]):
        if tag == "equal":
            merged += b[j1:j2]
            continue
        olds, news = a[i1:i2], b[j1:j2]
        while olds or news:
            if olds and news and _alike(olds[0], news[0]):
                merged.append(_merge_unit(olds.pop(0), news.pop(0), ins, dele, keep_deleted))
            elif olds and (not news or not any(_alike(olds[0], n) for n in news)):
                kind, x, ordered = olds.pop(0)
                if keep_deleted:
                    merged.append((kind, replace(x, change=dele), ordered))
            else:
                kind, y, ordered = news.pop(0)
                merged.append((kind, replace(y, change=ins), ordered))
    return _regroup(merged)


def _merge_unit(x: Unit, y: Unit, ins: Change, dele: Change, keep_deleted: bool) -> Unit:
    """Two alike units merged: tables row by row, texts word by word."""
    (_, a, _), (kind, b, ordered) = x, y
    match a, b:
        case Table(), Table():
            return kind, merge_table(a, b, ins, dele, keep_deleted), ordered
        case ((Paragraph() | Subheading() | ListItem()), (Paragraph() | Subheading() | ListItem())):
            return (
                kind,
                replace(b, runs=merge_runs(a.runs, b.runs, ins, dele, keep_deleted)),
                ordered,
            )
    raise ValueError(f"{kind} merged with {x[0]}: alike units are of one kind")


def _alike(x: Unit, y: Unit) -> bool:
    """Two units edited in place: of one kind and level, their texts alike; two tables of as
    many columns are one table edited row by row (one with columns added or removed is
    replaced whole)."""
    if _unit_key(x)[:3] != _unit_key(y)[:3]:
        return False
    match x[1], y[1]:
        case Table(), Table():
            return True
        case ((Paragraph() | Subheading() | ListItem()), (Paragraph() | Subheading() | ListItem())):
            a, b = plain(x[1].runs), plain(y[1].runs)
            return a == b or (bool(a) and bool(b) and _ratio(a, b) >= SIMILAR)
    return False


def _row_text(cells: tuple[Inlines, ...]) -> str:
    return "\t".join(plain(c) for c in cells)


def merge_table(old: Table, new: Table, ins: Change, dele: Change, keep_deleted: bool) -> Table:
    """Two tables of as many columns merged: the header cell by cell; the rows matched as
    paragraphs are (the same, alike and edited cell by cell word by word, or else a removed
    row and an added one — so a row moved elsewhere in the table is removed and added)."""

    def cells(a: tuple[Inlines, ...], b: tuple[Inlines, ...]) -> tuple[Inlines, ...]:
        return tuple(merge_runs(x, y, ins, dele, keep_deleted) for x, y in zip(a, b, strict=True))

    rows: list[tuple[Inlines, ...]] = []
    changes: list[Change | None] = []
    a, b = list(old.rows), list(new.rows)
    for tag, i1, i2, j1, j2 in opcodes([_row_key(r) for r in a], [_row_key(r) for r in b]):
        if tag == "equal":
            rows += b[j1:j2]
            changes += [None] * (j2 - j1)
            continue
        olds, news = a[i1:i2], b[j1:j2]
        while olds or news:
            if olds and news and _alike_rows(olds[0], news[0]):
                rows.append(cells(olds.pop(0), news.pop(0)))
                changes.append(None)
            elif olds and (not news or not any(_alike_rows(olds[0], n) for n in news)):
                row = olds.pop(0)
                if keep_deleted:
                    rows.append(row)
                    changes.append(dele)
            else:
                rows.append(news.pop(0))
                changes.append(ins)
    return Table(cells(old.header, new.header), tuple(rows), tuple(changes))


def _alike_rows(x: tuple[Inlines, ...], y: tuple[Inlines, ...]) -> bool:
    a, b = _row_text(x), _row_text(y)
    return a == b or (bool(a.strip()) and bool(b.strip()) and _ratio(a, b) >= SIMILAR)


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _regroup(units: list[Unit]) -> tuple[Block, ...]:
    """Blocks again from units: list items of one list kind in a row are one list."""
    out: list[Block] = []
    for _, unit, kind in units:
        match unit:
            case ListItem():
                ordered, start = kind or (False, 1)
                match out[-1:]:
                    case [BulletList() as last] if (last.ordered, last.start) == (ordered, start):
                        out[-1] = replace(last, items=(*last.items, unit))
                    case _:
                        out.append(BulletList((unit,), ordered, start))
            case Paragraph() | Subheading() | Table():
                out.append(unit)
            case _:
                assert_never(unit)
    return tuple(out)


# --- runs --------------------------------------------------------------------------------------


def merge_runs(
    old: Inlines, new: Inlines, ins: Change, dele: Change, keep_deleted: bool = True
) -> Inlines:
    """Word-level merge of two runs sequences; formatting changes count as changes. Deleted
    words are left out when `keep_deleted` is false (inside a move, whose origin shows them),
    and there a changed paragraph is one insertion: the new words, all inserted. Footnotes are
    matched by their place among the paragraph's footnotes: one in both is merged word by
    word inside it, one added or removed is inserted or deleted with its text."""
    a, notes_a = _merge_tokens(old)
    b, notes_b = _merge_tokens(new)
    pieces: list[Run] = []
    for tag, i1, i2, j1, j2 in word_opcodes(a, b):
        if tag == "equal":
            for x, y in zip(a[i1:i2], b[j1:j2], strict=True):
                if y[0] == NOTE_TOKEN:
                    note = merge_runs(notes_a[x[3]], notes_b[y[3]], ins, dele, keep_deleted)
                    pieces.append(Run("", note=note))
                else:
                    pieces.append(Run(y[0], y[1], y[2], y[3], script=y[4]))
            continue
        gone = [_piece(t, notes_a, dele) for t in a[i1:i2]]
        pieces += gone if keep_deleted else []
        pieces += [_piece(t, notes_b, ins) for t in b[j1:j2]]
    if not keep_deleted and a != b:
        pieces = [replace(p, change=ins) for p in pieces if p.change is None or p.change == ins]
    return join_runs(pieces)


NOTE_TOKEN = "\0note"


def _merge_tokens(runs: Inlines) -> tuple[list[tuple], list[Inlines]]:
    """Styled words, each footnote one token (NOTE_TOKEN, its place among the footnotes), and
    the footnotes' texts."""
    out: list[tuple] = []
    notes: list[Inlines] = []
    for r in runs:
        if r.note is not None:
            out.append((NOTE_TOKEN, False, False, len(notes), None))
            notes.append(r.note)
        else:
            out += styled_tokens((r,))
    return out, notes


def _piece(token: tuple, notes: list[Inlines], change: Change) -> Run:
    text, bold, italic, href, script = token
    if text == NOTE_TOKEN:
        return Run("", change=change, note=notes[href])
    return Run(text, bold, italic, href, change, script=script)
