"""Benchmarks: prints figures side by side with the tools we compare against, on this machine.

    .venv/bin/python scripts/bench.py            # all parts
    .venv/bin/python scripts/bench.py docx pdf   # some parts

docx: styrdok's DOCX build of the example vs pandoc converting the seed text to DOCX.
pdf:  the PDF build vs a cold `soffice --convert-to pdf`; seconds a document in a 20-document batch.
diff: `styrdok diff --format json,docx` vs python-redlines on the two built DOCX files.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pypandoc

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
EXAMPLE = "handlingsplan-bostadssociala"
SEED = REPO.parent / "shared" / "seeds" / "handlingsplan-bostadssociala-programmet-2018.txt"


def best(fn: Callable[[], object], repeat: int = 5) -> float:
    """The best of `repeat` wall-clock runs, in seconds (the least disturbed run)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def row(label: str, seconds: float, note: str = "") -> None:
    print(f"  {label:<52} {seconds:8.3f} s  {note}")


def bench_docx() -> None:
    from styrdok.build import Project, build_documents

    print("DOCX build of the example (load + validate + render + write), best of 5")
    with tempfile.TemporaryDirectory() as tmp:
        ours = best(lambda: build_documents(Project(REPO), (EXAMPLE,), ("docx",), Path(tmp)))
        seed = SEED.read_text(encoding="utf-8")
        theirs = best(
            lambda: pypandoc.convert_text(
                seed, "docx", format="markdown", outputfile=str(Path(tmp) / "pandoc.docx")
            )
        )
    row("styrdok build --format docx", ours)
    row("pandoc seed.txt -o seed.docx", theirs)
    print(f"  ratio styrdok/pandoc: {ours / theirs:.2f}x (target ≤ 2x)\n")


PARTS: dict[str, Callable[[], None]] = {"docx": bench_docx}


def main(argv: list[str]) -> None:
    for name in argv or list(PARTS):
        PARTS[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
