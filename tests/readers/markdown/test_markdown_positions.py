"""The first pass of the Markdown reader: the line of each pandoc node (positions.py)."""

from __future__ import annotations

import pytest
from support.pandocast import blocks, first, flat

from styrdok.readers.markdown import positions

DOCUMENT = """# Inledning {#inledning}

Text på
två rader.

- ett
- två

| a | b |
|---|---|
| 1 | 2 |

Tidplan
: Klart 2026
"""


def test_each_block_is_unwrapped_with_its_line():
    assert [(b["t"], line) for b, line in flat(DOCUMENT)] == [
        ("Header", 1),
        ("Para", 3),
        ("BulletList", 6),
        ("Table", 9),
        ("DefinitionList", 13),
    ]


def test_the_wrappers_sourcepos_adds_are_what_flatten_removes():
    wrapped = blocks("Text.\n")
    assert wrapped[0]["t"] == "Div" and positions.is_wrapper(wrapped[0]["c"][0])
    assert positions.line(wrapped[0]["c"][0]) == 1
    assert [b["t"] for b, _ in positions.flatten(wrapped, 1)] == ["Para"]


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("| a |\n|---|\n| 1 |\n", (1, 3)),
        ("\n\n| a |\n|---|\n| 1 |\n| 2 |\n", (3, 6)),
        ("| a |\n|---|\n| 1 |\n\nText.\n", (1, 3)),
    ],
)
def test_a_table_spans_its_lines(text, lines):
    assert positions.span(first(text)["c"][0]) == lines


@pytest.mark.parametrize(
    ("value", "line"),
    [("4:1-5:1", 4), ("4:1-5:1;3:1-6:1", 3), ("12:3-12:9", 12), ("", None)],
)
def test_the_first_line_of_a_position(value, line):
    assert positions.line(["", [], [["data-pos", value]]]) == line


def test_a_field_term_has_the_line_of_its_first_word():
    (term, _), *_ = first("\n\nTidplan\n: Klart 2026\n")["c"]
    assert positions.inline_line(term) == 3


def test_each_list_item_has_its_own_line():
    items = first("\n\n- punkt\n- två\n")["c"]
    assert [[(b["t"], line) for b, line in positions.flatten(i, 1)] for i in items] == [
        [("Plain", 3)],
        [("Plain", 4)],
    ]


def test_a_block_without_a_position_of_its_own_has_its_holders():
    plain = {"t": "Plain", "c": []}
    assert positions.block_line(plain) is None
    assert list(positions.flatten([plain], 7)) == [(plain, 7)]
