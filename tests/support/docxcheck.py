"""Is a DOCX one that Word opens without a repair prompt? A real validator (openxml-audit: the
ECMA-376 schemas and Word's own app-compat rules, in Python) and narrow checks of what it does
not look at closely enough: core properties, namespaces, relationships, content types."""

from __future__ import annotations

import io
import posixpath
import re
import tempfile
import zipfile
from pathlib import Path

from lxml import etree
from openxml_audit import OpenXmlValidator

CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
CORE = {  # the elements of CT_CoreProperties (ECMA-376 part 2, annex E.1)
    (CP, "category"), (CP, "contentStatus"), (DCTERMS, "created"), (DC, "creator"),
    (DC, "description"), (DC, "identifier"), (CP, "keywords"), (DC, "language"),
    (CP, "lastModifiedBy"), (CP, "lastPrinted"), (DCTERMS, "modified"), (CP, "revision"),
    (DC, "subject"), (DC, "title"), (CP, "version"),
}  # fmt: skip
KNOWN_NAMESPACES = {
    CP, DC, DCTERMS,
    "http://purl.org/dc/dcmitype/",
    "http://www.w3.org/2001/XMLSchema-instance",
    "http://www.w3.org/XML/1998/namespace",
    "http://schemas.openxmlformats.org/package/2006/content-types",
    "http://schemas.openxmlformats.org/package/2006/relationships",
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://schemas.openxmlformats.org/drawingml/2006/main",
    "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "urn:schemas-microsoft-com:vml",
    "urn:schemas-microsoft-com:office:office",
    "urn:schemas-microsoft-com:office:word",
    "http://schemas.microsoft.com/office/word/2006/wordml",
    "http://schemas.microsoft.com/office/word/2010/wordml",
    "http://schemas.microsoft.com/office/word/2012/wordml",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingInk",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "http://schemas.microsoft.com/office/drawing/2010/main",
    "http://schemas.microsoft.com/office/drawing/2008/diagram",
    "http://schemas.openxmlformats.org/schemaLibrary/2006/main",
}  # fmt: skip


def problems(docx: bytes | Path) -> list[str]:
    """Everything that would make Word repair, warn about or misread the file; [] if none."""
    data = docx.read_bytes() if isinstance(docx, Path) else docx
    out: list[str] = []
    with tempfile.NamedTemporaryFile(suffix=".docx") as tmp:  # the validator reads a path
        tmp.write(data)
        tmp.flush()
        # A validator for each file: openxml-audit caches what it read of other parts (the
        # footnotes' ids, say) under id() of the package object, and a later package can get
        # the same id once the first is freed, so one shared validator now and then checked a
        # file against another file's footnotes (a false "id not found", seen once).
        validator = OpenXmlValidator(max_errors=0)
        out += [f"openxml-audit: {e}" for e in validator.validate(tmp.name).errors]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = {n: z.read(n) for n in z.namelist()}
    xml = {n: etree.fromstring(b) for n, b in members.items() if n.endswith((".xml", ".rels"))}
    out += _core(xml["docProps/core.xml"])
    for name, root in xml.items():
        spaces = {el.nsmap.get(el.prefix) for el in root.iter() if isinstance(el.tag, str)}
        spaces |= {etree.QName(a).namespace for el in root.iter() for a in el.attrib}
        out += [
            f"{name}: unknown namespace {ns}" for ns in sorted(spaces - {None} - KNOWN_NAMESPACES)
        ]
    out += _relationships(members, xml)
    out += _content_types(members, xml["[Content_Types].xml"])
    if b"updateFields" in members.get("word/settings.xml", b""):
        out.append("word/settings.xml: w:updateFields makes Word ask to update fields on opening")
    return out


def _core(root) -> list[str]:
    out = []
    seen = [(etree.QName(el).namespace, etree.QName(el).localname) for el in root]
    for ns, name in seen:
        if (ns, name) not in CORE:
            out.append(f"docProps/core.xml: {{{ns}}}{name} is no core property")
    for key in set(seen):
        if seen.count(key) > 1:
            out.append(f"docProps/core.xml: {key[1]} appears {seen.count(key)} times")
    return out


def _relationships(members: dict[str, bytes], xml: dict) -> list[str]:
    out = []
    for name, root in xml.items():
        if not name.endswith(".rels"):
            continue
        base = posixpath.dirname(posixpath.dirname(name))  # word/_rels/x.rels → word
        for rel in root:
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target")
            path = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(base, target))
            )
            if path not in members:
                out.append(f"{name}: {rel.get('Id')} points at missing {path}")
    return out


def _content_types(members: dict[str, bytes], types) -> list[str]:
    ns = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    defaults = {d.get("Extension").lower() for d in types.iter(f"{ns}Default")}
    overrides = {o.get("PartName").lstrip("/") for o in types.iter(f"{ns}Override")}
    out = [
        f"[Content_Types].xml: override for missing part {o}"
        for o in sorted(overrides - members.keys())
    ]
    for name in members:
        if name == "[Content_Types].xml" or name in overrides:
            continue
        if name.rsplit(".", 1)[-1].lower() not in defaults:
            out.append(f"[Content_Types].xml: no content type for {name}")
    return out


def toc_pages(docx: bytes | Path) -> list[str]:
    """The page numbers at the end of the DOCX's cached table-of-contents entries."""
    data = docx.read_bytes() if isinstance(docx, Path) else docx
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    out = []
    for p in root.iter(f"{w}p"):
        style = p.find(f"{w}pPr/{w}pStyle")
        if style is not None and style.get(f"{w}val").lower() == "toc1":
            text = "".join(t.text or "" for t in p.iter(f"{w}t"))
            m = re.search(r"(\d*)$", text)
            out.append(m.group(1) if m else "")
    return out
