"""Package pass: a Word file as the zip of parts it is, opened with limits before any XML is read.

What is checked here, so that the passes above never meet it:
- the file is a zip (an old .doc or a password-protected file is an OLE file: said so) of at most
  `MAX_ENTRIES` entries, none of them encrypted or packed with a method Word does not use, and
  the sizes it declares stay under `MAX_DECLARED`;
- every part is inflated in chunks and counted as it comes (`MAX_PART` for a part read whole,
  `MAX_STREAMED` for the main part, which the parse pass reads as a stream), so an entry that
  understates its size is refused at the limit, not after it has filled the memory; corrupt
  deflate data is a message, not a `zlib.error`;
- XML is parsed without a DTD (Word never writes one: entities, external or expanding, are
  refused) and never from the network;
- the main part is the one `_rels/.rels` names (officeDocument), wherever it is, and the parts
  it uses (styles, numbering, footnotes, headers, links) are found through its relationships;
- ISO/IEC 29500 Strict documents (Word's "Strict Open XML") have other namespaces: their
  elements and attributes are renamed to the transitional ones as they are parsed, so the parse
  pass knows one vocabulary;
- macros (a macro-enabled main part, or vbaProject.bin anywhere) are noticed, never run.

Two readers open Word files here: the importer (a styrdokument) and the remiss reader (a
response). The checks are the same; the messages that say what the file should have been and
what to do about it come from a `Wording` (the importer's, `DOCUMENT`, is the default).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import unquote

from lxml import etree

from styrdok.errors import StyrdokError

MAX_DECLARED = 200 << 20  # a styrdokument unpacks to a few MB; more is a broken or hostile file
MAX_PART = 16 << 20  # a part parsed whole (styles, numbering, footnotes, headers, relationships)
MAX_STREAMED = 200 << 20  # the main part, read as a stream (its blocks are bounded one by one)
MAX_ENTRIES = 5000  # a document has tens of parts, a few hundred with many pictures
CHUNK = 1 << 16
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, and every password-protected .docx

TRANSITIONAL = "http://schemas.openxmlformats.org/"
RELATIONSHIPS = f"{TRANSITIONAL}package/2006/relationships"
# ISO/IEC 29500 Strict namespace → its transitional twin (Part 1, annex A and the OPC part)
STRICT = {
    "http://purl.oclc.org/ooxml/wordprocessingml/main": (
        f"{TRANSITIONAL}wordprocessingml/2006/main"
    ),
    "http://purl.oclc.org/ooxml/officeDocument/relationships": (
        f"{TRANSITIONAL}officeDocument/2006/relationships"
    ),
    "http://purl.oclc.org/ooxml/drawingml/main": f"{TRANSITIONAL}drawingml/2006/main",
    "http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing": (
        f"{TRANSITIONAL}drawingml/2006/wordprocessingDrawing"
    ),
    "http://purl.oclc.org/ooxml/drawingml/picture": f"{TRANSITIONAL}drawingml/2006/picture",
    "http://purl.oclc.org/ooxml/officeDocument/math": f"{TRANSITIONAL}officeDocument/2006/math",
    "http://purl.oclc.org/ooxml/officeDocument/extendedProperties": (
        f"{TRANSITIONAL}officeDocument/2006/extended-properties"
    ),
    "http://purl.oclc.org/ooxml/officeDocument/customProperties": (
        f"{TRANSITIONAL}officeDocument/2006/custom-properties"
    ),
    "http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes": (
        f"{TRANSITIONAL}officeDocument/2006/docPropsVTypes"
    ),
}
# relationship types by their last word, transitional and Strict alike
REL_TYPE_PREFIXES = (
    f"{TRANSITIONAL}officeDocument/2006/relationships/",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/",
)
REL_KIND_ALIASES = {
    "extendedProperties": "extended-properties",
    "customProperties": "custom-properties",
}
MACRO_CONTENT = "application/vnd.ms-word.document.macroEnabled.main+xml"


class WordFileError(StyrdokError):
    """A Word document cannot be imported (or read as what it was meant to be)."""


@dataclass(frozen=True)
class Wording:
    """The words of the refusals that depend on what the file was meant to be and what its
    reader should do: each is what follows "<path>: ", with `{mb}` (a limit in MB) and `{name}`
    (a part) filled in."""

    unreadable: str  # no Word file: not a zip, no main part
    locked: str  # an OLE file: password-protected, or the old .doc format
    too_large: str  # the declared sizes together pass MAX_DECLARED ({mb})
    part_too_large: str  # one part, inflated, passes its limit ({name}, {mb})


DOCUMENT = Wording(
    unreadable="inte ett Word-dokument (.docx) som går att läsa; spara det som .docx i Word",
    locked=(
        "är ett lösenordsskyddat Word-dokument eller ett i det äldre .doc-formatet; öppna det "
        "i Word, ta bort lösenordet och spara det som .docx"
    ),
    too_large=(
        "packar upp till mer än {mb} MB; det är inget styrdokument (spara bilderna mindre, "
        "eller utan bilder)"
    ),
    part_too_large=(
        "delen '{name}' packar upp till mer än {mb} MB; det är inget styrdokument (dela upp "
        "dokumentet, eller spara det på nytt i Word)"
    ),
)


@dataclass(frozen=True)
class Relationship:
    """One relationship of a part: its kind (the type's last word: styles, header, hyperlink …)
    and its target, a part name inside the package or, if `external`, an address."""

    id: str
    kind: str
    target: str
    external: bool


def rel_kind(type_uri: str) -> str:
    """A relationship type's last word, the same for transitional and Strict documents."""
    for prefix in REL_TYPE_PREFIXES:
        if type_uri.startswith(prefix):
            kind = type_uri[len(prefix) :]
            return REL_KIND_ALIASES.get(kind, kind)
    return type_uri.rsplit("/", 1)[-1]


class Package:
    """An opened Word file: its parts by name, read within the limits above; refusals worded
    by `wording` (what the file was meant to be)."""

    def __init__(self, path: Path, wording: Wording = DOCUMENT) -> None:
        self.path = path
        self.wording = wording
        self.unreadable = WordFileError(f"{path}: {wording.unreadable}")
        try:
            with open(path, "rb") as f:
                head = f.read(len(OLE_MAGIC))
            self.zip = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            if head == OLE_MAGIC:
                raise WordFileError(f"{path}: {wording.locked}") from None
            raise self.unreadable from None
        except OSError:
            raise self.unreadable from None
        if len(self.zip.infolist()) > MAX_ENTRIES:
            self.zip.close()
            raise WordFileError(
                f"{path}: filen har fler än {MAX_ENTRIES} delar, vilket inget Word-dokument har; "
                "öppna den i Word och spara den som .docx på nytt"
            )
        self.entries = {i.filename: i for i in self.zip.infolist()}
        if sum(i.file_size for i in self.entries.values()) > MAX_DECLARED:
            self.zip.close()
            raise WordFileError(f"{path}: {wording.too_large.format(mb=MAX_DECLARED >> 20)}")
        self._rels: dict[str, list[Relationship]] = {}
        try:
            self.main = self._main_part()
            self.macros = any(
                posixpath.basename(n).lower() == "vbaproject.bin" for n in self.entries
            ) or MACRO_CONTENT.encode() in (self._content_types() or b"")
        except BaseException:
            self.zip.close()
            raise

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc) -> None:
        self.zip.close()

    # --- parts ---------------------------------------------------------------------------------

    def has(self, name: str) -> bool:
        return name in self.entries

    def open(self, name: str, limit: int = MAX_STREAMED) -> _Counted:
        """A part as a stream of inflated bytes, refused once it passes `limit`."""
        info = self.entries.get(name)
        if info is None:
            raise self.unreadable
        if info.flag_bits & 0x1:
            raise WordFileError(
                f"{self.path}: delen '{name}' är krypterad; öppna dokumentet i Word, ta bort "
                "lösenordet och spara det som .docx"
            )
        try:
            raw = self.zip.open(info)
        except NotImplementedError:
            raise WordFileError(
                f"{self.path}: delen '{name}' är packad med en metod som Word inte använder "
                f"(nummer {info.compress_type}); öppna filen i Word och spara den som .docx"
            ) from None
        except (zipfile.BadZipFile, RuntimeError, OSError, EOFError, zlib.error):
            raise self.corrupt(name) from None
        return _Counted(raw, self, name, limit)

    def read(self, name: str, limit: int = MAX_PART) -> bytes:
        """A whole part's bytes (inflated in chunks, counted as they come)."""
        with self.open(name, limit) as f:
            return b"".join(iter(lambda: f.read(CHUNK), b""))

    def corrupt(self, name: str) -> WordFileError:
        return WordFileError(
            f"{self.path}: filen är skadad (delen '{name}' går inte att packa upp); öppna den i "
            "Word och spara den som .docx igen"
        )

    def too_large(self, name: str, limit: int) -> WordFileError:
        why = self.wording.part_too_large.format(name=name, mb=limit >> 20)
        return WordFileError(f"{self.path}: {why}")

    def xml(self, name: str | None, limit: int = MAX_PART) -> etree._Element | None:
        """A part parsed whole (None if there is no such part), Strict names made transitional;
        refused once its inflated bytes pass `limit`."""
        if name is None or name not in self.entries:
            return None
        data = self.read(name, limit)
        if has_doctype(data):
            raise self.has_dtd(name)
        try:
            root = etree.fromstring(data, _parser())
        except etree.XMLSyntaxError as e:
            raise self.not_xml(name, e) from None
        if root.getroottree().docinfo.doctype:
            raise self.has_dtd(name)
        return to_transitional(root)

    def not_xml(self, name: str, error: etree.XMLSyntaxError) -> WordFileError:
        line = f" (rad {error.lineno})" if error.lineno else ""
        return WordFileError(
            f"{self.path}: inte ett Word-dokument som går att läsa: delen '{name}' är ingen "
            f"giltig XML{line}; öppna filen i Word och spara den som .docx"
        )

    def has_dtd(self, name: str) -> WordFileError:
        return WordFileError(
            f"{self.path}: delen '{name}' har en DTD (<!DOCTYPE …>), som Word aldrig skriver; "
            "filen läses inte (den kan vara gjord för att skada). Spara dokumentet på nytt i Word"
        )

    # --- relationships ---------------------------------------------------------------------------

    def rels(self, name: str) -> list[Relationship]:
        """The relationships of part `name` ('' for the package's own)."""
        if name in self._rels:
            return self._rels[name]
        folder, base = posixpath.split(name)
        rels_name = posixpath.join(folder, "_rels", f"{base}.rels")
        root = self.xml(rels_name) if rels_name in self.entries else None
        found = []
        for r in root if root is not None else ():
            if not isinstance(r.tag, str) or etree.QName(r).localname != "Relationship":
                continue
            target, external = r.get("Target") or "", r.get("TargetMode") == "External"
            if not external:
                target = unquote(target)  # a part name is written as a URI
                target = posixpath.normpath(
                    target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                )
            found.append(
                Relationship(r.get("Id") or "", rel_kind(r.get("Type") or ""), target, external)
            )
        self._rels[name] = found
        return found

    def related(self, name: str, kind: str) -> list[str]:
        """The parts that part `name` relates to as `kind`, in the order of its relationships."""
        return [
            r.target
            for r in self.rels(name)
            if r.kind == kind and not r.external and r.target in self.entries
        ]

    def first(self, name: str, kind: str, usual: str) -> str | None:
        """The part of this kind; where the part has no relationships at all, the usual name."""
        found = self.related(name, kind)
        if found:
            return found[0]
        if not self.rels(name) and usual in self.entries:
            return usual
        return None

    def links(self, name: str | None) -> dict[str, str]:
        """Relationship id → address of the external targets of part `name`."""
        if name is None:
            return {}
        return {r.id: r.target for r in self.rels(name) if r.external}

    def _main_part(self) -> str:
        for r in self.rels(""):
            if r.kind == "officeDocument" and not r.external:
                if r.target not in self.entries:
                    raise self.unreadable
                return r.target
        if "word/document.xml" in self.entries:  # no package relationships: the usual place
            return "word/document.xml"
        raise self.unreadable

    def _content_types(self) -> bytes | None:
        return self.read("[Content_Types].xml") if self.has("[Content_Types].xml") else None


