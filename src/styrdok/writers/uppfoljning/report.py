"""Report stage: a year's follow-up → the uppföljningsrapport for styrgruppen, in Swedish.

One report model answers the group's questions in order: how far the plan has come (the number
of measures in each status, as a bar chart with the numbers beside it), which measures are late
(Tidplan passed and not genomförd), what each department reports and what changed since last
year, and every measure's status and comment in full, by number. The DOCX and PDF are laid out
by the city's template from `to_document` (a Document of its own, as the change report is); the
web page (html.py) is written from the same model.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from styrdok.model.document import (
    BarChart,
    Document,
    Inlines,
    Measure,
    Paragraph,
    Run,
    Section,
    Subheading,
    Table,
    plain,
)
from styrdok.model.uppfoljning import (
    NOT_REPORTED,
    SCALE,
    STATUSES,
    Answer,
    FollowUp,
    Status,
    departments,
    late,
    responsible,
)

KIND = "uppföljningsrapport"


@dataclass(frozen=True)
class Row:
    """One measure in the report: its number, the measure, its status this year and last
    year (None: no follow-up last year), whether it is late, and its departments' answers."""

    number: str
    measure: Measure
    status: Status
    last: Status | None
    late: bool
    answers: tuple[Answer, ...]
    owners: tuple[str, ...]

    @property
    def title(self) -> str:
        return " ".join(plain(self.measure.title).split())

    @property
    def tidplan(self) -> str:
        return plain(self.measure.fields.get("tidplan", ()))


@dataclass(frozen=True)
class FollowUpReport:
    """The report's content before it is laid out."""

    doc: Document
    year: int
    current: FollowUp
    last: FollowUp | None
    rows: tuple[Row, ...]

    @property
    def counts(self) -> list[tuple[Status, int]]:
        """The number of measures in each status, in the scale's order, then ej rapporterad."""
        return [(s, sum(r.status is s for r in self.rows)) for s in (*SCALE, NOT_REPORTED)]

    @property
    def late(self) -> list[Row]:
        return [r for r in self.rows if r.late]

    @property
    def done(self) -> int:
        return sum(r.status.done for r in self.rows)


def build_report(doc: Document, current: FollowUp, last: FollowUp | None) -> FollowUpReport:
    rows = []
    for number, _, measure in doc.numbered_measures():
        status = current.status(measure.id)
        rows.append(
            Row(
                number,
                measure,
                status,
                last.status(measure.id) if last is not None else None,
                late(plain(measure.fields.get("tidplan", ())), status, current.date),
                tuple(current.comments(measure.id)),
                tuple(responsible(measure)),
            )
        )
    return FollowUpReport(doc, current.year, current, last, tuple(rows))


def change(before: Status | None, now: Status, year: int) -> str:
    """A status's change since last year, in words."""
    if before is None:
        return f"ingen uppföljning {year - 1}"
    if before is now:
        return "oförändrad"
    return f"{before.value} → {now.value}"


def _p(*runs: Run) -> Paragraph:
    return Paragraph(tuple(runs))


def _cells(*texts: str) -> tuple[Inlines, ...]:
    return tuple((Run(t),) if t else () for t in texts)


def _section(ident: str, title: str, blocks: list, measures: tuple[Measure, ...] = ()) -> Section:
    return Section(ident, (Run(title),), tuple(blocks), measures)


def summary(report: FollowUpReport) -> Section:
    m = report.doc.metadata
    total = len(report.rows)
    answered = {a.department for r in report.rows for a in r.answers}
    owners = departments(report.doc)
    share = round(100 * report.done / total) if total else 0
    counts = report.counts
    chart = BarChart(
        header=_cells("Status", "Andel av åtgärderna", "Antal"),
        rows=tuple(_cells(s.value, "", f"{n} ({_percent(n, total)})") for s, n in counts),
        values=tuple(n for _, n in counts),
        colours=tuple(s.colour for s, _ in counts),
        caption=f"Åtgärdernas status {report.year}",
        total=total,
        widths=(3, 5, 2),
    )
    blocks: list = [
        _p(
            Run("Dokument: ", bold=True),
            Run(f"{m.full_title} ({report.doc.name}), beslutad {m.datum_long}, DNR {m.dnr}."),
        ),
        _p(
            Run("Uppföljningen: ", bold=True),
            Run(
                f"{report.year}, per {report.current.date.isoformat()}. {len(answered)} av "
                f"{len(owners)} ansvariga förvaltningar och bolag har svarat."
            ),
        ),
        _p(
            Run(
                f"{report.done} av {total} åtgärder ({share} %) är genomförda och "
                f"{len(report.late)} är försenade. Figuren visar hur många åtgärder som har "
                "varje status; en åtgärd som flera förvaltningar ansvarar för har den status "
                "som kommit kortast av deras svar."
            )
        ),
        Subheading((Run(chart.caption),), level=2),
        chart,
    ]
    if report.last is not None:  # before the figure, which ends the section
        moved = sum(r.last is not None and r.last is not r.status for r in report.rows)
        since = f"Sedan uppföljningen {report.year - 1} har {moved} åtgärder ändrat status."
        blocks.insert(3, _p(Run(since)))
    return _section("uppfoljning-sammanfattning", "Sammanfattning", blocks)


