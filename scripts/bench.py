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
SEED = REPO / "tests" / "data" / "handlingsplan-bostadssociala-programmet-2018.txt"


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


def bench_pdf() -> None:
    import shutil
    import subprocess

    from styrdok.build import Project, build_documents
    from styrdok.office import soffice_binary

    print("PDF of the example, best of 3")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        (docx,) = build_documents(Project(REPO), (EXAMPLE,), ("docx",), tmp_path / "docx")

        def cold() -> None:
            profile = tempfile.mkdtemp(dir=tmp)
            subprocess.run(
                [
                    soffice_binary(),
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(tmp_path / "cold"),
                    str(docx),
                ],
                check=True,
                capture_output=True,
            )

        theirs = best(cold, 3)
        ours = best(lambda: build_documents(Project(REPO), (EXAMPLE,), ("pdf",), tmp_path / "o"), 3)
        row("styrdok build --format pdf (starts LibreOffice)", ours, "TOC updated, PDF/A-2b")
        row("soffice --convert-to pdf, cold (empty TOC)", theirs)
        print(f"  ratio styrdok/cold soffice: {ours / theirs:.2f}x (target ≤ 1x)")

        batch = tmp_path / "batch"
        for n in range(20):
            shutil.copytree(REPO / "source" / EXAMPLE, batch / "source" / f"dok-{n:02d}")
        shutil.copytree(REPO / "templates", batch / "templates")
        start = time.perf_counter()
        built = build_documents(Project(batch), (), ("pdf",), batch / "build")
        seconds = time.perf_counter() - start
    row(f"styrdok build: {len(built)} documents, one LibreOffice", seconds)
    print(f"  per document: {seconds / len(built):.3f} s (target ≤ 0.4 s)\n")


def bench_diff() -> None:
    import subprocess

    from python_redlines.engines import DocxodusEngine

    from styrdok.compare import compare
    from styrdok.diff import diff_documents
    from styrdok.render_docx import render_docx
    from styrdok.revisions import load_revision

    print("Comparing the 2018 plan with its 2019 revision, best of 3")
    with tempfile.TemporaryDirectory() as tmp:
        history = Path(tmp) / "historik"
        subprocess.run(
            [sys.executable, str(REPO / "scripts" / "make_history.py"), str(history)],
            check=True,
            capture_output=True,
        )
        old_ref, new_ref = f"{EXAMPLE}/2018", "main"
        ours = best(
            lambda: compare(history, EXAMPLE, old_ref, new_ref, Path(tmp) / "d", ("json", "docx")),
            3,
        )
        old, _ = load_revision(history, EXAMPLE, old_ref)
        new, _ = load_revision(history, EXAMPLE, new_ref)
        a, b = render_docx(old), render_docx(new)
        engine = DocxodusEngine()
        result: list = []
        theirs = best(lambda: result.append(engine.run_redline("styrgruppen", a, b)), 3)
        entries = diff_documents(old, new).entries
    row("styrdok diff --format json,docx (from git)", ours)
    row("python-redlines (Docxodus) on the two DOCX", theirs)
    print(f"  ratio styrdok/python-redlines: {ours / theirs:.2f}x (target < 1x)")
    summary = (result[-1][1] or "").strip().splitlines()
    found = next((line.strip() for line in summary if "revision" in line), "?")
    kinds = sorted({(e.target, e.kind) for e in entries})
    print(f"  styrdok: {len(entries)} changes by identity: {kinds}")
    print(f"  python-redlines: {found}; it sees text runs, not measures: a move is a delete")
    print("  plus an insert, and every renumbered heading is a text change\n")


PARTS: dict[str, Callable[[], None]] = {"docx": bench_docx, "pdf": bench_pdf, "diff": bench_diff}


def main(argv: list[str]) -> None:
    for name in argv or list(PARTS):
        PARTS[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
