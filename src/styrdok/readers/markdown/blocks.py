"""pandoc's blocks → the model's blocks: paragraphs, lists and tables, each with its line.

The source holds paragraphs, bulleted and numbered lists (one paragraph an item), pipe tables
(one line of text a cell) and headings (the outline reads those); any other block is refused at
its line with what to write instead. A table is refused whole where pandoc would change it
without a word.
"""

from __future__ import annotations

from typing import Any

from styrdok.model.document import Block, BulletList, Inlines, ListItem, Paragraph, Table, plain
from styrdok.readers.markdown import lints, positions
from styrdok.readers.markdown.inlines import InlineReader
from styrdok.readers.markdown.positions import Node

# What the source cannot hold, in the user's words (pandoc's names never reach the user).
UNSUPPORTED_BLOCK = "det här blocket stöds inte; använd stycken, punktlistor och rubriker"
UNSUPPORTED_BLOCKS = {
    "BlockQuote": "citatblock ('> …') stöds inte; skriv citatet som ett stycke inom citattecken",
    "CodeBlock": "kodblock stöds inte (en rad med fyra mellanslags indrag eller ```); ta bort "
    "indraget eller ```",
    "RawBlock": "HTML stöds inte; skriv texten utan taggar",
    "HorizontalRule": "linjer ('---') stöds inte; börja en ny rubrik eller ett nytt stycke",
    "Figure": "bilder stöds inte i texten; lägg bilden i mallen eller i en bilaga bredvid "
    "dokumentet",
    "Div": "block inom ':::' stöds inte; ta bort ':::'-raderna",
    "LineBlock": "radblock ('| …') stöds inte; avsluta raderna med \\ för radbrytning",
}


class BlockReader:
    """Reads pandoc's content blocks of one source file (its `lines`, for the rows of tables)
    into the model's blocks, their text through `inlines`."""

    def __init__(self, inlines: InlineReader, lines: list[str]) -> None:
        self.inlines, self.report, self.lines = inlines, inlines.report, lines

    def block(self, block: Node, line: int) -> Block | None:
        """A content block, or None (refused, with its problem reported)."""
        t = block["t"]
        if t in ("Para", "Plain"):
            runs = self.inlines.runs(block["c"], line)
            if message := lints.broken_table(plain(runs)):
                self.report(line, message)
            return Paragraph(runs)
        if t in ("BulletList", "OrderedList"):
            items = block["c"] if t == "BulletList" else block["c"][1]
            start = block["c"][0][0] if t == "OrderedList" else 1
            return BulletList(
                tuple(self.item(i, line) for i in items), ordered=t == "OrderedList", start=start
            )
        if t == "Table":
            return self.table(block, line)
        self.report(line, UNSUPPORTED_BLOCKS.get(t, UNSUPPORTED_BLOCK))
        return None

    def item(self, blocks: list[Node], line: int) -> ListItem:
        """A list item: one paragraph (a nested list or a second paragraph is refused)."""
        flat = list(positions.flatten(blocks, line))
        if len(flat) != 1 or flat[0][0]["t"] not in ("Plain", "Para"):
            self.report(
                flat[0][1] if flat else line,
                "en listpunkt ska vara ett stycke; nästlade listor stöds inte",
            )
            return ListItem(())
        return ListItem(self.inlines.runs(flat[0][0]["c"], flat[0][1]))

    def table(self, block: Node, line: int) -> Table | None:
        """A pipe table: a header row, then rows of as many cells, each cell one line of text.
        What pandoc would change without a word (a row with more cells than the header loses
        them, one with fewer is filled up; column alignment) is refused at its line."""
        _, _, colspecs, head, bodies, foot = block["c"]
        first, last = positions.span(block["c"][0]) or (line, line + 1)
        before = len(self.report.problems)
        if any(spec[0]["t"] != "AlignDefault" for spec in colspecs):
            self.report(first + 1, lints.ALIGNED)
        for number, message in lints.table_rows(self.lines, first, last, len(colspecs)):
            self.report(number, message)
        header = [self.cell(c, line) for row in head[1] for c in row[1]]
        rows = [
            tuple(self.cell(c, line) for c in row[1])
            for body in bodies
            for row in (*body[2], *body[3])
        ]
        rows += [tuple(self.cell(c, line) for c in row[1]) for row in foot[1]]
        if not any(plain(cell).strip() for cell in header):
            self.report(first, lints.NO_HEADER)
        if not rows:
            self.report(first, lints.ONLY_HEADER)
        if len(self.report.problems) > before:
            return None
        return Table(tuple(header), tuple(rows))

    def cell(self, cell: list[Any], line: int) -> Inlines:
        """A table cell's text: one line (a pipe table cannot hold more)."""
        blocks = cell[4]
        if not blocks:
            return ()
        line = positions.inline_line(blocks[0].get("c") or []) or line
        if len(blocks) != 1 or blocks[0]["t"] not in ("Plain", "Para"):
            self.report(
                line, "en tabellcell rymmer en rad text; skriv listor och stycken utanför tabellen"
            )
            return ()
        runs = self.inlines.runs(blocks[0]["c"], line)
        if "\n" in plain(runs):
            self.report(line, "en tabellcell rymmer en rad text; ta bort radbrytningen")
        return runs
