"""Raw WordprocessingML: the one place in the writers that builds lxml elements by hand.

Below the renderer's readable API (writers/docx.py), as python-docx keeps its element work in
`oxml/`. One module a concern:

- element: the shapes the others build on (a `w:val` element, text that keeps its spaces)
- text: runs, paragraphs, links, page breaks, list numbering
- tables: a grid of one-paragraph cells, its header row, compact cells
- changes: tracked changes (w:ins, w:del, moves), tracked paragraph marks and rows
- notes: footnotes and their styles
- fields: complex fields, and the page-number marks of a draft's table of contents
- bookmarks: a heading's id as a bookmark
- template: the content's place in the template, the cover removed
- city: a template in another city's name (styrdok init --stad)
- drawing: a chart's bar as an inline picture with its alternative text
- remiss: the remiss version's line numbers, header mark and missive page
- schema: the schema's order of property elements
- properties: docProps/core.xml and app.xml
- package: the deterministic zip container

The names used outside the package are imported here, so callers write `ooxml.tracked(…)`.
"""

from styrdok.writers.ooxml.bookmarks import bookmark
from styrdok.writers.ooxml.changes import (
    ChangeIds,
    marks_off_the_table,
    move_range,
    track_paragraph_mark,
    track_placeholders,
    track_row,
    tracked,
)
from styrdok.writers.ooxml.fields import (
    complex_field,
    count_marks,
    field_begin,
    field_end,
    fill_marks,
)
from styrdok.writers.ooxml.notes import (
    FOOTNOTE_STYLES,
    FOOTNOTES_TYPE,
    attach_footnotes,
    footnote,
    footnote_reference,
    footnote_styles,
    footnotes_part,
)
from styrdok.writers.ooxml.package import (
    LEFTOVER_RELS,
    deterministic_zip,
    drop_leftovers,
    package_zip,
    read_part,
    unreadable,
    xml_parts,
)
from styrdok.writers.ooxml.properties import app_xml, core_xml, created, governance_type
from styrdok.writers.ooxml.schema import order_parts, schema_order
from styrdok.writers.ooxml.tables import (
    cells,
    column_widths,
    compact_cell,
    keep_row_together,
    repeat_header_row,
    table,
)
from styrdok.writers.ooxml.template import MarkParagraph, replace_mark_paragraph, strip_cover
from styrdok.writers.ooxml.text import (
    body,
    hidden_space,
    hyperlink,
    link_style,
    number,
    outline_as_body_text,
    page_break,
    page_break_before,
    paragraph,
    restart_numbering,
    run_element,
)

__all__ = [
    "FOOTNOTES_TYPE",
    "FOOTNOTE_STYLES",
    "LEFTOVER_RELS",
    "ChangeIds",
    "MarkParagraph",
    "app_xml",
    "attach_footnotes",
    "body",
    "bookmark",
    "cells",
    "column_widths",
    "compact_cell",
    "complex_field",
    "core_xml",
    "count_marks",
    "created",
    "deterministic_zip",
    "drop_leftovers",
    "field_begin",
    "field_end",
    "fill_marks",
    "footnote",
    "footnote_reference",
    "footnote_styles",
    "footnotes_part",
    "governance_type",
    "hidden_space",
    "hyperlink",
    "keep_row_together",
    "link_style",
    "marks_off_the_table",
    "move_range",
    "number",
    "order_parts",
    "outline_as_body_text",
    "package_zip",
    "page_break",
    "page_break_before",
    "paragraph",
    "read_part",
    "repeat_header_row",
    "replace_mark_paragraph",
    "restart_numbering",
    "run_element",
    "schema_order",
    "strip_cover",
    "table",
    "track_paragraph_mark",
    "track_placeholders",
    "track_row",
    "tracked",
    "unreadable",
    "xml_parts",
]
