"""Raw WordprocessingML: the one place that builds lxml elements by hand.

Fields, hyperlinks, tracked changes (w:ins / w:del) and the deterministic zip container live
here, below the renderer's readable API (python-docx keeps its element work in `oxml/` likewise).
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap, qn

from styrdok.model.document import Change, Run


def run_element(run: Run) -> OxmlElement:
    """A w:r with the run's formatting and text (tabs become w:tab)."""
    r = OxmlElement("w:r")
    # a change report marks words as the redline shows them: one colour, underlined or struck
    color = {"ins": "0646A2", "del": "0646A2"}.get(run.mark or "") or ("0563C1" if run.href else "")
    if run.bold or run.italic or color or run.script:
        rpr = OxmlElement("w:rPr")
        if run.bold:
            rpr.append(OxmlElement("w:b"))
        if run.italic:
            rpr.append(OxmlElement("w:i"))
        if run.mark == "del":
            rpr.append(OxmlElement("w:strike"))
        if color:
            rpr.append(_val("w:color", color))
        if run.href or run.mark == "ins":
            rpr.append(_val("w:u", "single"))
        if run.script:  # schema order: vertAlign after u
            rpr.append(_val("w:vertAlign", f"{run.script}script"))
        r.append(rpr)
    for piece in re.split(r"([\t\n])", run.text):
        if piece in ("\t", "\n"):
            r.append(OxmlElement("w:tab" if piece == "\t" else "w:br"))
        elif piece:
            t = OxmlElement("w:t")
            t.text = piece
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            r.append(t)
    return r


# --- footnotes -------------------------------------------------------------------------------

FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FOOTNOTE_STYLES = ("FootnoteText", "FootnoteReference")  # style ids (Word's built-in ones)


def footnotes_part(package):
    """A new word/footnotes.xml with the separator footnotes Word expects (ids -1 and 0)."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import XmlPart

    root = OxmlElement("w:footnotes", nsdecls={"w": nsmap["w"], "r": nsmap["r"]})
    for ident, kind in (("-1", "separator"), ("0", "continuationSeparator")):
        note, p, r = OxmlElement("w:footnote"), OxmlElement("w:p"), OxmlElement("w:r")
        note.set(qn("w:type"), kind)
        note.set(qn("w:id"), ident)
        ppr = OxmlElement("w:pPr")
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:after"), "0")
        ppr.append(spacing)
        r.append(OxmlElement(f"w:{kind}"))
        p.extend([ppr, r])
        note.append(p)
        root.append(note)
    return XmlPart(PackURI("/word/footnotes.xml"), FOOTNOTES_TYPE, root, package)


def attach_footnotes(document_part, part) -> None:
    """Make the footnotes part the document's (after the template is filled in: docxtpl
    would read footnotes as template text)."""
    document_part.relate_to(part, RT.FOOTNOTES)


def footnote_reference(ident: int) -> OxmlElement:
    """The footnote's number in the text: w:r with w:footnoteReference."""
    r = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    rpr.append(_val("w:rStyle", FOOTNOTE_STYLES[1]))
    ref = OxmlElement("w:footnoteReference")
    ref.set(qn("w:id"), str(ident))
    r.extend([rpr, ref])
    return r


def footnote(part, ident: int) -> tuple[OxmlElement, list]:
    """A new w:footnote in the footnotes part: its paragraph (to write the text into) and the
    runs that start it, the footnote's own number and a space (to track with the text)."""
    note, p = OxmlElement("w:footnote"), OxmlElement("w:p")
    note.set(qn("w:id"), str(ident))
    ppr = OxmlElement("w:pPr")
    ppr.append(_val("w:pStyle", FOOTNOTE_STYLES[0]))
    p.append(ppr)
    mark = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    rpr.append(_val("w:rStyle", FOOTNOTE_STYLES[1]))
    mark.extend([rpr, OxmlElement("w:footnoteRef")])
    note.append(p)
    part.element.append(note)
    return p, [mark, run_element(Run(" "))]


