"""HTML writer: the document model → one accessible, self-contained web page.

Walks the pure model (model.py), as render_docx.py does for Word: the title and metadata, the
governance type as text, a table of contents, sections (h2) and measures (h3, numbered 3:1 …)
with their three fields as a definition list, appendices as "Bilaga 1" …. The page needs no
script and no file beside it (the style sheet, page.css, is inlined), and every text from the
source is escaped, so a title cannot become markup. The same bytes for the same model.

`document_page` writes a styrdokument, `report_page` the change report (report.py's model, with
inserted and deleted words as <ins>/<del> with a spoken word too, not colour alone); `page` is
the frame both use and the register (register.py) too.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import replace
from datetime import date
from functools import cache
from html import escape
from importlib.resources import files
from typing import TYPE_CHECKING, assert_never

from styrdok import __version__
from styrdok.model.document import (
    GOVERNANCE_TYPES,
    MEASURE_FIELDS,
    METADATA_LABELS,
    MONTHS,
    Block,
    BulletList,
    Document,
    Inlines,
    Measure,
    Metadata,
    Paragraph,
    Run,
    Section,
    Subheading,
    Table,
)
from styrdok.project.formats import build_file
from styrdok.project.settings import DEFAULT_CITY, City

if TYPE_CHECKING:
    from styrdok.compare.changelist import ChangeSet
    from styrdok.readers.revisions import Revision

# Links a page may hold: the web, mail, telephone and anchors in the page. Anything else (a
# `javascript:` address from a hostile source) is shown as text, not followed.
SAFE_LINK = re.compile(r"^(?:https?://|mailto:|tel:|#)[^\s\"'<>]*$", re.I)

# The ids the page makes itself start with "_": a document's ids are a-z, 0-9 and "-" only
# (source.ID_PATTERN), so they can never collide.
TOC_ID, MAIN_ID = "_innehall", "_text"

# How a change report marks words: visibly (underline, strike-through) and in words for those
# who do not see the marks.
MARKS = {"ins": ("ins", "tillagt"), "del": ("del", "borttaget")}

FORMAT_LINKS = {"pdf": "PDF (arkivversion, PDF/A)", "docx": "Word (DOCX)"}


@cache
def style_sheet() -> str:
    return files("styrdok.data").joinpath("page.css").read_text(encoding="utf-8")


def e(text: str) -> str:
    """Text escaped for an element's content or a quoted attribute."""
    return escape(text, quote=True)


# The footnotes of the page being written, numbered in the order of their marks as in the
# DOCX; None on a page without a list of footnotes (the change report quotes them in place).
_NOTES: ContextVar[list[str] | None] = ContextVar("notes", default=None)


def footnote(r: Run, local: bool) -> str:
    """A footnote's mark: a numbered link to its text in the page's list of footnotes, or on a
    page without one the text itself, in brackets, where the mark stands."""
    text = inlines(r.note or (), local)
    notes = _NOTES.get()
    if notes is None:
        return f' <span class="fotnot">[fotnot: {text}]</span>'
    notes.append(text)
    n = len(notes)
    return (
        f'<sup class="fotnot"><a href="#fotnot-{n}" id="fotnotref-{n}">'
        f'<span class="vh">fotnot </span>{n}</a></sup>'
    )


def footnotes(notes: list[str]) -> str:
    """The page's list of footnotes, each with a link back to its mark."""
    if not notes:
        return ""
    items = "".join(
        f'<li id="fotnot-{n}">{text} <a href="#fotnotref-{n}">'
        f'<span class="vh">tillbaka till texten</span><span aria-hidden="true">↩</span></a></li>'
        for n, text in enumerate(notes, 1)
    )
    return (
        '<section class="fotnoter" aria-labelledby="fotnoter">'
        f'<h2 id="fotnoter">Fotnoter</h2><ol>{items}</ol></section>'
    )