class _Counted:
    """A part's inflated bytes, read in chunks and counted against a limit; the zip's own
    failures (corrupt deflate data, a bad CRC, a cut-off entry) become the package's message."""

    def __init__(self, raw: IO[bytes], package: Package, name: str, limit: int) -> None:
        self.raw, self.package, self.name, self.limit = raw, package, name, limit
        self.count = 0

    def read(self, n: int = CHUNK) -> bytes:
        try:
            data = self.raw.read(min(n, CHUNK) if n and n > 0 else CHUNK)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError):
            raise self.package.corrupt(self.name) from None
        self.count += len(data)
        if self.count > self.limit:
            raise self.package.too_large(self.name, self.limit)
        return data

    def chunks(self) -> Iterator[bytes]:
        while data := self.read():
            yield data

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> _Counted:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


PROLOG_DOCTYPE = re.compile(rb"^\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*)*<!DOCTYPE", re.DOTALL)


def has_doctype(head: bytes) -> bool:
    """Whether XML starting with these bytes declares a DTD (before its first element)."""
    return bool(PROLOG_DOCTYPE.match(head.lstrip(b"\xef\xbb\xbf")))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def pull_parser(**kwargs) -> etree.XMLPullParser:
    """A parser fed chunk by chunk, with the same safety as `Package.xml`."""
    return etree.XMLPullParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, **kwargs
    )


def to_transitional(root: etree._Element) -> etree._Element:
    """A Strict tree renamed in place to the transitional namespaces (a transitional one as is)."""
    if not _strict_anywhere(root):
        return root
    for el in root.iter():
        rename(el)
    return root


def _strict_anywhere(root: etree._Element) -> bool:
    return any(uri in STRICT for uri in root.nsmap.values()) or (
        isinstance(root.tag, str) and etree.QName(root).namespace in STRICT
    )


def rename(el: etree._Element) -> None:
    """One element's Strict tag and attribute names as the transitional ones."""
    if not isinstance(el.tag, str):
        return
    if el.tag.startswith("{"):
        uri, _, local = el.tag[1:].partition("}")
        if uri in STRICT:
            el.tag = f"{{{STRICT[uri]}}}{local}"
    for key in [k for k in el.attrib if k.startswith("{")]:
        uri, _, local = key[1:].partition("}")
        if uri in STRICT:
            value = el.attrib.pop(key)
            el.set(f"{{{STRICT[uri]}}}{local}", value)
