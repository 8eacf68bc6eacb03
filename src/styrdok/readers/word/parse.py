"""Parse pass: WordprocessingML → typed paragraphs, tables and runs. The only code of the reader
that knows `w:` elements; the interpret passes (cover, outline, fields) read what it gives.

What it gives for each block of the body, in order (looking inside content controls and custom
XML, as Word shows them):
- `Para`: the paragraph's runs as the model's inlines (bold and italic, also through a
  character style; links; super- and subscript; line breaks; footnotes with their text), its
  text as the cover reads it (tabs kept), its style's name and outline level, its list
  numbering, its bookmarks, whether it is wholly bold, and what it holds that the source format
  cannot (images, text boxes, objects, endnotes);
- `WordTable`: its rows of `Cell`s (their paragraphs' runs, merged and nested cells marked),
  and its cells' plain texts as a cover table is read.
What a paragraph's runs could not keep (a link to a file, a footnote of several paragraphs) is
a `Notice`, which the outline pass reports at the paragraph's place.

The body is parsed as a stream (`Body`): each block is typed and dropped as soon as it is
complete, so memory holds one block, and the limits (paragraphs, bytes of one block, characters
of one paragraph) are checked as the stream goes. Tracked changes are found and, if asked,
accepted block by block (deletions go, insertions stay).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Literal

from lxml import etree

from styrdok.model.document import Inlines, Run, join_runs, plain
from styrdok.readers.markdown.source import LINK_TARGET
from styrdok.readers.word.package import (
    STRICT,
    Package,
    WordFileError,
    has_doctype,
    pull_parser,
    rename,
)

NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{NS}}}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
STRICT_W = "{" + next(k for k, v in STRICT.items() if v == NS) + "}"
TRACKED = ("ins", "del", "moveFrom", "moveTo")

SCRIPTS: dict[str, Literal["super", "sub"]] = {"superscript": "super", "subscript": "sub"}
# Unicode's line and paragraph separators (and NEL) in a text: a line break, as Word shows them
SEPARATORS = str.maketrans({"\u2028": "\n", "\u2029": "\n", "\x85": "\n"})

MAX_PARAGRAPHS = 100_000  # a long styrdokument has a few thousand
MAX_BLOCK = 8 << 20  # bytes of XML for one paragraph or table (a long table is a few hundred KB)
MAX_PARAGRAPH_TEXT = 100_000  # characters in one paragraph (a long one has a few thousand)
MAX_TEXT = 4_000_000  # characters in the whole document (two thousand pages)


# --- what the pass gives -------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """What a paragraph's runs could not keep: a link that cannot be followed ('link', its
    address) or a footnote of several paragraphs made one ('note', its first paragraph)."""

    kind: Literal["link", "note"]
    text: str


@dataclass(frozen=True)
class Text:
    """A paragraph's runs and what they could not keep."""

    runs: Inlines
    notices: tuple[Notice, ...] = ()


@dataclass(frozen=True)
class Para:
    """A paragraph of the body."""

    runs: Inlines
    notices: tuple[Notice, ...]
    text: str  # the text with its tabs and line breaks (as a cover line is read)
    style: str  # its paragraph style's name ('' for none)
    level: int | None  # its outline level 1–9 (direct, else its style's), None for body text
    numbered: bool  # has a w:numPr/w:numId
    num_id: str | None  # its value
    ilvl: str | None  # w:numPr's level (None: no w:ilvl)
    bookmarks: tuple[str, ...]
    wholly_bold: bool  # every run with text is bold (directly)
    objects: tuple[str, ...]  # what cannot be brought over: "en bild", "en textruta" …


@dataclass(frozen=True)
class Cell:
    """A table cell: its paragraphs (nested tables' too), and how it is merged."""

    paragraphs: tuple[Text, ...]
    merged: bool  # continues a vertical merge (its text is in the cell above)
    span: int  # the grid columns it spans
    nested: bool  # holds a table


@dataclass(frozen=True)
class WordTable:
    """A table: its rows of cells; and as a cover table reads it, every row's cell texts and
    every cell's text with whether it is marked bold."""

    rows: tuple[tuple[Cell, ...], ...]
    text: str
    objects: bool  # images or objects in its cells
    cover_rows: tuple[tuple[str, ...], ...]
    cover_cells: tuple[tuple[str, bool], ...]
    paragraphs: tuple[str, ...] = ()  # the text of each of its paragraphs (nested ones too)


