"""Incremental builds: a document is rebuilt only when what it is built from has changed.

Each document's output folder holds a record, `.bygge.json`: one hash of the build's inputs
(the document's two source files, the template, the city's name for the web page, the styrdok
version and its code, the LibreOffice version when a PDF is made, and the formats asked for)
and the hash of each output file. A build skips a document whose inputs hash the same and whose
outputs are all there with the recorded hashes. Anything else rebuilds it: a changed input, a
missing or hand-edited output, `--force`. Timestamps are never trusted. The record is published
together with the outputs it describes.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path

from styrdok import __version__
from styrdok.project.formats import build_file
from styrdok.project.names import BODY_FILE, META_FILE
from styrdok.project.settings import DEFAULT_CITY, City

RECORD = ".bygge.json"


def sha256(path: Path) -> str | None:
    """The file's SHA-256, or None when it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


@functools.cache
def code() -> str:
    """The hash of styrdok's own files (its code and style sheet): a changed renderer is a new
    input even where the version number stays the same (an install from git, development)."""
    package = Path(__file__).parents[1]
    found = []
    for folder, dirs, files in os.walk(package):  # (os.walk: a third of Path.rglob's time)
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        found += [Path(folder, f) for f in files if f.endswith((".py", ".css"))]
    digest = hashlib.sha256()
    for path in sorted(found):
        digest.update(f"{path.relative_to(package).as_posix()}:{sha256(path)}\n".encode())
    return digest.hexdigest()


def inputs_key(
    folder: Path,
    template: Path,
    formats: tuple[str, ...],
    office: str | None = None,
    city: City = DEFAULT_CITY,
) -> str:
    """The hash of everything a document's outputs are made from; `office` is the version of
    the LibreOffice that makes its PDF (None when no PDF is made), `city` whose banner the web
    page has (styrdok.toml's [stad])."""
    digest = hashlib.sha256(f"styrdok {__version__} {code()}\n".encode())
    digest.update(f"{city.name}\n{city.header}\n".encode())
    digest.update(f"{','.join(sorted(formats))}\n".encode())
    if "pdf" in formats:
        digest.update(f"LibreOffice {office}\n".encode())
    for path in (template, folder / META_FILE, folder / BODY_FILE):
        digest.update(f"{path.name}:{sha256(path)}\n".encode())
    return digest.hexdigest()


def up_to_date(folder: Path, name: str, key: str, formats: tuple[str, ...]) -> bool:
    """Whether `folder` holds this document's outputs, made from exactly these inputs."""
    try:
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    outputs = record.get("outputs", {}) if isinstance(record, dict) else {}
    if record.get("inputs") != key:
        return False
    for fmt in formats:
        file = build_file(name, fmt)
        found = sha256(folder / file)
        if found is None or outputs.get(file) != found:
            return False
    return True


def record(staged: Path, key: str, files: list[Path]) -> Path:
    """Write the record for the staged outputs `files` into `staged` (published with them)."""
    path = staged / RECORD
    data = {"inputs": key, "outputs": {f.name: sha256(f) for f in files}}
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path
