"""The checks of the Markdown reader (lints.py), one row a case: a piece of source in, the
message (or none) out."""

from __future__ import annotations

import pytest
from support.pandocast import first

from styrdok.readers.markdown import lints


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Vanlig text – med tankstreck", None),
        ("Rad\x0bmed Skift+Retur", "en radbrytning från Word (Skift+Retur, U+000B) i kolumn 4"),
        ("Sida\x0cbrytning", "en sidbrytning från Word (U+000C) i kolumn 5"),
        ("\x00", "ett NUL-tecken (U+0000) i kolumn 1"),
        ("a\u2028b", "en osynlig radavgränsare (U+2028) i kolumn 2"),
        ("a\x01b", "ett osynligt styrtecken (U+0001) i kolumn 2"),
        ("a\ufffeb", "ett osynligt styrtecken (U+FFFE) i kolumn 2"),
    ],
)
def test_characters_no_document_can_hold(text, message):
    found = lints.unusable_character(text)
    assert (found is None) if message is None else (message in (found or "")), found


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Text | med streck", None),
        ("| a | b |", "raden ser ut som en tabell men blev ingen"),
        ("| a | b | c | |---|---| | 1 | 2 |", "raderna ser ut som en tabell men blev ingen"),
        ("|", None),
    ],
)
def test_a_paragraph_written_as_a_table(text, words):
    found = lints.broken_table(text)
    assert (found is None) if words is None else found is not None and found.startswith(words)


@pytest.mark.parametrize(
    ("line", "cells"),
    [
        ("| a | b |", 2),
        ("a | b", 2),
        ("| a \\| b |", 1),
        ("| `a|b` | c |", 3),
        ("|  |  |", 2),
        ("   ", None),
    ],
)
def test_the_cells_written_on_a_table_line(line, cells):
    assert lints.pipe_cells(line) == cells


def test_table_rows_with_another_number_of_cells():
    lines = ["| a | b |", "|---|---|", "| 1 | 2 | 3 |", "| 1 |", "| 1 | 2 |"]
    assert [(n, m.split(" men")[0]) for n, m in lints.table_rows(lines, 1, 5, 2)] == [
        (3, "raden har 3 celler"),
        (4, "raden har 1 cell"),
    ]


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("Text[^1].\n\n[^1]: Not.", []),
        ("Text[^1].", [(1, "fotnoten [^1] saknar sin text")]),
        ("Text.\n\n[^1]: Not.", [(3, "fotnoten [^1] används inte i texten")]),
        ("T[^1].\n\n[^1]: A.\n\n[^1]: B.", [(5, "fotnoten [^1] har redan en text på rad 3")]),
        ("Skriv `[^z]` för en fotnot.", []),
        ("Två[^a] gånger[^a].\n\n[^a]: Samma.", []),
    ],
)
def test_footnote_labels(text, problems):
    found = [(n, m.split(";")[0]) for n, m in lints.footnote_labels(text)]
    assert found == problems


@pytest.mark.parametrize(
    ("level", "ident", "classes", "text", "ordinal", "words"),
    [
        (1, "mal", [], "Mål", 1, []),
        (2, "gor", ["åtgärd"], "Gör", 1, []),
        (1, "", [], "Mål #mal", 1, ["rubrikens id eller klass står utan klammerparenteser"]),
        (2, "", [], "Gör .åtgärd", 1, ["står utan klammerparenteser; skriv '## Rubrik {#id"]),
        (2, "", [], "Spara som .pdf", 1, []),
        (2, "gor", ["atgard"], "Gör", 1, ["okänd klass '.atgard' i rubriken (menade du .åtgärd?)"]),
        (1, "gor", ["åtgärd"], "Gör", 1, ["en åtgärd har en rubrik på nivå 2"]),
        (2, "gor", ["bilaga"], "Gör", 1, ["okänd klass '.bilaga' i rubriken;"]),
        (
            1,
            "mal",
            [],
            "2 Mål",
            2,
            ["avsnittets nummer sätts automatiskt; skriv rubriken utan '2'"],
        ),
        (1, "mal", [], "2 Mål", 3, []),  # a title that starts with a number, in section 3
        (2, "gor", ["åtgärd"], "3:2 Gör", 1, ["åtgärdens nummer sätts automatiskt"]),
        (1, "b", ["bilaga"], "Bilaga 1 Ord", 1, ["bilagans nummer sätts automatiskt"]),
    ],
)
def test_heading_mistakes(level, ident, classes, text, ordinal, words):
    found = lints.heading(level, ident, classes, text, ordinal)
    assert len(found) == len(words) and all(w in f for w, f in zip(words, found, strict=True))


