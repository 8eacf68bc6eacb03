"""The checks on the source text: what `check` refuses that the model could not show or would
show wrongly, each with its file, its line and the fix.

`Report` is where every pass over a source file puts its problems. The checks here are pure:
each looks at a piece of the source (a line, a heading, a pandoc block, the whole text) and
returns what is wrong with it, in the user's words; the passes that read the source call them
where the piece is read.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path

from styrdok.errors import Problem
from styrdok.model.document import MEASURE_FIELDS
from styrdok.model.metadata import PLACEHOLDER  # noqa: F401  (what check refuses; shared below)
from styrdok.readers.markdown.positions import Node

MEASURE_CLASS = "åtgärd"
APPENDIX_CLASS = "bilaga"
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FIELD_KEYS = {label: key for key, label in MEASURE_FIELDS.items()}


class Report:
    """The problems found in one source file, each at its line: a pass calls
    `report(line, message)`. The same message at the same line is said once (two HTML tags
    on one line are one thing to fix)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self._said: set[tuple[int, str]] = set()

    def __call__(self, line: int, message: str) -> None:
        line = max(line, 1)
        if (line, message) not in self._said:
            self._said.add((line, message))
            self.problems.append(Problem(self.path, line, message))


# --- characters --------------------------------------------------------------------------------

# What XML 1.0 (and so Word and PDF) cannot hold: C0 controls except tab, line feed and carriage
# return; surrogates; U+FFFE and U+FFFF. Typed, pasted from Word or written as an escape.
UNUSABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x85\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def unusable_character(text: str, column: bool = True) -> str | None:
    """A message for the first character in `text` that no document can hold, else None."""
    found = UNUSABLE.search(text)
    if found is None:
        return None
    char = found.group()
    what = {
        "\x0b": "en radbrytning från Word (Skift+Retur, U+000B)",
        "\x0c": "en sidbrytning från Word (U+000C)",
        "\x00": "ett NUL-tecken (U+0000)",
        "\u2028": "en osynlig radavgränsare (U+2028)",
        "\x85": "en osynlig radavgränsare (U+0085)",
    }.get(char, f"ett osynligt styrtecken (U+{ord(char):04X})")
    return (
        f"texten innehåller {what}{f' i kolumn {found.start() + 1}' if column else ''}, "
        "som inte kan stå i ett "
        "Word- eller PDF-dokument; ta bort det eller skriv texten på en ny rad"
    )


# --- tables ------------------------------------------------------------------------------------

# A table's delimiter row (|---|---|) inside a paragraph: pandoc made no table of the lines.
TABLE_RULE = re.compile(r"\|\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?")


def broken_table(text: str) -> str | None:
    """What is wrong with a paragraph that is written as a table but is none, or None."""
    stripped = text.strip()
    if TABLE_RULE.search(stripped):
        return (
            "raderna ser ut som en tabell men blev ingen: rubrikraden och raden |---| under den "
            "ska ha lika många celler; skriv \\| för ett lodstreck i en cell"
        )
    if len(stripped) > 1 and stripped.startswith("|") and stripped.endswith("|"):
        return (
            "raden ser ut som en tabell men blev ingen: en tabell behöver en rubrikrad och "
            "under den en rad |---| med lika många celler"
        )
    return None


def pipe_cells(line: str) -> int | None:
    """The cells written on one line of a pipe table: its `|` that are not escaped (inside
    `code` too, as in GitHub's tables), a leading and a trailing one left out (None for a blank
    line)."""
    text = line.strip()
    if not text:
        return None
    text = re.sub(r"\\.", "x", text)  # \| and the like are text
    text = text[1:] if text.startswith("|") else text
    text = text[:-1] if text.endswith("|") else text
    return text.count("|") + 1


def table_rows(lines: list[str], first: int, last: int, columns: int) -> Iterator[tuple[int, str]]:
    """The rows of a pipe table (source lines `first` to `last`) whose cells pandoc would
    change without a word: a row with more cells than the header loses them, one with fewer
    is filled up."""
    for number in range(first, last + 1):
        source = lines[number - 1] if 0 < number <= len(lines) else ""
        cells = pipe_cells(source)
        if number != first + 1 and cells is not None and cells != columns:
            yield (
                number,
                f"raden har {cells} {'cell' if cells == 1 else 'celler'} men tabellens "
                f"rubrikrad har {columns}; ge varje rad {columns} celler ('| … |' per "
                "cell, en tom cell skrivs '|  |')",
            )


