"""Archive packaging: a decided version as a BagIt bag (RFC 8493) with SHA-256 manifests.

All packaging lives here, so another archive format (E-ARK CSIP, FGS 2.0) is one more writer
beside this one. A package is built read-only in a staging folder next to its destination and
moved into place with one rename by the release.
"""

from __future__ import annotations

import hashlib
import logging
import re
import tempfile
from pathlib import Path

import bagit

from . import publish

logging.getLogger("bagit").setLevel(logging.CRITICAL)  # its findings come back as our messages
logging.getLogger("pypdf").setLevel(logging.CRITICAL)

TAG_FILES = {"bagit.txt", "bag-info.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt"}


def stage_package(folder: Path, files: dict[str, bytes], info: dict[str, str]) -> Path:
    """Write `files` (relative path → bytes) as a read-only bag in a staging folder inside
    `folder`; the caller renames it into place (publish.py names it after this process, so a
    killed run's half-made package is removed by the next run)."""
    folder.mkdir(parents=True, exist_ok=True)
    publish.sweep(folder)
    staging = Path(tempfile.mkdtemp(prefix=publish.staging_name("paket-"), dir=folder))
    try:
        for name, data in sorted(files.items()):
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        bagit.make_bag(str(staging), bag_info=dict(info), checksums=["sha256"])
        _read_only(staging)
    except BaseException:
        publish.remove_tree(staging)
        raise
    return staging


def _read_only(root: Path) -> None:
    for path in sorted(root.rglob("*"), reverse=True):
        path.chmod(0o555 if path.is_dir() else 0o444)
    root.chmod(0o555)


def is_pdfa2b(path: Path) -> bool:
    """Whether a PDF declares PDF/A-2b in its XMP metadata."""
    import pypdf

    try:
        root = pypdf.PdfReader(path).trailer["/Root"]
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
    entries = {}
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
        entries[found.group(2).strip()] = found.group(1).lower()
    return entries


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


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


def verify_package(path: Path) -> list[str]:
    """Every problem with a package, each naming its file; an empty list means it verifies.

    bagit parses the bag; the manifests are checked here file by file, because bagit's own
    validation stops at the first summary mismatch (Payload-Oxum) without naming a file.
    """
    path = Path(path)
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
    problems = [f"{path / n}: saknas" for n in sorted(TAG_FILES) if not (path / n).is_file()]
    known = TAG_FILES | {"data"}
    problems += [
        f"{p}: fil som inte hör till paketet" for p in sorted(path.iterdir()) if p.name not in known
    ]
    try:
        bag = bagit.Bag(str(path))
    except (bagit.BagError, OSError, ValueError) as e:
        return [*problems, f"{path}: paketets beskrivning går inte att läsa ({e})"]
    files = [p for p in (path / "data").rglob("*") if p.is_file()]
    payload = {p.relative_to(path).as_posix() for p in files}
    problems += _oxum(path, bag.info.get("Payload-Oxum"), files)
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
            elif _sha256(file) != digest:
                problems.append(f"{file}: kontrollsumman stämmer inte (filen är ändrad)")
        problems += [  # every payload file and every tag file is in its manifest
            f"{path / n}: fil som inte finns i {manifest}" for n in sorted(present - set(entries))
        ]
    for pdf in sorted((path / "data").glob("*.pdf")):
        if not is_pdfa2b(pdf):
            problems.append(f"{pdf}: PDF:en anger inte PDF/A-2b")
    problems += pdf_conformance(path / "data")
    return sorted(set(problems))


def pdf_conformance(data: Path) -> list[str]:
    """Each archived PDF validated as PDF/A-2b and PDF/UA-1 (what it declares is not enough):
    a message a failed profile, naming the rules. A package released before styrdok made
    PDF/UA-1 fails here too; a new release of the version makes a conformant one."""
    from .pdf_conform import conformance

    return [problem for pdf in sorted(data.glob("*.pdf")) for problem in conformance(pdf)]
