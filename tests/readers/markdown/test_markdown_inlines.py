"""The Markdown reader's inlines and blocks: pandoc's inlines → runs (inlines.py), pandoc's
paragraphs, lists and tables → blocks (blocks.py); what the source cannot hold is refused at its
line."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.pandocast import flat

from styrdok.model.document import BulletList, ListItem, Paragraph, Run, Table
from styrdok.readers.markdown.blocks import BlockReader
from styrdok.readers.markdown.inlines import InlineReader
from styrdok.readers.markdown.lints import Report


def read(text: str) -> tuple[tuple[Run, ...], list[str], InlineReader]:
    """The runs of the first paragraph of `text`, and the problems as 'line: message'."""
    report = Report(Path("test.md"))
    reader = InlineReader(report)
    (block, line), *_ = flat(text)
    runs = reader.runs(block["c"], line)
    return runs, [f"{p.line}: {p.message}" for p in report.problems], reader


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("Vanlig text.", (Run("Vanlig text."),)),
        ("**fet** och *kursiv*", (Run("fet", bold=True), Run(" och "), Run("kursiv", italic=True))),
        ("***båda***", (Run("båda", bold=True, italic=True),)),
        (
            "m^2^ och CO~2~",
            (Run("m"), Run("2", script="super"), Run(" och CO"), Run("2", script="sub")),
        ),
        (
            "[stadens](https://helsingborg.se) sida",
            (Run("stadens", href="https://helsingborg.se"), Run(" sida")),
        ),
        ("Box 1\\\nHelsingborg", (Run("Box 1\nHelsingborg"),)),
        ("En rad\nsom fortsätter", (Run("En rad som fortsätter"),)),
        ("Text med `kod`", (Run("Text med kod"),)),
        ("\\*inte kursiv\\*", (Run("*inte kursiv*"),)),
        (
            "Text[^1].\n\n[^1]: En *not*.",
            (Run("Text"), Run("", note=(Run("En "), Run("not", italic=True), Run("."))), Run(".")),
        ),
    ],
)
def test_inlines_become_runs(text, runs):
    found, problems, _ = read(text)
    assert (found, problems) == (runs, [])


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("\n\n~~bort~~", "3: genomstrykning stöds inte"),
        ("[a]{.underline}", "1: understrykning stöds inte"),
        ("[a]{#ankare}", "1: formateringen {#ankare} stöds inte"),
        ("a <b>fet</b>", "1: HTML stöds inte"),
        ("$x^2$", "1: formler stöds inte"),
        ("![bild](a.png)", "1: bilder stöds inte i texten"),
        ("[x](javascript:alert(1))", "1: länken 'javascript:alert(1)' går inte att följa"),
        ("Tecken &#1; här", "1: texten innehåller ett osynligt styrtecken (U+0001)"),
        ("Text[^1].\n\n[^1]: - en\n    - två", "1: en fotnot rymmer ett stycke"),
        ("[](#inledning)", "1: hänvisningen till '#inledning' saknar text"),
    ],
)
def test_what_the_source_cannot_hold_is_refused_at_its_line(text, problem):
    _, problems, _ = read(text)
    assert any(p.startswith(problem) for p in problems), problems


def test_references_by_id_are_collected_with_their_lines():
    runs, problems, reader = read("\n\nSe [åtgärd](#bostad-forst) och [avsnitt](#mal).")
    assert problems == []
    assert reader.references == [("bostad-forst", 3), ("mal", 3)]
    assert [r.href for r in runs if r.href] == ["#bostad-forst", "#mal"]


def blocks(text: str) -> tuple[list[object], list[str]]:
    report = Report(Path("test.md"))
    reader = BlockReader(InlineReader(report), text.split("\n"))
    out = [reader.block(b, line) for b, line in flat(text)]
    return out, [f"{p.line}: {p.message}" for p in report.problems]


@pytest.mark.parametrize(
    ("text", "block"),
    [
        ("Ett stycke.", Paragraph((Run("Ett stycke."),))),
        ("- a\n- b", BulletList((ListItem((Run("a"),)), ListItem((Run("b"),))))),
        (
            "3. tre\n4. fyra",
            BulletList((ListItem((Run("tre"),)), ListItem((Run("fyra"),))), True, 3),
        ),
        (
            "| Roll | Ansvar |\n|---|---|\n| Nämnd | **Leder** |",
            Table(
                ((Run("Roll"),), (Run("Ansvar"),)), (((Run("Nämnd"),), (Run("Leder", bold=True),)),)
            ),
        ),
        ("| a | b |\n|---|---|\n| 1 |  |", Table(((Run("a"),), (Run("b"),)), (((Run("1"),), ()),))),
    ],
)
def test_blocks_become_the_models_blocks(text, block):
    assert blocks(text) == ([block], [])


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("> citat", "1: citatblock ('> …') stöds inte"),
        ("    kod", "1: kodblock stöds inte"),
        ("***", "1: linjer ('---') stöds inte"),
        ("::: ruta\ntext\n:::", "1: block inom ':::' stöds inte"),
        ("- a\n  - b", "1: en listpunkt ska vara ett stycke"),
        (
            "| a | b |\n|---|---|\n| 1 | 2 | 3 |",
            "3: raden har 3 celler men tabellens rubrikrad har 2",
        ),
        ("| a | b |\n|:--|--:|\n| 1 | 2 |", "2: kolumnjustering (':'"),
        ("|  |  |\n|---|---|\n| 1 | 2 |", "1: tabellen saknar rubrikrad"),
        ("| a | b |\n|---|---|", "1: tabellen har bara en rubrikrad"),
        ("| a | b | c |\n|---|---|\n| 1 | 2 |", "1: raderna ser ut som en tabell men blev ingen"),
    ],
)
def test_blocks_the_source_cannot_hold_are_refused_at_their_line(text, problem):
    out, problems = blocks(text)
    assert any(p.startswith(problem) for p in problems), problems
    assert not any(isinstance(b, Table) for b in out)  # a refused table is left out whole
