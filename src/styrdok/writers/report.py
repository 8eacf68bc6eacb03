"""Report stage: a change list → the change report for styrgruppen, in Swedish.

One report model (sections of blocks whose runs mark inserted and deleted words) answers the
group's questions in order: what is compared, how much changed, which measures are new and
who owns them by when, which were removed from whom, which deadlines moved, what changed per
department, which numbers changed, and then every change in detail. `changes.md` and
`changes.docx`/`.pdf` are written from that one model; `changes.json` from the change list.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import assert_never

from styrdok.compare.changelist import ChangeSet, Entry, FieldChange, WordOp
from styrdok.model.document import (
    APPENDIX,
    MEASURE_FIELDS,
    METADATA_LABELS,
    RECORDS_LABELS,
    BulletList,
    Document,
    Inlines,
    ListItem,
    Mark,
    Measure,
    Paragraph,
    Run,
    Section,
    Subheading,
    Table,
    plain,
)
from styrdok.model.owners import owners
from styrdok.model.references import references
from styrdok.readers.revisions import Revision
from styrdok.writers.source_text import escape, escape_line_start

KINDS = {  # singular, plural
    "added": ("tillagd", "tillagda"),
    "removed": ("borttagen", "borttagna"),
    "modified": ("ändrad", "ändrade"),
    "moved": ("flyttad", "flyttade"),
    "renumbered": ("omnumrerad", "omnumrerade"),
}
TARGETS = {"metadata": "Metadata", "section": "Avsnitt", "measure": "Åtgärder"}
FIELDS = {"title": "Rubrik", "text": "Text", **MEASURE_FIELDS, **METADATA_LABELS, **RECORDS_LABELS}
LEGEND = (
    Run("Tillagd text är "),
    Run("understruken", mark="ins"),
    Run(" och borttagen text "),
    Run("överstruken", mark="del"),
    Run(", som i redline-dokumentet (där flyttad text dessutom är grön). Nummer står som "),
    Run("ny (var gammal)"),
    Run("."),
)


def to_json(changes: ChangeSet, old: Revision, new: Revision) -> str:
    data = {
        "document": changes.new.name,
        "from": old.to_json() | _decision(changes.old),
        "to": new.to_json() | _decision(changes.new),
        "changes": [_with_follow_up(e, changes) for e in changes.entries],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _with_follow_up(e: Entry, changes: ChangeSet) -> dict[str, object]:
    """An entry as JSON, with a changed measure's last reported follow-up status ("genomförd
    2026"), as the report shows it for a removed measure and a moved deadline."""
    out = e.to_json()
    status = changes.follow_up.get(e.id) if e.target == "measure" else None
    if status:
        out["last_reported"] = status
    return out


def _decision(doc: Document) -> dict[str, str]:
    return {"decided": doc.metadata.datum.isoformat(), "dnr": doc.metadata.dnr}


def _label(rev: Revision, doc: Document) -> str:
    """A revision as people name it: the version decided on a date under a DNR; the git
    revision after it, for whoever must find it again."""
    m = doc.metadata
    sha = f", commit {rev.commit[:8]}" if rev.commit else ""
    return f"versionen beslutad {m.datum_long}, DNR {m.dnr} ({rev.ref}{sha})"


def summary_lines(changes: ChangeSet) -> list[str]:
    """One line a target with the number of items of each kind of change."""
    lines = []
    for target, name in TARGETS.items():
        counts = []
        for kind, (one, many) in KINDS.items():
            n = sum(1 for e in changes.entries if e.target == target and e.kind == kind)
            if n:
                counts.append(f"{n} {one if n == 1 else many}")
        lines.append(f"{name}: {', '.join(counts) if counts else 'inga ändringar'}")
    return lines


def label(e: Entry) -> str:
    """An item named without ambiguity: its new number (and the old one if it changed), or for
    a removed item its old number, then its title."""
    if e.number is None:
        return f"(var {e.old_number}) {e.title}"
    if e.old_number not in (None, e.number):
        return f"{e.number} (var {e.old_number}) {e.title}"
    return f"{e.number} {e.title}"


# --- the report model ----------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """The change report: a title, the lines under it, and its sections."""

    title: str
    subtitle: str
    sections: tuple[Section, ...]