def inlines(runs: Inlines, local: bool = True) -> str:
    """Runs as HTML: emphasis, links, super- and subscript, line breaks, footnotes and change
    marks. Without `local`, links to ids (#bostad-forst) are text: the page does not hold them
    (the change report quotes the document)."""
    out = []
    for r in runs:
        if r.note is not None:
            out.append(footnote(r, local))
            continue
        html = "<br>\n".join(e(part) for part in r.text.split("\n"))
        if r.script:
            tag = "sup" if r.script == "super" else "sub"
            html = f"<{tag}>{html}</{tag}>"
        if r.italic:
            html = f"<em>{html}</em>"
        if r.bold:
            html = f"<strong>{html}</strong>"
        if r.href and SAFE_LINK.match(r.href) and (local or not r.href.startswith("#")):
            html = f'<a href="{e(r.href)}">{html}</a>'
        mark = r.mark or (r.change.kind if r.change else None)
        if mark and r.text.strip():
            tag, word = MARKS[mark]
            html = (
                f'<{tag}><span class="vh">[{word}: </span>{html}<span class="vh">]</span></{tag}>'
            )
        out.append(html)
    return "".join(out)


def blocks(items: tuple[Block, ...], depth: int, local: bool = True) -> list[str]:
    """Blocks of a section (`depth` 2: its subheadings are h3 …) or a measure (depth 3)."""
    out = []
    for block in items:
        match block:
            case Paragraph():
                out.append(f"<p>{inlines(block.runs, local)}</p>")
            case Subheading():
                level = min(depth + block.level - 1, 6)
                out.append(f"<h{level}>{inlines(block.runs, local)}</h{level}>")
            case BulletList():
                tag = "ol" if block.ordered else "ul"
                start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
                items_html = "".join(f"<li>{inlines(i.runs, local)}</li>" for i in block.items)
                out.append(f"<{tag}{start}>{items_html}</{tag}>")
            case Table():
                out.append(table(block, local))
            case _:
                assert_never(block)
    return out


def table(block: Table, local: bool = True) -> str:
    head = "".join(f'<th scope="col">{inlines(c, local)}</th>' for c in block.header)
    rows = "".join(
        "<tr>" + "".join(f"<td>{inlines(c, local)}</td>" for c in row) + "</tr>"
        for row in block.rows
    )
    return (
        f"{scroller('Tabell')}<table><thead><tr>{head}</tr></thead>"
        f"<tbody>{rows}</tbody></table></div>"
    )


def scroller(label: str) -> str:
    """The opening of a box that scrolls a wide table sideways on a narrow screen; it takes
    the keyboard's focus, so that the keyboard can scroll it too."""
    return f'<div class="table" tabindex="0" role="region" aria-label="{e(label)}">'


def page(
    title: str, body: list[str], top: str = "", wide: bool = False, city: City = DEFAULT_CITY
) -> str:
    """The frame of every page: language, title, the city's banner (its word from styrdok.toml,
    [stad] sidhuvud) and the style sheet."""
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="sv">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta name="generator" content="styrdok {e(__version__)}">',
            f"<title>{e(title)}</title>",
            f"<style>\n{style_sheet()}</style>",
            "</head>",
            '<body class="wide">' if wide else "<body>",
            f'<a class="skip" href="#{MAIN_ID}">Till innehållet</a>',
            '<header class="top">',
            f'<p class="city">{e(city.header)}</p>',
            top,
            "</header>",
            f'<main id="{MAIN_ID}">',
            *body,
            "</main>",
            "</body>",
            "</html>",
            "",
        ]
    )


def metadata_list(m: Metadata) -> str:
    """The metadata as a definition list, in the cover's order (empty values left out)."""
    rows = []
    for key, label in METADATA_LABELS.items():
        value = getattr(m, key)
        if key in ("titel", "undertitel") or value in (None, ""):
            continue
        if isinstance(value, date):
            shown = f"{value.day} {MONTHS[value.month - 1]} {value.year}"
        else:
            shown = m.typ.capitalize() if key == "typ" else str(value)
        rows.append(f"<div><dt>{e(label)}</dt><dd>{e(shown)}</dd></div>")
    return f'<dl class="metadata">{"".join(rows)}</dl>'


def type_banner(typ: str) -> str:
    """The four governance types with this document's marked, in words as well as colour."""
    items = []
    for t in GOVERNANCE_TYPES:
        if t == typ:
            items.append(f'<li class="current"><strong>{e(t.upper())}</strong></li>')
        else:
            items.append(f"<li>{e(t.upper())}</li>")
    return (
        f'<div class="types"><p class="vh">Dokumenttyp: {e(typ.upper())}, '
        f"en av fyra typer av styrdokument:</p>"
        f'<ul aria-hidden="true">{"".join(items)}</ul></div>'
    )


