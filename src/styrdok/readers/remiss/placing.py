"""Where in the remiss version a comment belongs: the section or measure it is about.

Three ways, the surest first:
1. the id bookmarks: every heading of a built DOCX holds its section's or measure's id as a
   bookmark (model/ids.py), which Word and LibreOffice keep; a comment belongs to the last
   heading before it;
2. the heading's text ("3:1 Bostad först", as the remiss version numbered it) where the bookmark
   was lost (the heading retyped, the text pasted into another file);
3. the quoted text: when it stands in exactly one section or measure of the remiss version.
A comment whose quote is not in the item the headings give, but in exactly one other item, goes
to that one (a heading whose bookmark and text were both lost). Before the first heading of a
file that has headings (the cover, the missive) a comment is about the whole document; with no
heading and no unique quote its place is unknown, and the quote is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from styrdok.model import references
from styrdok.model.document import (
    MEASURE_FIELDS,
    BulletList,
    Document,
    Inlines,
    Paragraph,
    Subheading,
    Table,
)
from styrdok.model.ids import bookmark_name, id_from_bookmark
from styrdok.model.remiss import GENERAL, UNKNOWN
from styrdok.readers.word.review import Para, clean

NUMBER = re.compile(r"^(Bilaga \d+|\d+(?::\d+)?)\.?\s", re.IGNORECASE)


@dataclass(frozen=True)
class Item:
    """A section or measure of the remiss version: its id, number, heading and text."""

    id: str
    number: str
    title: str
    text: str  # everything it says, folded for comparison


def fold(text: str) -> str:
    """Text as it is compared: clean, case-folded, typographic quotes and dashes plain."""
    text = clean(text).casefold()
    return text.translate(_PLAIN)


_PLAIN = str.maketrans({"”": '"', "“": '"', "’": "'", "‘": "'", "–": "-", "—": "-", "\xa0": " "})


def _inline_text(runs: Inlines) -> str:
    parts = []
    for r in runs:
        parts.append(r.text)
        if r.note is not None:
            parts.append(" " + _inline_text(r.note) + " ")
    return "".join(parts)


def _block_texts(blocks) -> list[str]:
    out = []
    for b in blocks:
        if isinstance(b, (Paragraph, Subheading)):
            out.append(_inline_text(b.runs))
        elif isinstance(b, BulletList):
            out += [_inline_text(i.runs) for i in b.items]
        elif isinstance(b, Table):
            out += [" ".join(_inline_text(c) for c in row) for row in (b.header, *b.rows)]
    return out


class Places:
    """The sections and measures of a remiss version, and the ways to find one."""

    def __init__(self, doc: Document):
        doc = references.resolve(doc)  # "se åtgärd 3:4" as the remiss version printed it
        self.items: list[Item] = []
        for number, section in doc.numbered_sections():
            texts = [f"{number} {_inline_text(section.title)}", *_block_texts(section.blocks)]
            self.items.append(
                Item(section.id, number, _inline_text(section.title), fold(" ".join(texts)))
            )
            for j, measure in enumerate(section.measures, 1):
                texts = [f"{number}:{j} {_inline_text(measure.title)}"]
                texts += _block_texts(measure.blocks)
                for key, label in MEASURE_FIELDS.items():
                    texts += [label, _inline_text(measure.fields.get(key, ()))]
                self.items.append(
                    Item(
                        measure.id,
                        f"{number}:{j}",
                        _inline_text(measure.title),
                        fold(" ".join(texts)),
                    )
                )
        self.by_id = {i.id: i for i in self.items}
        self.by_bookmark = {bookmark_name(i.id): i.id for i in self.items}
        self.by_heading = {fold(f"{i.number} {i.title}"): i.id for i in self.items}
        self.by_number = {i.number.casefold(): i.id for i in self.items}
        self.by_title: dict[str, str | None] = {}
        for i in self.items:  # a title that two items share names neither
            key = fold(i.title)
            self.by_title[key] = None if key in self.by_title else i.id

    def number(self, ident: str | None) -> str:
        """The number an id had in the remiss version."""
        return self.by_id[ident].number if ident in self.by_id else ""

    def markers(self, paragraphs: list[Para]) -> list[tuple[str | None, str]]:
        """For each paragraph: the item it belongs to by the headings so far, and how that
        was found ("bokmärke" or "rubrik"); (None, "") before the first heading."""
        out = []
        current: tuple[str | None, str] = (None, "")
        for p in paragraphs:
            found = self.heading(p)
            if found is not None:
                current = found
            out.append(current)
        return out

    def heading(self, p: Para) -> tuple[str, str] | None:
        for name in p.bookmarks:
            ident = self.by_bookmark.get(name) or id_from_bookmark(name)
            if ident in self.by_id:
                return ident, "bokmärke"
        text = fold(p.text)
        if text in self.by_heading:
            return self.by_heading[text], "rubrik"
        style = p.style.casefold()
        m = NUMBER.match(clean(p.text))
        if m and ("heading" in style or "rubrik" in style) and not p.in_table:
            ident = self.by_number.get(m.group(1).casefold())
            if ident is not None:
                return ident, "rubrik"
        return None

    def containing(self, quote: str) -> list[str]:
        """The items whose text holds the quote."""
        q = fold(quote)
        return [i.id for i in self.items if q and q in i.text]

    def place(
        self,
        paragraph: int | None,
        quote: str,
        markers: list[tuple[str | None, str]],
    ) -> tuple[str | None, str]:
        """(the item's id, how it was found); (None, "allmän") for the whole document, (None,
        "okänd") when the place is unknown."""
        marked, how = markers[paragraph] if paragraph is not None else (None, "")
        found = self.containing(quote) if quote.strip() else []
        if marked is not None:
            if not found or marked in found:
                return marked, how
            return (found[0], "citat") if len(found) == 1 else (marked, how)
        if len(found) == 1:
            return found[0], "citat"
        has_headings = any(m[0] is not None for m in markers)
        if paragraph is not None and has_headings:
            return None, "allmän"  # before the first heading: the cover, the missive
        return None, "okänd"

    def from_form(self, text: str) -> tuple[str | None, str]:
        """The item a form's place column names: a number ("3:4", "åtgärd 3:4", "avsnitt
        2", "Bilaga 1"), a heading or a title; empty or "allmänt" for the whole document."""
        value = clean(text)
        if not value or fold(value).rstrip(".") in ("allmänt", "allmän", "hela dokumentet", "-"):
            return None, "allmän"
        bare = re.sub(r"^(åtgärd|avsnitt|kapitel|punkt)\s+", "", value, flags=re.IGNORECASE)
        bare = bare.replace(".", ":") if re.fullmatch(r"\d+\.\d+", bare) else bare
        m = NUMBER.match(bare + " ")
        if m and m.group(1).casefold() in self.by_number:
            return self.by_number[m.group(1).casefold()], "formulär"
        if fold(value) in self.by_heading:
            return self.by_heading[fold(value)], "formulär"
        ident = self.by_title.get(fold(value))
        if ident is not None:
            return ident, "formulär"
        return None, "okänd"


def label(places: Places, ident: str | None, how: str) -> str:
    """The place as the YAML names it: the number at the remiss version, or allmänt/okänd."""
    if ident is not None:
        return places.number(ident)
    return GENERAL if how == "allmän" else UNKNOWN
