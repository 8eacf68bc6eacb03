"""Convert stage, second step: LibreOffice's tagged PDF/A-2b made PDF/UA-1 as well.

LibreOffice 7.4 writes a tagged PDF/A-2b that is close to PDF/UA-1 but not there, and its own
`PDFUACompliance` option writes an XMP property that PDF/A-2b then rejects (an extension schema
it does not declare). So the PDF it writes is finished here, with pikepdf, in place:

- the XMP metadata says PDF/UA-1 (`pdfuaid:part`) and declares that property's schema as a
  PDF/A extension schema, so the file stays valid PDF/A-2b;
- every page orders its annotations (links) by the structure (`/Tabs /S`);
- the structure tree's RoleMap no longer maps standard types to themselves (a cycle);
- page content that is neither tagged nor marked as an artifact (the rule under the cover's
  title, drawn outside any marked content) is marked as an artifact: it is decoration;
- headings never skip a level in reading order (a redline's moved-away section leaves its
  subheadings behind its heading, which is no longer a heading);
- a table without header cells is a layout table (LibreOffice makes header cells of a Word
  table's header row, which every data table styrdok writes has): it is retagged as neutral
  groups, its text still tagged and read in order. Header cells get `/Scope /Column`.

Title shown from the metadata, language (sv-SE), bookmarks for the headings and the links'
alternative text LibreOffice already writes; `conformance` (with page-validation, a dev
dependency) is what the tests and `verify` check them with.
"""

from __future__ import annotations

import base64
import re
import struct
from datetime import UTC, datetime
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator

from styrdok.model.document import GOVERNANCE_TYPES
from styrdok.writers import ooxml

UA_NS = "http://www.aiim.org/pdfua/ns/id/"
# The pdfuaid schema as a PDF/A extension schema (ISO 19005-2, 6.6.2.3), and the claim itself.
UA_XMP = f"""<rdf:Description rdf:about=""
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>{UA_NS}</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>part</pdfaProperty:name>
         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
         <pdfaProperty:category>internal</pdfaProperty:category>
         <pdfaProperty:description>Part of ISO 14289 followed</pdfaProperty:description>
        </rdf:li>
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdfuaid="{UA_NS}">
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>"""

# Operators that put marks on the page, and those that start or end a path object.
SHOWING = {"Tj", "TJ", "'", '"', "Do", "sh", "BI", "INLINE IMAGE"}
PATH_START = {"m", "re"}
PATH_END = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"}
LAYOUT_TABLE = {"/Table": "/Div", "/TR": "/Div", "/TD": "/Div", "/THead": "/Div",
                "/TBody": "/Div", "/TFoot": "/Div"}  # fmt: skip


class ConformError(Exception):
    """The PDF is not what LibreOffice writes (no XMP, no structure tree): a bug, not a user's."""


