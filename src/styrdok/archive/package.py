"""Archive packaging: a decided version as a BagIt 1.0 bag (RFC 8493) with SHA-256 manifests,
written here line by line, and its verification.

The bag is the outer wrapper for transfer and fixity; its payload is the E-ARK package
(eark.py). A package is built read-only in a staging folder next to its destination and moved
into place with one rename by the release. `verify_package` is a list of small checks, each
returning its problems, so another check is one more entry in CHECKS.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import tempfile
from pathlib import Path
from typing import Any

import bagit

from styrdok.archive import eark
from styrdok.archive.checksum import file_sha256
from styrdok.project import publish

logging.getLogger("bagit").setLevel(logging.CRITICAL)  # its findings come back as our messages
logging.getLogger("pypdf").setLevel(logging.CRITICAL)

TAG_FILES = {"bagit.txt", "bag-info.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt"}


BAGIT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"


def _encoded(path: str) -> str:
    """A path as a manifest line holds it (RFC 8493 §2.1.3: %, CR and LF percent-encoded)."""
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _decoded(path: str) -> str:
    """A manifest line's path as the file is named (the inverse of _encoded, in one pass)."""
    return re.sub(
        r"%(25|0A|0D)",
        lambda m: {"25": "%", "0A": "\n", "0D": "\r"}[m.group(1).upper()],
        path,
        flags=re.I,
    )


def _manifest_text(files: dict[str, bytes]) -> bytes:
    lines = (f"{hashlib.sha256(d).hexdigest()}  {_encoded(p)}\n" for p, d in sorted(files.items()))
    return "".join(lines).encode()


def bag_files(files: dict[str, bytes], info: dict[str, str]) -> dict[str, bytes]:
    """A BagIt 1.0 bag of `files` (payload path → bytes): the payload under data/, bagit.txt,
    bag-info.txt (`info` in order, then Payload-Oxum), and both SHA-256 manifests."""
    payload = {f"data/{p}": d for p, d in files.items()}
    oxum = f"{sum(len(d) for d in payload.values())}.{len(payload)}"
    info_lines = [f"{k}: {' '.join(v.split())}" for k, v in info.items() if v]
    tags = {
        "bagit.txt": BAGIT.encode(),
        "bag-info.txt": "".join(
            f"{line}\n" for line in [*info_lines, f"Payload-Oxum: {oxum}"]
        ).encode(),
        "manifest-sha256.txt": _manifest_text(payload),
    }
    return payload | tags | {"tagmanifest-sha256.txt": _manifest_text(tags)}


def stage_package(folder: Path, files: dict[str, bytes], info: dict[str, str]) -> Path:
    """Write `files` (payload path → bytes) as a read-only bag in a staging folder inside
    `folder`; the caller renames it into place (publish.py names it after this process, so a
    killed run's half-made package is removed by the next run)."""
    folder.mkdir(parents=True, exist_ok=True)
    publish.sweep(folder)
    staging = Path(tempfile.mkdtemp(prefix=publish.staging_name("paket-"), dir=folder))
    try:
        for name, data in sorted(bag_files(files, info).items()):
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        _read_only(staging)
    except BaseException:
        publish.remove_tree(staging)
        raise
    return staging


def anchor(package: Path) -> str:
    """The SHA-256 of the package's tag manifest: it lists the checksums of bagit.txt,
    bag-info.txt and the payload manifest, which lists every payload file's, so this one value
    covers every byte of the package. The release writes it into the tag's message."""
    return file_sha256(package / "tagmanifest-sha256.txt")


# The tag of a release and the package's record (release.py writes them, verify.py reads them;
# here, so that verify needs no part of the build).

ANCHOR = "Paket-SHA256"


def tag_message(title: str, version: str, datum, dnr, package_sha256: str) -> str:
    """The annotated tag's message: the version for people, and the package's SHA-256 (the
    anchor outside the package that `verify` compares it with)."""
    return (
        f"{title}, version {version}\n\nBeslutsdatum: {datum}\nDNR: {dnr}\n"
        f"{ANCHOR}: {package_sha256}\n"
    )