def build_report(changes: ChangeSet, old: Revision, new: Revision) -> Report:
    sections = [_overview(changes, old, new)]
    for make in (_new_and_removed, _deadlines, _per_owner, _numbers, _lost_references, _details):
        sections += make(changes)
    return Report("Ändringsrapport", changes.new.metadata.full_title, tuple(sections))


def _section(ident: str, title: str, blocks: list) -> Section:
    return Section(ident, (Run(title),), tuple(blocks))


def _p(*runs: Run) -> Paragraph:
    return Paragraph(tuple(runs))


def _bullets(items: Sequence[Inlines]) -> BulletList:
    return BulletList(tuple(ListItem(i) for i in items))


def _overview(changes: ChangeSet, old: Revision, new: Revision) -> Section:
    return _section(
        "jamforelse",
        "Jämförelse",
        [
            _p(
                Run("Dokument: ", bold=True),
                Run(f"{changes.new.metadata.full_title} ({changes.new.name})"),
            ),
            _p(Run("Från: ", bold=True), Run(_label(old, changes.old))),
            _p(Run("Till: ", bold=True), Run(_label(new, changes.new))),
            _bullets([(Run(line),) for line in summary_lines(changes)]),
            _p(*LEGEND),
        ],
    )


def _measures(changes: ChangeSet) -> list[Entry]:
    return [e for e in changes.entries if e.target == "measure"]


def _whole_measure(e: Entry) -> list:
    """An added or removed measure in full: its text and its three fields."""
    text = e.field("text")
    value = (text.new if e.kind == "added" else text.old) if text else ""
    mark: Mark = "ins" if e.kind == "added" else "del"
    blocks: list = [_p(Run(par, mark=mark)) for par in (value or "").split("\n\n") if par]
    for key, name in MEASURE_FIELDS.items():
        f = e.field(key)
        val = (f.new if e.kind == "added" else f.old) if f else ""
        blocks.append(_p(Run(f"{name}: ", bold=True), Run(val or "", mark=mark)))
    return blocks


def _new_and_removed(changes: ChangeSet) -> list[Section]:
    blocks: list = []
    for kind, word in (("added", "Ny"), ("removed", "Borttagen")):
        for e in (e for e in _measures(changes) if e.kind == kind):
            status = changes.follow_up.get(e.id) if kind == "removed" else None
            last = f" – {status}" if status else ""  # its last reported status: why it went
            blocks.append(Subheading((Run(f"{word}: {label(e)}{last}"),), level=2))
            blocks += _whole_measure(e)
    return [_section("nya-och-borttagna", "Nya och borttagna åtgärder", blocks)] if blocks else []


def _deadlines(changes: ChangeSet) -> list[Section]:
    rows = []
    reported = changes.follow_up  # the last reported status explains a moved deadline
    for e in _measures(changes):
        f = e.field("tidplan")
        if f is not None and e.kind not in ("added", "removed"):
            row = ((Run(label(e)),), (Run(f.old or ""),), (Run(f.new or ""),))
            rows.append((*row, (Run(reported.get(e.id, "ej rapporterad")),)) if reported else row)
    if not rows:
        return []
    header: tuple[Inlines, ...] = ((Run("Åtgärd"),), (Run("Tidplan förut"),), (Run("Tidplan nu"),))
    header += ((Run("Senast rapporterat"),),) if reported else ()
    return [_section("tidplaner", "Ändrade tidplaner", [Table(header, tuple(rows))])]


def _fields_of(doc: Document) -> dict[str, tuple[str, Measure]]:
    return {m.id: (n, m) for n, _, m in doc.numbered_measures()}


