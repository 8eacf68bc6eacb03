"""pandoc, the parser under the source format: the binary that pypandoc-binary ships, run
directly. pypandoc's own convert_text first runs pandoc twice more to list its formats and takes
a tenth of a second to import: together most of a one-document build's start."""

from __future__ import annotations

import functools
import importlib.util
import os
import subprocess
import threading
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


class Reading:
    """pandoc reading a text into its AST, started at once: the caller does other work (reads
    the metadata) while pandoc's process runs, then asks for the JSON."""

    def __init__(self, text: str, source_format: str, path: Path) -> None:
        self.path = path
        self.input = text.encode("utf-8")
        try:
            self.process = subprocess.Popen(
                [binary(), "-f", source_format, "-t", "json"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except OSError as e:
            raise BuildError(
                f"pandoc går inte att starta ({e.strerror}); kör 'make build' som installerar det"
            ) from None

        self.output = (b"", b"")
        self.talking = threading.Thread(target=self._talk, daemon=True)  # feeds stdin now
        self.talking.start()

    def _talk(self) -> None:
        self.output = self.process.communicate(self.input)

    def json(self) -> str:
        """The AST as JSON; `path` names the file in an error."""
        self.talking.join()
        out, err = self.output
        if self.process.returncode != 0:
            error = err.decode("utf-8", "replace").strip()
            raise BuildError(f"{self.path}: pandoc kunde inte läsa filen: {error}")
        return out.decode("utf-8")

    def cancel(self) -> None:
        """Not needed after all (the document has other problems): stop pandoc."""
        self.process.kill()
        self.talking.join()


def to_json(text: str, source_format: str, path: Path) -> str:
    """pandoc's AST of `text` as JSON; `path` names the file in an error."""
    return Reading(text, source_format, path).json()
