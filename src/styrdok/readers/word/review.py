"""What reviewers left in a Word file, read for a remiss (readers/remiss/): its comments (with
replies, authors, dates and the text each is anchored to), its tracked changes (before → after),
its paragraphs with the bookmarks they hold (where each comment is placed from), its tables (a
filled answer form) and its text (a letter). It lives beside the importer because a returned
file's WordprocessingML is read only under readers/word/.

One walk through the main document in document order, then through the text boxes, the
footnotes and endnotes, and the headers and footers: a comment's range may start in one
paragraph and end in another, overlap other comments, lie in a table cell, in a note or on
deleted text; the walk keeps every open range and gives each the original text it covers (what
the remiss version said: deleted text in, inserted text out).

Word's comment parts: comments.xml holds each comment; commentsExtended.xml (w15) marks a reply
by the paragraph id of its parent's last paragraph (w15:paraIdParent) and a resolved one
(w15:done); commentsIds.xml (w16cid) and commentsExtensible.xml (w16cex) give the durable id and
the date in UTC. LibreOffice writes comments.xml alone, a comment without a range as a lone
reference, and a date it does not know as 0-00-00. Parts are found through the relationships
and read by the Word importer's package (readers/word/package.py), which gives a Strict OOXML
file's parts in the transitional namespaces.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from styrdok.readers.word.package import Package, WordFileError

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
W16CID = "http://schemas.microsoft.com/office/word/2016/wordml/cid"
W16CEX = "http://schemas.microsoft.com/office/word/2018/wordml/cex"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
# Where in the document a comment or change outside the running text was: a text box counts as
# the paragraph that holds it, a note as the paragraph of its mark; a header or footer is on
# every page, so what is said there is said of the whole document.
PAGE_PARTS = {"header": "sidhuvud", "footer": "sidfot"}
# The main part is parsed whole, so it is refused beyond this size (before it fills the memory):
# a response's is at most a few MB (the example plan's remiss version: 50 kB), a zip bomb's more.
MAX_MAIN = 32 << 20

VALID_DATE = re.compile(r"^[12]\d{3}-\d\d-\d\dT\d\d:\d\d(:\d\d)?")
SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """Text as compared and shown: NFC, runs of white space as one space, trimmed."""
    return SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


@dataclass
class Para:
    """A paragraph of the main text (table cells included): its original text (as the remiss
    version had it), the bookmarks it holds and its style."""

    text: str
    bookmarks: tuple[str, ...]
    style: str
    in_table: bool


@dataclass
class Comment:
    """A comment as the file holds it. `paragraph` is the main-text paragraph it is anchored
    in (for a comment in a note: the paragraph that holds the note's mark); None when the file
    has the comment but no anchor for it."""

    id: str
    author: str
    date: str
    text: str
    quote: str = ""
    shown: str = ""  # the anchored text as the reviewer saw it (their insertions in)
    paragraph: int | None = None
    where: str = ""  # "tabell", "fotnot", "slutnot" or "" (the running text)
    parent: str | None = None  # a reply: the id of the comment it answers
    done: bool = False
    para_ids: tuple[str, ...] = ()  # w14:paraId of its paragraphs (Word's reply links)


@dataclass
class Change:
    """A tracked change: a stretch of deletions and insertions by one author in a paragraph
    (or in consecutive whole paragraphs), with the paragraph's original text around it."""

    before: str
    after: str
    author: str
    date: str
    paragraph: int | None
    context: str = ""
    where: str = ""
    open_end: bool = False  # reaches the end of its paragraph (may go on in the next)
    whole: bool = False  # the paragraph is nothing but this change


@dataclass
class WordFile:
    """What a returned Word file holds, as read."""

    paragraphs: list[Para] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)  # body tables: rows of cells
    text: str = ""  # the visible text, paragraphs separated by blank lines (a letter)
    properties: dict[str, str] = field(default_factory=dict)  # user-defined properties
    core: dict[str, str] = field(default_factory=dict)  # creator, lastModifiedBy, title


