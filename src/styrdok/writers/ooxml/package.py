"""The DOCX container: written deterministically (fixed member order, dates and attributes), read
back part by part, and rid of the parts python-docx's stock template leaves behind."""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from docx.opc.package import OpcPackage
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml.ns import qn

if TYPE_CHECKING:
    from lxml import etree


def deterministic_zip(data: bytes, stamp: date, replace: dict[str, bytes] | None = None) -> bytes:
    """Rewrite a DOCX container with fixed member order, timestamps and attributes; members
    named in `replace` get the given bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        members = {name: src.read(name) for name in src.namelist()}
    return _zip(members, stamp, replace)


def package_zip(package: OpcPackage, stamp: date, replace: dict[str, bytes] | None = None) -> bytes:
    """A python-docx package as the bytes `deterministic_zip` makes of its saved file, written
    once: the members python-docx's writer would save, zipped here (saving, unzipping and
    zipping again compressed every part twice)."""
    from docx.opc.pkgwriter import PackageWriter

    members: dict[str, bytes] = {}

    class Members:  # the writer's physical package: keeps each member's bytes by name
        @staticmethod
        def write(uri: PackURI, blob: bytes) -> None:
            members[uri.membername] = blob

    parts = list(package.iter_parts())
    PackageWriter._write_content_types_stream(Members, parts)
    PackageWriter._write_pkg_rels(Members, package.rels)
    PackageWriter._write_parts(Members, parts)  # type: ignore[arg-type]  # a stand-in writer
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


def read_part(data: bytes, name: str) -> bytes:
    """One member of a DOCX container (`word/document.xml`), as stored."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name)


def xml_parts(package: OpcPackage) -> Iterator[XmlPart]:
    """The XML parts of a python-docx package (document, styles, headers …), in its order."""
    return (part for part in package.iter_parts() if isinstance(part, XmlPart))


# Parts of python-docx's stock template that a styrdok document must not carry: Word 2010's
# stylesWithEffects (out of step with styles.xml, which Word reports as unreadable content), an
# unrelated customXml item and a thumbnail of an empty page.
LEFTOVER_RELS = (
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml",
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
)


def drop_leftovers(package: OpcPackage) -> None:
    """Remove the template leftovers' relationships (unreferenced parts are not saved) and the
    request to update fields on opening (Word would ask, LibreOffice ignores it)."""
    for owner in (package, package.main_document_part):
        for rid, rel in list(owner.rels.items()):
            if rel.reltype in LEFTOVER_RELS:
                del owner.rels[rid]
    settings = package.main_document_part.settings.element
    for el in settings.findall(qn("w:updateFields")):
        settings.remove(el)


_MAIN_TYPES = {  # the main part's content type, when it is not a Word document's
    "wordprocessingml.template.main": "en Word-mall (.dotx), inte ett Word-dokument",
    "ms-word.document.macroEnabled": "ett Word-dokument med makron (.docm)",
    "ms-word.template.macroEnabled": "en Word-mall med makron (.dotm)",
    "spreadsheetml": "ett Excel-dokument",
    "presentationml": "ett PowerPoint-dokument",
}


def unreadable(path: Path) -> str:
    """Why a file that python-docx could not open is no Word document that can be read, in
    Swedish words for its owner: the container and each part are tried in turn, so that the
    message names what is wrong (a damaged part by name and line) and never an exception's
    class name."""
    from lxml import etree

    try:
        if path.stat().st_size == 0:
            return "filen är tom"
        if not zipfile.is_zipfile(path):
            return (
                "filen är inte en Word-fil (en .docx är ett zip-arkiv; den här är det inte, "
                "eller är avkortad)"
            )
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            large = [i.filename for i in z.infolist() if i.file_size > _LARGE]
            if large:
                return f"delen {large[0]} är orimligt stor ({_LARGE >> 20} MB eller mer)"
            parts = {n: z.read(n) for n in sorted(names) if n.endswith((".xml", ".rels"))}
    except (OSError, zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError):
        return "zip-arkivet är skadat eller krypterat"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    for name, data in parts.items():
        try:
            etree.fromstring(data, parser)
        except etree.XMLSyntaxError as e:
            return f"delen {name} är skadad (ogiltig XML på rad {e.lineno})"
    types = parts.get("[Content_Types].xml")
    if types is None:
        return "delen [Content_Types].xml saknas, så det är inget Office-dokument"
    main = _main_part(parts.get("_rels/.rels"))
    if main is None or main not in names:
        return f"huvuddelen {main or 'word/document.xml'} saknas"
    overrides = etree.fromstring(types, parser).iter(f"{{{_CT}}}Override")
    kind = next(
        (o.get("ContentType", "") for o in overrides if o.get("PartName") == f"/{main}"), ""
    )
    for marker, words in _MAIN_TYPES.items():
        if marker in kind:
            return f"filen är {words}"
    folder = main.rpartition("/")[0]
    rels = parts.get(f"{folder}/_rels/{main.rpartition('/')[2]}.rels")
    for target in _targets(rels):
        part = posixpath.normpath(posixpath.join(folder, target)).lstrip("/")
        if part not in names:
            return f"delen {part} saknas ({main} hänvisar till den)"
    return "filen går inte att läsa som Word-dokument"


_LARGE = 64 << 20  # no part of a Word file is this large; not read to find a fault
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOCUMENT = "/officeDocument"


def _main_part(rels: bytes | None) -> str | None:
    """The package's main part as its relationships (_rels/.rels) name it."""
    for rel in _relationships(rels):
        if rel.get("Type", "").endswith(_OFFICE_DOCUMENT):
            return rel.get("Target", "").lstrip("/")
    return None


def _targets(rels: bytes | None) -> list[str]:
    """The internal targets of a part's relationships."""
    return [r.get("Target", "") for r in _relationships(rels) if r.get("TargetMode") != "External"]


def _relationships(rels: bytes | None) -> list[etree._Element]:
    from lxml import etree

    if rels is None:
        return []
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(rels, parser).findall(f"{{{_PR}}}Relationship")