def tag_anchor(message: str) -> str | None:
    """The package SHA-256 a release's tag message carries, or None (a tag made by hand)."""
    found = re.search(rf"^{ANCHOR}: ([0-9a-f]{{64}})$", message, re.M)
    return found.group(1) if found else None


def read_record(package: Path) -> dict:
    """A package's metadata.json (styrdok's record of the release), or {} if it has none."""
    found = sorted((package / "data").glob(f"*/{eark.OTHER}"))
    try:
        return json.loads(found[0].read_text(encoding="utf-8")) if len(found) == 1 else {}
    except (OSError, ValueError):
        return {}


def _read_only(root: Path) -> None:
    for path in sorted(root.rglob("*"), reverse=True):
        path.chmod(0o555 if path.is_dir() else 0o444)
    root.chmod(0o555)


def is_pdfa2b(path: Path) -> bool:
    """Whether a PDF declares PDF/A-2b in its XMP metadata."""
    import pypdf

    try:
        root: Any = pypdf.PdfReader(path).trailer["/Root"]
        xmp = root["/Metadata"].get_object().get_data().decode("utf-8", "replace")
    except Exception:
        return False
    part = re.search(r"pdfaid:part(?:>|=\")\s*(\d)", xmp)
    conformance = re.search(r"pdfaid:conformance(?:>|=\")\s*([A-Za-z])", xmp)
    return bool(part and conformance and part.group(1) == "2" and conformance.group(1) in "Bb")


SHA256 = re.compile(r"^([0-9a-fA-F]{64})\s+(\S.*)$")


def _manifest(path: Path, problems: list[str]) -> dict[str, str]:
    """A manifest's entries: relative path → lowercase hex digest; a line that is not
    'digest path' is a problem."""
    entries: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        problems.append(f"{path}: går inte att läsa som text")
        return entries
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        found = SHA256.match(line.strip())
        if found is None:
            problems.append(f"{path}:{number}: raden är inte 'kontrollsumma sökväg' (avkapad?)")
            continue
        entries[_decoded(found.group(2).strip())] = found.group(1).lower()
    return entries


def _oxum(path: Path, oxum: object, files: list[Path]) -> list[str]:
    """The bag's own count of its payload (bag-info.txt, Payload-Oxum: bytes.files) against the
    files there: a file removed together with its manifest line is still counted there."""
    if not isinstance(oxum, str) or not re.fullmatch(r"\d+\.\d+", oxum.strip()):
        return [f"{path / 'bag-info.txt'}: Payload-Oxum saknas eller har fel form"]
    size, count = (int(x) for x in oxum.strip().split("."))
    actual_size, actual_count = sum(p.stat().st_size for p in files), len(files)
    if (size, count) == (actual_size, actual_count):
        return []
    return [
        f"{path / 'data'}: paketet ska ha {count} filer ({size} byte) enligt Payload-Oxum men har "
        f"{actual_count} ({actual_size} byte); en fil saknas eller har tillkommit"
    ]


def _readable(path: Path) -> list[str]:
    """A folder of plain files with bagit.txt, or why not (the other checks need one)."""
    if path.is_file():
        return [f"{path}: är en fil; ange paketets mapp (den med bagit.txt)"]
    if not path.is_dir():
        return [f"{path}: finns inte; ange mappen för ett arkivpaket (med bagit.txt)"]
    # only folders and plain files: a link, a pipe or a device could point anywhere or block
    odd = [p for p in sorted(path.rglob("*")) if not (p.is_dir() or p.is_file()) or p.is_symlink()]
    if odd:
        return [f"{p}: inte en vanlig fil (en länk, en pipe eller en enhet)" for p in odd]
    if not (path / "bagit.txt").is_file():
        return [f"{path}: inte ett arkivpaket (bagit.txt saknas)"]
    return []


def _layout(path: Path) -> list[str]:
    """The bag's tag files are there, and nothing else beside data/."""
    problems = [f"{path / n}: saknas" for n in sorted(TAG_FILES) if not (path / n).is_file()]
    known = TAG_FILES | {"data"}
    return problems + [
        f"{p}: fil som inte hör till paketet" for p in sorted(path.iterdir()) if p.name not in known
    ]