def make_accessible(path: Path, source: Path | None = None) -> None:
    """Finish the tagged PDF/A-2b at `path` as PDF/A-2b and PDF/UA-1, in place. Given the DOCX
    it was made from (`source`), the PDF takes its creation date, so that the same DOCX gives
    the same PDF, byte for byte."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        when = ooxml.created(source) if source is not None else None
        if when is not None:
            _date(pdf, when.astimezone(UTC))
        _declare_ua(pdf)
        tree = pdf.Root.get("/StructTreeRoot")
        if tree is None:
            raise ConformError(f"{path}: PDF:en saknar struktur (taggar)")
        _drop_identity_roles(tree)
        kind = ooxml.governance_type(source) if source is not None else None
        _layout_tables(tree.get("/K"), kind)
        _heading_levels(tree.get("/K"), 0)
        _identify_notes(tree.get("/K"), iter(range(1, 1_000_000)))
        for page in pdf.pages:
            page.obj.Tabs = Name.S
            _mark_artifacts(pdf, page)
            _links(page)
        # The same content gives the same file identifier (LibreOffice's is random; qpdf would
        # keep its first half). LibreOffice's own checksum of its file no longer holds.
        for key in ("/ID", "/DocChecksum"):
            if key in pdf.trailer:
                del pdf.trailer[key]
        pdf.save(path, deterministic_id=True, fix_metadata_version=False)  # XMP as written
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        if _no_stream_ends_in_cr(pdf):  # saved as it is: qpdf's compression would undo it
            pdf.save(
                path, deterministic_id=True, fix_metadata_version=False, compress_streams=False
            )


def _identify_notes(kids: object, numbers) -> None:
    """Every footnote (a Note element) gets the unique /ID that PDF/UA asks of it."""
    for kid in _children(kids):
        if str(kid.S) == "/Note" and not str(kid.get("/ID", "")):
            kid.ID = pikepdf.String(f"fotnot-{next(numbers)}")
        _identify_notes(kid.get("/K"), numbers)


def _links(page: pikepdf.Page) -> None:
    """Every link in the structure, with alternative text.

    LibreOffice adds a link from each footnote's number back to its mark without tagging it,
    so no assistive technology reaches it (PDF/UA asks every link to be in a Link element):
    such links are removed; the mark's own, tagged link to its footnote stays. A link that
    LibreOffice left without alternative text (one whose text a redline shows as deleted or
    moved) gets its web address."""
    annots = page.obj.get("/Annots")
    if annots is None:
        return
    kept = [a for a in annots if a.get("/Subtype") != Name.Link or "/StructParent" in a]
    if len(kept) != len(annots):
        page.obj.Annots = pikepdf.Array(kept)
    for annot in kept:
        if annot.get("/Subtype") != Name.Link or str(annot.get("/Contents", "")).strip():
            continue
        action = annot.get("/A")
        uri = action.get("/URI") if action is not None else None
        annot.Contents = pikepdf.String(str(uri) if uri is not None else "Länk i dokumentet")


def _no_stream_ends_in_cr(pdf: pikepdf.Pdf) -> int:
    """A stream whose encoded bytes end in a carriage return (about one in 256 compressed
    fonts) reads as ending one byte early: the writer's line feed before `endstream` makes it
    CR LF, which a reader takes for the end-of-line marker, so its /Length seems one too long
    (PDF/A-2b rule 6.1.7.1 fails). Such a stream is wrapped in ASCII85 as well, which ends in
    `~>`: the same content, a quarter larger, a valid length. Returns how many."""
    wrapped = 0
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream) or obj.get("/Type") == Name.Metadata:
            continue
        raw = obj.read_raw_bytes()
        if not raw.endswith(b"\r"):
            continue
        found = obj.get("/Filter")
        filters = list(found) if isinstance(found, Array) else [found] if found else []
        found = obj.get("/DecodeParms")
        parms = list(found) if isinstance(found, Array) else [found] * len(filters)
        encoded = base64.a85encode(raw, adobe=True)[2:]  # "<~" is not part of PDF's ASCII85
        obj.write(
            encoded,
            filter=Array([Name.ASCII85Decode, *filters]),
            decode_parms=Array([None, *parms]) if any(p is not None for p in parms) else None,
        )
        wrapped += 1
    return wrapped


def _declare_ua(pdf: pikepdf.Pdf) -> None:
    metadata = pdf.Root.get("/Metadata")
    if metadata is None:
        raise ConformError("PDF:en saknar XMP-metadata")
    xmp = metadata.read_bytes().decode("utf-8")
    if UA_NS in xmp:
        return
    if xmp.count("</rdf:RDF>") != 1:
        raise ConformError("PDF:ens XMP-metadata har inte ett rdf:RDF-element")
    data = xmp.replace(" </rdf:RDF>", "</rdf:RDF>").replace("</rdf:RDF>", UA_XMP).encode()
    stream = pdf.make_stream(data)  # uncompressed, as PDF/A readers expect of metadata
    stream.Type, stream.Subtype = Name.Metadata, Name.XML
    pdf.Root.Metadata = stream


def _date(pdf: pikepdf.Pdf, when: datetime) -> None:
    """The three places LibreOffice writes the time of the conversion: the document
    information, the XMP (which PDF/A wants to agree) and the colour profile's header."""
    pdf.docinfo.CreationDate = when.strftime("D:%Y%m%d%H%M%SZ")
    metadata = pdf.Root.get("/Metadata")
    if metadata is not None:
        xmp = re.sub(
            r"<xmp:CreateDate>[^<]*</xmp:CreateDate>",
            f"<xmp:CreateDate>{when:%Y-%m-%dT%H:%M:%SZ}</xmp:CreateDate>",
            metadata.read_bytes().decode("utf-8"),
        )
        metadata.write(xmp.encode())
    for intent in pdf.Root.get("/OutputIntents", []):
        profile = intent.get("/DestOutputProfile")
        if profile is None:
            continue
        icc = bytearray(profile.read_bytes())
        if len(icc) >= 128:  # ICC header: creation date as six big-endian uint16 at 24
            fields = (when.year, when.month, when.day, when.hour, when.minute, when.second)
            icc[24:36] = struct.pack(">6H", *fields)
            profile.write(bytes(icc))


