"""The remissammanställning: the owner's account of every comment of a round, as a report in the
city's layout (a model Document rendered by writers/docx.py, kind remissammanställning) and as
one web page from the same model.

In the order the reader asks: which round and who was asked, who answered and who did not; how
many comments got each ställningstagande (and per instans), and what needs a second look (an
unanswered comment, a reason missing, a comment marked *tillgodoses* whose place has not changed
since the remiss version); then per section and measure, in the remiss version's order, each
comment with its instans, quote, proposal and answer, a *tillgodoses* one with the change that
answered it. Appendices: the changes since the remiss version (the change list, word by word)
and every response in full.
"""

from __future__ import annotations

from dataclasses import replace

from styrdok.compare.changelist import ChangeSet, Entry
from styrdok.model.document import (
    BulletList,
    Document,
    Inlines,
    ListItem,
    Paragraph,
    Run,
    Section,
    Subheading,
    Table,
)
from styrdok.model.ids import bookmark_name
from styrdok.model.remiss import (
    ACCEPTED,
    GENERAL,
    KINDS,
    NEEDS_REASON,
    POSITIONS,
    Remark,
    RoundData,
)
from styrdok.project.settings import DEFAULT_CITY, City
from styrdok.writers import html
from styrdok.writers.remiss.remissversion import long_date
from styrdok.writers.report import KINDS as CHANGE_KINDS
from styrdok.writers.report import changed_paragraphs, marked_runs
from styrdok.writers.report import label as change_label

KIND = "remissammanställning"
CHANGES_ID = "andringar-sedan-remissen"
RESPONSES_ID = "remissvaren"
LETTER_SHOWN = 600  # characters of a letter shown at its place; all of it in the appendix
RESPONSE_KINDS = {
    "kommentarer": "kommentarer i Word-filen",
    "formulär": "svarsformuläret",
    "brev": "brev",
    "inga synpunkter": "inga synpunkter",
}
UNANSWERED = "ännu inte besvarad"


def _p(*runs: Run) -> Paragraph:
    return Paragraph(tuple(r for r in runs if r.text))


def _link(text: str, target: str) -> Run:
    return Run(text, href="#" + bookmark_name(target))