def hidden_space() -> OxmlElement:
    """A run holding one space formatted as hidden text (w:vanish)."""
    r, rpr, t = OxmlElement("w:r"), OxmlElement("w:rPr"), OxmlElement("w:t")
    rpr.append(OxmlElement("w:vanish"))
    t.text = " "
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    r.extend([rpr, t])
    return r


def _val(tag: str, value: str) -> OxmlElement:
    el = OxmlElement(tag)
    el.set(qn("w:val"), value)
    return el


def hyperlink(part, href: str, runs: list, style: str) -> OxmlElement:
    """A w:hyperlink around the given w:r elements: to an external address, or for `#name`
    to a bookmark in the document. The runs (or the w:ins/w:del around them) get the character
    style `style`: LibreOffice 7.4 writes a web link into the PDF (a clickable annotation with
    its text as the alternative text) only for a run with a character style."""
    link = OxmlElement("w:hyperlink")
    if href.startswith("#"):
        link.set(qn("w:anchor"), href[1:])
    else:
        link.set(qn("r:id"), part.relate_to(href, RT.HYPERLINK, is_external=True))
    for run in (r for el in runs for r in el.iter(qn("w:r"))):
        rpr = run.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            run.insert(0, rpr)
        rpr.insert(0, _val("w:rStyle", style))  # first in w:rPr (schema order)
    link.extend(runs)
    return link


def link_style(styles) -> str:
    """The id of the character style 'Hyperlink' in a document's styles (python-docx), added
    in the link colour, underlined, when the template has none."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import RGBColor

    found = styles.element.get_by_name("Hyperlink")  # one lookup, not a proxy per style
    if found is not None:
        return found.styleId
    style = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    style.font.color.rgb = RGBColor.from_string("0563C1")
    style.font.underline = True
    return style.style_id


class ChangeIds:
    """Hands out w:id values for tracked changes, deterministically in document order."""

    def __init__(self) -> None:
        self.next = 1

    def __call__(self) -> str:
        self.next += 1
        return str(self.next - 1)


def _mark(tag: str, change: Change, ids: ChangeIds) -> OxmlElement:
    el = OxmlElement(tag)
    el.set(qn("w:id"), ids())
    el.set(qn("w:author"), change.author)
    el.set(qn("w:date"), change.date)
    return el


def _tag(change: Change) -> str:
    if change.move:
        return "w:moveTo" if change.kind == "ins" else "w:moveFrom"
    return "w:ins" if change.kind == "ins" else "w:del"


def tracked(element, change: Change, ids: ChangeIds) -> OxmlElement:
    """Wrap a w:r in w:ins or w:del (w:moveTo or w:moveFrom for a move);
    deleted text becomes w:delText, moved-away text stays w:t as the standard has it."""
    if change.kind == "del" and not change.move:
        for t in element.iter(qn("w:t")):
            t.tag = qn("w:delText")
    wrapper = _mark(_tag(change), change, ids)
    wrapper.append(element)
    return wrapper


def track_paragraph_mark(p, change: Change, ids: ChangeIds) -> None:
    """Mark a paragraph's own mark as inserted, deleted or moved (whole-paragraph changes)."""
    ppr = p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr.append(rpr)
    rpr.append(_mark(_tag(change), change, ids))


def repeat_header_row(tr) -> None:
    """Mark a table row as the header row, repeated at the top of every page (w:tblHeader)."""
    tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def compact_cell(tc, shade: str | None = None) -> None:
    """A table cell's paragraph with a little space above and below (the body text's spacing
    after paragraphs would make every row tall), and, for a header cell, a background fill."""
    for p in tc.iter(qn("w:p")):
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:before"), "40")
        spacing.set(qn("w:after"), "40")
        p.get_or_add_pPr().append(spacing)
    if shade:
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), shade)
        tc.get_or_add_tcPr().append(shd)


_MARKS = ("w:ins", "w:del", "w:moveFrom", "w:moveTo")


def _paragraph_mark(p):
    rpr = p.find(qn("w:pPr") + "/" + qn("w:rPr")) if p.tag == qn("w:p") else None
    found = [el for tag in _MARKS for el in (rpr.findall(qn(tag)) if rpr is not None else [])]
    return found[0] if found else None