def read_word(package: Package) -> WordFile:
    """Read a returned Word file's comments, changes, paragraphs, tables and text."""
    main = package.main
    root = package.xml(main, MAX_MAIN)
    rels = _first_of_each_kind(package, main)
    walk = _Walk(W_NS)
    body = root.find(f"{{{W_NS}}}body") if root is not None else None
    if body is None:
        raise WordFileError(
            f"{package.path}: dokumentet har ingen brödtext; spara filen på nytt i Word som .docx"
        )
    walk.container(body, None)
    walk.text_boxes()
    for kind, where in (("footnotes", "fotnot"), ("endnotes", "slutnot")):
        notes = package.xml(rels.get(kind))
        for note in notes if notes is not None else ():
            ident = note.get(f"{{{W_NS}}}id")
            if note.get(f"{{{W_NS}}}type") in (None, "normal") and ident is not None:
                walk.container(note, walk.note_marks.get((kind, ident), -1), where)
        walk.text_boxes()
    seen = set()
    for rel in package.rels(main):  # headers and footers in the order they are related
        if rel.kind in PAGE_PARTS and not rel.external and rel.target not in seen:
            seen.add(rel.target)
            page = package.xml(rel.target)
            if page is not None:
                walk.container(page, -1, PAGE_PARTS[rel.kind])
                walk.text_boxes()
    walk.finish()
    out = WordFile(walk.paragraphs, [], walk.changes, walk.tables, "\n\n".join(walk.visible))
    out.comments = _comments(package, rels, W_NS, walk)
    out.properties = _custom_properties(package)
    out.core = _core_properties(package)
    return out


def _first_of_each_kind(package: Package, part: str) -> dict[str, str]:
    """The parts that `part` relates to by kind (comments, footnotes, commentsExtended …), the
    first of each kind that the package holds."""
    out: dict[str, str] = {}
    for rel in package.rels(part):
        if not rel.external and package.has(rel.target):
            out.setdefault(rel.kind, rel.target)
    return out


