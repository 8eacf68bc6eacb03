"""pandoc's AST of a piece of the source format, read by the real pandoc as styrdok reads it
(the tests of the Markdown reader's passes start from it)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from styrdok.readers.markdown import pandoc, positions


def blocks(text: str) -> list[dict[str, Any]]:
    """The top-level blocks of `text`'s AST, sourcepos wrappers and all."""
    output = pandoc.Reading(text, pandoc.SOURCE_FORMAT, Path("test.md")).json()
    return json.loads(output)["blocks"]


def flat(text: str) -> list[tuple[dict[str, Any], int]]:
    """The blocks of `text` as the passes see them: unwrapped, each with its line."""
    return list(positions.flatten(blocks(text), 1))


def first(text: str) -> dict[str, Any]:
    """The first block of `text`, unwrapped."""
    return flat(text)[0][0]