def _percent(n: int, total: int) -> str:
    return f"{round(100 * n / total) if total else 0} %"


def _comments(answers: tuple[Answer, ...], shared: bool) -> str:
    texts = [(f"{a.department}: " if shared else "") + a.comment for a in answers if a.comment]
    return " ".join(texts)


def late_measures(report: FollowUpReport) -> Section:
    rows = report.late
    intro = (
        f"Åtgärder vars tidplan har passerat den {report.current.date.isoformat()} och som inte "
        "är genomförda."
    )
    if not rows:
        return _section(
            "uppfoljning-forsenade",
            "Försenade åtgärder",
            [_p(Run(intro)), _p(Run("Inga åtgärder är försenade."))],
        )
    header = _cells("Åtgärd", "Tidplan", "Ansvarig", "Status", "Kommentar")
    body = tuple(
        _cells(
            f"{r.number} {r.title}",
            r.tidplan,
            ", ".join(r.owners),
            r.status.value,
            _comments(r.answers, len(r.answers) > 1),
        )
        for r in rows
    )
    table = Table(header, body, widths=(4, 2, 5, 2, 6))
    return _section("uppfoljning-forsenade", "Försenade åtgärder", [_p(Run(intro)), table])


def per_department(report: FollowUpReport) -> Section:
    """Each department's measures: its own answer, and the change since its answer last year."""
    year = report.year
    blocks: list = [
        _p(
            Run(
                f"Varje förvaltnings och bolags egna svar {year}, och förändringen sedan "
                f"{year - 1}. En åtgärd som flera ansvarar för står under var och en."
            )
        )
    ]
    number = {r.measure.id: r for r in report.rows}
    for department, measures in departments(report.doc).items():
        rows = []
        done = 0
        for n, measure in measures:
            own = report.current.answers.get(measure.id, {}).get(department)
            status = STATUSES[own.status] if own else NOT_REPORTED
            done += status.done
            before = None
            if report.last is not None:
                last_own = report.last.answers.get(measure.id, {}).get(department)
                before = STATUSES[last_own.status] if last_own else NOT_REPORTED
            rows.append(
                _cells(
                    f"{n} {number[measure.id].title}",
                    status.value,
                    change(before, status, year),
                    own.comment if own else "",
                )
            )
        blocks.append(Subheading((Run(department),), level=2))
        blocks.append(_p(Run(f"{len(measures)} åtgärder, varav {done} genomförda.")))
        header = _cells("Åtgärd", f"Status {year}", f"Förändring sedan {year - 1}", "Kommentar")
        blocks.append(Table(header, tuple(rows), widths=(5, 3, 4, 7)))
    return _section("uppfoljning-per-forvaltning", "Per förvaltning och bolag", blocks)


def every_measure(report: FollowUpReport) -> Section:
    """Every measure by number, with its status and each department's comment; its heading
    keeps the measure's id (a bookmark in Word, an anchor on the web)."""
    measures = []
    for r in report.rows:
        blocks: list = [
            _p(
                Run("Status: ", bold=True),
                Run(r.status.value),
                Run(f" (förra året: {r.last.value})" if r.last is not None else ""),
                Run(" – försenad, tidplanen har passerat" if r.late else ""),
            )
        ]
        shared = len(r.owners) > 1
        for a in r.answers:
            who = f"{a.department}, {a.status}" if shared else a.department
            when = f", {a.reported.isoformat()}" if a.reported else ""
            blocks.append(
                _p(Run(f"{who}{when}: ", bold=True), Run(a.comment or "(ingen kommentar)"))
            )
        for department in r.owners:
            if not any(a.department == department for a in r.answers):
                blocks.append(_p(Run(f"{department}: ", bold=True), Run(NOT_REPORTED.value)))
        measures.append(
            replace(
                r.measure,
                blocks=tuple(blocks),
                number=(Run(f"{r.number} "),),
                change=None,
            )
        )
    intro = _p(Run("Varje åtgärd i planens ordning, med status och kommentarer i sin helhet."))
    return _section("uppfoljning-alla", "Alla åtgärder", [intro], tuple(measures))


def sections(report: FollowUpReport) -> tuple[Section, ...]:
    return (summary(report), late_measures(report), per_department(report), every_measure(report))


def title(report: FollowUpReport) -> tuple[str, str]:
    return f"Uppföljning {report.year}", report.doc.metadata.full_title


def to_document(report: FollowUpReport) -> Document:
    """The report as a document model, laid out by the city's template as a report (its own
    title, no governance banner, sections unnumbered, the measures by their plan numbers)."""
    heading, subtitle = title(report)
    meta = replace(
        report.doc.metadata, titel=heading, undertitel=subtitle, datum=report.current.date
    )
    return Document(report.doc.name, meta, sections(report), kind=KIND)
