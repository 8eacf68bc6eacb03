"""Memory and time of an import, measured in a subprocess of its own (resource.getrusage): a
Word file that inflates to far more than it looks, one huge paragraph, an entry that understates
its size, and a long ordinary document. styrdok's own process stays within 300 MB; what is past
the limits is refused while the file is being read, not after it has filled the memory. The
large cases run in `make test-all` (marker `slow`), small ones of the same kind in every run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support.wordpackage import header_xml, heading_then, parts, write

MB = 1 << 20
OWN_MEMORY = 300 * MB  # styrdok's own process, every import
MEASURE = """
import json, resource, sys, time
from styrdok.cli import main
start = time.monotonic()
try:
    main.main(args=sys.argv[1:], prog_name="styrdok")
except SystemExit as e:
    code = e.code
status = open("/proc/self/status").read()
peak = int(status.split("VmHWM:")[1].split()[0]) * 1024
print(json.dumps({
    "code": code,
    "seconds": time.monotonic() - start,
    "own": peak,
    "pandoc": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
    "cpu": sum(resource.getrusage(resource.RUSAGE_SELF)[:2]),
    "pandoc_cpu": sum(resource.getrusage(resource.RUSAGE_CHILDREN)[:2]),
}))
"""


def measured(path: Path, root: Path) -> dict:
    """Import `path` in a fresh process: its exit code, seconds, and peak resident memory of
    styrdok's process (VmHWM: ru_maxrss would count the forking test process too, Linux keeps
    it across exec) and of its largest child, pandoc (an upper bound, for the same reason)."""
    (root / "source").mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, "import", str(path), "--name", "prov", "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ,
    )
    assert "Traceback" not in done.stderr, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["message"] = done.stderr
    return result


def ordinary(n: int) -> str:
    """A first section and n paragraphs of a sentence or two each."""
    sentence = (
        "Staden arbetar med trygghet och bostäder för alla invånare, och nämnderna följer upp "
        "arbetet varje år i sina verksamhetsberättelser."
    )
    return heading_then("Inledande text.") + "".join(
        f"<w:p><w:r><w:t>Stycke {k}. {sentence}</w:t></w:r></w:p>" for k in range(n)
    )


def understated(path: Path, main_size: int) -> Path:
    """A package whose header part is `main_size` bytes but whose zip entry says 1 KB."""
    contents = parts(heading_then(), headers=(header_xml("<w:p/>" + " " * main_size),))
    write(path, contents)
    data = bytearray(path.read_bytes())
    name = b"word/header1.xml"
    at = 0
    while (at := data.find(name, at + 1)) > 0:
        if data[at - 30 : at - 26] == b"PK\x03\x04":
            data[at - 8 : at - 4] = (1024).to_bytes(4, "little")
        elif data[at - 46 : at - 42] == b"PK\x01\x02":
            data[at - 22 : at - 18] = (1024).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


def empty_paragraphs(path: Path, count: int) -> Path:
    return write(path, parts(heading_then() + "<w:p/>" * count))


def long_run(path: Path, characters: int) -> Path:
    return write(
        path, parts(heading_then() + f"<w:p><w:r><w:t>{'a' * characters}</w:t></w:r></w:p>")
    )


CASES = [
    # (name, make the file, how large, refused with this message or None for imported)
    ("tomma", empty_paragraphs, 150_000, "fler än 100 000 stycken"),
    ("lang-rad", long_run, 120_000, "mer än 100 000 tecken"),
    ("underskattad", understated, 20 * MB, "går inte att packa upp"),
    (
        "tomma-96mb",  # 96 MB of empty paragraphs in a file of a few hundred KB
        empty_paragraphs,
        16_000_000,
        "fler än 100 000 stycken",
    ),
    ("lang-rad-5mb", long_run, 5 * MB, "mer än 100 000 tecken"),
    ("underskattad-300mb", understated, 300 * MB, "går inte att packa upp"),
]
SLOW = {"tomma-96mb", "lang-rad-5mb", "underskattad-300mb"}


@pytest.mark.parametrize(
    ("name", "make", "size", "message"),
    [pytest.param(*case, marks=pytest.mark.slow) if case[0] in SLOW else case for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_files_past_the_limits_are_refused_within_the_memory_bound(
    tmp_path, name, make, size, message
):
    path = make(tmp_path / f"{name}.docx", size)
    result = measured(path, tmp_path / "proj")
    assert result["code"] == 1 and message in result["message"], result
    assert result["own"] <= OWN_MEMORY, f"{result['own'] / MB:.0f} MB"
    assert not (tmp_path / "proj" / "source" / "prov").exists()


@pytest.mark.parametrize(
    ("paragraphs", "seconds"),
    [(1_000, 1.5), pytest.param(10_000, 5.0, marks=pytest.mark.slow)],
)
def test_a_long_ordinary_document_imports_within_the_bounds(tmp_path, paragraphs, seconds):
    path = write(tmp_path / "lang.docx", parts(ordinary(paragraphs)))
    result = measured(path, tmp_path / "proj")
    assert result["code"] == 0, result["message"]
    text = (tmp_path / "proj" / "source" / "prov" / "document.md").read_text(encoding="utf-8")
    assert text.count("\n\nStycke ") == paragraphs and f"Stycke {paragraphs - 1}. " in text
    print(  # the figures, for the record (pytest -s)
        f"{paragraphs} stycken: {result['seconds']:.2f} s ({result['cpu']:.2f} s CPU in "
        f"styrdok, {result['pandoc_cpu']:.2f} s in pandoc), styrdok {result['own'] / MB:.0f} MB, "
        f"pandoc ≤ {result['pandoc'] / MB:.0f} MB"
    )
    assert result["own"] <= OWN_MEMORY, f"{result['own'] / MB:.0f} MB"
    # CPU time, not the clock: other work on a shared machine stretches the clock, not this
    assert result["cpu"] <= seconds, f"{result['cpu']:.1f} s"


def test_the_file_sizes_are_what_the_cases_say(tmp_path):
    """The 96 MB case is a small file that inflates: the bound is on what is inflated."""
    path = empty_paragraphs(tmp_path / "t.docx", 1_000_000)
    with zipfile.ZipFile(path) as z:
        inflated = z.getinfo("word/document.xml").file_size
    assert path.stat().st_size < inflated / 200
