"""Interpret pass: the body's blocks → the outline of the source text, in order: section and
measure headings with their ids, the fields of each measure, and the blocks of the model
(paragraphs, subheadings, lists, tables) between them.

- sections: a level-1 heading (style or outline level) or a paragraph that starts with a
  number and is a heading or wholly bold ("1 Inledning", "2. Syfte"); "Bilaga 1 …" an appendix;
- measures: a paragraph that starts with `<section>:<n>` ("3:1 …");
- ids: a styrdok bookmark on the heading (`id_…`), else made from the title (unique);
- lists as Word numbers them (one source list per Word list; a numbered one goes on counting
  after a paragraph between its items);
- tables as pipe tables, the first row the header row. What a pipe table cell cannot hold is
  made to fit and reported: a cell's paragraphs, line breaks and list items are joined into
  one line, a merged cell is split into its cells (the text in the first, the others empty), a
  row short of cells is filled with empty ones, an empty header row is named "Kolumn 1",
  "Kolumn 2" …, a nested table becomes text, a table of one row becomes one paragraph per cell,
  and two tables with nothing between them become one. In a measure, a table of field rows
  ("Tidplan | juni 2026") gives the measure's fields.
What stands before the first section goes to the cover pass; what cannot be brought over is
named in the report with its place.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from styrdok.model.document import (
    BulletList,
    Inlines,
    ListItem,
    Paragraph,
    Run,
    Subheading,
    Table,
    join_runs,
    plain,
)
from styrdok.model.ids import BOOKMARK_PREFIX
from styrdok.readers.word.cover import Cover, iso_date
from styrdok.readers.word.fields import Field, MeasureFields, short, strip_prefix
from styrdok.readers.word.parse import EMPTY, Block, Numbering, Para, Text, WordTable

SECTION_NUMBER = re.compile(r"^\s*(\d{1,2})\.?\s+(?=\S)")
MEASURE_NUMBER = re.compile(r"^\s*(\d{1,2}):(\d{1,3})\.?\s+(?=\S)")
APPENDIX_NUMBER = re.compile(r"^\s*Bilaga\s+(\d{1,2})[.:]?\s+(?=\S)", re.IGNORECASE)


@dataclass(frozen=True)
class Heading:
    """A section's (level 1) or measure's (level 2) heading with its id and classes."""

    level: int
    runs: Inlines
    id: str
    classes: str = ""  # ".bilaga" for an appendix, ".åtgärd" for a measure


Item = Heading | Field | Paragraph | Subheading | BulletList | Table


@dataclass
class _Measure:
    title: Inlines
    fields: MeasureFields
    after: list[Item] = field(default_factory=list)  # blocks after its fields: kept after


class Outline:
    """The outline read so far; `take` one block after the other, then `finish`."""

    def __init__(
        self,
        numbering: Numbering,
        cover: Cover,
        report: list[str],
        known: Callable[[str], str | None],
    ) -> None:
        self.numbering, self.cover, self.report = numbering, cover, report
        self.known = known  # a bookmark's name → the id it carries, or None
        self.items: list[Item] = []
        self.ids: set[str] = set()
        self.where = "omslaget"
        self.section_open = False
        self.sections = 0  # sections so far
        self.paragraphs = 0  # paragraphs of the body so far (a place in the report)
        self.measure: _Measure | None = None
        self.list_items: list[tuple[tuple[bool, str | None], Inlines]] = []
        self.last_table: tuple[list[Item], Table] | None = None
        # Word counts a list per abstract numbering: every numbering instance of it goes on
        # counting, except where one with a start override is first used (LibreOffice saves a
        # list as the first item's restarting instance and the rest's plain one)
        self.counted: dict[str | None, int] = {}  # items of each Word list written so far
        self.bases: dict[str | None, int] = {}  # each Word list's first number
        self.used: set[str | None] = set()  # numbering instances met so far

    # --- the blocks ------------------------------------------------------------------------------

    def take(self, block: Block) -> None:
        if isinstance(block, WordTable):
            if self.section_open:
                self.flush_list()
                if self.measure is not None:
                    self.measure.fields.pending = None
                self.table(block)
            else:
                self.cover.table(block)
            return
        self.paragraphs += 1
        if block is EMPTY:
            return
        place = f"{self.where} (stycke {self.paragraphs})"
        self.report += [f"{place}: {what} kan inte föras över" for what in block.objects]
        self.notices(block)
        text = plain(block.runs).strip()
        if _is_toc(block.style) or (not self.section_open and text == "Innehållsförteckning"):
            return
        if not text:
            return
        kind = self.heading_kind(block, text)
        if not self.section_open and not kind:
            self.cover.line(block.style, text)
            return
        self.paragraph(block, text, kind)

    def notices(self, text: Text | Para) -> None:
        for notice in text.notices:
            if notice.kind == "link":
                self.report.append(
                    f"{self.where}: länken till '{short(notice.text, 50)}' går inte att följa i "
                    "ett publicerat dokument och blev text"
                )
            else:
                self.report.append(
                    f"{self.where}: en fotnot med flera stycken blev ett stycke "
                    f"('{short(notice.text, 30)}')"
                )

    def heading_kind(self, p: Para, text: str) -> str | None:
        """'section', 'measure', 'sub2', 'sub3' or None for a paragraph. A numbered heading is
        a heading (style or outline level); a wholly bold paragraph only when its number is the
        next one (section n+1, or measure n:m+1 of the current section) and it is no date."""
        level = p.level
        bold = p.wholly_bold and not iso_date(text[:30]) and len(text) < 150
        if (m := MEASURE_NUMBER.match(text)) and (
            level or (bold and int(m.group(1)) == self.sections and int(m.group(2)) > 0)
        ):
            return "measure"
        if level in (1, 2) and any(b.startswith(BOOKMARK_PREFIX) for b in p.bookmarks):
            return "section" if level == 1 else "measure"  # a styrdok heading, number removed
        m = SECTION_NUMBER.match(text)
        if level == 1 or (m and (level or (bold and int(m.group(1)) == self.sections + 1))):
            return "section"
        if level == 2 and self.measure is not None and self.measure.fields.values:
            return "measure"  # a new measure without a number, after the previous one's fields
        if self.section_open and level in (2, 3):
            return f"sub{level}"
        if self.section_open and level and level > 3:
            return "sub3"
        return None

    def paragraph(self, p: Para, text: str, kind: str | None) -> None:
        runs = p.runs
        if kind in ("section", "measure"):
            self.heading(p, text, kind)
            return
        if self.measure is not None and self.measure.fields.take(
            runs, text, self.where, self.flush_list
        ):
            return
        if self.measure is not None:
            self.measure.fields.pending = None
        if kind in ("sub2", "sub3"):
            self.flush_list()
            self.note_in_heading(runs, text)
            runs = tuple(r for r in runs if r.note is None)
            self.emit(Subheading(runs, int(kind[-1])))
            return
        ordered = self.list_kind(p)
        if ordered is not None:
            if p.ilvl is not None and p.ilvl != "0":
                self.report.append(
                    f"{self.where}: en lista i flera nivåer blev en nivå ('{short(text, 30)}')"
                )
            self.list_items.append(((ordered, p.num_id), runs))
            return
        self.flush_list()
        self.emit(Paragraph(runs))

    def heading(self, p: Para, text: str, kind: str) -> None:
        self.flush_list()
        self.close_measure()
        appendix = APPENDIX_NUMBER.match(text) if kind == "section" else None
        number = appendix or (MEASURE_NUMBER if kind == "measure" else SECTION_NUMBER).match(text)
        runs = p.runs
        if self.note_in_heading(runs, text):
            runs = tuple(r for r in runs if r.note is None)
        title = strip_prefix(runs, number.end() if number else 0)
        if all(r.bold for r in title):  # a bold paragraph made heading: the bold is the heading
            title = tuple(Run(r.text, False, r.italic, r.href) for r in title)
        ident = self.ident(p.bookmarks, plain(title))
        if kind == "section":
            self.section_open = True
            self.sections += 1
            self.items.append(Heading(1, title, ident, ".bilaga" if appendix else ""))
            self.where = f"avsnittet '{short(plain(title))}'"
            return
        if not self.section_open:  # a measure before any section: give it one
            self.section_open, self.sections = True, 1
            self.items.append(Heading(1, (Run("Åtgärder"),), self.ident((), "Åtgärder")))
            self.report.append(
                "en åtgärd stod före första avsnittet; avsnittet 'Åtgärder' lades till"
            )
        self.measure = _Measure(title, MeasureFields(self.report))
        self.items.append(Heading(2, title, ident, ".åtgärd"))
        self.where = f"åtgärden '{short(plain(title))}'"

    def note_in_heading(self, runs: Inlines, text: str) -> bool:
        if any(r.note is not None for r in runs):
            self.report.append(
                f"en fotnot i rubriken '{short(text, 30)}' lämnades utanför; sätt den i "
                "texten under rubriken"
            )
            return True
        return False

    # --- tables ----------------------------------------------------------------------------------

    def table(self, tbl: WordTable) -> None:
        """A table after the cover: a pipe table (or a measure's fields, or paragraphs), with
        what a pipe table cannot hold made to fit and reported."""
        fitted: list[str] = []
        rows = [self.row(cells, fitted) for cells in tbl.rows]
        if not all(rows):
            fitted.append("tomma rader togs bort")
        rows = [r for r in rows if r]
        what = f"{self.where}: tabellen ('{short(tbl.text, 40)}')"
        if tbl.objects:
            self.report.append(f"{what}: bilder och objekt i cellerna kan inte föras över")
        if self.measure is not None and self.measure.fields.rows(rows, self.where):
            return
        if not rows:
            return
        if len(rows) == 1:  # a table of one row: its cells as paragraphs
            self.report.append(f"{what}: en tabell med en enda rad blev ett stycke per cell")
            for cell in rows[0]:
                if plain(cell).strip():
                    self.emit(Paragraph(cell))
            return
        target = self.target()
        if self.last_table and self.last_table[0] is target and target[-1] is self.last_table[1]:
            # two tables with nothing between them would be one table in Word: one here too
            before = self.last_table[1]
            rows = [before.header, *before.rows, *rows]
            target.pop()
            fitted.append("den slogs ihop med tabellen före (inget stod mellan dem)")
        width = max(len(r) for r in rows)
        if any(len(r) < width for r in rows):
            fitted.append("rader med färre celler fylldes ut med tomma celler")
        rows = [(*r, *((),) * (width - len(r))) for r in rows]
        # the header row is bold in Word and in our build alike: its bold says nothing
        header = tuple(tuple(replace(r, bold=False) for r in c) for c in rows[0])
        header = tuple(join_runs(c) for c in header)
        if not any(plain(c).strip() for c in header):
            fitted.append("den tomma första raden fick rubrikerna Kolumn 1, Kolumn 2 …")
            header = tuple((Run(f"Kolumn {i}"),) for i in range(1, width + 1))
        table = Table(header, tuple(rows[1:]))
        for note in dict.fromkeys(fitted):
            self.report.append(f"{what}: {note}")
        self.emit(table)
        self.last_table = (target, table)

    def row(self, cells, fitted: list[str]) -> tuple[Inlines, ...]:
        out: list[Inlines] = []
        for cell in cells:
            if cell.merged:
                fitted.append("sammanslagna celler delades upp (texten står i den första)")
                out.append(())
                continue
            if cell.nested:
                fitted.append("en tabell i en cell blev text")
            for text in cell.paragraphs:
                self.notices(text)
            paragraphs = [t.runs for t in cell.paragraphs if plain(t.runs).strip()]
            if len(paragraphs) > 1:
                fitted.append("en cell med flera stycken eller en lista blev en rad")
            if any("\n" in plain(r) for r in paragraphs):
                fitted.append("radbrytningar i en cell blev mellanslag")
            joined: list[Run] = []
            for k, runs in enumerate(paragraphs):
                joined += [Run(" ")] if k else []
                joined += [replace(r, text=r.text.replace("\n", " ")) for r in runs]
            out.append(join_runs(joined))
            if cell.span > 1:
                fitted.append("sammanslagna celler delades upp (texten står i den första)")
                out += [()] * (cell.span - 1)
        return tuple(out) if any(plain(c).strip() for c in out) else ()

    # --- lists, measures, ids --------------------------------------------------------------------

    def list_kind(self, p: Para) -> bool | None:
        """True for a numbered list item, False for a bullet, None for no list."""
        name = p.style.lower()
        if p.numbered and p.num_id != "0":
            fmt = self.numbering.formats.get((p.num_id, p.ilvl or "0"))
            return fmt not in (None, "bullet", "none")
        if "list number" in name or "numrerad" in name:
            return True
        if "list bullet" in name or "punktlista" in name or name == "list paragraph":
            return False
        return None

    def flush_list(self) -> None:
        if not self.list_items:
            return
        items, self.list_items = self.list_items, []
        groups: list[tuple[bool, str | None, list[Inlines]]] = []
        numbering = self.numbering
        for (ordered, num), runs in items:  # one source list per Word list, as Word counts
            key = numbering.lists.get(num, num)
            restart = num in numbering.restarts and num not in self.used
            self.used.add(num)
            if restart or key not in self.bases:
                self.bases[key], self.counted[key] = numbering.starts.get(num, 1), 0
            if groups and groups[-1][:2] == (ordered, key) and not restart:
                groups[-1][2].append(runs)
            else:
                groups.append((ordered, key, [runs]))
        for ordered, key, group in groups:
            # a Word list goes on counting after a paragraph between its items
            start = self.bases[key] + self.counted[key] if ordered else 1
            self.counted[key] += len(group)
            self.emit(BulletList(tuple(ListItem(r) for r in group), ordered, start))

    def close_measure(self) -> None:
        m, self.measure = self.measure, None
        if m is None:
            return
        self.flush_list()
        self.items += m.fields.written(m.title)
        self.items += m.after

    def target(self) -> list[Item]:
        """Where a block goes: the section or measure, or after the measure's fields."""
        if self.measure is not None and self.measure.fields.values:
            return self.measure.after
        return self.items

    def emit(self, item: Item) -> None:
        self.target().append(item)

    def ident(self, bookmarks: tuple[str, ...], title: str) -> str:
        """The heading's id: from its styrdok bookmark, else made from the title."""
        for name in bookmarks:
            ident = self.known(name)
            if ident and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", ident) and ident not in self.ids:
                self.ids.add(ident)
                return ident
        base = slug(title) or "avsnitt"
        ident, n = base, 2
        while ident in self.ids:
            ident, n = f"{base}-{n}", n + 1
        self.ids.add(ident)
        return ident

    def finish(self) -> None:
        self.flush_list()
        self.close_measure()


def _is_toc(style: str) -> bool:
    name = style.lower()
    return name.startswith("toc") or name.startswith("innehållsförteckning")


def slug(title: str) -> str:
    """An id made from a title: lower case a–z, digits and hyphens, at most 40 characters."""
    text = unicodedata.normalize("NFKD", title.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:40].rstrip("-")
