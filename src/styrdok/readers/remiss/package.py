"""A returned Word file opened with care: it comes from outside (another office, another
organisation), so its zip and its XML are read within limits, without entities or network.

Only the parts a remiss response needs are parsed: the main document, its notes, its comment
parts and the document properties, each found through the package's relationships (Word and
LibreOffice name them alike, but a package may name them otherwise).
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from styrdok.errors import StyrdokError

MAX_FILE = 100 << 20  # a response is a few MB at most; more is a broken or hostile file
MAX_PART = 64 << 20  # one part unpacked
MAX_TOTAL = 256 << 20  # all parts read, unpacked
MAX_MEMBERS = 5000
MAX_RATIO = 200  # unpacked size / packed size of a part: beyond it a zip bomb

REL = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = "/officeDocument"  # the relationship types end so, transitional and strict

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_pis=True
)


class ResponseError(StyrdokError):
    """A returned file that cannot be read, or that answers another document or round."""


@dataclass
class Package:
    """An opened DOCX: its path and a way to read its parts as XML."""

    path: Path
    zip: zipfile.ZipFile
    read_bytes: int = 0

    def xml(self, name: str | None):
        """The part `name` parsed (None when absent)."""
        if name is None or name not in self.names:
            return None
        info = self.zip.getinfo(name)
        if info.file_size > MAX_PART or info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise self.refuse("en del av filen packas upp till orimligt mycket (en zip-bomb?)")
        self.read_bytes += info.file_size
        if self.read_bytes > MAX_TOTAL:
            raise self.refuse(f"filen packas upp till mer än {MAX_TOTAL >> 20} MB")
        try:
            with self.zip.open(info) as member:
                data = member.read(MAX_PART + 1)
            return etree.fromstring(data, _PARSER)
        except (zipfile.BadZipFile, etree.XMLSyntaxError, ValueError, OSError):
            raise self.refuse(f"delen {name} är trasig") from None

    @property
    def names(self) -> set[str]:
        return set(self.zip.namelist())

    def refuse(self, why: str) -> ResponseError:
        return ResponseError(f"{self.path}: {why}; spara filen på nytt i Word som .docx")

    def related(self, part: str) -> list[tuple[str, str]]:
        """A part's relationships in order: (its type's last segment: comments, footnotes,
        header …; the target's part name)."""
        folder, name = posixpath.split(part)
        rels = self.xml(posixpath.join(folder, "_rels", f"{name}.rels"))
        out: list[tuple[str, str]] = []
        for rel in rels.iter(f"{{{REL}}}Relationship") if rels is not None else ():
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            out.append((rel.get("Type", "").rsplit("/", 1)[-1], posixpath.normpath(path)))
        return out

    def relations(self, part: str) -> dict[str, str]:
        """The targets of a part's relationships by their type's last segment, the first of
        each type."""
        out: dict[str, str] = {}
        for kind, target in self.related(part):
            out.setdefault(kind, target)
        return out


def open_package(path: Path) -> Package:
    """The DOCX at `path`, or a ResponseError that says what is wrong with it."""
    try:
        size = path.stat().st_size
    except OSError:
        raise ResponseError(f"{path}: filen finns inte") from None
    if size > MAX_FILE:
        raise ResponseError(f"{path}: filen är större än {MAX_FILE >> 20} MB; inget remissvar")
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise ResponseError(
            f"{path}: inte en Word-fil (.docx) som går att läsa; spara svaret som .docx eller PDF"
        ) from None
    if len(z.infolist()) > MAX_MEMBERS:
        z.close()
        raise ResponseError(f"{path}: filen har orimligt många delar; spara den på nytt i Word")
    return Package(path, z)


def main_part(package: Package) -> str:
    """The name of the main document part (word/document.xml in practice)."""
    found = package.relations("").get(OFFICE_DOCUMENT[1:])
    if found and found in package.names:
        return found
    if "word/document.xml" in package.names:
        return "word/document.xml"
    raise ResponseError(
        f"{package.path}: inget Word-dokument i filen; spara svaret som .docx eller PDF"
    )