Block = Para | WordTable
EMPTY = Para((), (), "", "", None, False, None, None, (), False, ())  # a paragraph with nothing


@dataclass(frozen=True)
class Style:
    name: str
    level: int  # outline level 1–9, 0 for none
    on: tuple[str, ...] = ()  # a character style's b, i


@dataclass
class Numbering:
    """Lists as Word numbers them (numbering.xml)."""

    formats: dict[tuple[str | None, str | None], str]  # (numId, ilvl) → decimal, bullet …
    starts: dict[str | None, int]  # numId → the first number of its top level
    lists: dict[str | None, str]  # numId → its abstract numbering (the list Word counts in)
    restarts: set[str | None]  # the numIds with a start override


# --- parts read whole ------------------------------------------------------------------------


def styles(root, where: str) -> dict[str, Style]:
    """Paragraph style id → its name and outline level (through basedOn); character styles
    under 'char:<id>' with the tags (b, i) they turn on."""
    if root is None:
        return {}
    raw = {}
    for s in root.iter(f"{W}style"):
        sid = s.get(f"{W}styleId")
        name_el, based = s.find(f"{W}name"), s.find(f"{W}basedOn")
        level = _outline_value(s.find(f"{W}pPr/{W}outlineLvl"), where)
        on = tuple(t for t in ("b", "i") if on_off(s.find(f"{W}rPr"), t))
        raw[sid] = (
            s.get(f"{W}type"),
            name_el.get(f"{W}val") if name_el is not None else sid,
            based.get(f"{W}val") if based is not None else None,
            level + 1 if level is not None else 0,
            on,
        )
    out: dict[str, Style] = {}
    for sid, (kind, name, based, level, on) in raw.items():
        seen = 0
        while not level and based in raw and seen < 10:  # outline level through basedOn
            level, based, seen = raw[based][3], raw[based][2], seen + 1
        m = re.fullmatch(r"(?:heading|rubrik)\s*(\d)", (name or "").strip().lower())
        level = level or (int(m.group(1)) if m else 0)
        if kind == "character":
            out["char:" + str(sid)] = Style(name or "", 0, on)
        else:
            out[sid] = Style(name or "", level if level < 10 else 0)
    return out


def numbering(root) -> Numbering:
    """(numId, ilvl) → the level's number format; numId → the first number of its top level
    (its override, else its definition's); numId → its abstract numbering; the numIds with a
    start override."""
    if root is None:
        return Numbering({}, {}, {}, set())
    abstract, first = {}, {}
    for a in root.iter(f"{W}abstractNum"):
        abstract[a.get(f"{W}abstractNumId")] = {
            lvl.get(f"{W}ilvl"): _number_format(lvl.find(f"{W}numFmt")) for lvl in a.iter(f"{W}lvl")
        }
        first[a.get(f"{W}abstractNumId")] = _number(a.find(f"{W}lvl[@{W}ilvl='0']/{W}start"))
    out = Numbering({}, {}, {}, set())
    for num in root.iter(f"{W}num"):
        num_id = num.get(f"{W}numId")
        ref = num.find(f"{W}abstractNumId")
        override = num.find(f"{W}lvlOverride[@{W}ilvl='0']/{W}startOverride")
        base = first.get(ref.get(f"{W}val"), 1) if ref is not None else 1
        out.starts[num_id] = _number(override) if override is not None else base
        if override is not None:
            out.restarts.add(num_id)
        if ref is not None:
            out.lists[num_id] = "abstract " + str(ref.get(f"{W}val"))
            for ilvl, fmt in abstract.get(ref.get(f"{W}val"), {}).items():
                out.formats[num_id, ilvl] = fmt
    return out


def footnotes(root) -> dict[str | None, etree._Element]:
    """Footnote id → its element (the separators Word keeps there left out)."""
    if root is None:
        return {}
    return {
        n.get(f"{W}id"): n
        for n in root.iter(f"{W}footnote")
        if n.get(f"{W}type") in (None, "normal")
    }