def _same(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


class _Summary:
    """The report built from a round's data, the remiss version and the change list."""

    def __init__(self, data: RoundData, remiss: Document, changes: ChangeSet):
        self.data, self.remiss, self.changes = data, remiss, changes
        self.entries = {e.id: e for e in changes.entries if e.target != "metadata"}
        self.numbered: dict[str, int] = {}  # remark id → its number in the report
        self.order = self._ordered()

    # the comments in the remiss version's order: general, per section and measure, unknown
    def _ordered(self) -> list[tuple[str, str, list[Remark]]]:
        """(heading, the heading of the section above it or "", remarks) per place."""
        by_place: dict[str, list[Remark]] = {}
        for r in self.data.remarks:
            by_place.setdefault(r.place_id or r.place, []).append(r)
        groups: list[tuple[str, str, list[Remark]]] = []
        if by_place.get(GENERAL):
            groups.append(("Allmänna synpunkter", "", by_place.pop(GENERAL)))
        for number, section in self.remiss.numbered_sections():
            heading = f"{number} {_plain(section.title)}"
            groups.append((heading, "", by_place.pop(section.id, [])))
            for j, measure in enumerate(section.measures, 1):
                title = f"{number}:{j} {_plain(measure.title)}"
                groups.append((title, heading, by_place.pop(measure.id, [])))
        rest = [r for rs in by_place.values() for r in rs]  # unknown, or ids not in it
        if rest:
            groups.append(("Placering okänd", "", rest))
        n = 0
        for _, _, remarks in groups:
            for r in remarks:
                n += 1
                self.numbered[r.id] = n
        return groups

    def document(self) -> Document:
        sections = [self.overview(), self.counts(), self.per_place(), self.changes_appendix()]
        sections.append(self.responses_appendix())
        current = self.changes.new.metadata
        meta = replace(current, titel="Remissammanställning", undertitel=current.full_title)
        return Document(self.changes.new.name, meta, tuple(sections), kind=KIND)

    # --- who was asked, who answered ---------------------------------------------------------

    def overview(self) -> Section:
        r = self.data.round
        m = self.remiss.metadata
        answered: dict[str, list] = {}
        for x in self.data.responses:
            answered.setdefault(x.body.casefold(), []).append(x)
        counts: dict[str, int] = {}
        for remark in self.data.remarks:
            counts[remark.body.casefold()] = counts.get(remark.body.casefold(), 0) + 1

        def row(body: str) -> tuple[Inlines, ...]:
            got = answered.get(body.casefold(), [])
            if not got:
                return ((Run(body),), (Run("har inte svarat"),), (Run("–"),))
            kinds = sorted({RESPONSE_KINDS.get(x.kind, x.kind) for x in got})
            when = max(x.read for x in got)
            said = f"svarade ({', '.join(kinds)}), inläst {when.isoformat()}"
            return ((Run(body),), (Run(said),), (Run(str(counts.get(body.casefold(), 0))),))

        header = ((Run("Instans"),), (Run("Svar"),), (Run("Synpunkter"),))
        asked = [row(b) for b in r.bodies]
        others = sorted(
            {x.body for x in self.data.responses}
            - {x.body for x in self.data.responses if any(_same(x.body, b) for b in r.bodies)}
        )
        missing = [b for b in r.bodies if b.casefold() not in answered]
        blocks: list = [
            _p(Run("Förslag: ", bold=True), Run(f"{m.full_title} ({self.remiss.name})")),
            _p(
                Run("Remissomgång: ", bold=True),
                Run(
                    f"{r.name}, skickad {long_date(r.sent)}, sista svarsdag {long_date(r.deadline)}"
                ),
            ),
            _p(Run("Remissversion: ", bold=True), Run(f"commit {r.commit[:8]}")),
            _p(
                Run("Svar: ", bold=True),
                Run(
                    f"{len(r.bodies) - len(missing)} av {len(r.bodies)} tillfrågade instanser "
                    f"har svarat"
                    + (f"; {len(missing)} har inte svarat: {', '.join(missing)}" if missing else "")
                    + (f". {len(others)} andra har svarat." if others else ".")
                ),
            ),
            Subheading((Run("Tillfrågade remissinstanser"),), level=2),
            Table(header, tuple(asked)),
        ]
        if others:
            blocks += [
                Subheading((Run("Svar från andra än de tillfrågade"),), level=2),
                Table(header, tuple(row(b) for b in others)),
            ]
        return Section("remissen", (Run("Remissen"),), tuple(blocks))

    # --- how many of each ---------------------------------------------------------------------

    def counts(self) -> Section:
        remarks = self.data.remarks
        positions = [*POSITIONS, ""]
        names = {p: _upper_first(p) for p in POSITIONS} | {"": _upper_first(UNANSWERED)}
        rows = [
            ((Run(names[p]),), (Run(str(sum(1 for r in remarks if r.position == p))),))
            for p in positions
            if p or any(not r.position for r in remarks)
        ]
        rows.append(((Run("Totalt", bold=True),), (Run(str(len(remarks)), bold=True),)))
        blocks: list = [
            Table(((Run("Ställningstagande"),), (Run("Antal synpunkter"),)), tuple(rows)),
        ]
        bodies = list(dict.fromkeys(r.body for r in remarks))
        positions = [p for p in positions if p or any(not r.position for r in remarks)]
        if bodies:
            header = ((Run("Instans"),), *((Run(names[p]),) for p in positions))
            per_body = tuple(
                (
                    (Run(b),),
                    *(
                        (Run(str(sum(1 for r in remarks if r.body == b and r.position == p))),)
                        for p in positions
                    ),
                )
                for b in bodies
            )
            blocks += [Subheading((Run("Per instans"),), level=2), Table(header, per_body)]
        checks = self.to_check()
        if checks:
            blocks += [
                Subheading((Run("Att kontrollera"),), level=2),
                BulletList(tuple(ListItem(c) for c in checks)),
            ]
        return Section("sammanfattning", (Run("Sammanfattning"),), tuple(blocks))

    def to_check(self) -> list[Inlines]:
        out: list[Inlines] = []
        for _, _, remarks in self.order:
            for r in remarks:
                n = self.numbered[r.id]
                who = f"Synpunkt {n} ({r.body}, {r.place})"
                if not r.position:
                    out.append((Run(f"{who} är ännu inte besvarad."),))
                elif r.position in NEEDS_REASON and not r.reason.strip():
                    out.append((Run(f"{who}: {r.position}, men motivering saknas."),))
                elif self.unchanged(r):
                    out.append(
                        (
                            Run(
                                f"{who} tillgodoses, men {r.place} har inte ändrats sedan "
                                "remissversionen."
                            ),
                        )
                    )
        return out

    def unchanged(self, r: Remark) -> bool:
        """A comment marked tillgodoses whose place did not change at all."""
        return r.position == ACCEPTED and r.place_id is not None and r.place_id not in self.entries

    # --- each comment at its place -----------------------------------------------------------

    def per_place(self) -> Section:
        blocks: list = []
        shown: set[str] = set()  # section headings written
        header = ((Run("Synpunkt"),), (Run("Ställningstagande och motivering"),))
        for heading, parent, remarks in self.order:
            if not remarks:
                continue
            if parent and parent not in shown:
                blocks.append(Subheading((Run(parent),), level=2))
                shown.add(parent)
            blocks.append(Subheading((Run(heading),), level=3 if parent else 2))
            shown.add(heading)
            blocks.append(Table(header, tuple(self.row(r) for r in remarks)))
        if not blocks:
            blocks = [_p(Run("Inga synpunkter har lästs in ännu."))]
        return Section("synpunkter", (Run("Synpunkter och ställningstaganden"),), tuple(blocks))

    def row(self, r: Remark) -> tuple[Inlines, Inlines]:
        """A comment and its answer as a row: what was said, quoted and proposed on the left;
        the ställningstagande, the reason and the change that answered it on the right."""
        n = self.numbered[r.id]
        where = {
            "tabell": ", i en tabell",
            "fotnot": ", i en fotnot",
            "slutnot": ", i en slutnot",
            "textruta": ", i en textruta",
            "sidhuvud": ", i sidhuvudet",
            "sidfot": ", i sidfoten",
        }
        said_by = ", ".join(x for x in (r.author, r.date[:10]) if x)
        left = [
            Run(f"{n}. {r.body}", bold=True),
            Run(f" – {KINDS.get(r.kind, r.kind)}{where.get(r.where, '')}"),
            Run(f" ({said_by})" if said_by else ""),
        ]
        if r.quote:
            left += [Run("\n"), Run(f"”{r.quote}”", italic=True)]
        if r.text:
            text = r.text.replace("\n\n", "\n")
            if r.kind == "brev" and len(text) > LETTER_SHOWN:
                text = text[:LETTER_SHOWN].rsplit(" ", 1)[0] + " … (hela brevet: se "
                left += [Run("\n" + text), _link("Remissvaren i sin helhet", RESPONSES_ID)]
                left.append(Run(")"))
            else:
                left.append(Run("\n" + text))
        if r.before or r.after:
            left += [Run("\n"), Run("Förslag: ", bold=True), *proposal(r)]
        if r.proposal:
            left += [Run("\n"), Run("Förslag: ", bold=True), Run(r.proposal)]
        for reply in r.replies:
            who = ", ".join(x for x in (reply.author, reply.date[:10]) if x)
            left += [Run("\n"), Run(f"Svar i tråden ({who}): " if who else "Svar i tråden: ")]
            left.append(Run(reply.text, italic=True))
        right = [Run(_upper_first(r.position or UNANSWERED), bold=True)]
        if r.reason.strip():
            right.append(Run(f". {r.reason.strip()}"))
        if r.position == ACCEPTED and r.place_id is not None:
            entry = self.entries.get(r.place_id)
            if entry is None:
                right += [Run("\n"), Run("Obs: ", bold=True)]
                right.append(Run(f"{r.place} har inte ändrats sedan remissversionen."))
            else:
                right += [Run("\n"), Run("Ändring: ", bold=True)]
                right.append(_link(f"{change_label(entry)} ({_what(entry)})", CHANGES_ID))
        return tuple(x for x in left if x.text), tuple(x for x in right if x.text)

    # --- appendices -------------------------------------------------------------------------

    def changes_appendix(self) -> Section:
        blocks: list = []
        for e in self.changes.entries:
            if e.target == "metadata":
                continue
            blocks.append(Subheading((Run(f"{change_label(e)} ({_what(e)})"),), level=2))
            for f in e.fields:
                name = f.field if f.field != "text" else "Text"
                heading = Run(f"{_field_name(name)}: ", bold=True)
                if f.field == "text":
                    blocks.append(_p(heading))
                    blocks += [Paragraph(marked_runs(p)) for p in changed_paragraphs(f.words)]
                else:
                    blocks.append(_p(heading, *marked_runs(f.words)))
        if not blocks:
            blocks = [_p(Run("Dokumentet har inte ändrats sedan remissversionen."))]
        else:
            blocks.insert(
                0,
                _p(
                    Run(
                        "Ändringarna i avsnitt och åtgärder från remissversionen till nu. Tillagd "
                        "text är "
                    ),
                    Run("understruken", mark="ins"),
                    Run(", borttagen "),
                    Run("överstruken", mark="del"),
                    Run("."),
                ),
            )
        return Section(
            CHANGES_ID, (Run("Ändringar sedan remissversionen"),), tuple(blocks), appendix=True
        )

    def responses_appendix(self) -> Section:
        blocks: list = []
        by_file: dict[str, list[Remark]] = {}
        for r in self.data.remarks:
            by_file.setdefault(r.file, []).append(r)
        for x in self.data.responses:
            name = x.file.rsplit("/", 1)[-1]
            blocks.append(Subheading((Run(f"{x.body}: {name}"),), level=2))
            blocks.append(
                _p(
                    Run(
                        f"{_upper_first(RESPONSE_KINDS.get(x.kind, x.kind))}, inläst "
                        f"{x.read.isoformat()}, {x.remarks} synpunkter. Filen finns i "
                        f"remiss/{self.data.round.name}/{x.file}."
                    )
                )
            )
            for r in by_file.get(x.file, []):
                n = self.numbered.get(r.id)
                if r.kind == "brev":
                    blocks += [
                        _p(Run(part.strip())) for part in r.text.split("\n\n") if part.strip()
                    ]
                    continue
                lead = f"{n}. " if n else ""
                place = r.place if r.place_id else r.place.capitalize()
                runs = [Run(f"{lead}{place}: ", bold=True)]
                if r.quote:
                    runs.append(Run(f"”{r.quote}” ", italic=True))
                if r.text:
                    runs.append(Run(r.text))
                if r.before or r.after:
                    runs += [Run(" Förslag: "), *proposal(r)]
                if r.proposal:
                    runs.append(Run(f" Förslag: {r.proposal}"))
                blocks.append(_p(*runs))
                for reply in r.replies:
                    blocks.append(
                        _p(Run(f"Svar i tråden ({reply.author}): {reply.text}", italic=True))
                    )
        if not blocks:
            blocks = [_p(Run("Inga svar har lästs in ännu."))]
        return Section(
            RESPONSES_ID, (Run("Remissvaren i sin helhet"),), tuple(blocks), appendix=True
        )


def proposal(r: Remark) -> list[Run]:
    """A proposed change as words: the old struck out, the new underlined."""
    before, after = r.before.strip(), r.after.strip()
    if before and after:
        return [Run(before, mark="del"), Run(" → "), Run(after, mark="ins")]
    if after:
        return [Run("lägg till "), Run(after, mark="ins")]
    return [Run("stryk "), Run(before, mark="del")]


def _what(e: Entry) -> str:
    kind = CHANGE_KINDS[e.kind][0]
    fields = [_field_name(f.field) for f in e.fields]
    return f"{kind}: {', '.join(fields)}" if fields and e.kind == "modified" else kind


def _field_name(key: str) -> str:
    from styrdok.writers.report import FIELDS

    return FIELDS.get(key, key)


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _plain(runs: Inlines) -> str:
    return "".join(r.text for r in runs)


def build(data: RoundData, remiss: Document, changes: ChangeSet) -> Document:
    """The remissammanställning as a document model, for the DOCX and PDF."""
    return _Summary(data, remiss, changes).document()


def html_page(report: Document, city: City = DEFAULT_CITY) -> str:
    """The same report as one accessible web page; each section's element id is its
    bookmark's name, so that the links of the model work in the page as in the PDF."""
    m = report.metadata
    body = [
        f'<h1>{html.e(m.titel)}<span class="vh">: </span>'
        f'<span class="subtitle-inline">{html.e(m.undertitel)}</span></h1>',
    ]
    for section in report.sections:
        anchor = bookmark_name(section.id)
        body += [
            f'<section aria-labelledby="{html.e(anchor)}">',
            f'<h2 id="{html.e(anchor)}">{html.inlines(section.title)}</h2>',
            *html.blocks(section.blocks, 2),
            "</section>",
        ]
    top = f'<p class="head">{html.e(KIND.upper())}<br>{html.e(report.name)}</p>'
    return html.page(f"{m.titel}: {m.undertitel}", body, top, city=city)
