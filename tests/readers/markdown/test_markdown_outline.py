"""The Markdown reader's outline (outline.py): the flat stream of blocks folded into sections,
appendices and measures with their fields, and what does not fit refused at its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.pandocast import flat

from styrdok.model.document import MEASURE_FIELDS, Paragraph, Run, Section, Subheading, plain
from styrdok.readers.markdown.blocks import BlockReader
from styrdok.readers.markdown.inlines import InlineReader
from styrdok.readers.markdown.lints import Report
from styrdok.readers.markdown.outline import Outline

FIELDS = """
Ansvarig nämnd eller bolag
: Socialnämnden

Tidplan
: Klart 2026

Uppföljning
: Årligen
"""


def outline(text: str) -> tuple[tuple[Section, ...], list[str]]:
    """The sections of `text` and its problems as 'line: message'."""
    report = Report(Path("test.md"))
    folded = Outline(BlockReader(InlineReader(report), text.split("\n")))
    for block, line in flat(text):
        folded.add(block, line)
    sections = folded.finish()
    return sections, [f"{p.line}: {p.message}" for p in sorted(report.problems)]


def test_sections_measures_fields_and_appendices_are_folded_with_their_lines():
    text = (
        "# Inledning {#inledning}\n\nText.\n\n## Bakgrund\n\nMer.\n\n"
        "# Åtgärder {#atgarder}\n\n## Gör något {#gor .åtgärd}\n\nVad.\n"
        + FIELDS
        + "\n# Begrepp {#begrepp .bilaga}\n\nOrd.\n"
    )
    sections, problems = outline(text)
    assert problems == []
    assert [(s.id, s.line, s.appendix) for s in sections] == [
        ("inledning", 1, False),
        ("atgarder", 9, False),
        ("begrepp", 24, True),
    ]
    assert sections[0].blocks == (
        Paragraph((Run("Text."),)),
        Subheading((Run("Bakgrund"),), level=2),
        Paragraph((Run("Mer."),)),
    )
    (measure,) = sections[1].measures
    assert (measure.id, measure.line, plain(measure.title)) == ("gor", 11, "Gör något")
    assert measure.blocks == (Paragraph((Run("Vad."),)),)
    assert list(measure.fields) == list(MEASURE_FIELDS)
    assert [plain(v) for v in measure.fields.values()] == ["Socialnämnden", "Klart 2026", "Årligen"]


def test_a_measure_without_a_field_list_gets_empty_fields_and_a_problem():
    sections, problems = outline("# A {#a}\n\n## Gör {#gor .åtgärd}\n\nText.\n")
    assert [plain(v) for v in sections[0].measures[0].fields.values()] == ["", "", ""]
    assert problems == [
        "3: åtgärden 'gor' saknar 'Ansvarig nämnd eller bolag', 'Tidplan', 'Uppföljning'; "
        "förväntade en fältlista med alla tre fälten"
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Text.\n\n# A {#a}", "1: text före första avsnittet"),
        ("## Gör {#gor .åtgärd}\n\n# A {#a}", "1: åtgärden står före första avsnittet"),
        ("# A {#a}\n\n# B {#a}", "3: id 'a' används redan på rad 1"),
        ("# A {#A}", "1: id 'A' är ogiltigt"),
        ("# A", "1: avsnittet saknar id"),
        ("# A {#a}\n\n#### Fyra", "3: rubriknivå 4 stöds inte"),
        ("# A {#a}\n\n### Gör {#gor .åtgärd}" + FIELDS, "3: en åtgärd ska ha en rubrik på nivå 2"),
        ("# A {#a}\n" + FIELDS, "3: fältlistan hör inte till någon åtgärd"),
        (
            "# A {#a}\n\n## G {#g .åtgärd}\n" + FIELDS + "\nMer.",
            "14: text efter fälten i åtgärden 'g'",
        ),
        ("# A {#a .bilaga}\n\n# B {#b}", "3: avsnittet står efter en bilaga"),
        ("# A {#a .bilaga}\n\n## G {#g .åtgärd}\n" + FIELDS, "3: en bilaga har inga åtgärder"),
        ("# A {#a}\n\n[se](#b)", "3: hänvisningen till '#b' pekar inte på något avsnitt"),
        ("# A {#a}\n\n## Rubrik[^1]\n\n[^1]: Not.", "3: fotnoter i rubriker stöds inte"),
    ],
)
def test_what_does_not_fit_the_outline_is_refused_at_its_line(text, problem):
    _, problems = outline(text)
    assert any(p.startswith(problem) for p in problems), problems


MEASURE = "# A {#a}\n\n## Gör {#gor .åtgärd}\n\nVad.\n"
OTHER = "# A {#a}\n\n## Först {#forst .åtgärd}\n" + FIELDS + "\n"

# A mistake is reported once, where it is made, and nothing that only follows from it: each row
# is a source with one mistake and every problem that check reports for it.
CASCADES = [
    (  # the case: a missing field at the heading and a second field list, before
        MEASURE + "\nAnsvarig nämnd eller bolag\n: Soc\n\nTidplan\n:Klart december 2021\n\n"
        "Uppföljning\n: Årligen\n",
        [
            "10: fältet 'Tidplan': skriv kolon och mellanslag före värdet (': värde' på raden "
            "under fältnamnet)"
        ],
    ),
    (  # the same as the list's first and last field
        MEASURE
        + "\nAnsvarig nämnd eller bolag\n:Soc\n\nTidplan\n: Klart\n\nUppföljning\n:Årligen\n",
        [
            "7: fältet 'Ansvarig nämnd eller bolag': skriv kolon och mellanslag före värdet "
            "(': värde' på raden under fältnamnet)",
            "13: fältet 'Uppföljning': skriv kolon och mellanslag före värdet (': värde' på "
            "raden under fältnamnet)",
        ],
    ),
    (  # a misspelt field is not also missing
        MEASURE + "\nAnsvarig nämnd eller bolag\n: Soc\n\nTidsplan\n: Klart\n\nUppföljning\n: Å\n",
        [
            "10: okänt fält 'Tidsplan' (menade du 'Tidplan'?); förväntade 'Ansvarig nämnd eller "
            "bolag', 'Tidplan', 'Uppföljning'"
        ],
    ),
    (  # nor a field whose value is refused
        MEASURE
        + "\nAnsvarig nämnd eller bolag\n: Soc\n\nTidplan\n: - a\n  - b\n\nUppföljning\n: Å\n",
        ["10: fältet 'Tidplan' ska ha ett värde på en rad"],
    ),
    (  # a heading meant as a measure: its field list belongs to no measure, and its text and
        # fields are not text after the fields of the measure before
        OTHER + "## Sedan {#sedan .atgard}\n\nText.\n" + FIELDS,
        [
            "14: okänd klass '.atgard' i rubriken (menade du .åtgärd?); en åtgärd skrivs "
            "'## Rubrik {#id .åtgärd}', en bilaga '# Rubrik {#id .bilaga}'"
        ],
    ),
    (
        OTHER + "## Sedan .åtgärd\n\nText.\n" + FIELDS,
        [
            "14: rubrikens id eller klass står utan klammerparenteser; skriv "
            "'## Rubrik {#id .åtgärd}'"
        ],
    ),
    (
        "# A {#a}\n\n# Gör {#gor .åtgärd}\n" + FIELDS,
        ["3: en åtgärd har en rubrik på nivå 2: '## Rubrik {#id .åtgärd}'"],
    ),
    (  # an id refused at its heading: not also missing, and references to it point somewhere
        "# Mål #mal\n\nSe [målet](#mal).\n",
        ["1: rubrikens id eller klass står utan klammerparenteser; skriv '# Rubrik {#id}'"],
    ),
    (
        "# Mål {#Mal}\n\nSe [målet](#Mal).\n",
        ["1: id 'Mal' är ogiltigt; använd a–z, siffror och bindestreck"],
    ),
    (  # the same problem twice on one line is said once; a link's text is read once
        "# A {#a}\n\na <b>fet</b> och [a&#1;b](#a)\n",
        [
            "3: HTML stöds inte; skriv texten utan taggar",
            "3: texten innehåller ett osynligt styrtecken (U+0001), som inte kan stå i ett "
            "Word- eller PDF-dokument; ta bort det eller skriv texten på en ny rad",
        ],
    ),
]


@pytest.mark.parametrize(("text", "problems"), CASCADES)
def test_a_mistake_is_reported_once_and_not_what_follows_from_it(text, problems):
    assert outline(text)[1] == problems


def test_what_only_looks_like_a_cascade_is_still_reported():
    # a field that is really missing next to one written wrong; an unknown field that is no
    # misspelling of a missing one
    _, problems = outline(MEASURE + "\nTidplan\n:Klart\n")
    assert problems[1:] == [
        "7: åtgärden 'gor' saknar 'Ansvarig nämnd eller bolag', 'Uppföljning'; förväntade "
        "en fältlista med alla tre fälten"
    ]
    _, problems = outline(
        MEASURE + "\nAnsvarig nämnd eller bolag\n: S\n\nTidplan\n: K\n\nBudget\n: 5\n"
    )
    assert [p.split(";")[0] for p in problems] == [
        "7: åtgärden 'gor' saknar 'Uppföljning'",
        "13: okänt fält 'Budget'",
    ]
