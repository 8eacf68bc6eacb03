"""The document model: pure, immutable data that every renderer and the differ consume.

Nothing here reads files or knows about DOCX. Numbers (1, 2 …; 3:1, 3:2 …) are derived from
order and never stored; identity is the author-given `id`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal, TypeAlias

GOVERNANCE_TYPES = ("program", "plan", "policy", "riktlinjer")

# What each type holds, as the city's governance model describes it: the aktiverande types say
# what to do (a plan through numbered measures), the normerande ones how to act (no measures).
# rules.py reads this table; a new rule is a new entry, not new code.
MEASURES_BY_TYPE = {
    "program": None,  # may or may not have measures
    "plan": True,  # a plan without measures is likely a mistake
    "policy": False,  # measures in a policy are likely a mistake
    "riktlinjer": False,
}

MEASURE_FIELDS = {
    "ansvarig": "Ansvarig nämnd eller bolag",
    "tidplan": "Tidplan",
    "uppfoljning": "Uppföljning",
}

MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


@dataclass(frozen=True)
class Change:
    """A tracked change on a run or a block: who made it and when (redlines only)."""

    kind: Literal["ins", "del"]
    author: str
    date: str  # ISO 8601, e.g. 2019-09-12T10:00:00Z
    move: str | None = None  # a moved item: the name pairing where it was ("del") and is ("ins")


Mark = Literal["ins", "del"]
Script = Literal["super", "sub"]


@dataclass(frozen=True)
class Run:
    """A stretch of text with one formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None
    change: Change | None = None  # a tracked change (redlines)
    mark: Mark | None = None  # visibly marked, not tracked (change reports)
    script: Script | None = None  # superscript (m²) or subscript (CO₂)
    # a footnote: this run is its reference mark (no text; the number is derived from the
    # order) and `note` the footnote's text, one paragraph
    note: tuple[Run, ...] | None = None


Inlines = tuple[Run, ...]


def plain(inlines: Inlines) -> str:
    """The text of some inlines, without formatting (and without their footnotes)."""
    return "".join(r.text for r in inlines)


def join_runs(runs: Iterable[Run]) -> Inlines:
    """Runs with neighbours of one formatting joined and empty ones left out (parsers and
    writers split text into runs at will; the model keeps the fewest)."""
    out: list[Run] = []
    texts: list[list[str]] = []  # each joined run's pieces, joined once at the end (adding
    last = None  # text per word copied the whole paragraph each time: quadratic in its length)
    for r in runs:
        if r.note is not None:  # a footnote's mark stands on its own
            out.append(r)
            texts.append([r.text])
            last = None
            continue
        if not r.text:
            continue
        style = (r.bold, r.italic, r.href, r.change, r.mark, r.script)
        if out and style == last:
            texts[-1].append(r.text)
        else:
            out.append(r)
            texts.append([r.text])
            last = style
    return tuple(
        r if len(t) == 1 else replace(r, text="".join(t)) for r, t in zip(out, texts, strict=True)
    )


def text(s: str) -> Inlines:
    """Unformatted inlines from a string."""
    return (Run(s),) if s else ()


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of body text."""

    runs: Inlines
    change: Change | None = None


@dataclass(frozen=True)
class Subheading:
    """A heading inside a section or measure, below the numbered ones."""

    runs: Inlines
    level: int = 2
    change: Change | None = None


@dataclass(frozen=True)
class ListItem:
    """One item of a list."""

    runs: Inlines
    change: Change | None = None


@dataclass(frozen=True)
class BulletList:
    """A list, bulleted or numbered (from `start`)."""

    items: tuple[ListItem, ...]
    ordered: bool = False
    start: int = 1  # a numbered list's first number, as written ("3. tre" starts at 3)


@dataclass(frozen=True)
class Table:
    """A table with one header row (repeated on every page) and rows of the same number of
    cells; each cell is one line of inlines (a pipe table in the source). In a redline, a
    row added or removed carries its change in `changes` (one per body row, or empty), the
    whole table added or removed in `change`."""

    header: tuple[Inlines, ...]
    rows: tuple[tuple[Inlines, ...], ...]
    changes: tuple[Change | None, ...] = ()
    change: Change | None = None
    widths: tuple[int, ...] = ()  # the columns' relative widths in print (none: all equal)

    def row_change(self, i: int) -> Change | None:
        """Body row i's own change (added or removed in a redline), else None."""
        return self.changes[i] if i < len(self.changes) else None


