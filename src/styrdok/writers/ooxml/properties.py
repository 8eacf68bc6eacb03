"""The document's properties: docProps/core.xml (title, author, dates …) and docProps/app.xml
(the application, the page and word counts), written whole, and read back."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_DC = "http://purl.org/dc/elements/1.1/"
_DCTERMS = "http://purl.org/dc/terms/"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_EP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"

CORE_PROPERTIES = (
    (_DC, "title"),
    (_DC, "subject"),
    (_DC, "creator"),
    (_CP, "keywords"),
    (_DC, "description"),
    (_CP, "lastModifiedBy"),
    (_CP, "revision"),
    (_CP, "category"),
    (_DC, "language"),
)


def core_xml(props: dict[str, str], stamp: str) -> bytes:
    """docProps/core.xml: each Dublin Core / OPC property once, in its own namespace.
    `props` holds title, subject, creator, keywords, description, language, category;
    `stamp` (W3CDTF) is the created and modified date."""
    from lxml import etree

    root = etree.Element(
        f"{{{_CP}}}coreProperties",
        nsmap={"cp": _CP, "dc": _DC, "dcterms": _DCTERMS, "xsi": _XSI},
    )
    for ns, name in CORE_PROPERTIES:
        value = props.get(name)
        if value:
            etree.SubElement(root, f"{{{ns}}}{name}").text = value
    for name in ("created", "modified"):
        el = etree.SubElement(root, f"{{{_DCTERMS}}}{name}")
        el.set(f"{{{_XSI}}}type", "dcterms:W3CDTF")
        el.text = stamp
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def app_xml(application: str, pages: int | None, words: int) -> bytes:
    """docProps/app.xml: the application that wrote the file, and counts that are true (no
    page count when the pages are not known: a DOCX built without its PDF)."""
    from lxml import etree

    root = etree.Element(f"{{{_EP}}}Properties", nsmap={None: _EP})
    items = [("Application", application), ("DocSecurity", "0")]
    items += [("Pages", str(pages))] if pages else []
    items += [("Words", str(words))]
    for name, value in items:
        etree.SubElement(root, f"{{{_EP}}}{name}").text = value
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
