"""Render stage: document model → DOCX in the city's layout.

The template (templates/helsingborg/template.docx, editable in Word) carries the page, styles,
header, cover and banner as docxtpl placeholders; this module fills them and writes the table of
contents and the content with python-docx's elements into a body of their own, which takes the
place of the `{{p body }}` paragraph once the template is filled in. Runs and blocks that carry a
`Change` are written as tracked changes, so the redline is this same renderer.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import MutableMapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, assert_never

import jinja2
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.part import Part, XmlPart
from docx.oxml.table import CT_Tbl
from docx.oxml.text.paragraph import CT_P
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.parts.document import DocumentPart
from docx.shared import Cm
from docx.styles.style import BaseStyle, CharacterStyle
from docx.styles.styles import Styles
from docxtpl import DocxTemplate, RichText

from styrdok import __version__
from styrdok.compare.match import document_words
from styrdok.errors import BuildError
from styrdok.model import references
from styrdok.model.document import (
    GOVERNANCE_TYPES,
    MEASURE_FIELDS,
    REMISS_KIND,
    REPORT_KINDS,
    BarChart,
    Block,
    BulletList,
    Change,
    Document,
    Inlines,
    Measure,
    Metadata,
    MetadataRedline,
    Paragraph,
    Run,
    Section,
    Subheading,
    Table,
    section_labels,
)
from styrdok.model.ids import bookmark_name
from styrdok.project.names import TEMPLATE_DIR, TEMPLATE_FILE
from styrdok.writers import ooxml
from styrdok.writers.ooxml import drawing as ooxml_drawing

UNMARKED_FILL, UNMARKED_TEXT = "F2F2F2", "7F7F7F"
# In a redline, a changed placeholder is first rendered as this mark, then made a tracked change.
PLACEHOLDER_MARK = "\ue000"
PLACEHOLDER = PLACEHOLDER_MARK + "{}\ue001"
PLACEHOLDER_SPLIT = re.compile("\ue000(\\w+)\ue001")


@dataclass(frozen=True)
class Layout:
    """What only the laid-out pages tell: the page of each table-of-contents entry (the
    numbered sections, in order) and the number of pages. Read from the PDF after conversion,
    so that the DOCX opens with a complete table of contents and true properties."""

    toc_pages: tuple[int, ...]
    pages: int


# A draft for LibreOffice to lay out holds this mark where each contents entry's page number goes
# (LibreOffice rebuilds the table of contents, so the PDF never shows it); `with_layout` then puts
# in the numbers without rendering the document a second time.
PAGE_MARK = "\ue010"
_DRAFT = Layout((), 0)


def render_docx(
    doc: Document, template_dir: Path = TEMPLATE_DIR, layout: Layout | None = None
) -> bytes:
    """The document as DOCX bytes; the same model, template and layout give the same bytes."""
    path = template_dir / TEMPLATE_FILE
    if path.is_dir():
        raise BuildError(f"{path}: är en mapp; mallen ska vara en Word-fil (template.docx)")
    if not path.is_file():
        raise BuildError(f"{path}: mallen saknas; förväntade en Word-mall (template.docx)")
    doc = references.resolve(doc)  # "se åtgärd 3:4" with the current number
    tpl = DocxTemplate(str(path))
    try:
        part = tpl.get_docx().part  # docxtpl opens the template here
    except Exception:  # not a zip, truncated, not a Word document: the package says why
        raise BuildError(
            f"{path}: mallen går inte att öppna som Word-dokument: {ooxml.unreadable(path)}; "
            "öppna den i Word och spara den som Word-dokument (.docx), eller hämta den ur git"
        ) from None
    writer = _Body(part, _text_width(tpl.docx), layout, path)
    writer.write(doc)
    context = _context(doc, tpl, path)
    changed = _changed_values(doc)
    context.update({key: PLACEHOLDER.format(key) for key in changed})
    try:
        tpl.render(context, _JINJA, autoescape=True)
    except Exception as e:  # jinja2's TemplateSyntaxError, UndefinedError …
        lineno = getattr(e, "lineno", None)
        line = f" (rad {lineno} i mallens XML)" if lineno else ""
        raise BuildError(
            f"{path}: mallens fält går inte att fylla i: {e}{line}; rätta fälten {{{{ … }}}} "
            "i mallen i Word"
        ) from None
    _put_body(tpl.docx.element.body, writer.body, path)
    if writer.notes is not None:
        ooxml.attach_footnotes(tpl.docx.part, writer.notes)
    if changed and doc.metadata_redline is not None:  # changed values come from a redline
        _track_values(tpl.docx, changed, doc.metadata_redline, writer.ids)
    if writer.report:
        ooxml.strip_cover(tpl.docx.element.body)
    package = tpl.docx.part.package  # get_docx() would reload the template after render()
    ooxml.drop_leftovers(package)
    ooxml.order_parts(package)
    return ooxml.package_zip(package, doc.metadata.datum, replace=_properties(doc, layout))


class _Compiled(jinja2.Environment):
    """A jinja2 environment that compiles each source once: docxtpl compiles every part of the
    template anew for each document (a fifth of a render), though the template's parts, with the
    content in the `body` subdocument, are the same for every document built from it."""

    def __init__(self) -> None:
        super().__init__(autoescape=True)
        self.compiled: OrderedDict[str, jinja2.Template] = OrderedDict()

    def from_string(
        self,
        source: str | jinja2.nodes.Template,
        globals: MutableMapping[str, Any] | None = None,  # jinja2's own signature
        template_class: type[jinja2.Template] | None = None,
    ) -> jinja2.Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        found = self.compiled.pop(source, None) or super().from_string(source)
        self.compiled[source] = found  # the most recent last; a few templates are kept
        while len(self.compiled) > 32:
            self.compiled.popitem(last=False)
        return found


_JINJA = _Compiled()


def render_draft(doc: Document, template_dir: Path = TEMPLATE_DIR) -> bytes:
    """The DOCX that LibreOffice lays out into the PDF, with PAGE_MARK for the page numbers."""
    return render_docx(doc, template_dir, _DRAFT)


def with_layout(
    draft: bytes, doc: Document, layout: Layout, template_dir: Path = TEMPLATE_DIR
) -> bytes:
    """`render_docx(doc, template_dir, layout)`, made from the draft by putting in the page
    numbers and the page count: the same bytes in a fraction of the time. A draft whose marks
    do not match its contents entries one to one (a text that holds the mark itself, a PDF
    whose bookmarks differ) is rendered whole instead."""
    entries = sum(not _gone(s.change) for s in doc.sections)
    xml = ooxml.read_part(draft, "word/document.xml")
    if not entries == ooxml.count_marks(xml, PAGE_MARK) == len(layout.toc_pages):
        return render_docx(doc, template_dir, layout)
    xml = ooxml.fill_marks(xml, PAGE_MARK, layout.toc_pages)
    replace = {"word/document.xml": xml} | _properties(doc, layout)
    return ooxml.deterministic_zip(draft, doc.metadata.datum, replace=replace)


def _properties(doc: Document, layout: Layout | None) -> dict[str, bytes]:
    """docProps/core.xml and app.xml, written whole from the metadata: python-docx's own core
    properties writer breaks once docxcompose (docxtpl's subdocuments, which styrdok no longer
    uses) has rebound its `cp` prefix (python-docx #1037), and the template's app.xml speaks of
    another application."""
    m = doc.metadata
    core = {
        "title": m.full_title,
        "subject": f"{m.typ_label}, DNR {m.dnr}",
        "creator": m.dokumentansvarig,
        "keywords": f"styrdokument; {m.typ}; {m.dnr}",
        "description": f"{m.typ_label}, beslutad av {m.beslutat_av} {m.datum_long}",
        "lastModifiedBy": f"styrdok {__version__}",
        "revision": "1",
        "category": m.typ_label,
        "language": "sv-SE",
    }
    words = document_words(doc)
    return {
        "docProps/core.xml": ooxml.core_xml(core, f"{m.datum.isoformat()}T00:00:00Z"),
        "docProps/app.xml": ooxml.app_xml(
            f"styrdok {__version__}", layout.pages if layout else None, words
        ),
    }


def _values(m: Metadata) -> dict[str, str]:
    """The template's text placeholders (cover, header) for some metadata."""
    return {
        "titel": m.titel,
        "undertitel": m.undertitel,
        "datum": m.datum.isoformat(),
        "datum_long": m.datum_long,
        "typ": m.typ_label,
        "dnr": m.dnr,
        "beslutat_av": m.beslutat_av,
        "revideras_av": m.revideras_av,
        "giltighet": m.giltighet,
        "galler_for": m.gäller_för,
        "dokumentansvarig": m.dokumentansvarig,
    }


def _changed_values(doc: Document) -> dict[str, tuple[str, str]]:
    """In a redline, the placeholders whose text changed: key → (old, new)."""
    if doc.metadata_redline is None:
        return {}
    old, new = _values(doc.metadata_redline.old), _values(doc.metadata)
    return {key: (old[key], new[key]) for key in new if old[key] != new[key]}


def _track_values(
    docx: WordDocument,
    changed: dict[str, tuple[str, str]],
    marks: MetadataRedline,
    ids: ooxml.ChangeIds,
) -> None:
    """Replace each changed placeholder's mark in every part (document, headers) by the old
    text as a tracked deletion and the new text as a tracked insertion, in the run's format."""
    for part in ooxml.xml_parts(docx.part.package):
        ooxml.track_placeholders(
            part.element, PLACEHOLDER_MARK, PLACEHOLDER_SPLIT, changed, marks.dele, marks.ins, ids
        )


# What `{{p body }}` is first filled in with: a paragraph that `_put_body` replaces by the
# content. The content is written as elements and moved into place, never through the template's
# text (docxtpl would serialise it, run it through jinja2 and regular expressions, and parse it
# back: most of a large document's render).
BODY_MARK = "\ue011"


def _put_body(body: BaseOxmlElement, content: BaseOxmlElement, path: Path) -> None:
    """Move the content's elements into the template's body in place of the mark paragraph."""
    found = ooxml.replace_mark_paragraph(body, BODY_MARK, content)
    if found != 1:
        raise BuildError(
            f"{path}: mallen ska ha exakt ett stycke med fältet {{{{p body }}}} där innehållet "
            f"hamnar (hittade {found}); lägg tillbaka det i mallen i Word"
        )


def _text_width(docx: WordDocument) -> int:
    """The width between the margins of the template's last page setup, in EMU: a table's; 16
    cm (A4 with 2.5 cm margins) for a template whose page setup leaves a value out."""
    pages = docx.sections
    page = pages[-1] if len(pages) else None
    width, left, right = (
        (page.page_width, page.left_margin, page.right_margin) if page else (None, None, None)
    )
    if width is None or left is None or right is None or width - left - right <= 0:
        return Cm(16)
    return width - left - right


# Word's built-in styles by the names python-docx and the file use, and by the names Swedish
# Word shows; a message about a missing style gives both.
WORD_NAMES = {
    "Normal": "Normal",
    "Title": "Rubrik",
    "Heading 1": "Rubrik 1",
    "Heading 2": "Rubrik 2",
    "Heading 3": "Rubrik 3",
    "Heading 4": "Rubrik 4",
    "toc 1": "Innehåll 1",
    "Table Grid": "Tabellrutnät",
    "List Bullet": "Punktlista",
    "List Number": "Numrerad lista",
}


def template_style(styles: Styles, name: str, path: Path) -> BaseStyle:
    """The style of this name in a template's styles (python-docx), or a BuildError that names
    the template, the style (also as Swedish Word names it) and the fix."""
    try:
        return styles[name]
    except KeyError:
        shown = f" ({WORD_NAMES[name]} i svenska Word)" if name in WORD_NAMES else ""
        raise BuildError(
            f"{path}: mallen saknar formatmallen '{name}'{shown}, som styrdok skriver med; lägg "
            "till den i mallen i Word (Format > Formatmallar) eller hämta mallen ur git"
        ) from None


def _context(doc: Document, tpl: DocxTemplate, path: Path) -> dict[str, object]:
    m = doc.metadata
    title = template_style(tpl.get_docx().styles, "Title", path)
    color = title.font.color.rgb if isinstance(title, CharacterStyle) else None
    brand = str(color) if color is not None else "1D3557"
    banner = {}
    for typ in GOVERNANCE_TYPES:
        marked = typ == m.typ
        banner[typ] = {
            "fill": brand if marked else UNMARKED_FILL,
            "text": RichText(typ.upper(), bold=marked, color="FFFFFF" if marked else UNMARKED_TEXT),
        }
    values = _values(m)
    if doc.kind in REPORT_KINDS:
        values["typ"] = doc.kind.upper()  # the header says what the paper is
    elif doc.kind == REMISS_KIND:
        values["typ"] = f"{values['typ']} – {REMISS_KIND.upper()}"
    return values | {"banner": banner, "body": ooxml.MarkParagraph(BODY_MARK)}


class _Body:
    """Writes the table of contents and the content into a body element of its own."""

    def __init__(
        self,
        part: DocumentPart,
        width: int,
        layout: Layout | None = None,
        template: Path = Path(),
    ) -> None:
        self.part, self.width, self.layout = part, width, layout
        self.template = template  # for a message about a style it lacks
        self.body = ooxml.body()
        self.bookmarks = 0
        self.report = False
        self.ids = ooxml.ChangeIds()
        self.style_ids: dict[str, str] = {}
        self.link_style: str | None = None
        self.written: list[CT_P | CT_Tbl] = []  # the body paragraphs (and tables) so far
        self.notes: XmlPart | None = None  # the footnotes part, once there is a footnote
        self.figures = 1000  # drawings so far (a chart's bars): ids of their own, above the
        # template's (its drawings are numbered from 1)

    def new_paragraph(self) -> CT_P:
        """An empty w:p at the end of the body (python-docx's add_paragraph looks for a w:sectPr
        among all the body's children on every call: quadratic in a 5000-measure document)."""
        p = ooxml.paragraph()
        self.body.append(p)
        return p

    def add_paragraph(self, style: str) -> CT_P:
        """A new body paragraph; style names are resolved once (python-docx scans every style
        on each lookup, which was most of the render time)."""
        if style not in self.style_ids:
            self.style_ids[style] = self.style(style).style_id
        p = ooxml.paragraph(self.style_ids[style])
        self.body.append(p)
        self.written.append(p)
        return p

    def style(self, name: str) -> BaseStyle:
        """The template's style of this name (python-docx), or a BuildError that names it."""
        return template_style(self.part.styles, name, self.template)

    def write(self, doc: Document) -> None:
        self.report = doc.kind in REPORT_KINDS
        if not self.report:  # a report is read from its first page: no table of contents
            self.toc(doc)
        live = [s for s in doc.sections if not _gone(s.change)]
        labels = dict(zip((s.id for s in live), section_labels(live), strict=True))
        for section in doc.sections:
            self.section(section, labels.get(section.id, ""))
        # The document's last paragraph mark can be neither inserted nor deleted (Word and
        # LibreOffice keep it), so the body ends with a paragraph that no change touches: a
        # section added or removed at the end is then undone exactly. It holds one hidden space:
        # LibreOffice joins a removed paragraph into an *empty* next one with the removed one's
        # style.
        self.new_paragraph().append(ooxml.hidden_space())

    def toc(self, doc: Document) -> None:
        """A real TOC field; the cached entries list the sections, LibreOffice/Word add pages."""
        live = [s for s in doc.sections if not _gone(s.change)]
        entries = list(zip(section_labels(live), (s.title for s in live), strict=True))
        pages: tuple[int | str, ...] = self.layout.toc_pages if self.layout else ()
        if self.layout is _DRAFT:
            pages = (PAGE_MARK,) * len(entries)
        if len(pages) != len(entries):
            pages = ("",) * len(entries)
        for i, (number, title) in enumerate(entries or [("", ())]):
            p = self.add_paragraph("toc 1")
            if i == 0:
                p.extend(ooxml.field_begin('TOC \\o "1-1" \\h \\z \\u'))
            page = (Run(f"\t{pages[i]}"),) if number else ()
            self.runs(p, (Run(f"{number} "), *title, *page) if number else (), None)
            if i == len(entries) - 1 or not entries:
                p.append(ooxml.field_end())
        if doc.legend:  # below the contents; not a change (it is in the PDF, not the Word file)
            self.add_paragraph("Normal")
            self.paragraph("Normal", doc.legend, None)
        self.new_paragraph().append(ooxml.page_break())

    def section(self, section: Section, number: str) -> None:
        change = section.change
        first = len(self.written)
        prefix = section.number if section.number is not None else (Run(f"{number} "),)
        if self.report:
            prefix = ()
        heading = self.heading("Heading 1", (*prefix, *section.title), change, section.id)
        if section.appendix:  # an appendix starts on a page of its own
            ooxml.page_break_before(heading)
        for block in section.blocks:
            self.block(block, change)
        counted = 0
        for measure in section.measures:
            mchange = _inner(measure.change, change)
            counted += not _gone(mchange)
            start = len(self.written)
            derived = (Run(f"{number}:{counted} "),)
            self.measure(
                measure, measure.number if measure.number is not None else derived, mchange
            )
            self.moved(measure.change, start)
        self.moved(change, first)

    def moved(self, change: Change | None, first: int) -> None:
        """Name the paragraphs written since `first` as one side of a move, if they moved."""
        if change is not None and change.move:
            ooxml.move_range(self.written[first], self.written[-1], change, self.ids)

    def measure(self, measure: Measure, prefix: Inlines, change: Change | None) -> None:
        self.heading("Heading 2", (*prefix, *measure.title), change, measure.id)
        for block in measure.blocks:
            self.block(block, change)
        for key, label in MEASURE_FIELDS.items():
            self.paragraph("Fältrubrik", (Run(label),), change)
            self.paragraph("Fältvärde", measure.fields.get(key, ()), change)

    def block(self, block: Block, inherited: Change | None) -> None:
        match block:
            case Paragraph():
                self.paragraph("Normal", block.runs, _inner(block.change, inherited))
            case Subheading():
                change = _inner(block.change, inherited)
                p = self.paragraph(f"Heading {block.level}", block.runs, change)
                if _gone(change):  # as a gone section's heading: out of the outline (PDF/UA)
                    ooxml.outline_as_body_text(p)
            case BulletList():
                style = "List Number" if block.ordered else "List Bullet"
                num_id = self.restarted_numbering(style, block.start) if block.ordered else None
                for item in block.items:
                    p = self.paragraph(style, item.runs, _inner(item.change, inherited))
                    if num_id is not None:
                        ooxml.number(p, num_id)
            case Table():
                self.table(block, _inner(block.change, inherited))
            case _:
                assert_never(block)

    def table(self, block: Table, change: Change | None) -> None:
        """A table in the template's grid style; its header row, bold, repeats on every page.
        In a redline a row added or removed is a tracked row, its text tracked with it; a
        changed cell holds its tracked words."""
        rows = (block.header, *block.rows)
        own = (None, *(block.row_change(i) for i in range(len(block.rows))))
        style = self.part.get_style_id(self.style("Table Grid"), WD_STYLE_TYPE.TABLE)
        tbl = ooxml.table(len(rows), len(block.header), self.width, style)
        self.body.append(tbl)
        made = ooxml.cells(tbl)
        ooxml.repeat_header_row(made[0][0])
        for i, ((tr, cells), texts) in enumerate(zip(made, rows, strict=True)):
            ooxml.keep_row_together(tr)
            row_change = _inner(own[i], change)
            for (tc, p), runs in zip(cells, texts, strict=True):
                bold = tuple(replace(r, bold=True) for r in runs) if i == 0 else runs
                self.runs(p, bold, row_change)
                ooxml.compact_cell(tc, UNMARKED_FILL if i == 0 else None)
            if row_change is not None:
                ooxml.track_row(tr, row_change, self.ids)
        ooxml.marks_off_the_table(tbl)
        if block.widths:
            total = sum(block.widths)
            ooxml.column_widths(tbl, [self.width * w // total for w in block.widths])
        if isinstance(block, BarChart):
            self.bars([cells[block.bar][1] for _, cells in made[1:]], block)
        self.written.append(tbl)

    def bars(self, paragraphs: list[CT_P], chart: BarChart) -> None:
        """A chart's bars, each a figure in its row's bar cell (`paragraphs`, one a row), as long
        as its value against the largest (or the chart's total), with its alternative text."""
        full = chart.total or max(chart.values, default=0) or 1
        weights = chart.widths or (1,) * len(chart.header)
        cell_width = self.width * weights[chart.bar] // sum(weights) - Cm(0.4)
        for i, p in enumerate(paragraphs):
            if not chart.values[i]:
                continue  # no bar to draw; its number beside says 0
            self.figures += 1
            p.append(
                ooxml_drawing.bar_run(
                    self.part,
                    int(cell_width * chart.values[i] / full),
                    int(Cm(0.4)),
                    chart.colours[i],
                    chart.alt(i),
                    self.figures,
                )
            )

    def restarted_numbering(self, style: str, start: int) -> int:
        """A numbering instance of the style's list definition that starts at `start` (as
        written): without it every numbered list would continue where the one before ended."""
        numbering = self.part.numbering_part.element
        num_id = ooxml.restart_numbering(numbering, self.style(style).element, start)
        if num_id is None:
            raise BuildError(
                f"{self.template}: formatmallen '{style}' ({WORD_NAMES.get(style, style)} i "
                "svenska Word) har ingen numrering i mallen; ge den numrering 1, 2, 3 i Word "
                "eller hämta mallen ur git"
            )
        return num_id

    def heading(self, style: str, runs: Inlines, change: Change | None, ident: str) -> CT_P:
        """A numbered heading, bookmarked with its id where it stands in the new revision; one
        that is gone (deleted, moved away) is left out of the table of contents."""
        p = self.paragraph(style, runs, change)
        if _gone(change):
            ooxml.outline_as_body_text(p)
        else:
            self.bookmarks += 1
            ooxml.bookmark(p, bookmark_name(ident), self.bookmarks)
        return p

    def paragraph(self, style: str, runs: Inlines, change: Change | None) -> CT_P:
        own = {r.change for r in runs if r.text}
        if change is not None and change.move and len(own) == 1 and None not in own:
            change = own.pop()  # a paragraph changed inside a move: inserted whole
        p = self.add_paragraph(style)
        if change is not None:
            ooxml.track_paragraph_mark(p, change, self.ids)
        self.runs(p, runs, change)
        return p

    def footnote(self, note: Inlines, change: Change | None) -> BaseOxmlElement:
        """A footnote: its text in the footnotes part, its number's run for the text. A
        footnote added or removed has its text tracked with its number (a move's footnote is
        inserted or deleted inside: a move has no place of its own in a footnote)."""
        if self.notes is None:
            self.notes = ooxml.footnotes_part(self.part.package)
            ooxml.footnote_styles(self.part.styles)
        ident, p, start = ooxml.footnote(self.notes)
        inner = replace(change, move=None) if change is not None else None
        for el in start:
            p.append(ooxml.tracked(el, inner, self.ids) if inner else el)
        self.runs(p, note, inner, self.notes)
        return ooxml.footnote_reference(ident)

    def runs(
        self, p: CT_P, runs: Inlines, inherited: Change | None, part: Part | None = None
    ) -> None:
        for run in runs:
            if run.note is not None:
                change = _inner(run.change, inherited)
                el = self.footnote(run.note, change)
                p.append(ooxml.tracked(el, change, self.ids) if change else el)
                continue
            if not run.text:
                continue
            el = ooxml.run_element(run)
            change = _inner(run.change, inherited)
            if change:
                el = ooxml.tracked(el, change, self.ids)
                if (
                    change.kind == "del"
                    and inherited is not None
                    and inherited.move
                    and inherited.kind == "ins"
                ):
                    el = ooxml.tracked(el, inherited, self.ids)  # deleted inside moved-to text
            if run.href:  # the change goes inside the link: w:ins may not hold a w:hyperlink
                if self.link_style is None:  # the template's, or one added on first use
                    self.link_style = ooxml.link_style(self.part.styles)
                el = ooxml.hyperlink(part or self.part, run.href, [el], self.link_style)
            p.append(el)


def _gone(change: Change | None) -> bool:
    """Whether an item with this change is absent from the new revision (deleted, moved away)."""
    return change is not None and change.kind == "del"


def _inner(own: Change | None, inherited: Change | None) -> Change | None:
    """The change that marks something inside an item: its own, else the item's."""
    return own or inherited