def lines(root) -> list[str]:
    """A header's or footer's paragraphs as lines of text (tabs kept)."""
    return [para_text(p).strip() for p in root.iter(f"{W}p")] if root is not None else []


def tracked(root) -> list[etree._Element]:
    """The tracked changes in a part (insertions, deletions, moves)."""
    if root is None:
        return []
    return [el for tag in TRACKED for el in root.iter(f"{W}{tag}")]


def comments(root) -> int:
    """How many comments are anchored in a part."""
    return sum(1 for _ in root.iter(f"{W}commentReference")) if root is not None else 0


def accept(marks: list[etree._Element]) -> None:
    """Accept tracked changes in place: deletions go, insertions stay (a deleted paragraph mark
    flags its paragraph, which goes if it is left empty)."""
    for el in marks:
        parent = el.getparent()
        if parent is None:
            continue
        deleted = etree.QName(el).localname in ("del", "moveFrom")
        if parent.tag == f"{W}rPr":  # a paragraph mark
            if deleted and (p := parent.getparent().getparent()) is not None:
                p.set("_deleted_mark", "1")
            parent.remove(el)
        elif deleted:
            parent.remove(el)
        else:
            for child in list(el):
                el.addprevious(child)
            parent.remove(el)


# --- the body, as a stream ---------------------------------------------------------------------


