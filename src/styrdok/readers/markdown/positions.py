"""Where pandoc's nodes stand in the source: the first pass over pandoc's JSON.

With the `sourcepos` extension pandoc writes each element's place as a `data-pos` attribute
("4:1-5:1", or several ranges "4:1-5:1;3:1-6:1" where an element was put together), on the
element itself (headings, tables, code) or on a wrapper Div or Span it adds around it. These
functions read the line a node starts on (what every message names) and unwrap the Divs, so
that the later passes see the blocks as written, each with its line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

# A node of pandoc's JSON AST: {"t": type, "c": content}; an Attr is [id, classes, [[k, v]…]].
Node = dict[str, Any]
Attr = list[Any]

POSITION = re.compile(r"(?:^|[@;])(\d+):\d+-")  # "4:1-5:1;3:1-6:1": where each part starts
RANGE = re.compile(r"(\d+):\d+-(\d+):(\d+)")


def line(attr: Attr) -> int | None:
    """The first line an element covers, from its attributes (None: no position)."""
    for key, value in attr[2]:
        if key == "data-pos":
            head, _, rest = value.partition(":")
            if head.isdigit() and ";" not in rest and "@" not in rest:  # one range: "3:1-3:9"
                return int(head)
            starts = POSITION.findall(value)
            if starts:
                return min(int(s) for s in starts)
    return None


def span(attr: Attr) -> tuple[int, int] | None:
    """The first and last line a block covers ("4:1-5:1;3:1-7:1": lines 3 to 6)."""
    for key, value in attr[2]:
        if key == "data-pos":
            ranges = RANGE.findall(value)
            if ranges:
                first = min(int(a) for a, _, _ in ranges)
                last = max(int(b) - (c == "1") for _, b, c in ranges)
                return first, max(first, last)
    return None


def inline_line(inlines: list[Node]) -> int | None:
    """The line of the first inline that carries a source position."""
    for i in inlines:
        if i["t"] in ("Span", "Link") and (found := line(i["c"][0])):
            return found
    return None


def is_wrapper(attr: Attr) -> bool:
    """Whether a Div is one that sourcepos added around a block (not one the author wrote)."""
    return any(k == "wrapper" for k, _ in attr[2])


def flatten(blocks: Iterable[Node], at: int) -> Iterator[tuple[Node, int]]:
    """Each block with its line, the Divs that sourcepos adds around blocks unwrapped; a block
    without a position of its own has the line of what holds it (`at` at the top)."""
    for b in blocks:
        if b["t"] == "Div" and is_wrapper(b["c"][0]):
            yield from flatten(b["c"][1], line(b["c"][0]) or at)
        else:
            yield b, block_line(b) or at


def block_line(block: Node) -> int | None:
    """The line of a block that carries its own attributes (headings, tables, code)."""
    c: Any = block.get("c")
    attr = c[1] if block["t"] == "Header" else (c[0] if isinstance(c, list) and c else None)
    if isinstance(attr, list) and len(attr) == 3 and isinstance(attr[2], list):
        return line(attr)
    return None


_JSON = json.JSONDecoder()
_BLANK = re.compile(r"[ \t\n\r]*")


def top_blocks(output: str) -> Iterator[Node]:
    """The AST's top-level blocks decoded one at a time from pandoc's JSON, so that only one
    of them is held as Python objects at once (with sourcepos the whole AST of a long document
    is tens of MB of JSON and several times that as dicts and lists)."""

    def skip(i: int) -> int:
        match = _BLANK.match(output, i)
        return match.end() if match else i

    i = skip(0)
    if output[i : i + 1] != "{":
        raise ValueError("pandoc's JSON is no object")
    i = skip(i + 1)
    while output[i : i + 1] != "}":
        key, i = _JSON.raw_decode(output, i)
        i = skip(skip(i) + 1)  # the colon
        if key != "blocks":
            _, i = _JSON.raw_decode(output, i)
        else:
            i = skip(i + 1)  # the array's [
            while output[i : i + 1] != "]":
                block, i = _JSON.raw_decode(output, i)
                yield block
                i = skip(i)
                if output[i : i + 1] == ",":
                    i = skip(i + 1)
            i += 1
        i = skip(i)
        if output[i : i + 1] == ",":
            i = skip(i + 1)
