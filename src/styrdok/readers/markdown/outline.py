"""The outline: the flat stream of pandoc's blocks folded into sections (appendices last) and
their measures, each measure with its three fields.

A `# Rubrik {#id}` opens a section, `# Rubrik {#id .bilaga}` an appendix, `## Rubrik {#id
.åtgärd}` a measure in the open section; `##` and `###` without the class are subheadings in
the text. A measure ends with its field list (`Tidplan` / `: Klart 2026`). Everything that does
not fit the outline is refused at its line; ids must be unique, and every reference by id must
name one.

A mistake is reported once, where it is made: what only follows from it is not reported again
(a field written wrong is not also missing, a field list under a heading meant as a measure does
not also belong to none, a reference to an id refused at its heading does not also point
nowhere).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from styrdok.model.document import (
    MEASURE_FIELDS,
    Block,
    Inlines,
    Measure,
    Section,
    Subheading,
    Table,
    plain,
)
from styrdok.readers.markdown import lints, positions
from styrdok.readers.markdown.blocks import BlockReader
from styrdok.readers.markdown.lints import APPENDIX_CLASS, FIELD_KEYS, MEASURE_CLASS, PLACEHOLDER
from styrdok.readers.markdown.positions import Node


@dataclass
class _Open:
    """A section or measure being read: what it holds so far."""

    id: str
    title: Inlines
    line: int
    blocks: list[Block] = field(default_factory=list)


@dataclass
class _OpenSection(_Open):
    appendix: bool = False
    measures: list[Measure] = field(default_factory=list)


@dataclass
class _OpenMeasure(_Open):
    fields: dict[str, Inlines] | None = None  # None: no field list yet
    fields_line: int | None = None  # where the field list starts
    # the fields written but refused at their own line (not also reported missing)
    refused: set[str] = field(default_factory=set)
    goes_on: bool = False  # a field written without its space: the list goes on after it


class Outline:
    """Folds the blocks of one source file, each with its line (`add`), into its sections
    (`finish`); their content through `blocks`."""

    def __init__(self, blocks: BlockReader) -> None:
        self.blocks, self.inlines, self.report = blocks, blocks.inlines, blocks.report
        self.sections: list[Section] = []
        self.ids: dict[str, int] = {}  # each id and the line it is given on
        self.section: _OpenSection | None = None
        self.measure: _OpenMeasure | None = None
        self.refused_ids: set[str] = set()  # ids written on a heading but refused there
        self.meant_measure = False  # the last heading was meant as a measure (and refused)

    def add(self, block: Node, line: int) -> None:
        t = block["t"]
        if t == "Header":
            self.header(block, line)
        elif self.section is None:
            self.report(line, "text före första avsnittet; börja med en rubrik '# Rubrik {#id}'")
        elif t == "DefinitionList":
            self.fields(block, line)
        elif (label := lints.unspaced_field(block)) is not None:
            self.report(line, lints.unspaced_field_message(label))
            if (m := self.measure) is not None:  # a field of the list, written wrong
                m.refused.add(FIELD_KEYS[label])
                m.fields_line = m.fields_line or line
                m.goes_on = True
        else:
            self.content(line, lambda: self.blocks.block(block, line))

    def content(self, line: int, read: Callable[[], Block | None]) -> None:
        """A block of text in the open measure or section, once `read`; text after a measure's
        fields is refused unread."""
        if self.section is None:
            self.report(line, "text före första avsnittet; börja med en rubrik '# Rubrik {#id}'")
            return
        if self.measure is not None and self.measure.fields is not None:
            self.report(
                line,
                f"text efter fälten i åtgärden '{self.measure.id}'; en åtgärd slutar med sina "
                "fält, så flytta texten före fältlistan (eller till ett eget avsnitt)",
            )
            return
        converted = read()
        if converted is None:
            return
        target = self.measure or self.section
        if isinstance(converted, Table) and target.blocks and isinstance(target.blocks[-1], Table):
            self.report(line, lints.TABLES_IN_A_ROW)
        target.blocks.append(converted)

    def header(self, block: Node, line: int) -> None:
        level, attr, inlines = block["c"]
        ident, classes = attr[0], attr[1]
        title = self.inlines.runs(inlines, line)
        if any(r.note is not None for r in title):
            self.report(
                line,
                "fotnoter i rubriker stöds inte (de skulle följa med till innehållsförteckningen); "
                "sätt fotnoten i texten under rubriken",
            )
            title = tuple(r for r in title if r.note is None)
        ordinal = sum(not s.appendix for s in self.sections) + 1
        ordinal += self.section is not None and not self.section.appendix  # still open
        text = plain(title)
        for message in lints.heading(level, ident, classes, text, ordinal):
            self.report(line, message)
        unbraced = not ident and lints.unbraced(level, text)
        if unbraced and (written := lints.unbraced_id(text)):
            self.refused_ids.add(written)
        self.meant_measure = lints.meant_as_measure(level, ident, classes, text)
        if level == 1:
            self.close_section()
            appendix = APPENDIX_CLASS in classes
            if not unbraced:  # else its id is refused as written without braces
                self.check_id(ident, line, "bilagan" if appendix else "avsnittet")
            if not appendix and any(s.appendix for s in self.sections):
                self.report(
                    line,
                    "avsnittet står efter en bilaga; bilagorna ({#id .bilaga}) står sist, så "
                    "flytta avsnittet före dem",
                )
            self.section = _OpenSection(ident, title, line, appendix=appendix)
        elif MEASURE_CLASS in classes:
            if level != 2:
                self.report(line, "en åtgärd ska ha en rubrik på nivå 2: '## Rubrik {#id .åtgärd}'")
            if self.section is None:
                self.report(line, "åtgärden står före första avsnittet; lägg den under ett '#'")
                return
            if self.section.appendix:
                self.report(
                    line,
                    "en bilaga har inga åtgärder; lägg åtgärden i ett avsnitt före bilagorna",
                )
            self.close_measure()
            self.check_id(ident, line, "åtgärden")
            self.measure = _OpenMeasure(ident, title, line)
        elif level > 3 or self.meant_measure:
            if level > 3:
                self.report(line, f"rubriknivå {level} stöds inte; använd '#', '##' eller '###'")
            if self.meant_measure:  # its measure is not read; the one before ends here
                self.close_measure()
        else:
            self.content(line, lambda: Subheading(title, level=level))

    def check_id(self, ident: str, line: int, what: str) -> None:
        if message := lints.identifier(ident, what, self.ids):
            self.report(line, message)
            self.refused_ids.add(ident)
        else:
            self.ids[ident] = line

    def fields(self, block: Node, line: int) -> None:
        """A field list: the open measure's three fields, each a label and one line of value."""
        m = self.measure
        if m is None:
            if not self.meant_measure:  # else its heading's problem is the one to fix
                self.report(
                    line,
                    "fältlistan hör inte till någon åtgärd; lägg den under "
                    "'## Rubrik {#id .åtgärd}'",
                )
            return
        if m.fields is not None and not m.goes_on:
            self.report(line, "åtgärden har redan en fältlista; förväntade en enda")
            return
        found = m.fields if m.fields is not None else {}
        m.fields_line, m.goes_on = m.fields_line or line, False
        for term, definitions in block["c"]:
            line = positions.inline_line(term) or line
            label = plain(self.inlines.runs(term, line)).strip().rstrip(".:")
            key = FIELD_KEYS.get(label)
            flat = [b for d in definitions for b in positions.flatten(d, line)]
            if key is None:
                expected = ", ".join(f"'{v}'" for v in MEASURE_FIELDS.values())
                meant = lints.meant_field(label)
                hint = f" (menade du '{meant}'?)" if meant else ""
                self.report(line, f"okänt fält '{label}'{hint}; förväntade {expected}")
                if meant:
                    m.refused.add(FIELD_KEYS[meant])
            elif key in found:
                self.report(line, f"fältet '{label}' står två gånger")
            elif len(flat) != 1 or flat[0][0]["t"] not in ("Plain", "Para"):
                self.report(line, f"fältet '{label}' ska ha ett värde på en rad")
                m.refused.add(key)
            elif "\n" in plain(value := self.inlines.runs(flat[0][0]["c"], flat[0][1])):
                self.report(
                    line,
                    f"fältet '{label}' ska ha ett värde på en rad; ta bort radbrytningen (ett "
                    "\\ eller två mellanslag i radens slut)",
                )
                m.refused.add(key)
            else:
                found[key] = value
        m.fields = found

    def close_measure(self) -> None:
        m, self.measure = self.measure, None
        if m is None or self.section is None:
            return
        fields = m.fields or {}
        where = m.fields_line or m.line
        missing = [
            label
            for key, label in MEASURE_FIELDS.items()
            if not plain(fields.get(key, ())) and key not in m.refused
        ]
        for key, label in MEASURE_FIELDS.items():
            if plain(fields.get(key, ())).strip() == PLACEHOLDER:
                self.report(
                    where,
                    f"fältet '{label}' i åtgärden '{m.id}' är inte ifyllt "
                    f"ännu ({PLACEHOLDER}); skriv värdet",
                )
        if missing:
            self.report(
                where,
                f"åtgärden '{m.id}' saknar {', '.join(repr(x) for x in missing)}"
                "; förväntade en fältlista med alla tre fälten",
            )
        ordered = {key: fields.get(key, ()) for key in MEASURE_FIELDS}
        self.section.measures.append(Measure(m.id, m.title, tuple(m.blocks), ordered, line=m.line))

    def close_section(self) -> None:
        self.close_measure()
        s, self.section = self.section, None
        if s is not None:
            self.sections.append(
                Section(
                    s.id,
                    s.title,
                    tuple(s.blocks),
                    tuple(s.measures),
                    line=s.line,
                    appendix=s.appendix,
                )
            )

    def finish(self) -> tuple[Section, ...]:
        """The sections read, once every reference by id has been checked."""
        self.close_section()
        for line, message in lints.dangling(self.inlines.references, self.ids, self.refused_ids):
            self.report(line, message)
        return tuple(self.sections)