def marks_off_the_table(tbl) -> None:
    """No tracked paragraph mark right before a table. Undoing one there would join the
    paragraph into the table, which cannot be: LibreOffice 7.4 then leaves the paragraph,
    empty, in place (Accept All and Reject All both). The marks of the tracked paragraphs
    before the table move up by one paragraph, so that the one that stays is the one next to
    the table: the same paragraphs join, at the other end (the joined paragraph keeps its
    first paragraph's style in LibreOffice, which is the style of the text it holds). Moves
    keep their marks (a move's range would no longer enclose them), and so does a table right
    under the first heading when that section is added or removed as the first one (the
    paragraph above it holds the page break after the table of contents)."""
    chain = []
    el = tbl.getprevious()
    while el is not None and el.tag == qn("w:p") and _paragraph_mark(el) is not None:
        chain.append(el)
        el = el.getprevious()
    if not chain or el is None or el.tag != qn("w:p"):
        return
    if any(br.get(qn("w:type")) == "page" for br in el.iter(qn("w:br"))):
        return  # the contents' page break: a mark there loses the break in LibreOffice
    marks = [_paragraph_mark(p) for p in chain]  # nearest the table first
    if any(m.tag in (qn("w:moveFrom"), qn("w:moveTo")) for m in marks):
        return
    above = [el, *reversed(chain)]  # top to bottom: the untracked paragraph, then the chain
    for p, mark in zip(above, reversed(marks), strict=False):
        mark.getparent().remove(mark)
        ppr = p.get_or_add_pPr()
        rpr = ppr.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            ppr.append(rpr)
        rpr.append(mark)


def keep_row_together(tr) -> None:
    """A table row that is not split across pages (w:cantSplit): a row of one-line cells reads
    as a unit. It also gives every w:trPr the property the schema wants before a w:ins/w:del."""
    tr.get_or_add_trPr().insert(0, OxmlElement("w:cantSplit"))


def track_row(tr, change: Change, ids: ChangeIds) -> None:
    """Mark a table row as inserted or deleted (w:trPr/w:ins, w:trPr/w:del). A row has no
    move mark: one inside a moved item is inserted where it is and deleted where it was, its
    text moved (the runs carry the move)."""
    tr.get_or_add_trPr().append(_mark("w:ins" if change.kind == "ins" else "w:del", change, ids))


def page_break_before(p) -> None:
    """Start a paragraph on a new page (w:pageBreakBefore; put in schema order on save)."""
    p.get_or_add_pPr().append(OxmlElement("w:pageBreakBefore"))


def outline_as_body_text(p) -> None:
    """Give a heading the outline level of body text, so that a table of contents built from
    outline levels leaves it out (a redline's deleted and moved-away headings).

    The change is not tracked: a w:pPrChange would let Word's Reject All restore the level, but
    LibreOffice 7.4 then accepts and rejects the paragraphs around it wrongly (a following
    heading takes the style of the paragraph before the deletion)."""
    ppr = p.get_or_add_pPr()
    level = _val("w:outlineLvl", "9")
    rpr = ppr.find(qn("w:rPr"))
    if rpr is not None:
        rpr.addprevious(level)
    else:
        ppr.append(level)


def move_range(first, last, change: Change, ids: ChangeIds) -> None:
    """Enclose the paragraphs (or tables) first…last in the named container that pairs a
    move's source (w:moveFromRangeStart/End) with its destination (w:moveToRangeStart/End).
    At a table the marks stand beside it in the body, as Word writes them."""
    side = _tag(change)
    start = _mark(f"{side}RangeStart", change, ids)
    start.set(qn("w:name"), change.move)
    end = OxmlElement(f"{side}RangeEnd")
    end.set(qn("w:id"), start.get(qn("w:id")))
    if first.tag == qn("w:tbl"):
        first.addprevious(start)
    else:
        _insert_first(first, start)
    if last.tag == qn("w:tbl"):
        last.addnext(end)
    else:
        last.append(end)


def _insert_first(p, el) -> None:
    """Put `el` at the start of a paragraph's content (after its properties)."""
    ppr = p.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(el)
    else:
        p.insert(0, el)


