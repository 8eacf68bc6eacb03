"""The DOCX container: written deterministically (fixed member order, dates and attributes), read
back part by part, and rid of the parts python-docx's stock template leaves behind."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date

from docx.opc.part import XmlPart
from docx.oxml.ns import qn


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


def xml_parts(package) -> Iterator:
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


def drop_leftovers(package) -> None:
    """Remove the template leftovers' relationships (unreferenced parts are not saved) and the
    request to update fields on opening (Word would ask, LibreOffice ignores it)."""
    for owner in (package, package.main_document_part):
        for rid, rel in list(owner.rels.items()):
            if rel.reltype in LEFTOVER_RELS:
                del owner.rels[rid]
    settings = package.main_document_part.settings.element
    for el in settings.findall(qn("w:updateFields")):
        settings.remove(el)
