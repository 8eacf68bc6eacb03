"""Archive packaging: a decided version as a BagIt bag (RFC 8493) with SHA-256 manifests.

All packaging lives here, so another archive format (E-ARK CSIP, FGS 2.0) is one more writer
beside this one. A package is built in a temporary folder next to its destination, moved into
place with one rename, and made read-only.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

import bagit

TAG_FILES = {"bagit.txt", "bag-info.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt"}


def write_package(dest: Path, files: dict[str, bytes], info: dict[str, str]) -> Path:
    """Write `files` (relative path → bytes) as a bag at `dest`; atomic and read-only."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent))
    try:
        for name, data in sorted(files.items()):
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        bagit.make_bag(str(staging), bag_info=dict(info), checksums=["sha256"])
        os.rename(staging, dest)
    except BaseException:
        remove_package(staging)
        raise
    _read_only(dest)
    return dest


def _read_only(root: Path) -> None:
    for path in sorted(root.rglob("*"), reverse=True):
        path.chmod(0o555 if path.is_dir() else 0o444)
    root.chmod(0o555)


def remove_package(root: Path) -> None:
    """Delete a package (or a half-made one), read-only files included."""
    if not root.exists():
        return
    for path in root.rglob("*"):
        path.chmod(stat.S_IRWXU)
    root.chmod(stat.S_IRWXU)
    shutil.rmtree(root)


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


def _manifest(path: Path) -> dict[str, str]:
    """A manifest's entries: relative path → lowercase hex digest."""
    entries = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            entries[name.strip()] = digest.lower()
    return entries


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_package(path: Path) -> list[str]:
    """Every problem with a package, each naming its file; an empty list means it verifies.

    bagit parses the bag; the manifests are checked here file by file, because bagit's own
    validation stops at the first summary mismatch (Payload-Oxum) without naming a file.
    """
    path = Path(path)
    if not (path / "bagit.txt").is_file():
        return [f"{path}: inte ett arkivpaket (bagit.txt saknas)"]
    problems = [f"{path / n}: saknas" for n in sorted(TAG_FILES) if not (path / n).is_file()]
    known = TAG_FILES | {"data"}
    problems += [
        f"{p}: fil som inte hör till paketet" for p in sorted(path.iterdir()) if p.name not in known
    ]
    try:
        bagit.Bag(str(path))
    except bagit.BagError as e:
        return [*problems, f"{path}: {e}"]
    payload = {p.relative_to(path).as_posix() for p in (path / "data").rglob("*") if p.is_file()}
    for manifest, present in (
        ("manifest-sha256.txt", payload),
        ("tagmanifest-sha256.txt", {n for n in TAG_FILES - {"tagmanifest-sha256.txt"}}),
    ):
        if not (path / manifest).is_file():
            continue
        entries = _manifest(path / manifest)
        for name, digest in sorted(entries.items()):
            file = path / name
            if not file.is_file():
                problems.append(f"{file}: saknas")
            elif _sha256(file) != digest:
                problems.append(f"{file}: kontrollsumman stämmer inte (filen är ändrad)")
        if manifest == "manifest-sha256.txt":
            problems += [
                f"{path / n}: fil som inte finns i manifestet"
                for n in sorted(present - set(entries))
            ]
    for pdf in sorted((path / "data").glob("*.pdf")):
        if not is_pdfa2b(pdf):
            problems.append(f"{pdf}: PDF:en anger inte PDF/A-2b")
    return sorted(set(problems))
