"""Bootstrap styrdok's built-in template (src/styrdok/data/templates/helsingborg/template.docx),
the city's layout, with python-docx. `styrdok init` copies it into a project's templates/.

The committed template.docx is the source of truth: a brand owner opens and edits it in Word
(styles, colours, the cover's texts, the header). This script only documents how it was made and
can recreate it from scratch. Placeholders are docxtpl (Jinja) tags:

  {{ titel }} {{ undertitel }} {{ datum }} {{ datum_long }} {{ typ }} {{ dnr }} {{ beslutat_av }}
  {{ revideras_av }} {{ giltighet }} {{ galler_for }} {{ dokumentansvarig }}
  {% cellbg banner.<typ>.fill %}{{r banner.<typ>.text }}   the governance banner, one cell a type
  {{p body }}                                               table of contents and content
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK, WD_PARAGRAPH_ALIGNMENT, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

BRAND = RGBColor(0x1D, 0x35, 0x57)  # headings, banner mark
GREY = RGBColor(0x59, 0x59, 0x59)
FONT = "Arial"
OUT = Path(__file__).resolve().parents[1] / "src/styrdok/data/templates/helsingborg/template.docx"


def field(paragraph, instr: str, cached: str) -> None:
    """Append a complex field (PAGE, NUMPAGES …) with a cached result."""
    for xml in (
        '<w:r %s><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r %s><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>',
        '<w:r %s><w:fldChar w:fldCharType="separate"/></w:r>',
        f"<w:r %s><w:t>{cached}</w:t></w:r>",
        '<w:r %s><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        paragraph._p.append(parse_xml(xml % nsdecls("w")))


def no_borders(table) -> None:
    borders = "".join(
        f'<w:{side} w:val="nil"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    table._tbl.tblPr.append(parse_xml(f"<w:tblBorders {nsdecls('w')}>{borders}</w:tblBorders>"))


def shade(cell, fill: str) -> None:
    cell._tc.get_or_add_tcPr().append(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>')
    )


def style(
    doc,
    name,
    base="Normal",
    size=None,
    bold=None,
    color=None,
    before=None,
    after=None,
    kind=WD_STYLE_TYPE.PARAGRAPH,
):
    styles = doc.styles
    s = styles[name] if name in [x.name for x in styles] else styles.add_style(name, kind)
    if kind == WD_STYLE_TYPE.PARAGRAPH and name != "Normal":
        s.base_style = styles[base]
    s.font.name = FONT
    if size:
        s.font.size = Pt(size)
    if bold is not None:
        s.font.bold = bold
    if color is not None:
        s.font.color.rgb = color
    if kind == WD_STYLE_TYPE.PARAGRAPH:
        if before is not None:
            s.paragraph_format.space_before = Pt(before)
        if after is not None:
            s.paragraph_format.space_after = Pt(after)
    return s


def setup_styles(doc) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for tag in ("w:rFonts", "w:lang"):
        old = rpr.find(qn(tag))
        if old is not None:
            rpr.remove(old)
    rpr.append(
        parse_xml(
            f'<w:rFonts {nsdecls("w")} w:ascii="{FONT}" w:hAnsi="{FONT}" '
            f'w:cs="{FONT}" w:eastAsia="{FONT}"/>'
        )
    )
    rpr.append(
        parse_xml(f'<w:lang {nsdecls("w")} w:val="sv-SE" w:eastAsia="sv-SE" w:bidi="ar-SA"/>')
    )
    for rfonts in doc.styles.element.iter(qn("w:rFonts")):  # theme fonts would override Arial
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
    style(doc, "Normal", size=10.5, after=6)
    doc.styles["Normal"].paragraph_format.line_spacing = 1.15
    style(doc, "Title", size=30, bold=True, color=BRAND, before=60, after=4)
    style(doc, "Subtitle", size=16, bold=False, color=GREY, after=30)
    for level, size, before in ((1, 16, 18), (2, 12.5, 14), (3, 11, 10)):
        s = style(
            doc, f"Heading {level}", size=size, bold=True, color=BRAND, before=before, after=6
        )
        s.font.italic = False
        s.paragraph_format.keep_with_next = True
    style(doc, "TOC Heading", base="Heading 1", size=16)
    toc = style(doc, "toc 1", size=10.5, after=4)
    toc.paragraph_format.tab_stops.add_tab_stop(Cm(16), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    style(
        doc, "Fältrubrik", size=9.5, bold=True, color=BRAND, before=6, after=0
    ).paragraph_format.keep_with_next = True
    style(doc, "Fältvärde", after=2)
    style(doc, "Omslagsetikett", size=9, bold=True, after=0)
    style(doc, "Omslagstext", size=9, after=0)
    style(doc, "Sidhuvud", size=8, after=0)
    for name in ("List Bullet", "List Number"):
        doc.styles[name].font.name = FONT


def header(section) -> None:
    section.different_first_page_header_footer = False
    hdr = section.header
    table = hdr.add_table(rows=1, cols=2, width=Cm(16))
    no_borders(table)
    left, right = table.rows[0].cells
    p = left.paragraphs[0]
    run = p.add_run("HELSINGBORG")
    run.font.size, run.font.bold, run.font.color.rgb = Pt(15), True, BRAND
    lines = ["{{ datum }}", "{{ typ }}", "DNR:{{ dnr }}"]
    first = right.paragraphs[0]
    for i, line in enumerate(lines):
        p = first if i == 0 else right.add_paragraph()
        p.style = "Sidhuvud"
        p.alignment = WD_PARAGRAPH_ALIGNMENT.RIGHT
        p.add_run(line)
    p = right.add_paragraph(style="Sidhuvud")
    p.alignment = WD_PARAGRAPH_ALIGNMENT.RIGHT
    p.add_run("SID ")
    field(p, "PAGE", "1")
    p.add_run("(")
    field(p, "NUMPAGES", "1")
    p.add_run(")")
    hdr.paragraphs[0]._p.getparent().remove(hdr.paragraphs[0]._p)
    hdr._element.append(
        parse_xml(f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="Sidhuvud"/></w:pPr></w:p>')
    )


def cover(doc) -> None:
    doc.add_paragraph("{{ titel }}", style="Title")
    doc.add_paragraph("{{ undertitel }}", style="Subtitle")
    banner = doc.add_table(rows=1, cols=4)
    banner.alignment = WD_TABLE_ALIGNMENT.CENTER
    no_borders(banner)
    for cell, typ in zip(
        banner.rows[0].cells, ("program", "plan", "policy", "riktlinjer"), strict=True
    ):
        p = cell.paragraphs[0]
        p.alignment = WD_PARAGRAPH_ALIGNMENT.CENTER
        p.paragraph_format.space_before = Pt(6)
        p.paragraph_format.space_after = Pt(6)
        p.add_run(f"{{% cellbg banner.{typ}.fill %}}")
        p.add_run(f"{{{{r banner.{typ}.text }}}}")
    doc.add_paragraph()
    box = doc.add_table(rows=2, cols=2)
    box.style = doc.styles["Table Grid"]
    title = box.cell(0, 0).merge(box.cell(0, 1))
    title.paragraphs[0].add_run("Helsingborgs stads styrdokument").bold = True
    # a header row (w:tblHeader): LibreOffice tags its cell as a header cell (/TH), which
    # the PDF/UA checks ask of a table
    box.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
    texts = {
        "Aktiverande": (
            "syftar till förändring och utveckling",
            "PROGRAM – anger långsiktiga ambitioner och viljeinriktningar",
            "PLAN – anger konkreta åtgärder, tidsramar och ansvar",
        ),
        "Normerande": (
            "reglerar befintlig verksamhet och vårt förhållningssätt till en given situation",
            "POLICY – anger principer och vägledning",
            "RIKTLINJER – anger absoluta gränser och ska-krav",
        ),
    }
    for cell, (head, lines) in zip(box.rows[1].cells, texts.items(), strict=True):
        cell.paragraphs[0].style = "Omslagsetikett"
        cell.paragraphs[0].add_run(head)
        for line in lines:
            cell.add_paragraph(line, style="Omslagstext")
    for cell in {id(c._tc): c for row in box.rows for c in row.cells}.values():  # merged once
        shade(cell, "F2F2F2")
    doc.add_paragraph()
    meta = doc.add_table(rows=0, cols=2)
    meta.autofit = False
    no_borders(meta)
    for label, value in (
        ("Beslutat av:", "{{ beslutat_av }}"),
        ("Datum:", "{{ datum_long }}"),
        ("Revideras av:", "{{ revideras_av }}"),
        ("Dokumentets giltighet:", "{{ giltighet }}"),
        ("Dokumentet gäller för:", "{{ galler_for }}"),
        ("Dokumentansvarig:", "{{ dokumentansvarig }}"),
    ):
        left, right = meta.add_row().cells
        left.width, right.width = Cm(4.5), Cm(11.5)
        left.paragraphs[0].style = "Omslagsetikett"
        left.paragraphs[0].add_run(label)
        right.paragraphs[0].style = "Omslagstext"
        right.paragraphs[0].add_run(value)
    for column, width in zip(meta.columns, (Cm(4.5), Cm(11.5)), strict=True):
        column.width = width
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph("Innehållsförteckning", style="TOC Heading")
    doc.add_paragraph("{{p body }}")


def main() -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(3.6), Cm(2.5)
    section.header_distance = Cm(1.0)
    section.start_type = WD_SECTION.NEW_PAGE
    setup_styles(doc)
    header(section)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    cover(doc)
    props = doc.core_properties
    props.title, props.author, props.language = (
        "Helsingborgs stad – mall",
        "Helsingborgs stad",
        "sv-SE",
    )
    clean(doc)
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    doc.save(out)
    print(out)


def clean(doc) -> None:
    """What makes Word call a file damaged or stale, removed: python-docx's stock leftovers
    (stylesWithEffects, customXml, thumbnail), a field-update prompt, property elements out of
    the schema's order, a cell shaded twice. `make_template.py --clean [PATH]` runs this alone
    on an existing template (one a brand owner edited), keeping everything else as it is."""
    from styrdok.writers import ooxml

    ooxml.drop_leftovers(doc.part.package)
    for part in doc.part.package.iter_parts():
        if hasattr(part, "element"):
            ooxml.schema_order(part.element)
    for tcpr in doc.element.body.iter(qn("w:tcPr")):
        for extra in tcpr.findall(qn("w:shd"))[1:]:
            tcpr.remove(extra)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--clean"]:
        path = Path(sys.argv[2]) if len(sys.argv) > 2 else OUT
        template = Document(str(path))
        clean(template)
        template.save(path)
        print(path)
    else:
        main()