ALIGNED = (
    "kolumnjustering (':' i raden under rubrikraden) stöds inte; skriv raden med bara "
    "bindestreck, t.ex. '|---|---|'"
)
NO_HEADER = (
    "tabellen saknar rubrikrad; skriv kolumnernas rubriker på tabellens första rad "
    "(rubrikraden upprepas överst på varje sida)"
)
ONLY_HEADER = "tabellen har bara en rubrikrad; skriv minst en rad under den"
TABLES_IN_A_ROW = (
    "två tabeller direkt efter varandra blir en tabell i Word; skriv ett stycke mellan dem "
    "eller slå ihop dem till en tabell"
)


# --- footnotes ---------------------------------------------------------------------------------

NOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:")
NOTE_REFERENCE = re.compile(r"(?<!\\)\[\^([^\]\s]+)\]")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def footnote_labels(text: str) -> Iterator[tuple[int, str]]:
    """A footnote's text that no `[^n]` refers to is left out by Markdown, a `[^n]` without
    its text stays as typed and a second text for the same label is dropped: each is refused at
    its line. (A label used twice is two footnotes with the same text, as in Markdown.) `[^n]`
    in code is text."""
    lines = [CODE_SPAN.sub(lambda m: " " * len(m.group()), t) for t in text.split("\n")]
    defined: dict[str, int] = {}
    for n, t in enumerate(lines, 1):
        if m := NOTE_DEFINITION.match(t):
            if m.group(1) in defined:
                yield (
                    n,
                    f"fotnoten [^{m.group(1)}] har redan en text på rad {defined[m.group(1)]}; "
                    "ge den här ett eget namn, t.ex. [^2]",
                )
            defined.setdefault(m.group(1), n)
    used: dict[str, int] = {}
    for n, t in enumerate(lines, 1):
        start = m.end() if (m := NOTE_DEFINITION.match(t)) else 0  # a text's own label
        for ref in NOTE_REFERENCE.finditer(t, start):
            used.setdefault(ref.group(1), n)
    for label, n in defined.items():
        if label not in used:
            yield (
                n,
                f"fotnoten [^{label}] används inte i texten; skriv [^{label}] där den hör "
                "hemma eller ta bort den",
            )
    for label, n in used.items():
        if label not in defined:
            yield (
                n,
                f"fotnoten [^{label}] saknar sin text; skriv '[^{label}]: Fotnotens text.' på "
                "en egen rad efter stycket",
            )


# --- headings ----------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lowercase ASCII letters without diacritics: 'åtgärd' and 'atgard' fold alike."""
    return text.lower().translate(str.maketrans("åäöéü", "aaoeu"))


def heading(level: int, ident: str, classes: list[str], text: str, ordinal: int) -> list[str]:
    """The mistakes in a heading that would otherwise show up elsewhere or not at all: a class
    that is not ours (or ours at the wrong level), an id or class written without braces, a
    number typed where styrdok numbers. `ordinal` is the number a section heading here gets."""
    out = []
    allowed = {MEASURE_CLASS} if level > 1 else {APPENDIX_CLASS}
    for cls in classes:
        if cls == MEASURE_CLASS and level == 1:
            out.append("en åtgärd har en rubrik på nivå 2: '## Rubrik {#id .åtgärd}'")
        elif cls not in allowed:
            close = " (menade du .åtgärd?)" if fold(cls) == fold(MEASURE_CLASS) else ""
            out.append(
                f"okänd klass '.{cls}' i rubriken{close}; en åtgärd skrivs "
                "'## Rubrik {#id .åtgärd}', en bilaga '# Rubrik {#id .bilaga}'"
            )
    if not ident and unbraced(level, text):
        out.append(
            "rubrikens id eller klass står utan klammerparenteser; skriv "
            + ("'## Rubrik {#id .åtgärd}'" if "åtgärd" in text else "'# Rubrik {#id}'")
        )
    # a typed number: the section's own ("1 Inledning" in section 1), "Bilaga 2" on an
    # appendix, or "3:2" on a measure
    own = rf"{ordinal}\.?" if level == 1 else r"\d+:\d+\.?"
    if APPENDIX_CLASS in classes:
        own = r"[Bb]ilaga\s+\d+[.:]?"
    numbered = re.match(rf"^({own})\s+(.*)", text)
    if numbered and (level == 1 or MEASURE_CLASS in classes):
        what, rest = ("avsnittets", "#") if level == 1 else ("åtgärdens", "##")
        what = "bilagans" if APPENDIX_CLASS in classes else what
        out.append(
            f"{what} nummer sätts automatiskt; skriv rubriken utan '{numbered.group(1)}': "
            f"'{rest} {numbered.group(2)} {{…}}'"
        )
    return out