def complex_field(instr: str, cached: list) -> list:
    """The runs of a field: begin, instruction, separate, cached result runs, end."""

    def char(kind: str) -> OxmlElement:
        r, fc = OxmlElement("w:r"), OxmlElement("w:fldChar")
        fc.set(qn("w:fldCharType"), kind)
        r.append(fc)
        return r

    r = OxmlElement("w:r")
    it = OxmlElement("w:instrText")
    it.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    it.text = f" {instr} "
    r.append(it)
    return [char("begin"), r, char("separate"), *cached, char("end")]


def field_begin(instr: str) -> list:
    """The opening runs of a field whose result spans several paragraphs."""
    return complex_field(instr, [])[:3]


def field_end() -> OxmlElement:
    return complex_field("", [])[-1]


def deterministic_zip(data: bytes, stamp: date, replace: dict[str, bytes] | None = None) -> bytes:
    """Rewrite a DOCX container with fixed member order, timestamps and attributes; members
    named in `replace` get the given bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        members = {name: src.read(name) for name in src.namelist()}
    return _zip(members, stamp, replace)


def package_zip(package, stamp: date, replace: dict[str, bytes] | None = None) -> bytes:
    """A python-docx package as the bytes `deterministic_zip` makes of its saved file, written
    once: the members python-docx's writer would save, zipped here (saving, unzipping and
    zipping again compressed every part twice)."""
    from docx.opc.pkgwriter import PackageWriter

    members: dict[str, bytes] = {}

    class Members:  # the writer's physical package: keeps each member's bytes by name
        @staticmethod
        def write(uri, blob: bytes) -> None:
            members[uri.membername] = blob

    parts = list(package.iter_parts())
    PackageWriter._write_content_types_stream(Members, parts)
    PackageWriter._write_pkg_rels(Members, package.rels)
    PackageWriter._write_parts(Members, parts)
    return _zip(members, stamp, replace)


def _zip(members: dict[str, bytes], stamp: date, replace: dict[str, bytes] | None) -> bytes:
    members |= {k: v for k, v in (replace or {}).items() if k in members}
    order = sorted(members, key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in order:
            # a zip holds dates 1980–2107 only: an older (or later) decision date is clamped
            year = min(max(stamp.year, 1980), 2107)
            info = zipfile.ZipInfo(name, date_time=(year, stamp.month, stamp.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, members[name], compresslevel=6)
    return out.getvalue()


# --- schema order ----------------------------------------------------------------------------
# ECMA-376 gives the children of these property elements as a sequence; Word calls a file with
# them out of order damaged. docxtpl's RichText, python-docx appends and hand-made templates
# all get it wrong, so every part is put in order before it is saved.
_SEQUENCES = {
    "rPr": "ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike "
    "outline shadow emboss imprint noProof snapToGrid vanish webHidden color spacing w kern "
    "position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang "
    "eastAsianLayout specVanish oMath rPrChange",
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
    "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
    "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize "
    "tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
    "tblDescription tblPrChange",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
    "tcFitText vAlign hideMark headers cellIns cellDel cellMerge tcPrChange",
}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RANKS = {
    _W + parent: {_W + name: i for i, name in enumerate(seq.split())}
    for parent, seq in _SEQUENCES.items()
}


def schema_order(root) -> None:
    """Put the children of every rPr, pPr, tblPr and tcPr under `root` in the schema's order
    (a stable sort: elements the table does not know keep their place after the known ones)."""
    for parent in list(root.iter(*_RANKS)):  # one pass; listed first, as children move
        children = list(parent)
        if len(children) < 2:
            continue
        ranks = _RANKS[parent.tag]
        keys = [ranks.get(el.tag, len(ranks)) for el in children]
        if all(a <= b for a, b in itertools.pairwise(keys)):
            continue  # as it should be (everything the template brings)
        order = sorted(range(len(children)), key=keys.__getitem__)  # stable
        ordered = [children[i] for i in order]
        for el in children:
            parent.remove(el)
        parent.extend(ordered)


# --- document properties ----------------------------------------------------------------------

_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_DC = "http://purl.org/dc/elements/1.1/"
_DCTERMS = "http://purl.org/dc/terms/"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_EP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"


def core_xml(props: dict[str, str], stamp: str) -> bytes:
    """docProps/core.xml: each Dublin Core / OPC property once, in its own namespace.
    `props` holds title, subject, creator, keywords, description, language, category;
    `stamp` (W3CDTF) is the created and modified date."""
    from lxml import etree

    root = etree.Element(
        f"{{{_CP}}}coreProperties",
        nsmap={"cp": _CP, "dc": _DC, "dcterms": _DCTERMS, "xsi": _XSI},
    )
    for ns, name in (
        (_DC, "title"),
        (_DC, "subject"),
        (_DC, "creator"),
        (_CP, "keywords"),
        (_DC, "description"),
        (_CP, "lastModifiedBy"),
        (_CP, "revision"),
        (_CP, "category"),
        (_DC, "language"),
    ):
        value = props.get(name)
        if value:
            etree.SubElement(root, f"{{{ns}}}{name}").text = value
    for name in ("created", "modified"):
        el = etree.SubElement(root, f"{{{_DCTERMS}}}{name}")
        el.set(f"{{{_XSI}}}type", "dcterms:W3CDTF")
        el.text = stamp
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def created(docx: Path) -> datetime | None:
    """When a DOCX says it was made (docProps/core.xml, dcterms:created), or None."""
    text = _core_property(docx, f"{{{_DCTERMS}}}created")
    try:
        return datetime.fromisoformat(text.strip()) if text else None
    except ValueError:
        return None


def governance_type(docx: Path) -> str | None:
    """The document type a styrdok DOCX names in its keywords ('styrdokument; plan; DNR'),
    upper case as on the cover (PLAN), or None."""
    parts = [p.strip() for p in (_core_property(docx, f"{{{_CP}}}keywords") or "").split(";")]
    return parts[1].upper() if len(parts) > 2 and parts[0] == "styrdokument" else None


def _core_property(docx: Path, tag: str) -> str | None:
    from lxml import etree

    try:
        with zipfile.ZipFile(docx) as z:
            root = etree.fromstring(z.read("docProps/core.xml"))
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return None
    return root.findtext(tag)


def app_xml(application: str, pages: int | None, words: int) -> bytes:
    """docProps/app.xml: the application that wrote the file, and counts that are true."""
    from lxml import etree

    root = etree.Element(f"{{{_EP}}}Properties", nsmap={None: _EP})
    items = [("Application", application), ("DocSecurity", "0")]
    items += [("Pages", str(pages))] if pages else []
    items += [("Words", str(words))]
    for name, value in items:
        etree.SubElement(root, f"{{{_EP}}}{name}").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# Parts of python-docx's stock template that a styrdok document must not carry: Word 2010's
# stylesWithEffects (out of step with styles.xml, which Word reports as unreadable content), an
# unrelated customXml item and a thumbnail of an empty page.
LEFTOVER_RELS = (
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml",
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
)


def drop_leftovers(package) -> None:
    """Remove the template leftovers' relationships; unreferenced parts are not saved."""
    for owner in (package, package.main_document_part):
        for rid, rel in list(owner.rels.items()):
            if rel.reltype in LEFTOVER_RELS:
                del owner.rels[rid]
    settings = package.main_document_part.settings.element
    for el in settings.findall(qn("w:updateFields")):
        settings.remove(el)


# --- bookmarks ---------------------------------------------------------------------------------


def bookmark(p, name: str, number: int) -> None:
    """Enclose a paragraph's content in a bookmark: Word and LibreOffice keep bookmarks when
    they edit and save, so the ids travel with the headings."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    _insert_first(p, start)
    p.append(end)


def strip_cover(body, first_kept_style: str = "TOCHeading", after_style: str = "Subtitle") -> None:
    """Remove what stands between the subtitle and the table-of-contents heading (the
    governance banner, the explanatory box, the metadata block), that heading included: a
    change report has its own title block and no table of contents."""
    removing = False
    for el in list(body):
        style = el.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        name = style.get(qn("w:val")) if style is not None else None
        if removing:
            body.remove(el)
            if name == first_kept_style:
                return
        elif name == after_style:
            removing = True