class _Walk:
    """The walk through the text: paragraphs, open comment ranges, change groups."""

    def __init__(self, ns: str):
        self.w = f"{{{ns}}}"
        self.paragraphs: list[Para] = []
        self.changes: list[Change] = []
        self.tables: list[list[list[str]]] = []
        self.visible: list[str] = []
        self.open: dict[str, list[str]] = {}  # comment id → original text pieces so far
        self.shown: dict[str, list[str]] = {}
        self.quotes: dict[str, tuple[str, str]] = {}  # comment id → (original, as shown)
        self.anchors: dict[str, tuple[int | None, str]] = {}  # comment id → paragraph, where
        self.note_marks: dict[tuple[str, str], int] = {}  # (footnotes, id) → paragraph
        self.pending: list[str] = []  # bookmarks between paragraphs, for the next one
        self.boxes: list[tuple[object, int, str]] = []  # text boxes met: content, anchor, where
        self.depth = 0  # table nesting
        # the paragraph being read
        self.anchor: int | None = None
        self.where = ""
        self.original: list[str] = []
        self.seen: list[str] = []
        self.marks: list[str] = []
        self.unchanged = False  # unchanged text seen in the paragraph so far
        self.group: Change | None = None
        self.in_paragraph: list[Change] = []

    def container(self, el, note_anchor: int | None, where: str = "") -> None:
        """The blocks of a body, cell, note or content control, in order. In a note,
        `note_anchor` is the main-text paragraph that holds its mark (-1: none)."""
        w = self.w
        for child in el:
            tag = child.tag
            if tag == f"{w}p":
                self.paragraph(child, note_anchor, where)
            elif tag == f"{w}tbl":
                self.table(child, note_anchor, where)
            elif tag in (f"{w}sdt", f"{w}customXml"):
                content = child.find(f"{w}sdtContent") if tag == f"{w}sdt" else child
                if content is not None:
                    self.container(content, note_anchor, where)
            elif tag == f"{w}bookmarkStart" and note_anchor is None:
                self.pending.append(child.get(f"{w}name", ""))
            elif tag in (f"{w}commentRangeStart", f"{w}commentRangeEnd"):
                # a range that starts between paragraphs starts with the next one
                self.anchor = len(self.paragraphs) if note_anchor is None else note_anchor
                self.where = where
                self.inline(child, None, None)

    def table(self, tbl, note_anchor: int | None, where: str) -> None:
        w = self.w
        rows = []
        self.depth += 1
        for tr in _children(tbl, f"{w}tr", w):
            cells = []
            for tc in _children(tr, f"{w}tc", w):
                start = len(self.visible)
                self.container(tc, note_anchor, where or "tabell")
                cells.append("\n".join(self.visible[start:]))
                del self.visible[start:]
            rows.append(cells)
        self.depth -= 1
        if self.depth == 0 and note_anchor is None:
            self.tables.append(rows)
        self.visible.append("\n".join(" | ".join(row) for row in rows))

    def paragraph(self, p, note_anchor: int | None, where: str) -> None:
        w = self.w
        body = note_anchor is None
        self.anchor = len(self.paragraphs) if body else note_anchor
        self.where = where
        self.original, self.seen, self.unchanged = [], [], False
        self.marks, self.pending = (self.pending, []) if body else ([], self.pending)
        self.group, self.in_paragraph = None, []
        for ident in self.open:  # a range that goes on from the paragraph before
            self.open[ident].append(" ")
            self.shown[ident].append(" ")
        for child in p:
            if child.tag != f"{w}pPr":
                self.inline(child, None, None)
        self.close_group(at_end=True)
        original = "".join(self.original)
        if body:
            style = p.find(f"{w}pPr/{w}pStyle")
            name = style.get(f"{w}val", "") if style is not None else ""
            self.paragraphs.append(Para(original, tuple(self.marks), name, self.depth > 0))
        for change in self.in_paragraph:
            change.context = clean(original)
        self.merge_whole_paragraphs()
        shown = "".join(self.seen).strip()
        if shown:
            self.visible.append(shown)

    def inline(self, el, kind: str | None, who: tuple[str, str] | None) -> None:
        """An element inside a paragraph, in a tracked insertion or deletion (`kind`) or not."""
        w = self.w
        tag = el.tag
        if tag == f"{w}r":
            for part in el:
                t = part.tag
                if t == f"{w}t":
                    self.text(part.text or "", kind, who)
                elif t == f"{w}delText":
                    self.text(part.text or "", "del", who)
                elif t in (f"{w}tab", f"{w}br", f"{w}cr"):
                    self.text(" ", kind, who)
                elif t == f"{w}noBreakHyphen":
                    self.text("-", kind, who)
                elif t in (f"{w}footnoteReference", f"{w}endnoteReference"):
                    notes = "footnotes" if t == f"{w}footnoteReference" else "endnotes"
                    if self.anchor is not None and self.anchor >= 0:
                        self.note_marks[notes, part.get(f"{w}id", "")] = self.anchor
                elif t == f"{w}commentReference":
                    self.anchors.setdefault(part.get(f"{w}id", ""), (self.anchor, self.where))
                elif t in (f"{w}drawing", f"{w}pict", f"{{{MC}}}AlternateContent"):
                    self.box(part)
        elif tag in (f"{w}ins", f"{w}moveTo", f"{w}del", f"{w}moveFrom"):
            inner = "ins" if tag in (f"{w}ins", f"{w}moveTo") else "del"
            mark = (el.get(f"{w}author", ""), el.get(f"{w}date", ""))
            for child in el:
                self.inline(child, inner, mark)
        elif tag == f"{w}commentRangeStart":
            ident = el.get(f"{w}id", "")
            self.anchors[ident] = (self.anchor, self.where)
            self.open[ident], self.shown[ident] = [], []
        elif tag == f"{w}commentRangeEnd":
            ident = el.get(f"{w}id", "")
            if ident in self.open:
                self.quotes[ident] = ("".join(self.open.pop(ident)), "".join(self.shown.pop(ident)))
        elif tag == f"{w}bookmarkStart":
            self.marks.append(el.get(f"{w}name", ""))
        elif tag in (f"{w}hyperlink", f"{w}smartTag", f"{w}customXml", f"{w}fldSimple"):
            for child in el:
                self.inline(child, kind, who)
        elif tag == f"{w}sdt":
            content = el.find(f"{w}sdtContent")
            for child in content if content is not None else ():
                self.inline(child, kind, who)

    def box(self, el) -> None:
        """The text boxes of a drawing, read after the text they stand in (as notes are), at
        the paragraph that holds them. Of Word's two versions of a drawing (mc:Choice, and
        mc:Fallback for older programs) only the first that has a text box counts."""
        w = self.w
        if el.tag == f"{{{MC}}}AlternateContent":
            for branch in el:
                if next(branch.iter(f"{w}txbxContent"), None) is not None:
                    el = branch
                    break
        anchor = self.anchor if self.anchor is not None else -1
        where = self.where if self.where in PAGE_PARTS.values() else "textruta"
        found = list(el.iter(f"{w}txbxContent"))
        inner = {id(c) for box in found for c in box.iter(f"{w}txbxContent") if c is not box}
        for content in found:  # a box inside a box is met when its outer box is walked
            if id(content) not in inner:
                self.boxes.append((content, anchor, where))

    def text_boxes(self) -> None:
        """Walk the text boxes met so far (and those inside them)."""
        while self.boxes:
            content, anchor, where = self.boxes.pop(0)
            self.container(content, anchor, where)

    def text(self, s: str, kind: str | None, who: tuple[str, str] | None) -> None:
        if not s:
            return
        if kind != "ins":
            self.original.append(s)
        if kind != "del":
            self.seen.append(s)
        for ident, pieces in self.open.items():
            if kind != "ins":
                pieces.append(s)
            if kind != "del":
                self.shown[ident].append(s)
        if kind is None:
            if s.strip():
                self.close_group()
                self.unchanged = True
            return
        author, when = who or ("", "")
        group = self.group
        if group is None or group.author != author:
            self.close_group()
            anchor = self.anchor if self.anchor is None or self.anchor >= 0 else None
            group = Change("", "", author, when, anchor, where=self.where)
            group.whole = not self.unchanged
            self.group = group
        if kind == "del":
            group.before += s
        else:
            group.after += s

    def close_group(self, at_end: bool = False) -> None:
        group = self.group
        if group is None:
            return
        self.group = None
        group.open_end = at_end
        group.whole = group.whole and at_end
        if group.before.strip() or group.after.strip():
            self.changes.append(group)
            self.in_paragraph.append(group)

    def merge_whole_paragraphs(self) -> None:
        """Paragraphs inserted or deleted whole, one after the other by one author, are one
        proposed change with what ended the paragraph before."""
        if len(self.changes) < 2 or not self.in_paragraph or not self.in_paragraph[0].whole:
            return
        last, before = self.changes[-1], self.changes[-2]
        if (
            before.open_end
            and before.author == last.author
            and before.where == last.where
            and before.paragraph is not None
            and last.paragraph is not None
            and last.paragraph - before.paragraph in (0, 1)
        ):
            for side in ("before", "after"):
                a, b = getattr(before, side), getattr(last, side)
                setattr(before, side, a + ("\n" if a and b else "") + b)
            before.open_end = last.open_end
            self.changes.pop()

    def finish(self) -> None:
        for ident in list(self.open):  # a range that never ends: to the end of the document
            self.quotes[ident] = ("".join(self.open.pop(ident)), "".join(self.shown.pop(ident)))


