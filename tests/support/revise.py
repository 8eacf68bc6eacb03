"""Random documents and random revisions of them, of every kind an owner makes in a year: for
the structural property tests of the change list and the redline."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import strategies as st

from styrdok.model.document import (
    BulletList,
    Document,
    ListItem,
    Measure,
    Metadata,
    Paragraph,
    Run,
    Section,
    Subheading,
    Table,
    plain,
)

WORDS = ("bostad", "stöd", "nämnd", "plan", "hyra", "2026", "juni", "mål", "ny", "stad")
EDITS = (
    "insert",
    "delete",
    "move",
    "move-across",
    "swap-sections",
    "move-section",
    "add-section",
    "delete-section",
    "rename",
    "field",
    "words",
    "split",
    "merge",
    "format",
    "structure",
    "metadata",
    "appendix",
    "table-cell",
    "table-rows",
    "table",
    "note",
)
METADATA = Metadata(
    typ="plan",
    titel="Handlingsplan",
    datum=date(2025, 3, 1),
    dnr="KS 2025/1",
    beslutat_av="Kommunstyrelsen",
    revideras_av="Kommunstyrelsen",
    giltighet="2025-2026",
    gäller_för="Alla nämnder",
    dokumentansvarig="Stadsledningsförvaltningen",
)


@st.composite
def runs(draw, min_words: int = 1) -> tuple[Run, ...]:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=min_words, max_size=6))
    out = []
    for i, w in enumerate(words):
        style = draw(st.sampled_from(["", "", "", "bold", "italic", "link", "super", "sub"]))
        script = style if style in ("super", "sub") else None
        if script and i:  # a script run carries no space: "m^2^", never "m^ 2^"
            out.append(Run(" "))
        out.append(
            Run(
                w if script else (" " if i else "") + w,
                bold=style == "bold",
                italic=style == "italic",
                href="https://helsingborg.se/" + w if style == "link" else None,
                script=script,
            )
        )
    return tuple(out)


@st.composite
def noted(draw) -> tuple[Run, ...]:
    """Words, sometimes with a footnote among them (never in a title: check refuses that)."""
    words = list(draw(runs()))
    if draw(st.integers(0, 3)) == 0:
        words.insert(draw(st.integers(1, len(words))), Run("", note=draw(runs())))
    return tuple(words)


@st.composite
def cells(draw, columns: int, header: bool = False) -> tuple:
    """A table row: a header's cells have words, a row's may be empty."""
    return tuple(draw(runs()) if header or draw(st.integers(0, 5)) else () for _ in range(columns))


@st.composite
def tables(draw) -> Table:
    columns = draw(st.integers(1, 4))
    rows = draw(st.lists(cells(columns), min_size=1, max_size=4))
    return Table(draw(cells(columns, header=True)), tuple(rows))


@st.composite
def blocks(draw, max_size: int = 3):
    out: list = []
    for _ in range(draw(st.integers(0, max_size))):
        kind = draw(st.integers(0, 5))
        if kind == 5 and not (out and isinstance(out[-1], Table)):  # never two tables in a row
            out.append(draw(tables()))
        elif kind == 0:
            items = tuple(ListItem(draw(runs())) for _ in range(draw(st.integers(1, 3))))
            out.append(BulletList(items, ordered=draw(st.booleans())))
        else:
            out.append(Paragraph(draw(noted())))
    return tuple(out)


class Ids:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}-{self.n}"


@st.composite
def measures(draw, ids: Ids):
    return Measure(
        ids("m"),
        draw(runs()),
        draw(blocks(2)),
        {k: draw(runs()) for k in ("ansvarig", "tidplan", "uppfoljning")},
    )


@st.composite
def documents(draw) -> Document:
    ids = Ids()
    sections = []
    for _ in range(draw(st.integers(2, 5))):
        ms = tuple(draw(measures(ids)) for _ in range(draw(st.integers(0, 4))))
        sections.append(Section(ids("s"), draw(runs()), draw(blocks()), ms))
    for _ in range(draw(st.integers(0, 2))):
        sections.append(Section(ids("b"), draw(runs()), draw(blocks()), (), appendix=True))
    return Document("slump", METADATA, tuple(sections))


def _valid(sections: list[Section]) -> tuple[Section, ...]:
    """Appendices stand last and hold no measures: one that an edit left elsewhere, or gave a
    measure, is an ordinary section from then on (a change of number the redline tracks)."""
    out = []
    for i, s in enumerate(sections):
        last = all(x.appendix for x in sections[i:])
        out.append(replace(s, appendix=s.appendix and last and not s.measures))
    return tuple(out)


def _set_measures(sections: list[Section], i: int, ms: list[Measure]) -> None:
    sections[i] = replace(sections[i], measures=tuple(ms))


@st.composite
def revisions(draw, doc: Document) -> Document:
    """`doc` after one to five random edits."""
    ids = Ids()
    ids.n = 1000
    for edit in draw(st.lists(st.sampled_from(EDITS), min_size=1, max_size=5)):
        doc = _edit(draw, doc, edit, ids)
    return doc


def _edit(draw, doc: Document, edit: str, ids: Ids) -> Document:
    sections = list(doc.sections)
    s = draw(st.integers(0, len(sections) - 1))
    ms = list(sections[s].measures)
    if edit == "insert":
        ms.insert(draw(st.integers(0, len(ms))), draw(measures(ids)))
        _set_measures(sections, s, ms)
    elif edit == "delete" and ms:
        del ms[draw(st.integers(0, len(ms) - 1))]
        _set_measures(sections, s, ms)
    elif edit == "move" and len(ms) > 1:
        m = ms.pop(draw(st.integers(0, len(ms) - 1)))
        ms.insert(draw(st.integers(0, len(ms))), m)
        _set_measures(sections, s, ms)
    elif edit == "move-across" and ms and len(sections) > 1:
        m = ms.pop(draw(st.integers(0, len(ms) - 1)))
        _set_measures(sections, s, ms)
        t = draw(st.sampled_from([i for i in range(len(sections)) if i != s]))
        other = list(sections[t].measures)
        other.insert(draw(st.integers(0, len(other))), m)
        _set_measures(sections, t, other)
    elif edit == "swap-sections" and len(sections) > 1:
        t = draw(st.sampled_from([i for i in range(len(sections)) if i != s]))
        sections[s], sections[t] = sections[t], sections[s]
    elif edit == "move-section":
        section = sections.pop(s)
        sections.insert(draw(st.integers(0, len(sections))), section)
    elif edit == "add-section":
        new = Section(ids("s"), draw(runs()), draw(blocks()), (draw(measures(ids)),))
        sections.insert(draw(st.integers(0, len(sections))), new)
    elif edit == "delete-section" and len(sections) > 1:
        del sections[s]
    elif edit == "rename":
        if ms and draw(st.booleans()):
            i = draw(st.integers(0, len(ms) - 1))
            ms[i] = replace(ms[i], title=draw(runs()))
            _set_measures(sections, s, ms)
        else:
            sections[s] = replace(sections[s], title=draw(runs()))
    elif edit == "field" and ms:
        i = draw(st.integers(0, len(ms) - 1))
        key = draw(st.sampled_from(["ansvarig", "tidplan", "uppfoljning"]))
        ms[i] = replace(ms[i], fields={**ms[i].fields, key: draw(runs())})
        _set_measures(sections, s, ms)
    elif edit in (
        "words",
        "split",
        "merge",
        "format",
        "structure",
        "table-cell",
        "table-rows",
        "note",
    ):
        sections[s] = _edit_blocks(draw, sections[s], edit)
    elif edit == "metadata":
        key = draw(st.sampled_from(["dnr", "giltighet", "titel", "datum"]))
        value = (
            date(2026, 4, 2)
            if key == "datum"
            else " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3)))
        )
        doc = replace(doc, metadata=replace(doc.metadata, **{key: value}))
    elif edit == "appendix":
        sections.append(Section(ids("b"), draw(runs()), draw(blocks()), (), appendix=True))
    elif edit == "table":
        sections[s] = _add_or_remove_table(draw, sections[s])
    return replace(doc, sections=_valid(sections))


def _edit_blocks(draw, section: Section, edit: str) -> Section:
    """A prose edit in the section or in one of its measures."""
    holders = [section, *section.measures]
    h = draw(st.integers(0, len(holders) - 1))
    holder = holders[h]
    bs = list(holder.blocks)
    paras = [i for i, b in enumerate(bs) if isinstance(b, Paragraph)]
    tabled = [i for i, b in enumerate(bs) if isinstance(b, Table)]
    if edit == "note" and paras:  # a footnote added, rewritten or removed
        i = draw(st.sampled_from(paras))
        rs = list(bs[i].runs)
        at = [k for k, r in enumerate(rs) if r.note is not None]
        how = draw(st.sampled_from(["add", "words", "remove"]))
        if at and how == "remove":
            del rs[draw(st.sampled_from(at))]
        elif at and how == "words":
            k = draw(st.sampled_from(at))
            rs[k] = replace(rs[k], note=(*rs[k].note, Run(" ändrad")))
        else:
            rs.insert(draw(st.integers(0, len(rs))), Run("", note=draw(runs())))
        bs[i] = Paragraph(tuple(rs))
    elif edit in ("table-cell", "table-rows"):
        if not tabled:
            return _add_or_remove_table(draw, section)
        i = draw(st.sampled_from(tabled))
        bs[i] = _edit_table(draw, bs[i], edit)
    elif edit == "structure":  # a list's kind, a paragraph made a subheading, a level changed
        i = draw(st.integers(0, len(bs))) if bs else 0
        if i < len(bs):
            b = bs[i]
            if isinstance(b, BulletList):
                bs[i] = BulletList(b.items, ordered=not b.ordered)
            elif isinstance(b, Subheading):
                bs[i] = Paragraph(b.runs) if b.level == 3 else Subheading(b.runs, level=3)
            elif isinstance(b, Table):  # a row made the header, the header a row
                bs[i] = (
                    Table(b.rows[0], (b.header, *b.rows[1:])) if any(map(plain, b.rows[0])) else b
                )
            else:
                bs[i] = Subheading(b.runs, level=2)
        else:
            bs.append(Subheading(draw(runs()), level=2))
    elif edit == "format" and draw(st.booleans()):  # the title's formatting
        title = tuple(replace(r, bold=not r.bold) for r in holder.title)
        holder = replace(holder, title=title)
    elif not paras:
        bs.append(Paragraph(draw(runs())))
    else:
        i = draw(st.sampled_from(paras))
        rs = list(bs[i].runs)
        if edit == "words":
            rs[draw(st.integers(0, len(rs) - 1))] = Run(
                " " + draw(st.sampled_from(WORDS)) + " ändrad"
            )
            bs[i] = Paragraph(tuple(rs))
        elif edit == "format" and any(r.note is None for r in rs):
            # a word's formatting (a footnote's mark has none of its own)
            j = draw(st.sampled_from([k for k, r in enumerate(rs) if r.note is None]))
            rs[j] = replace(rs[j], bold=not rs[j].bold, italic=draw(st.booleans()))
            bs[i] = Paragraph(tuple(rs))
        elif edit == "split" and len(rs) > 1:
            j = draw(st.integers(1, len(rs) - 1))
            bs[i : i + 1] = [Paragraph(tuple(rs[:j])), Paragraph(tuple(rs[j:]))]
        elif edit == "merge" and i + 1 < len(bs) and isinstance(bs[i + 1], Paragraph):
            bs[i : i + 2] = [Paragraph((*rs, *bs[i + 1].runs))]
    holder = replace(holder, blocks=tuple(bs))
    if h == 0:
        return holder  # type: ignore[return-value]
    ms = list(section.measures)
    ms[h - 1] = holder  # type: ignore[call-overload]
    return replace(section, measures=tuple(ms))


def _edit_table(draw, t: Table, edit: str) -> Table:
    """A cell rewritten (header or body), or rows added, removed or reordered."""
    rows = list(t.rows)
    columns = len(t.header)
    if edit == "table-cell":
        r = draw(st.integers(-1, len(rows) - 1))
        c = draw(st.integers(0, columns - 1))
        row = list(t.header if r < 0 else rows[r])
        row[c] = draw(runs()) if r < 0 or draw(st.integers(0, 4)) else ()
        if r < 0:
            return replace(t, header=tuple(row))
        rows[r] = tuple(row)
        return replace(t, rows=tuple(rows))
    how = draw(st.sampled_from(["add", "remove", "reorder"]))
    if how == "add":
        rows.insert(draw(st.integers(0, len(rows))), draw(cells(columns)))
    elif how == "remove" and len(rows) > 1:
        del rows[draw(st.integers(0, len(rows) - 1))]
    elif len(rows) > 1:
        rows = list(draw(st.permutations(rows)))
    return replace(t, rows=tuple(rows))


def _add_or_remove_table(draw, section: Section) -> Section:
    """A table removed from the section's prose, or one added where no table is next to it."""
    bs = list(section.blocks)
    tabled = [i for i, b in enumerate(bs) if isinstance(b, Table)]
    if tabled and draw(st.booleans()):
        i = draw(st.sampled_from(tabled))
        del bs[i]
        if 0 < i < len(bs) and isinstance(bs[i - 1], Table) and isinstance(bs[i], Table):
            bs.insert(i, Paragraph(draw(runs())))  # no two tables in a row
    else:
        free = [
            i
            for i in range(len(bs) + 1)
            if not (i and isinstance(bs[i - 1], Table))
            and not (i < len(bs) and isinstance(bs[i], Table))
        ]
        if free:
            bs.insert(draw(st.sampled_from(free)), draw(tables()))
    return replace(section, blocks=tuple(bs))