class Body:
    """The main part's body, parsed as a stream of typed blocks.

    `blocks()` yields each block once it is complete and then drops it; tracked changes are
    accepted on the way when `accept_changes`, otherwise the first one ends the blocks and
    the rest of the part is only scanned, so that `changes` and `comments` say all there is.
    """

    def __init__(
        self,
        package: Package,
        styles: dict[str, Style],
        numbering: Numbering,
        notes: dict[str | None, etree._Element],
        links: dict[str, str],
        note_links: dict[str, str],
        anchor: Callable[[str], str | None],
        accept_changes: bool,
        refusing: bool = False,
    ) -> None:
        self.package, self.styles, self.numbering = package, styles, numbering
        self.notes, self.links, self.note_links = notes, links, note_links
        self.anchor = anchor  # a bookmark name → the id it refers to (None: the link is text)
        self.accept_changes = accept_changes
        self.refusing = refusing  # a tracked change elsewhere: only scan the body
        self.embedded = 0  # documents embedded as altChunk (not brought over)
        self.changes = 0  # tracked changes found
        self.comments = 0  # comment anchors found
        self.endnotes = 0  # endnote references in the blocks read
        self.paragraphs = 0  # every paragraph, also in tables
        self.characters = 0
        self.seen_body = False

    def blocks(self) -> Iterator[Block]:
        name = self.package.main
        tags = [f"{ns}{t}" for ns in (W, STRICT_W) for t in ("p", "tbl", "body", "altChunk")]
        parser = pull_parser(events=("start", "end"), tag=tags)
        since = 0  # bytes fed since the last block was complete
        stopped = self.refusing
        with self.package.open(name) as stream:
            for chunk in stream.chunks():
                if not since and not self.seen_body and has_doctype(chunk):
                    raise self.package.has_dtd(name)
                since += len(chunk)
                try:
                    parser.feed(chunk)
                    events = list(parser.read_events())
                except etree.XMLSyntaxError as e:
                    raise self.package.not_xml(name, e) from None
                for event, el in events:
                    if event == "start":
                        if _local(el) == "body":
                            if el.getroottree().docinfo.doctype:
                                raise self.package.has_dtd(name)
                            self.seen_body = True
                        continue
                    if _local(el) == "p":
                        self.paragraphs += 1
                        if self.paragraphs > MAX_PARAGRAPHS:
                            raise WordFileError(
                                f"{self.package.path}: har fler än {_n(MAX_PARAGRAPHS)} "
                                "stycken; det är inget styrdokument (dela upp det i flera)"
                            )
                    if not _is_block(el):
                        continue
                    since = 0
                    if _local(el) == "altChunk":
                        self.embedded += 1
                        continue
                    if len(el) == 0:  # <w:p/>: nothing to read (millions are refused quickly)
                        if not stopped and _local(el) == "p":
                            yield EMPTY
                    elif stopped:
                        self._scan(el)
                    elif (block := self._block(el)) is not None:
                        yield block
                    else:
                        stopped = bool(self.changes or self.comments) and not self.accept_changes
                    _drop(el)
                if since > MAX_BLOCK:
                    raise WordFileError(
                        f"{self.package.path}: ett stycke eller en tabell i dokumentet är större "
                        f"än {MAX_BLOCK >> 20} MB; det är inget styrdokument (spara det på nytt "
                        "i Word, eller dela upp tabellen)"
                    )
            try:
                parser.close()
            except etree.XMLSyntaxError as e:
                raise self.package.not_xml(name, e) from None
        if not self.seen_body:
            raise self.package.unreadable

    def _scan(self, el) -> list[etree._Element]:
        if el.getroottree().getroot().tag.startswith(STRICT_W):
            for x in el.iter():
                rename(x)
        marks = tracked(el)
        self.changes += len(marks)
        self.comments += comments(el)
        return marks

    def _block(self, el) -> Block | None:
        """The typed block; None where it is left out (a paragraph whose mark was deleted and
        that holds no text) or where a tracked change stops the blocks."""
        marks = self._scan(el)
        if self.comments and not self.accept_changes:
            return None
        if marks:
            if not self.accept_changes:
                return None
            accept(marks)
        self.endnotes += sum(1 for _ in el.iter(f"{W}endnoteReference"))
        if el.tag == f"{W}tbl":
            return self.table(el)
        if el.get("_deleted_mark") and not _text(el).strip():
            return None
        return self.paragraph(el)

    # --- typing ----------------------------------------------------------------------------------

    def paragraph(self, p) -> Para:
        text = self.runs(p, self.links)
        length = len(plain(text.runs))
        self.characters += length
        if length > MAX_PARAGRAPH_TEXT or self.characters > MAX_TEXT:
            what = (
                f"ett stycke med mer än {_n(MAX_PARAGRAPH_TEXT)} tecken"
                if length > MAX_PARAGRAPH_TEXT
                else f"mer än {_n(MAX_TEXT)} tecken text"
            )
            raise WordFileError(
                f"{self.package.path}: har {what}; det är inget styrdokument "
                f"('{plain(text.runs)[:40]}…'); dela upp texten i Word"
            )
        style = self.styles.get(_style_id(p), Style("", 0))
        num = p.find(f"{W}pPr/{W}numPr/{W}numId")
        ilvl = p.find(f"{W}pPr/{W}numPr/{W}ilvl")
        objects = []
        for el in p.iter(f"{W}drawing", f"{W}pict", f"{W}object"):
            boxed = any(x.tag == f"{W}txbxContent" for x in el.iter())
            objects.append(
                "en textruta" if boxed else "en bild" if el.tag != f"{W}object" else "ett objekt"
            )
        objects += ["en slutnot" for _ in p.iter(f"{W}endnoteReference")]
        return Para(
            runs=text.runs,
            notices=text.notices,
            text=para_text(p),
            style=style.name,
            level=self._level(p, style),
            numbered=num is not None,
            num_id=num.get(f"{W}val") if num is not None else None,
            ilvl=ilvl.get(f"{W}val", "0") if ilvl is not None else None,
            bookmarks=tuple(b.get(f"{W}name", "") for b in p.iter(f"{W}bookmarkStart")),
            wholly_bold=_wholly_bold(p),
            objects=tuple(objects),
        )

    def _level(self, p, style: Style) -> int | None:
        value = _outline_value(
            p.find(f"{W}pPr/{W}outlineLvl"), f"{self.package.path}: delen '{self.package.main}'"
        )
        if value is not None:
            return value + 1 if value < 9 else None
        return style.level or None

    def table(self, tbl) -> WordTable:
        rows = []
        for tr in _children(tbl, "tr"):
            cells = []
            for tc in _children(tr, "tc"):
                props = tc.find(f"{W}tcPr")
                merged = props.find(f"{W}vMerge") if props is not None else None
                if merged is not None and merged.get(f"{W}val", "continue") == "continue":
                    cells.append(Cell((), True, 1, False))
                    continue
                span = props.find(f"{W}gridSpan") if props is not None else None
                value = span.get(f"{W}val", "1") if span is not None else "1"
                cells.append(
                    Cell(
                        tuple(self.runs(p, self.links) for p in tc.iter(f"{W}p")),
                        False,
                        int(value) if value.isdigit() and int(value) > 1 else 1,
                        tc.find(f".//{W}tbl") is not None,
                    )
                )
            rows.append(tuple(cells))
        return WordTable(
            rows=tuple(rows),
            text=_text(tbl),
            objects=any(True for _ in tbl.iter(f"{W}drawing", f"{W}pict", f"{W}object")),
            cover_rows=tuple(
                tuple(cell_text(tc) for tc in tr.iter(f"{W}tc")) for tr in tbl.iter(f"{W}tr")
            ),
            cover_cells=tuple(
                (
                    _text(tc).strip().lower(),
                    any(r.find(f"{W}rPr/{W}b") is not None for r in tc.iter(f"{W}r")),
                )
                for tc in tbl.iter(f"{W}tc")
            ),
            paragraphs=tuple(t for p in tbl.iter(f"{W}p") if (t := para_text(p).strip())),
        )

    def runs(self, p, links: dict[str, str]) -> Text:
        """A paragraph's runs as the model's inlines, and what they could not keep."""
        out: list[Run] = []
        notices: list[Notice] = []
        for el in p.iter(f"{W}r"):
            link = next(el.iterancestors(f"{W}hyperlink"), None)
            href = None
            if link is not None and link.get(R_ID):
                href = links.get(link.get(R_ID))
                if href and not _followable(href):  # a file, a share, a script: text
                    notices.append(Notice("link", href))
                    href = None
            elif link is not None and (anchor := link.get(f"{W}anchor", "")):
                ident = self.anchor(anchor)
                href = f"#{ident}" if ident else None  # a reference by id; other anchors: text
            rpr = el.find(f"{W}rPr")
            bold = on_off(rpr, "b") or self._char_style_has(rpr, "b")
            italic = on_off(rpr, "i") or self._char_style_has(rpr, "i")
            align = rpr.find(f"{W}vertAlign") if rpr is not None else None
            script = SCRIPTS.get(align.get(f"{W}val", "") if align is not None else "")
            for child in el:
                if child.tag == f"{W}footnoteReference":
                    note = self.footnote(child.get(f"{W}id"), notices)
                    if note is not None:
                        out.append(Run("", note=note))
                elif child.tag == f"{W}t":
                    text = (child.text or "").translate(SEPARATORS)
                    out.append(Run(text, bold, italic, href, script=script))
                elif child.tag in (f"{W}br", f"{W}cr") and child.get(f"{W}type") in (
                    None,
                    "textWrapping",
                ):
                    out.append(Run("\n", bold, italic, href))  # a line break (Shift+Enter)
                elif child.tag in (f"{W}tab", f"{W}br", f"{W}cr"):
                    out.append(Run(" ", bold, italic, href))
                elif child.tag == f"{W}noBreakHyphen":
                    out.append(Run("-", bold, italic, href))
        merged = join_runs(out)
        # formatting on spaces alone is no formatting (Word splits runs at will)
        runs = tuple(
            r if r.text.strip() or r.note is not None else Run(r.text, False, False, r.href)
            for r in merged
        )
        return Text(runs, tuple(notices))

    def footnote(self, ident: str | None, notices: list[Notice]) -> Inlines | None:
        """A footnote's text: its paragraphs joined into one line (noticed if several)."""
        element = self.notes.get(ident or "")
        if element is None:
            return None
        paragraphs = []
        for p in element.iter(f"{W}p"):
            text = self.runs(p, self.note_links)  # the footnote part's own links
            notices += text.notices
            if plain(text.runs).strip():
                paragraphs.append(text.runs)
        if len(paragraphs) > 1:
            notices.append(Notice("note", plain(paragraphs[0])))
        runs: list[Run] = []
        for k, p in enumerate(paragraphs):
            runs += [Run(" ")] if k else []
            runs += [replace(r, text=r.text.replace("\n", " ")) for r in p]
        note = join_runs(runs)
        if note and not note[0].text.strip():  # the space after the footnote's own number
            note = note[1:]
        if note:
            note = (replace(note[0], text=note[0].text.lstrip()), *note[1:])
        return note or None

    def _char_style_has(self, rpr, tag: str) -> bool:
        if rpr is None:
            return False
        style = rpr.find(f"{W}rStyle")
        return (
            style is not None
            and tag in self.styles.get("char:" + str(style.get(f"{W}val")), Style("", 0)).on
        )