@dataclass(frozen=True)
class BarChart(Table):
    """A horizontal bar chart as a table: a row per bar with its label, the bar and its number
    beside it (a report's summary). The DOCX and HTML writers draw each bar in the `bar` column
    as a figure whose length is its value and whose alternative text says it; every other reader
    of the model sees the table it is, with the bar cells empty."""

    values: tuple[int, ...] = ()
    colours: tuple[str, ...] = ()  # RRGGBB, one a bar
    caption: str = ""  # what the chart shows (the figure's title)
    bar: int = 1  # the column the bars are drawn in
    total: int = 0  # the value of a full-width bar (the largest value when 0)

    def alt(self, i: int) -> str:
        """The alternative text of bar i: 'genomförd: 12 av 30'."""
        label = plain(self.rows[i][0])
        of = f" av {self.total}" if self.total else ""
        return f"{label}: {self.values[i]}{of}"


# Every kind of block. Writers match on it exhaustively (`assert_never` in the last case), so a
# new kind added here fails the type check until every writer handles it.
Block: TypeAlias = Paragraph | Subheading | BulletList | Table


@dataclass(frozen=True)
class Measure:
    """An åtgärd: prose plus the three structured fields."""

    id: str
    title: Inlines
    blocks: tuple[Block, ...]
    fields: dict[str, Inlines]  # keys of MEASURE_FIELDS, in that order
    line: int = 0
    change: Change | None = None  # the whole measure added or removed (redlines)
    number: Inlines | None = None  # a redline's tracked number; None: derived from the order


@dataclass(frozen=True)
class Section:
    """A numbered section (or an appendix): its title, text and measures."""

    id: str
    title: Inlines
    blocks: tuple[Block, ...]
    measures: tuple[Measure, ...] = ()
    line: int = 0
    change: Change | None = None
    number: Inlines | None = None  # a redline's tracked number; None: derived from the order
    appendix: bool = False  # `# Titel {#id .bilaga}`: numbered Bilaga 1, 2 … after the sections


APPENDIX = "Bilaga"

# Kinds of document laid out as a report (their own title block, no governance banner and no
# table of contents, sections unnumbered); the header names the kind instead of the type.
REPORT_KINDS = ("ändringsrapport", "uppföljningsrapport", "remissammanställning", "svarsformulär")
# A styrdokument sent out for comments: laid out as the document, the header says so.
REMISS_KIND = "remissversion"


def section_labels(sections: Sequence[Section]) -> list[str]:
    """Each section's number as derived from the order: 1, 2 … for sections, "Bilaga 1",
    "Bilaga 2" … for appendices (which come after them)."""
    out, counts = [], {False: 0, True: 0}
    for s in sections:
        counts[s.appendix] += 1
        out.append(f"{APPENDIX} {counts[True]}" if s.appendix else str(counts[False]))
    return out


@dataclass(frozen=True)
class Metadata:
    """What document.yaml says about a document."""

    typ: str
    titel: str
    datum: date
    dnr: str
    beslutat_av: str
    revideras_av: str
    giltighet: str
    gäller_för: str
    dokumentansvarig: str
    undertitel: str = ""
    aktualitetsprövas: date | None = None  # when the document is next to be reviewed
    giltig_till: date | None = None  # when it ceases to apply (status.py derives one if absent)
    # records management (arkivredovisning); a project may set defaults in styrdok.toml
    protokollsparagraf: str = ""
    arkivbildare: str = ""
    klassificering: str = ""
    bevarande: str = ""
    gallringsbeslut: str = ""
    informationsklass: str = ""
    ersätter: str = ""

    @property
    def full_title(self) -> str:
        """The title with its subtitle: the PDF's, the web page's, the register's."""
        return self.titel + (f" – {self.undertitel}" if self.undertitel else "")

    @property
    def typ_label(self) -> str:
        return self.typ.upper()

    @property
    def datum_long(self) -> str:
        """The date as written in Swedish prose: 12 februari 2018."""
        return f"{self.datum.day} {MONTHS[self.datum.month - 1]} {self.datum.year}"


KeyKind = Literal["text", "date", "type", "choice", "paragraph"]


@dataclass(frozen=True)
class MetadataKey:
    """One key of document.yaml: its Swedish label, whether it must be there, the kind of value
    it takes (source.py parses each kind), and what it means in one line (README, packages)."""

    key: str
    label: str
    required: bool
    kind: KeyKind
    meaning: str
    records: bool = False  # records management: in the archive package, not on the cover
    project: bool = False  # a project-wide default for it may stand in styrdok.toml
    choices: tuple[str, ...] = ()