def _children(el, tag: str, w: str):
    """The children of `el` with `tag`, also those inside a content control or custom XML."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag == f"{w}sdt":
            content = child.find(f"{w}sdtContent")
            if content is not None:
                yield from _children(content, tag, w)
        elif child.tag == f"{w}customXml":
            yield from _children(child, tag, w)


def _comments(package: Package, rels: dict[str, str], ns: str, walk: _Walk) -> list[Comment]:
    """Every comment of comments.xml with its anchor, quote, thread and date."""
    w = f"{{{ns}}}"
    root = package.xml(rels.get("comments"))
    if root is None:
        return []
    out: list[Comment] = []
    by_para: dict[str, Comment] = {}
    for el in root.iter(f"{w}comment"):
        ident = el.get(f"{w}id", "")
        paragraphs = el.findall(f"{w}p") or el.findall(f".//{w}p")
        texts = ["".join(t.text or "" for t in p.iter(f"{w}t")) for p in paragraphs]
        para_ids = tuple(p.get(f"{{{W14}}}paraId", "") for p in paragraphs)
        when = el.get(f"{w}date", "")
        anchor, where = walk.anchors.get(ident, (None, ""))
        quote, shown = walk.quotes.get(ident, ("", ""))
        comment = Comment(
            id=ident,
            author=el.get(f"{w}author", ""),
            date=when if VALID_DATE.match(when) else "",
            text="\n".join(t.strip() for t in texts if t.strip()),
            quote=clean(quote),
            shown=clean(shown),
            paragraph=anchor if anchor is None or anchor >= 0 else None,
            where=where,
            para_ids=para_ids,
        )
        out.append(comment)
        if para_ids and para_ids[-1]:
            by_para[para_ids[-1].upper()] = comment
    _threads(package, rels, by_para, out)
    return out


def _threads(package: Package, rels: dict[str, str], by_para: dict, comments: list) -> None:
    """Replies, resolved comments and UTC dates from Word's newer comment parts."""
    extended = package.xml(rels.get("commentsExtended"))
    for ex in extended.iter(f"{{{W15}}}commentEx") if extended is not None else ():
        comment = by_para.get((ex.get(f"{{{W15}}}paraId") or "").upper())
        if comment is None:
            continue
        parent = by_para.get((ex.get(f"{{{W15}}}paraIdParent") or "").upper())
        if parent is not None and parent is not comment:
            comment.parent = parent.id
        comment.done = ex.get(f"{{{W15}}}done") in ("1", "true")
    ids = package.xml(rels.get("commentsIds"))
    durable: dict[str, Comment] = {}
    for cid in ids.iter(f"{{{W16CID}}}commentId") if ids is not None else ():
        comment = by_para.get((cid.get(f"{{{W16CID}}}paraId") or "").upper())
        if comment is not None:
            durable[(cid.get(f"{{{W16CID}}}durableId") or "").upper()] = comment
    extensible = package.xml(rels.get("commentsExtensible"))
    for cex in extensible.iter(f"{{{W16CEX}}}commentExtensible") if extensible is not None else ():
        comment = durable.get((cex.get(f"{{{W16CEX}}}durableId") or "").upper())
        when = cex.get(f"{{{W16CEX}}}dateUtc") or ""
        if comment is not None and VALID_DATE.match(when):
            comment.date = when
    by_id = {c.id: c for c in comments}
    for comment in comments:  # a reply to a reply belongs to the thread's first comment
        seen = {comment.id}
        while comment.parent in by_id and by_id[comment.parent].parent not in (None, *seen):
            seen.add(comment.parent)
            comment.parent = by_id[comment.parent].parent


def _custom_properties(package: Package) -> dict[str, str]:
    found = package.related("", "custom-properties")
    root = package.xml(found[0] if found else "docProps/custom.xml")
    out = {}
    for prop in root.iter(f"{{{CUSTOM}}}property") if root is not None else ():
        value = "".join(prop.itertext()).strip()
        out[prop.get("name", "")] = value
    return out


def _core_properties(package: Package) -> dict[str, str]:
    found = package.related("", "core-properties")
    root = package.xml(found[0] if found else "docProps/core.xml")
    if root is None:
        return {}
    out = {}
    for key, tag in (
        ("creator", f"{{{DC}}}creator"),
        ("title", f"{{{DC}}}title"),
        ("lastModifiedBy", f"{{{CP}}}lastModifiedBy"),
    ):
        value = root.findtext(tag)
        if value and value.strip():
            out[key] = value.strip()
    return out