# --- small readers ---------------------------------------------------------------------------


def para_text(p) -> str:
    """A paragraph's text with its tabs and line breaks."""
    out = []
    for el in p.iter(f"{W}t", f"{W}tab", f"{W}br"):
        out.append(el.text or "" if el.tag == f"{W}t" else "\t" if el.tag == f"{W}tab" else " ")
    return "".join(out)


def cell_text(tc) -> str:
    """A table cell's text: its paragraphs joined by commas."""
    return ", ".join(t for p in tc.iter(f"{W}p") if (t := para_text(p).strip()))


def on_off(rpr, tag: str) -> bool:
    """Whether a toggle property (w:b, w:i) is on in these run properties."""
    if rpr is None:
        return False
    el = rpr.find(f"{W}{tag}")
    return el is not None and el.get(f"{W}val", "true") not in ("0", "false", "off")


def _n(number: int) -> str:
    """A number as Swedish writes it: 100 000."""
    return f"{number:,}".replace(",", " ")


def _text(el) -> str:
    return "".join(t.text or "" for t in el.iter(f"{W}t"))


def _local(el) -> str:
    return el.tag.rpartition("}")[2]


def _style_id(p) -> str:
    s = p.find(f"{W}pPr/{W}pStyle")
    return s.get(f"{W}val") if s is not None else ""