def _drop_identity_roles(struct: pikepdf.Object) -> None:
    """A RoleMap entry /H1 → /H1 is a cycle to a validator; standard types need no entry."""
    roles = struct.get("/RoleMap")
    if roles is None:
        return
    for key in [k for k, v in roles.items() if isinstance(v, Name) and str(v) == k]:
        del roles[key]


def _children(kids: object) -> list[Dictionary]:
    if isinstance(kids, Array):
        return [k for k in kids if isinstance(k, Dictionary) and "/S" in k]
    if isinstance(kids, Dictionary) and "/S" in kids:
        return [kids]
    return []


def _cells(table: Dictionary) -> list[Dictionary]:
    """The table's own cells (not those of a table nested in one)."""
    found, todo = [], _children(table.get("/K"))
    while todo:
        element = todo.pop()
        if str(element.S) in ("/TH", "/TD"):
            found.append(element)
        elif str(element.S) in ("/TR", "/THead", "/TBody", "/TFoot"):
            todo.extend(_children(element.get("/K")))
    return found


def _layout_tables(kids: object, kind: str | None) -> None:
    """Tables with header cells get the cells' scope; the others are layout and become
    groups. The type banner (one row, a cell for each type) shows the document's type by its
    colour only: its group gets the type in words as its alternative text (`kind`)."""
    for element in _children(kids):
        if str(element.S) == "/Table":
            cells = _cells(element)
            headers = [c for c in cells if str(c.S) == "/TH"]
            if headers:
                for th in headers:
                    _set_table_attribute(th, "/Scope", Name.Column)
            else:
                rows = [c for c in _children(element.get("/K")) if str(c.S) == "/TR"]
                if kind is not None and len(rows) == 1 and len(cells) == len(GOVERNANCE_TYPES):
                    element.Alt = pikepdf.String(f"Styrdokumentets typ: {kind}")
                _retag_layout(element)
        _layout_tables(element.get("/K"), kind)


HEADING = re.compile(r"/H([1-6])")


def _heading_levels(kids: object, last: int) -> int:
    """Headings in reading order never skip a level: one that would (H2 with no H1 before it,
    as in a redline whose section heading was moved away, leaving its subheadings) is tagged
    one level below the heading before it. Returns the level of the last heading seen."""
    for element in _children(kids):
        found = HEADING.fullmatch(str(element.S))
        if found and int(found.group(1)) > last + 1:
            element.S = Name(f"/H{last + 1}")
        if found:
            last = int(str(element.S)[2])
        last = _heading_levels(element.get("/K"), last)
    return last