@pytest.mark.parametrize(
    ("ident", "what", "message"),
    [
        ("mal", "avsnittet", None),
        ("", "avsnittet", "avsnittet saknar id; skriv rubriken som '# Rubrik {#ett-id}'"),
        ("", "åtgärden", "åtgärden saknar id; skriv rubriken som '## Rubrik {#ett-id .åtgärd}'"),
        ("Mål", "avsnittet", "id 'Mål' är ogiltigt; använd a–z, siffror och bindestreck"),
        ("inledning", "avsnittet", "id 'inledning' används redan på rad 1; välj ett unikt"),
    ],
)
def test_ids(ident, what, message):
    assert lints.identifier(ident, what, {"inledning": 1}) == message


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Tidplan\n:Klart 2026", "Tidplan"),
        ("Tidplan:\n:Klart 2026", "Tidplan"),
        ("Uppföljning\n:Årligen", "Uppföljning"),
        ("Tidplan\n: Klart 2026", None),  # a field list, not a paragraph
        ("Text\n:inte ett fält", None),
    ],
)
def test_a_field_written_without_the_space_after_its_colon(text, label):
    assert lints.unspaced_field(first(text)) == label


def test_references_to_an_id_that_nothing_has():
    found = list(lints.dangling([("mal", 3), ("finns-inte", 5)], {"mal": 1, "inledning": 2}))
    assert found == [
        (
            5,
            "hänvisningen till '#finns-inte' pekar inte på något avsnitt eller någon åtgärd; "
            "skriv id:t för det du hänvisar till (inledning, mal)",
        )
    ]


@pytest.mark.parametrize(
    ("level", "ident", "classes", "text", "meant"),
    [
        (2, "gor", ["åtgärd"], "Gör", False),  # a measure
        (2, "gor", ["atgard"], "Gör", True),
        (2, "gor", ["Åtgärd"], "Gör", True),
        (2, "", [], "Gör .åtgärd", True),
        (2, "", [], "Gör .atgärd}", True),
        (1, "gor", ["åtgärd"], "Gör", True),
        (2, "", [], "Spara som .pdf", False),
        (2, "", [], "Om åtgärder", False),
        (1, "b", ["bilaga"], "Begrepp", False),
    ],
)
def test_a_heading_meant_as_a_measure(level, ident, classes, text, meant):
    assert lints.meant_as_measure(level, ident, classes, text) is meant


@pytest.mark.parametrize(
    ("label", "meant"),
    [
        ("Uppföljare", "Uppföljning"),
        ("Uppfoljning", "Uppföljning"),
        ("Tidsplan", "Tidplan"),
        ("Ansvarig nämnd", "Ansvarig nämnd eller bolag"),
        ("Ansvar", "Ansvarig nämnd eller bolag"),
        ("Budget", None),
        ("Tid", None),
        ("Status", None),
    ],
)
def test_the_field_an_unknown_label_was_meant_as(label, meant):
    assert lints.meant_field(label) == meant


@pytest.mark.parametrize(
    ("text", "ident"),
    [
        ("Mål #mal", "mal"),
        ("Mål {#mal", "mal"),
        ("Mål #mal}", "mal"),
        ("Staden är #1", "1"),
        ("Mål", None),
    ],
)
def test_the_id_written_without_braces(text, ident):
    assert lints.unbraced_id(text) == ident