def _fixity(path: Path) -> list[str]:
    """Every file against its manifest line, file by file (bagit parses the bag, but its own
    validation stops at the first summary mismatch without naming a file), and the payload's
    count (Payload-Oxum)."""
    try:
        bag = bagit.Bag(str(path))
    except (bagit.BagError, OSError, ValueError) as e:
        return [f"{path}: paketets beskrivning går inte att läsa ({e})"]
    files = [p for p in (path / "data").rglob("*") if p.is_file()]
    payload = {p.relative_to(path).as_posix() for p in files}
    problems = _oxum(path, bag.info.get("Payload-Oxum"), files)
    for manifest, present in (
        ("manifest-sha256.txt", payload),
        ("tagmanifest-sha256.txt", {n for n in TAG_FILES - {"tagmanifest-sha256.txt"}}),
    ):
        if not (path / manifest).is_file():
            continue
        entries = _manifest(path / manifest, problems)
        for name, digest in sorted(entries.items()):
            file = path / name
            if name.startswith("/") or ".." in Path(name).parts:
                problems.append(f"{path / manifest}: '{name}' ligger utanför paketet")
            elif not file.is_file():
                problems.append(f"{file}: saknas")
            elif file_sha256(file) != digest:
                problems.append(f"{file}: kontrollsumman stämmer inte (filen är ändrad)")
        problems += [  # every payload file and every tag file is in its manifest
            f"{path / n}: fil som inte finns i {manifest}" for n in sorted(present - set(entries))
        ]
    return problems


def _received(path: Path) -> set[Path]:
    """The files the package keeps as they came (a remiss response's PDF): PREMIS names their
    format as received, not as PDF/A, and they are documentation, never a representation."""
    import xml.etree.ElementTree as ET

    found = set()
    for premis in (path / "data").glob(f"*/{eark.PRESERVATION}"):
        try:
            root = ET.parse(premis).getroot()
        except (OSError, ET.ParseError):
            continue  # fixity names a damaged file
        ns = {"p": eark.PREMIS}
        for obj in root.iterfind("p:object", ns):
            name = obj.findtext("p:objectIdentifier/p:objectIdentifierValue", "", ns)
            fmt = obj.findtext(".//p:formatName", "", ns)
            if fmt.endswith(eark.RECEIVED) and name.startswith("documentation/"):
                found.add(premis.parents[2] / name)
    return found


def _made_pdfs(path: Path) -> list[Path]:
    """The PDFs styrdok made for the package (every PDF but the received ones)."""
    received = _received(path)
    return [p for p in sorted((path / "data").rglob("*.pdf")) if p not in received]


def _pdfa(path: Path) -> list[str]:
    """Every PDF the package made declares PDF/A-2b."""
    return [f"{pdf}: PDF:en anger inte PDF/A-2b" for pdf in _made_pdfs(path) if not is_pdfa2b(pdf)]


def _conformance(path: Path) -> list[str]:
    """Each archived PDF validated as PDF/A-2b and PDF/UA-1 (what it declares is not enough):
    a message a failed profile, naming the rules. A package released before styrdok made
    PDF/UA-1 fails here too; a new release of the version makes a conformant one."""
    from styrdok.convert.pdf_conform import conformance

    return [problem for pdf in _made_pdfs(path) for problem in conformance(pdf)]


def _rounds(path: Path) -> list[str]:
    """The remiss rounds the package documents are whole (rounds.py)."""
    from styrdok.archive.rounds import round_problems

    return round_problems(path)


# The checks of a package, in order; each takes the package's folder and returns its problems.
CHECKS = (_layout, _fixity, _pdfa, _conformance, _rounds)


def verify_package(path: Path) -> list[str]:
    """Every problem with a package, each naming its file; an empty list means it verifies."""
    path = Path(path)
    problems = _readable(path)
    if problems:
        return problems
    for check in CHECKS:
        problems += check(path)
    return sorted(set(problems))
