"""The yearly follow-up (uppföljning) of a plan's measures: the scale of statuses, one
department's answer for one measure, a year's answers, and the rules that read them.

Pure data, as the document model is: the readers turn the year's YAML file and the departments'
workbooks into a `FollowUp`, the writers make the workbooks, the YAML and the report from it.
The scale is one table (`SCALE`); a new status is a new row, never a new branch in the code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from styrdok.model.document import MONTHS, Document, Measure, plain
from styrdok.model.owners import owners


@dataclass(frozen=True)
class Status:
    """One value of the scale: its word, what it means (the workbook's help and the README),
    whether the measure counts as done (a measure not done is late once its Tidplan has passed),
    its rank when departments answer differently (the lowest rank is the measure's status) and
    the colour of its bar in the report's chart."""

    value: str
    meaning: str
    done: bool
    rank: int
    colour: str


# The scale, in the order the drop-down and the report list it. `rank`: the less done or the worse
# news, the lower; a measure shared by departments has the lowest of their answers.
SCALE = (
    Status("ej påbörjad", "arbetet har inte börjat", False, 1, "7F7F7F"),
    Status("påbörjad", "arbetet har börjat", False, 3, "4F81BD"),
    Status("pågår enligt plan", "arbetet pågår och håller tidplanen", False, 4, "1F4E79"),
    Status("försenad", "arbetet pågår men håller inte tidplanen", False, 2, "C55A11"),
    Status("genomförd", "åtgärden är genomförd", True, 5, "548235"),
    Status("avbruten", "åtgärden genomförs inte (skälet i kommentaren)", False, 0, "7F6000"),
)
# What a measure without an answer is called: not a value anyone may choose.
NOT_REPORTED = Status("ej rapporterad", "ingen förvaltning har svarat", False, -1, "8C8C8C")
STATUSES = {s.value: s for s in SCALE}
DONE = next(s.value for s in SCALE if s.done)


def status_of(value: str) -> Status | None:
    """The scale's status for a value as a person may type it (any case, spaces around)."""
    return STATUSES.get(" ".join(value.split()).lower())


def scale_words() -> str:
    """The allowed values, for messages: 'ej påbörjad, påbörjad, …'."""
    return ", ".join(s.value for s in SCALE)


@dataclass(frozen=True)
class Answer:
    """One department's answer for one measure in one year."""

    measure: str  # the measure's id
    department: str
    status: str  # a value of SCALE
    comment: str = ""
    reported: date | None = None  # when it was read in
    line: int = 0  # the line of its department in the year's file (0: not from a file)


@dataclass(frozen=True)
class FollowUp:
    """A year's follow-up of one document: every answer, by measure id and then department, in
    the order of the file."""

    document: str
    year: int
    answers: dict[str, dict[str, Answer]] = field(default_factory=dict)
    on: date | None = None  # the follow-up's date (the file's `datum`); default 30 September
    lines: dict[str, int] = field(default_factory=dict)  # each measure id's line in the file

    @property
    def date(self) -> date:
        """The day the follow-up speaks of: its `datum`, else 30 September of its year (the
        plans say the follow-up is made every year in September)."""
        return self.on or date(self.year, 9, 30)

    def status(self, ident: str) -> Status:
        """The measure's status: the lowest-ranked of its departments' answers, or
        NOT_REPORTED when none has answered."""
        found = [STATUSES[a.status] for a in self.answers.get(ident, {}).values()]
        return min(found, key=lambda s: s.rank) if found else NOT_REPORTED

    def comments(self, ident: str) -> list[Answer]:
        return list(self.answers.get(ident, {}).values())


def with_answers(follow_up: FollowUp, answers: Iterable[Answer]) -> FollowUp:
    """A follow-up with these answers put in (an answer replaces the same department's)."""
    merged = {k: dict(v) for k, v in follow_up.answers.items()}
    for a in answers:
        merged.setdefault(a.measure, {})[a.department] = a
    return FollowUp(follow_up.document, follow_up.year, merged, follow_up.on, follow_up.lines)


def responsible(measure: Measure) -> list[str]:
    """The departments that answer for a measure: those its Ansvarig names."""
    return owners(plain(measure.fields.get("ansvarig", ())))


def departments(doc: Document) -> dict[str, list[tuple[str, Measure]]]:
    """Each responsible department (sorted by name) with its measures and their numbers, in
    the plan's order; a measure with two departments is under both."""
    out: dict[str, list[tuple[str, Measure]]] = {}
    for number, _, measure in doc.numbered_measures():
        for department in responsible(measure):
            out.setdefault(department, []).append((number, measure))
    return dict(sorted(out.items(), key=lambda item: item[0].lower()))


# --- deadlines: when a Tidplan has passed --------------------------------------------------------

# A Tidplan that starts with one of these words names no deadline ("Påbörjas 2018", "Löpande").
NO_DEADLINE = ("påbörjas", "löpande", "kontinuerligt", "fortlöpande", "årligen", "pågående")
# Parts of a year as people write them, and the last day (month, day) of each.
SEASONS = {
    "våren": (6, 30),
    "vår": (6, 30),
    "sommaren": (8, 31),
    "hösten": (12, 31),
    "höst": (12, 31),
    "första halvåret": (6, 30),
    "andra halvåret": (12, 31),
    "q1": (3, 31),
    "q2": (6, 30),
    "q3": (9, 30),
    "q4": (12, 31),
    "kvartal 1": (3, 31),
    "kvartal 2": (6, 30),
    "kvartal 3": (9, 30),
    "kvartal 4": (12, 31),
}
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def deadline(tidplan: str) -> date | None:
    """The last day a Tidplan allows: the last year it names, narrowed by a month or a part of
    the year written right before it ("juni 2018" → 30 June 2018, "våren 2018" → 30 June,
    "2019" → 31 December). None for a Tidplan without a year or one that names no deadline."""
    text = " ".join(tidplan.lower().split())
    if not text or text.startswith(NO_DEADLINE):
        return None
    years = list(_YEAR.finditer(text))
    if not years:
        return None
    last = years[-1]
    year = int(last.group())
    before = text[: last.start()].rstrip(" ,")
    for i, name in enumerate(MONTHS, 1):
        if before.endswith(name):
            last_day = _MONTH_DAYS[i - 1] if i != 2 else (29 if _leap(year) else 28)
            return date(year, i, last_day)
    for words, (month, day) in SEASONS.items():
        if before.endswith(words):
            return date(year, month, day)
    return date(year, 12, 31)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def late(tidplan: str, status: Status, on: date) -> bool:
    """Whether a measure is late on a day: its Tidplan has passed and it is not genomförd."""
    end = deadline(tidplan)
    return end is not None and end < on and not status.done


# --- the form the departments fill in (a workbook; a CSV that Excel saves of it) ----------------


@dataclass(frozen=True)
class Form:
    """The layout of the workbook sent to a department, shared by its writer and its readers:
    the labels of the rows that say what the workbook is (document, year, department), the
    table's columns, and the hidden sheet that repeats what was sent."""

    sheet: str = "Uppföljning"
    meta_sheet: str = "styrdok"  # hidden; what was sent, as key and value and a row a measure
    document_label: str = "Dokument"
    year_label: str = "År"
    department_label: str = "Förvaltning"
    number_label: str = "Nummer"  # the table's first header cell
    header_row: int = 7
    # the columns, in order: (key, header, width); {år} and {fjol} are the year and the one before
    columns: tuple[tuple[str, str, float], ...] = (
        ("number", "Nummer", 12),
        ("title", "Åtgärd", 36),
        ("tidplan", "Tidplan", 14),
        ("last_status", "Status {fjol}", 14),
        ("last_comment", "Kommentar {fjol}", 26),
        ("status", "Status {år}", 17),
        ("comment", "Kommentar {år}", 38),
        ("id", "Id", 24),
    )
    editable: tuple[str, ...] = ("status", "comment")  # the only unlocked cells

    def column(self, key: str) -> int:
        """A column's number (1 = A)."""
        return next(i for i, (k, _, _) in enumerate(self.columns, 1) if k == key)

    def header(self, key: str, year: int) -> str:
        text = next(h for k, h, _ in self.columns if k == key)
        return text.format(år=year, fjol=year - 1)


FORM = Form()