def _per_owner(changes: ChangeSet) -> list[Section]:
    """For each department: the measures it gains, loses and keeps with changes; a measure
    that went from one department to another is named a transfer on both sides."""
    old, new = _fields_of(changes.old), _fields_of(changes.new)
    changed = {e.id: e for e in _measures(changes)}
    lines: dict[str, list[Inlines]] = {}

    def add(owner: str, verb: str, e_label: str, note: str) -> None:
        lines.setdefault(owner, []).append(
            (Run(f"{verb}: ", bold=True), Run(e_label), Run(f" ({note})" if note else ""))
        )

    for ident in [*new, *(i for i in old if i not in new)]:
        was = owners(plain(old[ident][1].fields.get("ansvarig", ()))) if ident in old else []
        now = owners(plain(new[ident][1].fields.get("ansvarig", ()))) if ident in new else []
        e = changed.get(ident)
        if e is None:
            continue
        name = label(e)
        gained, lost = [o for o in now if o not in was], [o for o in was if o not in now]
        for o in gained:
            if ident not in old:
                note = "ny åtgärd"
            else:
                note = f"överförd från {', '.join(lost)}" if lost else "tillagd som ansvarig"
            add(o, "Får", name, note)
        for o in lost:
            if ident not in new:
                note = "borttagen åtgärd"
            else:
                note = f"överförd till {', '.join(gained)}" if gained else "inte längre ansvarig"
            add(o, "Lämnar", name, note)
        kinds = ", ".join(FIELDS.get(f.field, f.field) for f in e.fields if f.field != "ansvarig")
        if e.kind not in ("added", "removed") and (kinds or e.kind == "moved"):
            for o in (o for o in now if o in was):
                add(o, "Ändrad", name, kinds or KINDS[e.kind][0])
    if not lines:
        return []
    blocks: list = []
    order = {"Får: ": 0, "Lämnar: ": 1, "Ändrad: ": 2}
    for owner in sorted(lines):
        blocks.append(Subheading((Run(owner),), level=2))
        blocks.append(_bullets(sorted(lines[owner], key=lambda line: order[line[0].text])))
    return [_section("per-ansvarig", "Per ansvarig nämnd eller bolag", blocks)]


def referring(e: Entry) -> str:
    """The items whose references show an item's new number, in words: 'avsnitt 1 och åtgärd
    3:4' ('' when none does)."""
    names = [
        number.lower()
        if number.startswith(APPENDIX)
        else f"{'åtgärd' if target == 'measure' else 'avsnitt'} {number}"
        for target, _, number in e.referenced_from
    ]
    return " och ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def _numbers(changes: ChangeSet) -> list[Section]:
    items = [
        (
            Run(f"{e.old_number} → {e.number}: ", bold=True),
            Run(e.title),
            *((Run(f" (hänvisas till från {referring(e)})"),) if e.referenced_from else ()),
        )
        for e in _measures(changes)
        if e.number and e.old_number and e.number != e.old_number
    ]
    if not items:
        return []
    return [_section("nummer", "Ändrade nummer", [_bullets(items)])]


def _lost_references(changes: ChangeSet) -> list[Section]:
    """References in the old revision to a section or measure the new one no longer has."""
    kept = {s.id for s in changes.new.sections} | {
        m.id for _, _, m in changes.new.numbered_measures()
    }
    titles = {
        e.id: label(e) for e in changes.entries if e.kind == "removed" and e.target != "metadata"
    }
    items = [
        (Run(f"{titles.get(ident, ident)}: ", bold=True), Run(f"hänvisades till från '{where}'"))
        for ident, where, _ in references(changes.old)
        if ident not in kept
    ]
    if not items:
        return []
    return [_section("hanvisningar", "Hänvisningar till borttagna delar", [_bullets(items)])]


def _details(changes: ChangeSet) -> list[Section]:
    out = []
    for target, name in TARGETS.items():
        blocks: list = []
        for e in (e for e in changes.entries if e.target == target):
            if target == "metadata":
                (f,) = e.fields
                blocks.append(_p(Run(f"{FIELDS[e.id]}: ", bold=True), *marked_runs(_whole(f))))
                continue
            if target == "measure" and e.kind in ("added", "removed"):
                continue  # in full under "Nya och borttagna åtgärder"
            blocks.append(Subheading((Run(f"{label(e)} ({KINDS[e.kind][0]})"),), level=2))
            if e.kind in ("moved", "renumbered"):
                blocks.append(_p(Run(_describe(e))))
            if target == "section" and e.kind in ("added", "removed"):
                blocks.append(_p(Run(_describe(e))))
                continue
            for f in e.fields:
                heading = Run(f"{_field_label(f)}: ", bold=True)
                if f.field == "text":
                    blocks.append(_p(heading))
                    blocks += [Paragraph(marked_runs(p)) for p in changed_paragraphs(f.words)]
                else:
                    blocks.append(_p(heading, *marked_runs(f.words)))
        if blocks:
            title = "Alla ändringar i åtgärderna" if target == "measure" else name
            out.append(_section(f"detaljer-{target}", title, blocks))
    return out


