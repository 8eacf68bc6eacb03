"""One traversal of the document model: the nodes (document, sections, measures, blocks, list
items) in reading order, the run sequences (inlines) they hold, and a map that rewrites every
run sequence of a document.

Every walk over the model that does not care which kind of block it meets goes through here
(the reference resolver, the word counts and matching, finding tables), in the manner of
sphinx's `node.traverse(condition)`: one generic walk and a type or a predicate to filter it,
never a walk of its own per module. The match on the block type is exhaustive and ends in
`assert_never`, so a new block type fails the type check here (and in every writer that renders
blocks) until it is handled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import TypeAlias, TypeVar, assert_never, overload

from styrdok.model.document import (
    Block,
    BulletList,
    Document,
    Inlines,
    ListItem,
    Measure,
    Paragraph,
    Section,
    Subheading,
    Table,
)

Node: TypeAlias = Document | Section | Measure | Block | ListItem
N = TypeVar("N", bound=Node)


def children(node: Node) -> tuple[Node, ...]:
    """The nodes directly inside `node`, in reading order: a document's sections, a section's
    blocks and then its measures, a measure's blocks, a list's items. Titles, paragraphs'
    runs, table cells and fields are inlines (see `inlines`), not nodes."""
    match node:
        case Document():
            return node.sections
        case Section():
            return (*node.blocks, *node.measures)
        case Measure():
            return node.blocks
        case BulletList():
            return node.items
        case Paragraph() | Subheading() | Table() | ListItem():
            return ()
        case _:
            assert_never(node)


@overload
def traverse(node: Node | Iterable[Node], condition: type[N]) -> Iterator[N]: ...


@overload
def traverse(
    node: Node | Iterable[Node], condition: Callable[[Node], bool] | None = None
) -> Iterator[Node]: ...


def traverse(
    node: Node | Iterable[Node],
    condition: type | Callable[[Node], bool] | None = None,
) -> Iterator[Node]:
    """`node` and every node inside it, depth first in reading order, that meets `condition`:
    a node type or a predicate; None: all. `node` may also be a sequence
    of nodes (a section's blocks), each walked in turn."""
    stack = [node] if isinstance(node, Node) else list(node)[::-1]
    while stack:
        current = stack.pop()
        if condition is None or (
            isinstance(current, condition) if isinstance(condition, type) else condition(current)
        ):
            yield current
        stack += reversed(children(current))


def inlines(
    node: Node | Iterable[Node], *, notes: bool = False, measures: bool = True
) -> Iterator[Inlines]:
    """Every run sequence in `node`, in reading order: a section's or measure's title, then
    its text (a paragraph's runs, each list item's, a table's cells row by row, the header
    first), a measure's fields after its text, a section's measures after its own text.

    `notes`: each footnote's text right after the run sequence that holds its mark.
    `measures`: False leaves a section's measures out (its own title and text only)."""
    for n in [node] if isinstance(node, Node) else node:
        for runs in _own_inlines(n, measures):
            yield runs
            if notes:
                yield from _notes(runs)


def _own_inlines(node: Node, measures: bool) -> Iterator[Inlines]:
    match node:
        case Document():
            for section in node.sections:
                yield from _own_inlines(section, measures)
        case Section():
            yield node.title
            for block in node.blocks:
                yield from _own_inlines(block, measures)
            for measure in node.measures if measures else ():
                yield from _own_inlines(measure, measures)
        case Measure():
            yield node.title
            for block in node.blocks:
                yield from _own_inlines(block, measures)
            yield from node.fields.values()
        case Paragraph() | Subheading() | ListItem():
            yield node.runs
        case BulletList():
            for item in node.items:
                yield item.runs
        case Table():
            for row in (node.header, *node.rows):
                yield from row
        case _:
            assert_never(node)


def _notes(runs: Inlines) -> Iterator[Inlines]:
    """The texts of the footnotes marked in `runs`, each followed by those marked in it."""
    for r in runs:
        if r.note is not None:
            yield r.note
            yield from _notes(r.note)


def map_inlines(doc: Document, f: Callable[[Inlines], Inlines]) -> Document:
    """The document with every run sequence (titles, text, table cells, fields) replaced by
    `f` of it; footnotes are inside the runs `f` is given."""

    def measure(m: Measure) -> Measure:
        fields = {k: f(v) for k, v in m.fields.items()}
        return replace(m, title=f(m.title), blocks=map_blocks(m.blocks, f), fields=fields)

    sections = tuple(
        replace(
            s,
            title=f(s.title),
            blocks=map_blocks(s.blocks, f),
            measures=tuple(map(measure, s.measures)),
        )
        for s in doc.sections
    )
    return replace(doc, sections=sections)


def map_blocks(blocks: tuple[Block, ...], f: Callable[[Inlines], Inlines]) -> tuple[Block, ...]:
    """Blocks with every run sequence replaced by `f` of it."""
    return tuple(map_block(b, f) for b in blocks)


def map_block(block: Block, f: Callable[[Inlines], Inlines]) -> Block:
    """One block with every run sequence replaced by `f` of it."""
    match block:
        case Paragraph() | Subheading():
            return replace(block, runs=f(block.runs))
        case BulletList():
            return replace(block, items=tuple(replace(i, runs=f(i.runs)) for i in block.items))
        case Table():
            rows = tuple(tuple(map(f, row)) for row in block.rows)
            return replace(block, header=tuple(map(f, block.header)), rows=rows)
        case _:
            assert_never(block)