def _key(
    key: str,
    label: str,
    kind: KeyKind,
    meaning: str,
    required: bool = False,
    records: bool = False,
    project: bool = False,
    choices: tuple[str, ...] = (),
) -> MetadataKey:
    return MetadataKey(key, label, required, kind, meaning, records, project, choices)


# The one table of metadata keys, in document order. Validation (source.py), the cover's and the
# change list's labels, the importer, the project's defaults (project.py) and the archive
# package's records (release.py) are derived from it: a new key is a new row.
METADATA_KEYS = (
    _key("typ", "Typ", "type", "program, plan, policy eller riktlinjer", required=True),
    _key("titel", "Titel", "text", "dokumentets titel", required=True),
    _key("undertitel", "Undertitel", "text", "en rad under titeln"),
    _key("datum", "Datum", "date", "beslutsdatum, ÅÅÅÅ-MM-DD", required=True),
    _key("dnr", "Diarienummer", "text", "ärendets diarienummer (DNR)", required=True),
    _key("beslutat_av", "Beslutat av", "text", "beslutsinstansen (nämnd, styrelse)", required=True),
    _key("revideras_av", "Revideras av", "text", "vem som reviderar dokumentet", required=True),
    _key("giltighet", "Dokumentets giltighet", "text", "t.ex. 2018-2019", required=True),
    _key("gäller_för", "Dokumentet gäller för", "text", "vilka det gäller för", required=True),
    _key("dokumentansvarig", "Dokumentansvarig", "text", "vem som äger det", required=True),
    _key("aktualitetsprövas", "Aktualitetsprövas", "date", "när det ska prövas på nytt"),
    _key("giltig_till", "Giltig till", "date", "när det upphör att gälla"),
    _key(
        "protokollsparagraf",
        "Protokollsparagraf",
        "paragraph",
        "paragrafen i beslutsprotokollet, t.ex. § 123",
        records=True,
    ),
    _key(
        "arkivbildare",
        "Arkivbildare",
        "text",
        "myndigheten i vars arkiv handlingen ingår",
        records=True,
        project=True,
    ),
    _key(
        "klassificering",
        "Klassificering",
        "text",
        "processens kod i klassificeringsstrukturen (t.ex. Klassa), t.ex. 1.2.3",
        records=True,
        project=True,
    ),
    _key(
        "bevarande",
        "Bevarande",
        "choice",
        "bevaras eller gallras (då med gallringsbeslut)",
        records=True,
        project=True,
        choices=("bevaras", "gallras"),
    ),
    _key(
        "gallringsbeslut",
        "Gallringsbeslut",
        "text",
        "beslutet som gallringen vilar på, t.ex. dokumenthanteringsplanens DNR",
        records=True,
        project=True,
    ),
    _key(
        "informationsklass",
        "Informationsklass",
        "text",
        "resultatet av informationsklassningen, t.ex. öppen",
        records=True,
        project=True,
    ),
    _key(
        "ersätter",
        "Ersätter",
        "text",
        "diarienumret för den version som dokumentet ersätter",
        records=True,
    ),
)
KEYS = {k.key: k for k in METADATA_KEYS}

# The document's own fields with the labels of the cover's metadata block, in document order.
METADATA_LABELS = {k.key: k.label for k in METADATA_KEYS if not k.records}
# The records-management fields: in the archive package, not on the cover.
RECORDS_LABELS = {k.key: k.label for k in METADATA_KEYS if k.records}


@dataclass(frozen=True)
class MetadataRedline:
    """A redline's earlier metadata: every value that differs shows as the old one deleted and
    the new one inserted, wherever the template places it (cover, header)."""

    old: Metadata
    ins: Change
    dele: Change


@dataclass(frozen=True)
class Document:
    """A whole styrdokument: its name, metadata and sections."""

    name: str
    metadata: Metadata
    sections: tuple[Section, ...]
    metadata_redline: MetadataRedline | None = None
    kind: str = "styrdokument"  # or one of REPORT_KINDS (a report), or REMISS_KIND
    legend: Inlines = ()  # a redline PDF's key to its marks, above the table of contents

    def numbered_sections(self) -> list[tuple[str, Section]]:
        return list(zip(section_labels(self.sections), self.sections, strict=True))

    def numbered_measures(self) -> list[tuple[str, Section, Measure]]:
        """Every measure with its derived number `<section>:<n>`."""
        out = []
        for snum, section in self.numbered_sections():
            for m, measure in enumerate(section.measures, 1):
                out.append((f"{snum}:{m}", section, measure))
        return out
