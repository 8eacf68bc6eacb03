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

from styrdok.errors import BuildError


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


# The source format as pandoc reads it (source.py): CommonMark with pandoc's extensions, each
# element's line kept (sourcepos); no smart quotes (text stays as typed), no invented heading ids
# (ids must be written); bare https://… addresses are links, as they are in Word.
SOURCE_FORMAT = "commonmark_x-smart-gfm_auto_identifiers-emoji+sourcepos+autolink_bare_uris"


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
                f"pandoc går inte att starta ({e.strerror}); installera om styrdok (pandoc "
                "kommer med paketet pypandoc-binary; i styrdoks eget förråd: make build)"
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


_early: dict[str, Reading] = {}  # readings started before the build's modules had imported


def read_early(paths: list[Path], source_format: str) -> None:
    """Start pandoc on these source files now: `build` calls it for the documents it is given
    by name as soon as it has read its command line, so that pandoc works while Python imports
    the rest of styrdok (a third of a one-document build); `serve` as soon as one is saved,
    while it waits to see whether more saves follow. `reading` takes a reading started here
    whose text is the one it is asked for; what no one takes is stopped by `stop_early`, at
    exit at the latest."""
    import atexit

    atexit.unregister(stop_early)
    atexit.register(stop_early)
    for path in paths:
        text = _text(path)
        if text is not None and text.strip() and text not in _early:
            _early[text] = Reading(text, source_format, path)


def _text(path: Path) -> str | None:
    """A source file's text as source.py reads it, or None (the load reports why)."""
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def reading(text: str, source_format: str, path: Path) -> Reading:
    """pandoc reading `text`: one `read_early` started for the same text, or a new one."""
    early = _early.pop(text, None)
    if early is None:
        return Reading(text, source_format, path)
    early.path = path
    return early


def stop_early(unless_current: bool = False) -> None:
    """Stop the readings started early that no one took; with `unless_current`, a reading
    whose file still holds the text it reads is kept (a build of that text is on its way)."""
    for text, started in list(_early.items()):
        if unless_current and _text(started.path) == text:
            continue
        if _early.pop(text, None) is not None:
            started.cancel()
