"""pandoc, the parser under the source format: the binary that pypandoc-binary ships, run
directly. pypandoc's own convert_text first runs pandoc twice more to list its formats and takes
a tenth of a second to import: together most of a one-document build's start."""

from __future__ import annotations

import functools
import importlib.util
import os
import subprocess
from pathlib import Path

from .errors import BuildError


@functools.cache
def binary() -> str:
    """The pandoc to run: $PYPANDOC_PANDOC as pypandoc honours it, else the bundled one."""
    if chosen := os.environ.get("PYPANDOC_PANDOC"):
        return chosen
    spec = importlib.util.find_spec("pypandoc")
    if spec is not None and spec.origin is not None:
        bundled = (
            Path(spec.origin).parent / "files" / ("pandoc.exe" if os.name == "nt" else "pandoc")
        )
        if bundled.is_file():
            return str(bundled)
    import pypandoc  # pandoc on PATH or in pypandoc's other places

    return pypandoc.get_pandoc_path()


def to_json(text: str, source_format: str, path: Path) -> str:
    """pandoc's AST of `text` as JSON; `path` names the file in an error."""
    try:
        done = subprocess.run(
            [binary(), "-f", source_format, "-t", "json"],
            input=text.encode("utf-8"),
            capture_output=True,
            check=False,
        )
    except OSError as e:
        raise BuildError(
            f"pandoc går inte att starta ({e.strerror}); kör 'make build' som installerar det"
        ) from None
    if done.returncode != 0:
        error = done.stderr.decode("utf-8", "replace").strip()
        raise BuildError(f"{path}: pandoc kunde inte läsa filen: {error}")
    return done.stdout.decode("utf-8")
