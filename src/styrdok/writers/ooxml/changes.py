"""Tracked changes: insertions and deletions (w:ins, w:del), moves (w:moveFrom, w:moveTo and
their named ranges), tracked paragraph marks and table rows, with deterministic ids."""

from __future__ import annotations

import re
from copy import deepcopy

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row, CT_Tbl
from docx.oxml.text.paragraph import CT_P
from docx.oxml.xmlchemy import BaseOxmlElement

from styrdok.model.document import Change
from styrdok.writers.ooxml.element import insert_first, mark_properties


class ChangeIds:
    """Hands out w:id values for tracked changes, deterministically in document order."""

    def __init__(self) -> None:
        self.next = 1

    def __call__(self) -> str:
        self.next += 1
        return str(self.next - 1)


def _mark(tag: str, change: Change, ids: ChangeIds) -> BaseOxmlElement:
    el = OxmlElement(tag)
    el.set(qn("w:id"), ids())
    el.set(qn("w:author"), change.author)
    el.set(qn("w:date"), change.date)
    return el


def _tag(change: Change) -> str:
    if change.move:
        return "w:moveTo" if change.kind == "ins" else "w:moveFrom"
    return "w:ins" if change.kind == "ins" else "w:del"


def tracked(element: BaseOxmlElement, change: Change, ids: ChangeIds) -> BaseOxmlElement:
    """Wrap a w:r in w:ins or w:del (w:moveTo or w:moveFrom for a move);
    deleted text becomes w:delText, moved-away text stays w:t as the standard has it."""
    if change.kind == "del" and not change.move:
        for t in element.iter(qn("w:t")):
            t.tag = qn("w:delText")
    wrapper = _mark(_tag(change), change, ids)
    wrapper.append(element)
    return wrapper


def track_paragraph_mark(p: CT_P, change: Change, ids: ChangeIds) -> None:
    """Mark a paragraph's own mark as inserted, deleted or moved (whole-paragraph changes)."""
    mark_properties(p).append(_mark(_tag(change), change, ids))


def track_row(tr: CT_Row, change: Change, ids: ChangeIds) -> None:
    """Mark a table row as inserted or deleted (w:trPr/w:ins, w:trPr/w:del). A row has no
    move mark: one inside a moved item is inserted where it is and deleted where it was, its
    text moved (the runs carry the move)."""
    tr.get_or_add_trPr().append(_mark("w:ins" if change.kind == "ins" else "w:del", change, ids))


_MARKS = ("w:ins", "w:del", "w:moveFrom", "w:moveTo")


def paragraph_mark(p: BaseOxmlElement) -> BaseOxmlElement | None:
    """The tracked change on a paragraph's mark (w:pPr/w:rPr/w:ins …), or None; None too for a
    table."""
    rpr = p.find(qn("w:pPr") + "/" + qn("w:rPr")) if p.tag == qn("w:p") else None
    found = [el for tag in _MARKS for el in (rpr.findall(qn(tag)) if rpr is not None else [])]
    return found[0] if found else None


def marks_off_the_table(tbl: CT_Tbl) -> None:
    """No tracked paragraph mark right before a table. Undoing one there would join the
    paragraph into the table, which cannot be: LibreOffice 7.4 then leaves the paragraph,
    empty, in place (Accept All and Reject All both). The marks of the tracked paragraphs
    before the table move up by one paragraph, so that the one that stays is the one next to
    the table: the same paragraphs join, at the other end (the joined paragraph keeps its
    first paragraph's style in LibreOffice, which is the style of the text it holds). Moves
    keep their marks (a move's range would no longer enclose them), and so does a table right
    under the first heading when that section is added or removed as the first one (the
    paragraph above it holds the page break after the table of contents)."""
    chain: list[tuple[CT_P, BaseOxmlElement]] = []  # each paragraph with its mark
    el = tbl.getprevious()
    while el is not None and el.tag == qn("w:p") and (mark := paragraph_mark(el)) is not None:
        chain.append((el, mark))
        el = el.getprevious()
    if not chain or el is None or el.tag != qn("w:p"):
        return
    if any(br.get(qn("w:type")) == "page" for br in el.iter(qn("w:br"))):
        return  # the contents' page break: a mark there loses the break in LibreOffice
    marks = [mark for _, mark in chain]  # nearest the table first
    if any(m.tag in (qn("w:moveFrom"), qn("w:moveTo")) for m in marks):
        return
    # top to bottom: the untracked paragraph, then the chain
    above = [el, *(p for p, _ in reversed(chain))]
    for p, mark in zip(above, reversed(marks), strict=False):
        mark.getparent().remove(mark)
        mark_properties(p).append(mark)


def move_range(
    first: BaseOxmlElement, last: BaseOxmlElement, change: Change, ids: ChangeIds
) -> None:
    """Enclose the paragraphs (or tables) first…last in the named container that pairs a
    move's source (w:moveFromRangeStart/End) with its destination (w:moveToRangeStart/End).
    At a table the marks stand beside it in the body, as Word writes them."""
    side = _tag(change)
    start = _mark(f"{side}RangeStart", change, ids)
    start.set(qn("w:name"), change.move)
    end = OxmlElement(f"{side}RangeEnd")
    end.set(qn("w:id"), start.get(qn("w:id")))
    if first.tag == qn("w:tbl"):
        first.addprevious(start)
    else:
        insert_first(first, start)
    if last.tag == qn("w:tbl"):
        last.addnext(end)
    else:
        last.append(end)


def track_placeholders(
    root: BaseOxmlElement,
    mark: str,
    split: re.Pattern[str],
    values: dict[str, tuple[str, str]],
    deleted: Change,
    inserted: Change,
    ids: ChangeIds,
) -> None:
    """Replace each placeholder in the text (w:t) under `root` by its old text as a tracked
    deletion and its new text as a tracked insertion, each in the format of the run it stood
    in. A placeholder is found by `mark` in the text; `split` cuts a text into text, key, text,
    key, …, text; `values` gives each key's (old, new) text, either of them possibly empty."""
    for t in list(root.iter(qn("w:t"))):
        if mark not in (t.text or ""):
            continue
        run = t.getparent()
        pieces = split.split(t.text)
        out: list[BaseOxmlElement] = []
        for i, piece in enumerate(pieces):
            if i % 2 == 0:
                out += [_run_like(run, t, piece)] if piece else []
                continue
            old, new = values[piece]
            out += [tracked(_run_like(run, t, old), deleted, ids)] if old else []
            out += [tracked(_run_like(run, t, new), inserted, ids)] if new else []
        for el in out:
            run.addprevious(el)
        run.getparent().remove(run)


def _run_like(run: BaseOxmlElement, t: BaseOxmlElement, text: str) -> BaseOxmlElement:
    """A copy of `run` whose text element `t` holds `text`."""
    copy = deepcopy(run)
    copy[list(run).index(t)].text = text
    return copy
