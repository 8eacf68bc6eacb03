"""E-ARK information package (CSIP 2.1 + SIP, as FGS Paketstruktur 2.0 takes them): the files
of a released version laid out for an e-archive, with METS, PREMIS and Dublin Core.

    METS.xml                          the package's map: every file with size, SHA-256, type
    metadata/descriptive/dc.xml       Dublin Core: title, DNR, decision, arkivbildare …
    metadata/preservation/premis.xml  PREMIS 3: fixity, formats, creating software, the release
    metadata/other/metadata.json      styrdok's own record (every metadata key, commit, tag)
    representations/pdfa/data/        the decided document as PDF/A (what is preserved)
    representations/docx/data/        the same as Word (for reuse)
    representations/kalla/data/       the source and the template as a styrdok project
    documentation/                    how to read and rebuild the package; change report
    schemas/                          the JSON Schema of metadata.json

Pure: text in, bytes out (no files, no clock). Written with the standard library's
ElementTree: namespaces and attribute order are fixed, so the same input gives the same bytes.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass

METS = "http://www.loc.gov/METS/"
CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
XLINK = "http://www.w3.org/1999/xlink"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PREMIS = "http://www.loc.gov/premis/v3"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
for _prefix, _uri in (
    ("mets", METS),
    ("csip", CSIP),
    ("sip", SIP),
    ("xlink", XLINK),
    ("xsi", XSI),
    ("premis", PREMIS),
    ("oai_dc", OAI_DC),
    ("dc", DC),
):
    ET.register_namespace(_prefix, _uri)

DESCRIPTIVE = "metadata/descriptive/dc.xml"
PRESERVATION = "metadata/preservation/premis.xml"
OTHER = "metadata/other/metadata.json"
# A content information type of our own (CSIP's vocabulary has none for governing documents).
CONTENT_TYPE = "styrdokument"
# How a format name ends for a file kept as it came (a remiss response), which is no PDF/A.
RECEIVED = "mottaget svar"


@dataclass(frozen=True)
class Content:
    """One content file of the package and what the archive needs to know about it."""

    use: str  # its METS file group: "Representations/pdfa", "Documentation", "Schemas"
    path: str  # relative to the package root
    data: bytes
    mimetype: str
    format: str  # its format's name, e.g. "PDF/A-2b"
    application: str = ""  # the software that made it, with its version


@dataclass(frozen=True)
class Release:
    """The facts of one release the package records."""

    objid: str  # the package's identifier, also its folder's name
    label: str  # title and version, for people
    created: str  # when, ISO 8601 UTC (YYYY-MM-DDTHH:MM:SSZ)
    software: str  # "styrdok"
    software_version: str
    releaser: str  # who released it (git identity)
    detail: str  # the event's description: version, tag, commit
    archivist: str  # the arkivbildare
    reference: str  # the classification code, "" if none
    dublin_core: tuple[tuple[str, str], ...]  # (element, value) in order


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def _sub(parent: ET.Element, ns: str, tag: str, text: str | None = None, **attrs) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ns}}}{tag}", {_attr(k): v for k, v in attrs.items()})
    if text is not None:
        el.text = text
    return el


def _attr(name: str) -> str:
    """Attribute names as keyword arguments: csip_TYPE → {csip}TYPE, xlink_href → {xlink}href."""
    for prefix, uri in (("csip_", CSIP), ("xlink_", XLINK), ("xsi_", XSI)):
        if name.startswith(prefix):
            return f"{{{uri}}}{name.removeprefix(prefix)}"
    return name


def dublin_core(release: Release) -> bytes:
    root = ET.Element(f"{{{OAI_DC}}}dc")
    for element, value in release.dublin_core:
        if value:
            _sub(root, DC, element, value)
    return _xml(root)


def premis(release: Release, contents: list[Content]) -> bytes:
    """PREMIS 3: each content file (fixity, size, format, creating application), the release
    event that links them, and its agents (styrdok, the releaser, the arkivbildare)."""
    root = ET.Element(f"{{{PREMIS}}}premis", {"version": "3.0"})
    for c in contents:
        obj = _sub(root, PREMIS, "object", xsi_type="premis:file")
        ident = _sub(obj, PREMIS, "objectIdentifier")
        _sub(ident, PREMIS, "objectIdentifierType", "local")
        _sub(ident, PREMIS, "objectIdentifierValue", c.path)
        chars = _sub(obj, PREMIS, "objectCharacteristics")
        _sub(chars, PREMIS, "compositionLevel", "0")
        fixity = _sub(chars, PREMIS, "fixity")
        _sub(fixity, PREMIS, "messageDigestAlgorithm", "SHA-256")
        _sub(fixity, PREMIS, "messageDigest", _sha256(c.data))
        _sub(fixity, PREMIS, "messageDigestOriginator", release.software)
        _sub(chars, PREMIS, "size", str(len(c.data)))
        fmt = _sub(_sub(chars, PREMIS, "format"), PREMIS, "formatDesignation")
        _sub(fmt, PREMIS, "formatName", c.format)
        if c.application:
            app = _sub(chars, PREMIS, "creatingApplication")
            name, _, version = c.application.partition(" ")
            _sub(app, PREMIS, "creatingApplicationName", name)
            if version:
                _sub(app, PREMIS, "creatingApplicationVersion", version)
            _sub(app, PREMIS, "dateCreatedByApplication", release.created)
    event = _sub(root, PREMIS, "event")
    ident = _sub(event, PREMIS, "eventIdentifier")
    _sub(ident, PREMIS, "eventIdentifierType", "local")
    _sub(ident, PREMIS, "eventIdentifierValue", f"release-{release.objid}")
    _sub(event, PREMIS, "eventType", "release")
    _sub(event, PREMIS, "eventDateTime", release.created)
    _sub(_sub(event, PREMIS, "eventDetailInformation"), PREMIS, "eventDetail", release.detail)
    _sub(_sub(event, PREMIS, "eventOutcomeInformation"), PREMIS, "eventOutcome", "success")
    agents = (
        ("software", f"{release.software} {release.software_version}", "executing program"),
        ("person", release.releaser, "implementer"),
        ("organization", release.archivist, "authorizer"),
    )
    for _, name, role in agents:
        link = _sub(event, PREMIS, "linkingAgentIdentifier")
        _sub(link, PREMIS, "linkingAgentIdentifierType", "local")
        _sub(link, PREMIS, "linkingAgentIdentifierValue", name)
        _sub(link, PREMIS, "linkingAgentRole", role)
    for c in contents:
        link = _sub(event, PREMIS, "linkingObjectIdentifier")
        _sub(link, PREMIS, "linkingObjectIdentifierType", "local")
        _sub(link, PREMIS, "linkingObjectIdentifierValue", c.path)
        _sub(link, PREMIS, "linkingObjectRole", "outcome")
    for kind, name, _ in agents:
        agent = _sub(root, PREMIS, "agent")
        ident = _sub(agent, PREMIS, "agentIdentifier")
        _sub(ident, PREMIS, "agentIdentifierType", "local")
        _sub(ident, PREMIS, "agentIdentifierValue", name)
        _sub(agent, PREMIS, "agentName", name)
        _sub(agent, PREMIS, "agentType", kind)
        if kind == "software":
            _sub(agent, PREMIS, "agentVersion", release.software_version)
    return _xml(root)


def _file_attrs(ident: str, data: bytes, mimetype: str, created: str) -> dict[str, str]:
    return {
        "ID": ident,
        "MIMETYPE": mimetype,
        "SIZE": str(len(data)),
        "CREATED": created,
        "CHECKSUM": _sha256(data),
        "CHECKSUMTYPE": "SHA-256",
    }


def _md_ref(parent: ET.Element, path: str, data: bytes, mdtype: str, mimetype: str, created: str):
    attrs = _file_attrs("", data, mimetype, created)
    del attrs["ID"]
    ref = _sub(
        parent,
        METS,
        "mdRef",
        LOCTYPE="URL",
        xlink_type="simple",
        xlink_href=path,
        MDTYPE=mdtype,
        **attrs,
    )
    if mdtype == "OTHER":
        ref.set("OTHERMDTYPE", "styrdok")
    return ref


def mets(release: Release, contents: list[Content], metadata: dict[str, bytes]) -> bytes:
    """The root METS.xml: header with the creating software and the arkivbildare, the metadata
    files, one file group per use, and the CSIP structural map."""
    r = release
    root = ET.Element(
        f"{{{METS}}}mets",
        {
            "OBJID": r.objid,
            "LABEL": r.label,
            "TYPE": "Textual works – Digital",
            f"{{{CSIP}}}CONTENTINFORMATIONTYPE": "OTHER",
            f"{{{CSIP}}}OTHERCONTENTINFORMATIONTYPE": CONTENT_TYPE,
            "PROFILE": PROFILE,
        },
    )
    header = _sub(
        root,
        METS,
        "metsHdr",
        CREATEDATE=r.created,
        LASTMODDATE=r.created,
        RECORDSTATUS="NEW",
        csip_OAISPACKAGETYPE="SIP",
    )
    creator = _sub(header, METS, "agent", ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE")
    _sub(creator, METS, "name", r.software)
    _sub(creator, METS, "note", r.software_version, csip_NOTETYPE="SOFTWARE VERSION")
    archivist = _sub(header, METS, "agent", ROLE="ARCHIVIST", TYPE="ORGANIZATION")
    _sub(archivist, METS, "name", r.archivist)
    submitter = _sub(header, METS, "agent", ROLE="OTHER", OTHERROLE="SUBMITTER", TYPE="INDIVIDUAL")
    _sub(submitter, METS, "name", r.releaser)
    if r.reference:
        _sub(header, METS, "altRecordID", r.reference, TYPE="REFERENCECODE")

    for ident, path, mdtype, mimetype in (
        ("dmd-dc", DESCRIPTIVE, "DC", "application/xml"),
        ("dmd-styrdok", OTHER, "OTHER", "application/json"),
    ):
        dmd = _sub(root, METS, "dmdSec", ID=ident, CREATED=r.created, STATUS="CURRENT")
        _md_ref(dmd, path, metadata[path], mdtype, mimetype, r.created)
    amd = _sub(root, METS, "amdSec")
    digiprov = _sub(amd, METS, "digiprovMD", ID="digiprov-premis", STATUS="CURRENT")
    _md_ref(digiprov, PRESERVATION, metadata[PRESERVATION], "PREMIS", "application/xml", r.created)

    file_sec = _sub(root, METS, "fileSec", ID="filesec")
    groups: dict[str, ET.Element] = {}
    for number, c in enumerate(contents, 1):
        if c.use not in groups:
            groups[c.use] = _sub(
                file_sec,
                METS,
                "fileGrp",
                ID=f"grp-{c.use.lower().replace('/', '-')}",
                USE=c.use,
                # eark-validator's CSIP63 asks every group for the content type
                csip_CONTENTINFORMATIONTYPE="OTHER",
                csip_OTHERCONTENTINFORMATIONTYPE=CONTENT_TYPE,
            )
        file = _sub(
            groups[c.use],
            METS,
            "file",
            **_file_attrs(f"file-{number}", c.data, c.mimetype, r.created),
        )
        _sub(file, METS, "FLocat", LOCTYPE="URL", xlink_type="simple", xlink_href=c.path)

    struct = _sub(root, METS, "structMap", ID="structmap-csip", TYPE="PHYSICAL", LABEL="CSIP")
    top = _sub(struct, METS, "div", ID="div-root", LABEL=r.objid)
    _sub(
        top,
        METS,
        "div",
        ID="div-metadata",
        LABEL="Metadata",
        ADMID="digiprov-premis",
        DMDID="dmd-dc dmd-styrdok",
    )
    for label in ("Documentation", "Schemas", "Representations"):
        div = _sub(top, METS, "div", ID=f"div-{label.lower()}", LABEL=label)
        for use, group in groups.items():
            if use.split("/")[0] == label:
                _sub(div, METS, "fptr", FILEID=group.get("ID"))
    return _xml(root)


def package(release: Release, contents: list[Content], record: bytes) -> dict[str, bytes]:
    """Every file of the E-ARK package, path relative to its root → bytes."""
    metadata = {OTHER: record, DESCRIPTIVE: dublin_core(release)}
    metadata[PRESERVATION] = premis(release, contents)
    files = {c.path: c.data for c in contents} | metadata
    files["METS.xml"] = mets(release, contents, metadata)
    return files