def _describe(e: Entry) -> str:
    referred = (
        f" Hänvisas till från {referring(e)} (hänvisningen visar det nya numret)."
        if e.referenced_from
        else ""
    )
    if e.kind == "moved":
        return f"Flyttad från {e.old_number} till {e.number}.{referred}"
    if e.kind == "renumbered":
        return f"Omnumrerad från {e.old_number} till {e.number}.{referred}"
    if e.kind == "added":
        return "Ny i den här revisionen."
    return f"Borttagen (var {e.old_number})."


def _field_label(f: FieldChange) -> str:
    name = FIELDS.get(f.field, f.field)
    return f"{name} (formatering)" if f.formatting else name


def changed_paragraphs(words: tuple[WordOp, ...]) -> list[tuple[WordOp, ...]]:
    """The word operations split into paragraphs, keeping only paragraphs that changed."""
    paragraphs: list[list[WordOp]] = [[]]
    for w in words:
        for i, piece in enumerate(w.text.split("\n\n")):
            if i:
                paragraphs.append([])
            if piece:
                paragraphs[-1].append(replace(w, text=piece))
    return [tuple(p) for p in paragraphs if any(w.op != "equal" for w in p)]


def _whole(f: FieldChange) -> tuple[WordOp, ...]:
    """A metadata value is replaced whole: old struck out, new marked as inserted."""
    return (WordOp("delete", f.old or ""), WordOp("equal", " → "), WordOp("insert", f.new or ""))


def marked_runs(words: tuple[WordOp, ...]) -> tuple[Run, ...]:
    mark: dict[str, Mark | None] = {"equal": None, "insert": "ins", "delete": "del"}
    return tuple(
        Run(w.text, w.bold, w.italic, w.href, mark=mark[w.op], script=w.script)
        for w in words
        if w.text
    )


# --- writers --------------------------------------------------------------------------------


def to_markdown(changes: ChangeSet, old: Revision, new: Revision) -> str:
    """The report as Markdown (CommonMark). The documents' text is escaped: a Markdown viewer
    shows `<script>`, `*` or `[…](…)` in it as the text it is, not as markup or HTML."""
    report = build_report(changes, old, new)
    lines = [f"# {escape(report.title)}: {escape(report.subtitle)}"]
    for section in report.sections:
        lines += ["", f"## {escape(plain(section.title))}"]
        for block in section.blocks:
            lines.append("")
            match block:
                case Subheading():
                    lines.append(f"### {_md(block.runs)}")
                case BulletList():
                    lines += [f"- {escape_line_start(_md(item.runs))}" for item in block.items]
                case Table():
                    for k, row in enumerate((block.header, *block.rows)):
                        cells = " | ".join(_md(c).replace("|", "\\|") for c in row)
                        lines.append(f"| {cells} |")
                        lines += ["|" + "---|" * len(row)] if k == 0 else []
                case Paragraph():
                    lines.append(escape_line_start(_md(block.runs)))
                case _:
                    assert_never(block)
    return "\n".join(lines).rstrip() + "\n"


def _md(runs: Inlines) -> str:
    """Runs as Markdown, inserted text as {+så här+}, deleted as [-så här-]."""
    out = []
    for r in runs:
        text = escape(r.text)
        if r.mark and text.strip():
            styled = f"**{text}**" if r.bold else text
            styled = f"*{styled}*" if r.italic else styled
            styled = f"[{styled}]({r.href})" if r.href else styled
            out.append(f"{{+{styled}+}}" if r.mark == "ins" else f"[-{styled}-]")
        elif r.mark == "del":
            continue
        else:
            out.append(f"**{text.strip()}** " if r.bold and text.endswith(" ") else text)
    return "".join(out)


def to_document(changes: ChangeSet, old: Revision, new: Revision) -> Document:
    """The report as a document model, laid out by the city's template as a report (its own
    title block, no governance banner, sections unnumbered)."""
    report = build_report(changes, old, new)
    meta = replace(changes.new.metadata, titel=report.title, undertitel=report.subtitle)
    return Document(changes.new.name, meta, report.sections, kind="ändringsrapport")
