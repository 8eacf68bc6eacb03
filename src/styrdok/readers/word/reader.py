"""Import stage: a Word document → the source text (`document.yaml` + `document.md`).

A reader, not a second way into the model: the DOCX is read into chunks of source text
(source_text.py writes them), and that text goes through the one parser (source.py) before
anything is written. Recognised:

- sections: a level-1 heading (style or outline level) or a paragraph that starts with a
  number and is a heading or wholly bold ("1 Inledning", "2. Syfte");
- measures: a paragraph that starts with `<section>:<n>` ("3:1 …");
- ids: a styrdok bookmark on the heading (`id_…`), else made from the title (unique);
- the three fields by their labels, on a paragraph of their own or as "Tidplan: juni 2026";
- metadata from the cover's label/value rows, the header (date, type, DNR), the banner and the
  title and subtitle styles; what is not found becomes `<saknas>`, which `check` rejects;
- bold, italic, links, bullet and numbered lists, subheadings;
- tables after the cover as pipe tables, the first row the header row. What a pipe table cell
  cannot hold is made to fit and listed in the report: a cell's paragraphs, line breaks and
  list items are joined into one line, a merged cell is split into its cells (the text in the
  first, the others empty), a row short of cells is filled with empty ones, an empty header row
  is named "Kolumn 1", "Kolumn 2" …, a nested table becomes text, and a table of one row
  becomes one paragraph per cell. In a measure, a table of field rows ("Tidplan | juni 2026")
  gives the measure's fields.
Anything the source format cannot hold (images, footnotes, comments, text boxes, text before
the first section) is listed in the import report with its place.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from lxml import etree

from styrdok.errors import StyrdokError
from styrdok.model.document import (
    GOVERNANCE_TYPES,
    MEASURE_FIELDS,
    MONTHS,
    BulletList,
    Inlines,
    ListItem,
    Run,
    Table,
    join_runs,
    plain,
)
from styrdok.model.ids import BOOKMARK_PREFIX, id_from_bookmark
from styrdok.readers.markdown.source import LINK_TARGET, REQUIRED_KEYS
from styrdok.readers.markdown.source import PLACEHOLDER as MISSING
from styrdok.writers import source_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
FIELD_LABELS = {label.lower(): key for key, label in MEASURE_FIELDS.items()}
METADATA_LABELS = {
    "typ": "typ",
    "dokumenttyp": "typ",
    "titel": "titel",
    "undertitel": "undertitel",
    "datum": "datum",
    "beslutsdatum": "datum",
    "beslutad": "datum",
    "diarienummer": "dnr",
    "dnr": "dnr",
    "beslutat av": "beslutat_av",
    "beslutad av": "beslutat_av",
    "beslutsinstans": "beslutat_av",
    "revideras av": "revideras_av",
    "dokumentets giltighet": "giltighet",
    "giltighet": "giltighet",
    "giltighetstid": "giltighet",
    "gäller till": "giltighet",
    "dokumentet gäller för": "gäller_för",
    "gäller för": "gäller_för",
    "dokumentansvarig": "dokumentansvarig",
    "ansvarig för dokumentet": "dokumentansvarig",
}
SECTION_NUMBER = re.compile(r"^\s*(\d{1,2})\.?\s+(?=\S)")
MEASURE_NUMBER = re.compile(r"^\s*(\d{1,2}):(\d{1,3})\.?\s+(?=\S)")
APPENDIX_NUMBER = re.compile(r"^\s*Bilaga\s+(\d{1,2})[.:]?\s+(?=\S)", re.IGNORECASE)
TRACKED = ("ins", "del", "moveFrom", "moveTo")
MAX_UNPACKED = 200 << 20  # a styrdokument unpacks to a few MB; more is a broken or hostile file


class ImportError_(StyrdokError):
    """A Word document cannot be imported."""


@dataclass
class Imported:
    """What a Word document gave: the source text and the report of what it could not hold."""

    meta: dict[str, str]
    chunks: list[str]
    report: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        return source_text.join(self.chunks)

    @property
    def yaml(self) -> str:
        return source_text.metadata(self.meta)


def read_docx(path: Path, accept_changes: bool = False, known_ids: dict[str, str] | None = None):
    """Read a Word document into source text. `known_ids` maps bookmark names that cannot be
    read back (long ids) to ids, from the document being updated."""
    unreadable = ImportError_(
        f"{path}: inte ett Word-dokument (.docx) som går att läsa; spara det som .docx i Word"
    )
    try:
        with zipfile.ZipFile(path) as z:
            if sum(i.file_size for i in z.infolist()) > MAX_UNPACKED:
                raise ImportError_(
                    f"{path}: packar upp till mer än {MAX_UNPACKED >> 20} MB; det är inget "
                    "styrdokument (spara bilderna mindre, eller utan bilder)"
                )
            parts = {n: z.read(n) for n in z.namelist()}
        main = etree.fromstring(parts["word/document.xml"])
        if main.find(f"{W}body") is None:
            raise unreadable
        reader = _Reader(path, parts, main, accept_changes, known_ids or {})  # parses the parts
    except (OSError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        raise unreadable from None
    return reader.read()


class _Reader:
    def __init__(self, path, parts, main, accept_changes, known_ids):
        self.path, self.parts, self.main = path, parts, main
        self.accept_changes, self.known_ids = accept_changes, known_ids
        self.styles = _styles(parts.get("word/styles.xml"))
        numbering = _numbering(parts.get("word/numbering.xml"))
        self.numbering, self.starts, self.lists, self.restarts = numbering
        # Word counts a list per abstract numbering: every numbering instance of it goes on
        # counting, except where one with a start override is first used (LibreOffice saves a
        # list as the first item's restarting instance and the rest's plain one)
        self.counted: dict[str | None, int] = {}  # items of each Word list written so far
        self.bases: dict[str | None, int] = {}  # each Word list's first number
        self.used: set[str | None] = set()  # numbering instances met so far
        self.links = _links(parts.get("word/_rels/document.xml.rels"))
        notes = parts.get("word/footnotes.xml")
        self.notes_root = etree.fromstring(notes) if notes else None
        self.note_links = _links(parts.get("word/_rels/footnotes.xml.rels"))
        self.notes = {
            n.get(f"{W}id"): n
            for n in (self.notes_root.iter(f"{W}footnote") if notes is not None else ())
            if n.get(f"{W}type") in (None, "normal")
        }
        self.report: list[str] = []
        self.meta: dict[str, str] = {}
        self.chunks: list[str] = []
        self.ids: set[str] = set()
        self.where = "omslaget"
        self.section_open = False
        self.sections = 0  # sections so far
        self.title_candidates: list[str] = []  # cover lines, for a title in no Title style
        self.measure: dict | None = None
        self.pending_label: str | None = None
        self.list_items: list[tuple[bool, Inlines]] = []
        self.last_table: tuple[list[str], str, Table] | None = None  # (chunks, chunk, table)

    # --- the whole document ------------------------------------------------------------------

    def read(self) -> Imported:
        self.tracked_changes()
        paragraphs = 0
        cover: list[str] = []
        for el in _body_elements(self.main.find(f"{W}body")):
            if el.tag == f"{W}tbl":
                if self.section_open:
                    self.flush_list()
                    self.pending_label = None
                    self.body_table(el)
                else:
                    self.cover_table(el)
                continue
            paragraphs += 1
            self.inline_objects(el, paragraphs)
            style = self.styles.get(_style_id(el), ("", 0))
            runs = self.runs(el)
            text = plain(runs).strip()
            if _is_toc(style[0]) or (not self.section_open and text == "Innehållsförteckning"):
                continue
            if not text:
                continue
            kind = self.heading_kind(el, style, text)
            if not self.section_open and not kind:
                cover.append(text)
                self.cover_paragraph(style[0], text)
                continue
            self.paragraph(el, style, runs, text, kind)
        self.flush_list()
        self.close_measure()
        if not self.section_open:
            raise ImportError_(
                f"{self.path}: hittade inga numrerade avsnitt ('1 Inledning' som rubrik); "
                "är det ett styrdokument? Numrera avsnitten eller gör dem till Rubrik 1"
            )
        if "titel" not in self.meta and self.title_candidates:
            self.meta["titel"] = self.title_candidates[0]
        self.header_metadata()
        self.guess_type(cover)
        self.footnotes_and_comments()
        meta = {key: self.meta.get(key, MISSING) for key in _metadata_keys()}
        if "undertitel" in self.meta:
            meta["undertitel"] = self.meta["undertitel"]
        if not _styrdok_made(self.parts):
            unused = [
                t
                for t in cover
                if t not in self.meta.values() and not _label_of(t.split(":", 1)[0])
            ]
            self.report += [f"omslaget: texten '{_short(t)}' fördes inte över" for t in unused]
        missing = [k for k, v in meta.items() if v == MISSING]
        self.report += [f"document.yaml: '{k}' hittades inte; fyll i värdet" for k in missing]
        return Imported(meta, self.chunks, self.report)

    def tracked_changes(self) -> None:
        roots = [self.main] + ([self.notes_root] if self.notes_root is not None else [])
        marks = [el for root in roots for tag in TRACKED for el in root.iter(f"{W}{tag}")]
        comments = list(self.main.iter(f"{W}commentReference"))
        if (marks or comments) and not self.accept_changes:
            what = " och ".join(
                x for x, found in (("spårade ändringar", marks), ("kommentarer", comments)) if found
            )
            raise ImportError_(
                f"{self.path}: dokumentet har {what}; godkänn eller avvisa ändringarna och ta "
                "bort kommentarerna i Word (Granska), eller importera med --accept-changes "
                "(ändringarna godkänns, kommentarerna lämnas utanför)"
            )
        for el in marks:  # accepted: deletions go, insertions stay
            parent = el.getparent()
            if parent is None:
                continue
            if parent.tag == f"{W}rPr":  # a paragraph mark
                if etree.QName(el).localname in ("del", "moveFrom"):
                    p = parent.getparent().getparent()
                    p.set("_deleted_mark", "1")
                parent.remove(el)
            elif etree.QName(el).localname in ("del", "moveFrom"):
                parent.remove(el)
            else:
                for child in list(el):
                    el.addprevious(child)
                parent.remove(el)
        if comments:
            n = len(comments)
            self.report.append(f"{n} {'kommentar' if n == 1 else 'kommentarer'} lämnades utanför")

    # --- the cover and the header --------------------------------------------------------------

    def cover_table(self, tbl) -> None:
        rows = [[_cell_text(tc) for tc in tr.iter(f"{W}tc")] for tr in tbl.iter(f"{W}tr")]
        cells = [c for row in rows for c in row]
        if sorted(c.lower() for c in cells if c) == sorted(GOVERNANCE_TYPES):
            self.banner(tbl)
            return
        for row in rows:
            if len(row) >= 2 and (key := _label_of(row[0])) and row[1]:
                self.set_meta(key, row[1])
            for cell in row:
                self.cover_paragraph("", cell)

    def banner(self, tbl) -> None:
        """The governance banner: the type whose cell is marked (bold or filled)."""
        for tc in tbl.iter(f"{W}tc"):
            text = _text(tc).strip().lower()
            bold = any(r.find(f"{W}rPr/{W}b") is not None for r in tc.iter(f"{W}r"))
            if text in GOVERNANCE_TYPES and bold:
                self.meta.setdefault("typ", text)

    def cover_paragraph(self, style: str, text: str) -> None:
        name = style.lower()
        if name == "title" and "titel" not in self.meta:
            self.meta["titel"] = text
        elif name == "subtitle" and "undertitel" not in self.meta:
            self.meta["undertitel"] = text
        elif ":" in text and (key := _label_of(text.split(":", 1)[0])):
            self.set_meta(key, text.split(":", 1)[1].strip())
        elif len(text) < 120:
            self.title_candidates.append(text)

    def set_meta(self, key: str, value: str) -> None:
        value = re.sub(r"\s+", " ", value).strip()
        if not value or key in self.meta:
            return
        if key == "datum":
            parsed = _date(value)
            if parsed is None:
                self.report.append(f"omslaget: datumet '{value}' gick inte att läsa")
                return
            value = parsed
        if key == "typ":
            value = value.lower()
            if value not in GOVERNANCE_TYPES:
                return
        self.meta[key] = value

    def header_metadata(self) -> None:
        for name, data in sorted(self.parts.items()):
            if not re.fullmatch(r"word/header\d*\.xml", name):
                continue
            lines = [_para_text(p).strip() for p in etree.fromstring(data).iter(f"{W}p")]
            for line in lines:
                if m := re.search(r"\bDNR\s*:?\s*(\S.*?)(?=\t|\s{2,}|$)", line, re.IGNORECASE):
                    self.set_meta("dnr", m.group(1).strip())
                if m := re.search(r"\b(PROGRAM|PLAN|POLICY|RIKTLINJER)\b", line):
                    self.set_meta("typ", m.group(1))
                if _date(line):
                    self.set_meta("datum", line)

    def guess_type(self, cover: list[str]) -> None:
        if "typ" in self.meta:
            return
        words = " ".join([self.meta.get("titel", ""), *cover[:3]]).lower()
        for typ in ("riktlinjer", "policy", "program", "plan"):
            if typ in words:
                self.meta["typ"] = typ
                return

    def footnotes_and_comments(self) -> None:
        refs = list(self.main.iter(f"{W}endnoteReference"))
        if refs:
            self.report.append(f"{len(refs)} slutnoter lämnades utanför (se platserna ovan)")

    # --- the body --------------------------------------------------------------------------------

    def inline_objects(self, p, number: int) -> None:
        place = f"stycke {number}"
        found = []
        for el in p.iter(f"{W}drawing", f"{W}pict", f"{W}object"):
            boxed = any(x.tag == f"{W}txbxContent" for x in el.iter())
            found.append(
                "en textruta" if boxed else "en bild" if el.tag != f"{W}object" else "ett objekt"
            )
        found += ["en slutnot" for _ in p.iter(f"{W}endnoteReference")]
        self.report += [f"{self.where} ({place}): {what} kan inte föras över" for what in found]

    def heading_kind(self, p, style: tuple[str, int], text: str) -> str | None:
        """'section', 'measure', 'sub2', 'sub3' or None for a paragraph. A numbered heading is
        a heading (style or outline level); a wholly bold paragraph only when its number is the
        next one (section n+1, or measure n:m+1 of the current section) and it is no date."""
        level = _outline_level(p, style)
        bold = _wholly_bold(p) and not _date(text[:30]) and len(text) < 150
        if (m := MEASURE_NUMBER.match(text)) and (
            level or (bold and int(m.group(1)) == self.sections and int(m.group(2)) > 0)
        ):
            return "measure"
        if level in (1, 2) and _has_id_bookmark(p):  # a styrdok heading whose number was removed
            return "section" if level == 1 else "measure"
        m = SECTION_NUMBER.match(text)
        if level == 1 or (m and (level or (bold and int(m.group(1)) == self.sections + 1))):
            return "section"
        if level == 2 and self.measure is not None and self.measure["fields"]:
            return "measure"  # a new measure without a number, after the previous one's fields
        if self.section_open and level in (2, 3):
            return f"sub{level}"
        if self.section_open and level and level > 3:
            return "sub3"
        return None

    def paragraph(self, p, style, runs: Inlines, text: str, kind: str | None) -> None:
        if kind in ("section", "measure"):
            self.flush_list()
            self.close_measure()
            appendix = APPENDIX_NUMBER.match(text) if kind == "section" else None
            number = appendix or (MEASURE_NUMBER if kind == "measure" else SECTION_NUMBER).match(
                text
            )
            if any(r.note is not None for r in runs):
                self.report.append(
                    f"en fotnot i rubriken '{_short(text, 30)}' lämnades utanför; sätt den i "
                    "texten under rubriken"
                )
                runs = tuple(r for r in runs if r.note is None)
            title = _strip_prefix(runs, number.end() if number else 0)
            if all(r.bold for r in title):  # a bold paragraph made heading: the bold is the heading
                title = tuple(Run(r.text, False, r.italic, r.href) for r in title)
            self.pending_label = None
            ident = self.ident(p, plain(title))
            if kind == "section":
                self.section_open = True
                self.sections += 1
                classes = ".bilaga" if appendix else ""
                self.chunks.append(source_text.heading(1, title, ident, classes))
                self.where = f"avsnittet '{_short(plain(title))}'"
            else:
                if not self.section_open:  # a measure before any section: give it one
                    self.section_open, self.sections = True, 1
                    section_id = self.ident(None, "Åtgärder")
                    self.chunks.append(source_text.heading(1, (Run("Åtgärder"),), section_id))
                    self.report.append(
                        "en åtgärd stod före första avsnittet; avsnittet 'Åtgärder' lades till"
                    )
                self.measure = {"title": title, "id": ident, "fields": {}, "after": []}
                self.chunks.append(source_text.heading(2, title, ident, ".åtgärd"))
                self.where = f"åtgärden '{_short(plain(title))}'"
            return
        if self.measure is not None and self.field(runs, text):
            return
        self.pending_label = None
        if kind in ("sub2", "sub3"):
            self.flush_list()
            if any(r.note is not None for r in runs):
                self.report.append(
                    f"en fotnot i rubriken '{_short(text, 30)}' lämnades utanför; sätt den i "
                    "texten under rubriken"
                )
            runs = tuple(r for r in runs if r.note is None)
            self.emit(source_text.heading(int(kind[-1]), runs))
            return
        ordered = self.list_kind(p, style)
        if ordered is not None:
            level = p.find(f"{W}pPr/{W}numPr/{W}ilvl")
            if level is not None and level.get(f"{W}val", "0") != "0":
                self.report.append(
                    f"{self.where}: en lista i flera nivåer blev en nivå ('{_short(text, 30)}')"
                )
            num = p.find(f"{W}pPr/{W}numPr/{W}numId")
            list_id = num.get(f"{W}val") if num is not None else None
            self.list_items.append(((ordered, list_id), runs))
            return
        self.flush_list()
        self.emit(source_text.inline(runs, breaks=True))

    def body_table(self, tbl) -> None:
        """A table after the cover: a pipe table (or a measure's fields, or paragraphs), with
        what a pipe table cannot hold made to fit and reported (see the module's notes)."""
        fitted: list[str] = []
        rows = [self.table_row(tr, fitted) for tr in tbl.findall(f"{W}tr")]
        if not all(rows):
            fitted.append("tomma rader togs bort")
        rows = [r for r in rows if r]
        what = f"{self.where}: tabellen ('{_short(_text(tbl), 40)}')"
        if any(True for _ in tbl.iter(f"{W}drawing", f"{W}pict", f"{W}object")):
            self.report.append(f"{what}: bilder och objekt i cellerna kan inte föras över")
        if self.measure is not None and rows and all(self.field_row(r) for r in rows):
            for row in rows:
                self.set_field(FIELD_LABELS[_label(row[0])], row[1])
            return
        if not rows:
            return
        if len(rows) == 1:  # a table of one row: its cells as paragraphs
            self.report.append(f"{what}: en tabell med en enda rad blev ett stycke per cell")
            for cell in rows[0]:
                if plain(cell).strip():
                    self.emit(source_text.inline(cell))
            return
        target = (
            self.measure["after"]
            if self.measure is not None and self.measure["fields"]
            else self.chunks
        )
        if self.last_table and self.last_table[0] is target and target[-1] is self.last_table[1]:
            # two tables with nothing between them would be one table in Word: one here too
            before = self.last_table[2]
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
        chunk = source_text.table(table)
        self.emit(chunk)
        self.last_table = (target, chunk, table)

    def table_row(self, tr, fitted: list[str]) -> tuple[Inlines, ...]:
        cells: list[Inlines] = []
        for tc in tr.findall(f"{W}tc"):
            props = tc.find(f"{W}tcPr")
            merged = props.find(f"{W}vMerge") if props is not None else None
            if merged is not None and merged.get(f"{W}val", "continue") == "continue":
                fitted.append("sammanslagna celler delades upp (texten står i den första)")
                cells.append(())
                continue
            if tc.find(f".//{W}tbl") is not None:
                fitted.append("en tabell i en cell blev text")
            paragraphs = [self.runs(p) for p in tc.iter(f"{W}p")]
            paragraphs = [r for r in paragraphs if plain(r).strip()]
            if len(paragraphs) > 1:
                fitted.append("en cell med flera stycken eller en lista blev en rad")
            if any("\n" in plain(r) for r in paragraphs):
                fitted.append("radbrytningar i en cell blev mellanslag")
            joined: list[Run] = []
            for k, runs in enumerate(paragraphs):
                joined += [Run(" ")] if k else []
                joined += [replace(r, text=r.text.replace("\n", " ")) for r in runs]
            cells.append(join_runs(joined))
            span = props.find(f"{W}gridSpan") if props is not None else None
            if (
                span is not None
                and span.get(f"{W}val", "1").isdigit()
                and int(span.get(f"{W}val")) > 1
            ):
                fitted.append("sammanslagna celler delades upp (texten står i den första)")
                cells += [()] * (int(span.get(f"{W}val")) - 1)
        return tuple(cells) if any(plain(c).strip() for c in cells) else ()

    def field_row(self, row: tuple[Inlines, ...]) -> bool:
        return (
            len(row) >= 2
            and _label(row[0]) in FIELD_LABELS
            and not any(plain(c).strip() for c in row[2:])
        )

    def emit(self, chunk: str) -> None:
        """A block of the current section or measure (after a measure's fields: kept after)."""
        if self.measure is not None and self.measure["fields"]:
            self.measure["after"].append(chunk)
        else:
            self.chunks.append(chunk)

    def field(self, runs: Inlines, text: str) -> bool:
        """A measure's field: a label paragraph, the value after one, or 'Label: value'."""
        assert self.measure is not None
        label = text.rstrip(":").strip().lower()
        if label in FIELD_LABELS:
            self.flush_list()
            self.pending_label = FIELD_LABELS[label]
            return True
        if self.pending_label is not None:
            key, self.pending_label = self.pending_label, None
            return self.set_field(key, runs)
        head = text.split(":", 1)[0].strip().lower()
        if ":" in text and head in FIELD_LABELS:
            self.flush_list()
            value = _strip_prefix(runs, plain(runs).index(":") + 1)
            return self.set_field(FIELD_LABELS[head], value)
        return False

    def set_field(self, key: str, value: Inlines) -> bool:
        assert self.measure is not None
        if key in self.measure["fields"]:
            label = MEASURE_FIELDS[key]
            self.report.append(f"{self.where}: fältet '{label}' står två gånger; det första gäller")
            return False
        self.measure["fields"][key] = value
        return True

    def close_measure(self) -> None:
        m, self.measure = self.measure, None
        if m is None:
            return
        self.flush_list()
        for key, label in MEASURE_FIELDS.items():
            value = m["fields"].get(key) or (Run(MISSING),)
            if key not in m["fields"]:
                self.report.append(
                    f"åtgärden '{_short(plain(m['title']))}': fältet '{label}' hittades inte"
                )
            self.chunks.append(source_text.field(label, value))
        self.chunks += m["after"]

    def list_kind(self, p, style: tuple[str, int]) -> bool | None:
        """True for a numbered list item, False for a bullet, None for no list."""
        num = p.find(f"{W}pPr/{W}numPr/{W}numId")
        name = style[0].lower()
        if num is not None and num.get(f"{W}val") != "0":
            level = p.find(f"{W}pPr/{W}numPr/{W}ilvl")
            fmt = self.numbering.get(
                (num.get(f"{W}val"), level.get(f"{W}val") if level is not None else "0")
            )
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
        for (ordered, num), runs in items:  # one source list per Word list, as Word counts
            key = self.lists.get(num, num)
            restart = num in self.restarts and num not in self.used
            self.used.add(num)
            if restart or key not in self.bases:
                self.bases[key], self.counted[key] = self.starts.get(num, 1), 0
            if groups and groups[-1][:2] == (ordered, key) and not restart:
                groups[-1][2].append(runs)
            else:
                groups.append((ordered, key, [runs]))
        lists = []
        for ordered, key, group in groups:
            # a Word list goes on counting after a paragraph between its items
            start = self.bases[key] + self.counted[key] if ordered else 1
            self.counted[key] += len(group)
            lists.append(BulletList(tuple(ListItem(r) for r in group), ordered, start))
        for text in source_text.blocks(tuple(lists)):  # two lists in a row get other markers
            self.emit(text)

    def ident(self, p, title: str) -> str:
        """The heading's id: from its styrdok bookmark, else made from the title."""
        for b in p.iter(f"{W}bookmarkStart") if p is not None else ():
            name = b.get(f"{W}name", "")
            ident = id_from_bookmark(name) or self.known_ids.get(name)
            if ident and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", ident) and ident not in self.ids:
                self.ids.add(ident)
                return ident
        base = slug(title) or "avsnitt"
        ident, n = base, 2
        while ident in self.ids:
            ident, n = f"{base}-{n}", n + 1
        self.ids.add(ident)
        return ident

    def runs(self, p) -> Inlines:
        out: list[Run] = []
        for el in p.iter(f"{W}r"):
            link = next(el.iterancestors(f"{W}hyperlink"), None)
            href = None
            if link is not None and link.get(R_ID):
                href = self.links.get(link.get(R_ID))
                if href and not LINK_TARGET.match(href):  # a file, a share, a script: text
                    self.report.append(
                        f"{self.where}: länken till '{_short(href, 50)}' går inte att följa i ett "
                        "publicerat dokument och blev text"
                    )
                    href = None
            elif link is not None and (anchor := link.get(f"{W}anchor", "")):
                ident = id_from_bookmark(anchor) or self.known_ids.get(anchor)
                href = f"#{ident}" if ident else None  # a reference by id; other anchors: text
            rpr = el.find(f"{W}rPr")
            bold = _on(rpr, "b") or self.char_style_has(rpr, "b")
            italic = _on(rpr, "i") or self.char_style_has(rpr, "i")
            align = rpr.find(f"{W}vertAlign") if rpr is not None else None
            script = {"superscript": "super", "subscript": "sub"}.get(
                align.get(f"{W}val", "") if align is not None else ""
            )
            for child in el:
                if child.tag == f"{W}footnoteReference":
                    if (note := self.footnote(child.get(f"{W}id"))) is not None:
                        out.append(Run("", note=note))
                elif child.tag == f"{W}t":
                    out.append(Run(child.text or "", bold, italic, href, script=script))
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
        return tuple(
            r if r.text.strip() or r.note is not None else Run(r.text, False, False, r.href)
            for r in merged
        )

    def footnote(self, ident: str | None) -> Inlines | None:
        """A footnote's text: its paragraphs joined into one line (reported if several)."""
        element = self.notes.get(ident or "")
        if element is None:
            return None
        links, self.links = self.links, self.note_links  # the footnote part's own links
        try:
            paragraphs = [r for p in element.iter(f"{W}p") if plain(r := self.runs(p)).strip()]
        finally:
            self.links = links
        if len(paragraphs) > 1:
            self.report.append(
                f"{self.where}: en fotnot med flera stycken blev ett stycke "
                f"('{_short(plain(paragraphs[0]), 30)}')"
            )
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

    def char_style_has(self, rpr, tag: str) -> bool:
        if rpr is None:
            return False
        style = rpr.find(f"{W}rStyle")
        return (
            style is not None
            and tag in self.styles.get("char:" + style.get(f"{W}val"), ("", 0, ""))[2:]
        )


# --- helpers ---------------------------------------------------------------------------------


def _body_elements(body):
    """Paragraphs and tables in order, looking inside content controls (a TOC often is one)."""
    for el in body:
        if el.tag == f"{W}sdt":
            content = el.find(f"{W}sdtContent")
            if content is not None:
                yield from _body_elements(content)
        elif el.tag in (f"{W}p", f"{W}tbl"):
            if el.get("_deleted_mark") and not _text(el).strip():
                continue
            yield el


def _para_text(p) -> str:
    """A paragraph's text with its tabs and line breaks."""
    out = []
    for el in p.iter(f"{W}t", f"{W}tab", f"{W}br"):
        out.append(el.text or "" if el.tag == f"{W}t" else "\t" if el.tag == f"{W}tab" else " ")
    return "".join(out)


def _cell_text(tc) -> str:
    """A table cell's text: its paragraphs joined by commas."""
    return ", ".join(t for p in tc.iter(f"{W}p") if (t := _para_text(p).strip()))


def _text(el) -> str:
    return "".join(t.text or "" for t in el.iter(f"{W}t"))


def _short(text: str, n: int = 50) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= n else text[: n - 1] + "…"


def _style_id(p) -> str:
    s = p.find(f"{W}pPr/{W}pStyle")
    return s.get(f"{W}val") if s is not None else ""


def _styles(data: bytes | None) -> dict:
    """Paragraph style id → (name, outline level or 0); character styles under 'char:<id>'
    → (name, 0, tags it turns on)."""
    if not data:
        return {}
    root = etree.fromstring(data)
    raw = {}
    for s in root.iter(f"{W}style"):
        sid = s.get(f"{W}styleId")
        name_el, based = s.find(f"{W}name"), s.find(f"{W}basedOn")
        level = s.find(f"{W}pPr/{W}outlineLvl")
        on = tuple(t for t in ("b", "i") if _on(s.find(f"{W}rPr"), t))
        raw[sid] = (
            s.get(f"{W}type"),
            name_el.get(f"{W}val") if name_el is not None else sid,
            based.get(f"{W}val") if based is not None else None,
            int(level.get(f"{W}val")) + 1 if level is not None else 0,
            on,
        )
    out: dict = {}
    for sid, (kind, name, based, level, on) in raw.items():
        seen = 0
        while not level and based in raw and seen < 10:  # outline level through basedOn
            level, based, seen = raw[based][3], raw[based][2], seen + 1
        m = re.fullmatch(r"(?:heading|rubrik)\s*(\d)", name.strip().lower())
        level = level or (int(m.group(1)) if m else 0)
        if kind == "character":
            out["char:" + sid] = (name, 0, *on)
        else:
            out[sid] = (name, level if level < 10 else 0)
    return out


def _numbering(data: bytes | None) -> tuple[dict, dict, dict, set]:
    """(numId, ilvl) → the level's number format (decimal, bullet …); numId → the first
    number of its top level (its override, else its definition's); numId → its abstract
    numbering (the list Word counts in); the numIds with a start override."""
    if not data:
        return {}, {}, {}, set()
    root = etree.fromstring(data)
    abstract, first = {}, {}
    for a in root.iter(f"{W}abstractNum"):
        abstract[a.get(f"{W}abstractNumId")] = {
            lvl.get(f"{W}ilvl"): _number_format(lvl.find(f"{W}numFmt")) for lvl in a.iter(f"{W}lvl")
        }
        first[a.get(f"{W}abstractNumId")] = _number(a.find(f"{W}lvl[@{W}ilvl='0']/{W}start"))
    formats, starts, lists, restarts = {}, {}, {}, set()
    for num in root.iter(f"{W}num"):
        num_id = num.get(f"{W}numId")
        ref = num.find(f"{W}abstractNumId")
        override = num.find(f"{W}lvlOverride[@{W}ilvl='0']/{W}startOverride")
        base = first.get(ref.get(f"{W}val"), 1) if ref is not None else 1
        starts[num_id] = _number(override) if override is not None else base
        if override is not None:
            restarts.add(num_id)
        if ref is not None:
            lists[num_id] = "abstract " + str(ref.get(f"{W}val"))
            for ilvl, fmt in abstract.get(ref.get(f"{W}val"), {}).items():
                formats[num_id, ilvl] = fmt
    return formats, starts, lists, restarts


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


def _links(data: bytes | None) -> dict[str, str]:
    if not data:
        return {}
    return {
        r.get("Id"): r.get("Target")
        for r in etree.fromstring(data)
        if r.get("TargetMode") == "External"
    }


def _on(rpr, tag: str) -> bool:
    if rpr is None:
        return False
    el = rpr.find(f"{W}{tag}")
    return el is not None and el.get(f"{W}val", "true") not in ("0", "false", "off")


def _outline_level(p, style: tuple[str, int]) -> int | None:
    level = p.find(f"{W}pPr/{W}outlineLvl")
    if level is not None:
        value = int(level.get(f"{W}val"))
        return value + 1 if value < 9 else None
    return style[1] or None


def _has_id_bookmark(p) -> bool:
    return any(
        b.get(f"{W}name", "").startswith(BOOKMARK_PREFIX) for b in p.iter(f"{W}bookmarkStart")
    )


def _wholly_bold(p) -> bool:
    runs = [r for r in p.iter(f"{W}r") if "".join(t.text or "" for t in r.iter(f"{W}t")).strip()]
    return bool(runs) and all(_on(r.find(f"{W}rPr"), "b") for r in runs)


def _is_toc(style: str) -> bool:
    name = style.lower()
    return name.startswith("toc") or name.startswith("innehållsförteckning")


def _strip_prefix(runs: Inlines, n: int) -> Inlines:
    """The runs without their first n characters (a number, a label) and leading spaces."""
    out, skip = [], n
    for r in runs:
        if skip >= len(r.text):
            skip -= len(r.text)
            continue
        out.append(Run(r.text[skip:], r.bold, r.italic, r.href))
        skip = 0
    if out:
        out[0] = Run(out[0].text.lstrip(), out[0].bold, out[0].italic, out[0].href)
    return tuple(r for r in out if r.text)


def _label(runs: Inlines) -> str:
    """A cell's text as a field label is compared: lower case, without a trailing colon."""
    return plain(runs).strip().rstrip(":").strip().lower()


def _label_of(text: str) -> str | None:
    return METADATA_LABELS.get(text.strip().rstrip(":").strip().lower())


def _metadata_keys() -> list[str]:
    return list(REQUIRED_KEYS)


def _date(text: str) -> str | None:
    """An ISO date from '2018-02-12' or '12 februari 2018'."""
    if m := re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", text):
        candidate = m.group(0)
    elif m := re.search(r"\b(\d{1,2})\s+([a-zåäö]+)\s+(\d{4})\b", text.lower()):
        if m.group(2) not in MONTHS:
            return None
        candidate = f"{m.group(3)}-{MONTHS.index(m.group(2)) + 1:02d}-{int(m.group(1)):02d}"
    else:
        return None
    try:
        return date.fromisoformat(candidate).isoformat()
    except ValueError:
        return None


def slug(title: str) -> str:
    text = unicodedata.normalize("NFKD", title.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:40].rstrip("-")


def _styrdok_made(parts: dict[str, bytes]) -> bool:
    return b"<Application>styrdok" in parts.get("docProps/app.xml", b"")