def unbraced(level: int, text: str) -> bool:
    """Whether a heading's text ends in an id or class meant as attributes: "{#id" fragments,
    our classes, and on a section (which must have an id) a trailing "#id"; "## Spara som
    .pdf" is only a title."""
    classes_written = r"\.(?:[aå]tg[aä]rd|bilaga)"
    ends = rf"\{{#|(?:^|\s){classes_written}\}}?\s*$"
    if level == 1:
        ends += r"|(?:^|\s)#[a-z0-9]+(?:-[a-z0-9]+)*\}?\s*$"
    return re.search(ends, text, re.IGNORECASE) is not None


UNBRACED_ID = re.compile(r"(?:^|\s)\{?#([a-z0-9]+(?:-[a-z0-9]+)*)\}?\s*$", re.IGNORECASE)
MEASURE_CLASS_WRITTEN = re.compile(r"(?:^|\s)\.[aå]tg[aä]rd\}?\s*$", re.IGNORECASE)


def unbraced_id(text: str) -> str | None:
    """The id at the end of a heading's text that was meant as its attribute ("Mål #mal")."""
    found = UNBRACED_ID.search(text)
    return found.group(1) if found else None


def meant_as_measure(level: int, ident: str, classes: list[str], text: str) -> bool:
    """Whether a heading that is not read as a measure was meant as one: its class is ours
    misspelled ('.atgard'), written without braces, or on a level-1 heading. (The heading's
    own problem says so; what follows from it is not reported again.)"""
    if MEASURE_CLASS in classes:
        return level == 1
    if any(fold(c) == fold(MEASURE_CLASS) for c in classes):
        return True
    return not ident and MEASURE_CLASS_WRITTEN.search(text) is not None


def meant_field(label: str) -> str | None:
    """The field label that an unknown one was probably meant as ('Uppföljare': 'Uppföljning';
    'Ansvarig nämnd': 'Ansvarig nämnd eller bolag'), or None."""
    labels = {fold(known): known for known in MEASURE_FIELDS.values()}
    folded = fold(label)
    for known in labels:  # the same first five letters: no two labels share them
        if len(folded) >= 5 and folded[:5] == known[:5]:
            return labels[known]
    close = difflib.get_close_matches(folded, list(labels), n=1, cutoff=0.75)
    return labels[close[0]] if close else None


def identifier(ident: str, what: str, used: dict[str, int]) -> str | None:
    """What is wrong with a section's or measure's id (`what`: "avsnittet", "åtgärden" …),
    given the ids used so far and their lines; None if it is good."""
    if not ident:
        example = "## Rubrik {#ett-id .åtgärd}" if what == "åtgärden" else "# Rubrik {#ett-id}"
        return f"{what} saknar id; skriv rubriken som '{example}'"
    if not ID_PATTERN.match(ident):
        return f"id '{ident}' är ogiltigt; använd a–z, siffror och bindestreck"
    if ident in used:
        return f"id '{ident}' används redan på rad {used[ident]}; välj ett unikt"
    return None


# --- fields and references ---------------------------------------------------------------------


def unspaced_field(block: Node) -> str | None:
    """A field written without the space after its colon ('Tidplan' then ':Klart 2026'):
    pandoc reads a paragraph, not a field list. Returns the field's label."""
    if block["t"] not in ("Para", "Plain"):
        return None
    words: list[str] = []

    def walk(inlines: list[Node]) -> None:
        for i in inlines:
            if i["t"] == "Str":
                words.append(i["c"])
            elif i["t"] in ("Space", "SoftBreak"):
                words.append("\n" if i["t"] == "SoftBreak" else " ")
            elif i["t"] == "Span":
                walk(i["c"][1])

    walk(block["c"])
    first, _, rest = "".join(words).partition("\n")
    label = first.strip().rstrip(":")
    return label if label in FIELD_KEYS and rest.startswith(":") else None


def unspaced_field_message(label: str) -> str:
    return (
        f"fältet '{label}': skriv kolon och mellanslag före värdet (': värde' på raden "
        "under fältnamnet)"
    )


def dangling(
    references: list[tuple[str, int]], ids: dict[str, int], refused: set[str] | None = None
) -> Iterator[tuple[int, str]]:
    """The references ([text](#id)) to an id that no section or measure has, at their lines;
    not those to an id that a heading gives but that was refused there (`refused`)."""
    for ident, line in references:
        if ident not in ids and ident not in (refused or set()):
            known = ", ".join(sorted(ids)[:8]) + (" …" if len(ids) > 8 else "")
            yield (
                line,
                f"hänvisningen till '#{ident}' pekar inte på något avsnitt eller någon "
                f"åtgärd; skriv id:t för det du hänvisar till ({known})",
            )