def toc(doc: Document) -> str:
    measures: dict[str, list[str]] = {}
    for n, section, m in doc.numbered_measures():
        entry = f'<li><a href="#{e(m.id)}">{e(n)} {inlines(_unmarked(m.title))}</a></li>'
        measures.setdefault(section.id, []).append(entry)
    entries = []
    for number, section in doc.numbered_sections():
        subs = "".join(measures.get(section.id, ()))
        nested = f"<ol>{subs}</ol>" if subs else ""
        title = inlines(_unmarked(section.title))
        entries.append(f'<li><a href="#{e(section.id)}">{e(number)} {title}</a>{nested}</li>')
    return (
        f'<nav class="toc" aria-labelledby="{TOC_ID}"><h2 id="{TOC_ID}">Innehåll</h2>'
        f"<ol>{''.join(entries)}</ol></nav>"
    )


def _unmarked(runs: Inlines) -> Inlines:
    """A title for the contents: without links (the entry is one)."""
    return tuple(replace(r, href=None) for r in runs)


def measure_html(number: str, measure: Measure) -> list[str]:
    fields = "".join(
        f"<div><dt>{e(label)}</dt><dd>{inlines(measure.fields.get(key, ())) or '–'}</dd></div>"
        for key, label in MEASURE_FIELDS.items()
    )
    return [
        f'<section class="measure" aria-labelledby="{e(measure.id)}">',
        f'<h3 id="{e(measure.id)}"><span class="num">{e(number)}</span> '
        f"{inlines(measure.title)}</h3>",
        *blocks(measure.blocks, 3),
        f'<dl class="fields">{fields}</dl>',
        "</section>",
    ]


def section_html(number: str | None, section: Section, numbers: dict[str, str]) -> list[str]:
    label = f'<span class="num">{e(number)}</span> ' if number else ""
    cls = "appendix" if section.appendix else "section"
    out = [
        f'<section class="{cls}" aria-labelledby="{e(section.id)}">',
        f'<h2 id="{e(section.id)}">{label}{inlines(section.title)}</h2>',
        *blocks(section.blocks, 2),
    ]
    for measure in section.measures:
        out += measure_html(numbers[measure.id], measure)
    out.append("</section>")
    return out


def document_page(doc: Document, formats: tuple[str, ...] = (), city: City = DEFAULT_CITY) -> str:
    """A styrdokument as a page, linking to its PDF and DOCX when `formats` has them (they are
    built beside it as `<doc>.pdf`, `<doc>.docx`), under the city's banner."""
    m = doc.metadata
    numbers = {m_.id: n for n, _, m_ in doc.numbered_measures()}
    downloads = "".join(
        f'<li><a href="{e(build_file(doc.name, fmt))}">{e(label)}</a></li>'
        for fmt, label in FORMAT_LINKS.items()
        if fmt in formats
    )
    body = [
        f"<h1>{e(m.titel)}</h1>",
        f'<p class="subtitle">{e(m.undertitel)}</p>' if m.undertitel else "",
        type_banner(m.typ),
        metadata_list(m),
        f'<ul class="downloads" aria-label="Hämta dokumentet">{downloads}</ul>'
        if downloads
        else "",
        toc(doc),
    ]
    notes = _NOTES.set([])
    try:
        for number, section in doc.numbered_sections():
            body += section_html(number, section, numbers)
        body.append(footnotes(_NOTES.get() or []))
    finally:
        _NOTES.reset(notes)
    top = f'<p class="head">{e(m.datum.isoformat())}<br>{e(m.typ.upper())}<br>DNR {e(m.dnr)}</p>'
    return page(m.full_title, [b for b in body if b], top, city=city)


def report_page(changes: ChangeSet, old: Revision, new: Revision, city: City = DEFAULT_CITY) -> str:
    """The change report (report.py) as one page; the same content as changes.pdf."""
    from styrdok.writers.report import build_report

    report = build_report(changes, old, new)
    body = [
        f'<h1>{e(report.title)}<span class="vh">: </span>'
        f'<span class="subtitle-inline">{e(report.subtitle)}</span></h1>',
    ]
    for section in report.sections:
        body += [
            f'<section aria-labelledby="{e(section.id)}">',
            f'<h2 id="{e(section.id)}">{inlines(section.title, False)}</h2>',
            *blocks(section.blocks, 2, local=False),
            "</section>",
        ]
    top = f'<p class="head">ÄNDRINGSRAPPORT<br>{e(changes.new.name)}</p>'
    return page(f"{report.title}: {report.subtitle}", body, top, city=city)