def _retag_layout(table: Dictionary) -> None:
    """The table and its rows and cells become groups (/Div); their table attributes go."""
    todo = [table]
    while todo:
        element = todo.pop()
        element.S = Name(LAYOUT_TABLE[str(element.S)])
        _drop_table_attributes(element)
        todo.extend(c for c in _children(element.get("/K")) if str(c.S) in LAYOUT_TABLE)


def _attributes(element: Dictionary) -> list[Dictionary]:
    a = element.get("/A")
    if isinstance(a, Dictionary):
        return [a]
    if isinstance(a, Array):
        return [x for x in a if isinstance(x, Dictionary)]
    return []


def _drop_table_attributes(element: Dictionary) -> None:
    kept = [a for a in _attributes(element) if a.get("/O") != Name.Table]
    if not kept:
        if "/A" in element:
            del element["/A"]
    else:
        element.A = kept[0] if len(kept) == 1 else Array(kept)


def _set_table_attribute(element: Dictionary, key: str, value: object) -> None:
    for a in _attributes(element):
        if a.get("/O") == Name.Table:
            a[key] = value
            return
    table = Dictionary(O=Name.Table)
    table[key] = value
    element.A = Array([*_attributes(element), table]) if "/A" in element else table


def _mark_artifacts(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """Wrap every graphics object drawn outside marked content in /Artifact BMC … EMC."""
    if not _draws_unmarked(page):
        return
    ops = pikepdf.parse_content_stream(page)
    out: list = []
    depth, open_artifact, changed = 0, False, False
    for instruction in ops:
        operands, op = instruction.operands, instruction.operator
        name = str(op)
        if depth == 0 and not open_artifact and (name in PATH_START or name in SHOWING):
            out.append(([Name.Artifact], Operator("BMC")))
            open_artifact = changed = True
        out.append((operands, op))
        if name in ("BMC", "BDC"):
            depth += 1
        elif name == "EMC":
            depth -= 1
        if open_artifact and (name in PATH_END or name in SHOWING):
            out.append(([], Operator("EMC")))
            open_artifact = False
    if open_artifact:
        out.append(([], Operator("EMC")))
    if changed:
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))


# What a styrdok PDF is validated as: page-validation's profile, and its name for people.
PROFILES = {"2b": "PDF/A-2b", "ua1": "PDF/UA-1"}


def conformance(path: Path) -> list[str]:
    """What keeps the PDF at `path` from being PDF/A-2b and PDF/UA-1, one message a profile
    naming the failed rules (page-validation, the validator the tests use); empty if none."""
    import page

    problems = []
    for profile, label in PROFILES.items():
        try:
            report = page.validate_pdf(path, profile=profile)
        except (page.PageError, OSError) as e:
            return [f"{path}: går inte att läsa som PDF ({e})"]
        if report.is_compliant:
            continue
        rules = sorted({f"{f.rule_id} ({f.message})" for f in report.failures})
        problems.append(
            f"{path}: PDF:en uppfyller inte {label} (page-validation {page.__version__}): "
            f"{report.rules.failed} av {report.rules.total} regler bryts: " + "; ".join(rules)
        )
    return problems


MARKING = " ".join(sorted({"BMC", "BDC", "EMC", *PATH_START, *SHOWING} - {"INLINE IMAGE"}))


def _draws_unmarked(page: pikepdf.Page) -> bool:
    """Whether the page draws anything outside marked content: a quick first look at only the
    operators that tell (most pages draw nothing so), before the page is rewritten. Inline
    images, which LibreOffice does not write, are not looked for here."""
    depth = 0
    for instruction in pikepdf.parse_content_stream(page, MARKING):
        name = str(instruction.operator)
        if name in ("BMC", "BDC"):
            depth += 1
        elif name == "EMC":
            depth -= 1
        elif depth == 0:
            return True
    return False