def _outline_value(el, where: str) -> int | None:
    """w:outlineLvl's value (0 = level 1); a value that is no number is a broken file."""
    if el is None:
        return None
    value = el.get(f"{W}val")
    try:
        return int(value or "")
    except ValueError:
        raise WordFileError(
            f"{where}: dispositionsnivån (w:outlineLvl) '{value}' är inget tal; filen "
            "är skadad — öppna den i Word och spara den som .docx igen"
        ) from None


def _number(el) -> int:
    """A list's first number from w:start or w:startOverride: 1 where it is missing or no
    number, and within what a numbered list in the source can start at."""
    try:
        value = int(el.get(f"{W}val")) if el is not None else 1
    except (TypeError, ValueError):
        return 1
    return min(max(value, 0), 999_999_999)


def _number_format(el) -> str:
    """A numbering level's format (decimal, bullet …); decimal where none is given."""
    return el.get(f"{W}val") if el is not None else "decimal"


def _wholly_bold(p) -> bool:
    runs = [r for r in p.iter(f"{W}r") if "".join(t.text or "" for t in r.iter(f"{W}t")).strip()]
    return bool(runs) and all(on_off(r.find(f"{W}rPr"), "b") for r in runs)


def _children(el, tag: str) -> Iterator[etree._Element]:
    """The w:<tag> children of a table or row, also those wrapped in a content control or in
    custom XML (a repeating section is a control around rows)."""
    for child in el:
        if child.tag == f"{W}{tag}":
            yield child
        elif child.tag == f"{W}customXml":
            yield from _children(child, tag)
        elif child.tag == f"{W}sdt" and (content := child.find(f"{W}sdtContent")) is not None:
            yield from _children(content, tag)


def _is_block(el) -> bool:
    """A paragraph or table of the body (inside content controls and custom XML too)."""
    parent = el.getparent()
    while parent is not None and _w(parent) in ("sdtContent", "customXml"):
        parent = parent.getparent()
        if parent is not None and _w(parent) == "sdt":
            parent = parent.getparent()
    return parent is not None and _w(parent) == "body"


def _w(el) -> str:
    """The local name of a w: element (transitional or Strict), '' for any other."""
    tag = el.tag if isinstance(el.tag, str) else ""
    for ns in (W, STRICT_W):
        if tag.startswith(ns):
            return tag[len(ns) :]
    return ""


def _drop(el) -> None:
    """Free a block that has been read, and whatever stood before it."""
    el.clear(keep_tail=False)
    parent = el.getparent()
    while el.getprevious() is not None:
        del parent[0]


def _followable(href: str) -> bool:
    return bool(LINK_TARGET.match(href))
