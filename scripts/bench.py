"""Benchmarks: prints figures side by side with the tools we compare against, on this machine.

    .venv/bin/python scripts/bench.py            # all parts
    .venv/bin/python scripts/bench.py docx pdf   # some parts

docx: `styrdok build --format docx` of the example vs pandoc converting the seed text to DOCX.
pdf:  the PDF build vs a cold `soffice --convert-to pdf`; seconds a document in a 20-document batch.
pdfua: what the PDF/UA-1 post-processing and its validation add a document.
diff: `styrdok diff --format json,docx` vs python-redlines on the two built DOCX files.
import: `styrdok import` of the example's built DOCX vs pandoc's docx → markdown of the same file.
corpus: 300 documents of the four types, 1–30 pages: full, no-op and one-edited builds, memory.
cores: with and without render workers: this process's CPU a document (what more cores cannot
       shorten), and the DOCX-only build -j 1 against -j 2.
html: what the web page adds to a document's build (render from the loaded model + write), and
      `styrdok build --format html` whole process next to `--format docx`; the register's time.
release: `styrdok release` of the example (PDF/A, DOCX, E-ARK package in a BagIt bag, tag) vs
       `styrdok build` of the same document, the work a release cannot avoid (target < 3 s).
uppfoljning: the yearly follow-up of a plan of 300 measures and 10 departments, whole processes:
       `uppfoljning utskick` (10 workbooks), `läs` of the 10 filled workbooks, `rapport` without
       and with its PDF (targets: under 2 s each, the report under 2 s plus its PDF).
large: `check` and `build --format docx` of a 5000-measure document and of a 1 MB line, vs pandoc
       converting the same Markdown to DOCX (time that should grow linearly with size).
remiss: `styrdok remiss läs` of 35 answers (320 Word comments, 150 tracked changes) into a round
       (target < 5 s), and `remiss sammanställning` of them (target < 3 s plus its PDF).
serve: `styrdok serve` of the example in Debian's chromium: from saving document.md to the page
       showing the new sentence, and to the PDF view having the new PDF (warm LibreOffice); and
       the CPU serve (and with it LibreOffice) uses while nothing changes (targets: 0.3 s, 1.0 s,
       near zero).

docx and diff time whole processes, as a user runs them: the median of 7 runs, with the
fastest and slowest run as the spread, and the ratio of the medians.
"""

from __future__ import annotations

import statistics
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


def process(
    cmd: list[str],
    cwd: Path | None = None,
    repeat: int = 7,
    before: Callable[[], object] | None = None,
) -> tuple[float, float, float]:
    """Median, fastest and slowest wall-clock seconds of a whole process over `repeat` runs
    (`before` runs, untimed, before each)."""
    import statistics
    import subprocess

    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if done.returncode:
            raise SystemExit(f"{' '.join(cmd[:4])} …: {done.stderr[-2000:]}")
    return statistics.median(times), min(times), max(times)


def spread_row(label: str, t: tuple[float, float, float]) -> None:
    row(label, t[0], f"(median; {t[1]:.3f}–{t[2]:.3f} s)")


STYRDOK = str(Path(sys.executable).with_name("styrdok"))


def alternating(
    ours: list[str], theirs: list[str], cwd: Path | None = None, repeat: int = 9
) -> tuple[tuple[float, float, float], tuple[float, float, float], tuple[float, float, float]]:
    """Two whole processes run by turns, so that both meet the same load: the median, fastest
    and slowest seconds of each, and of the ratio ours/theirs within each pair."""
    import statistics
    import subprocess

    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for cmd, out in ((ours, times[0]), (theirs, times[1])):
            start = time.perf_counter()
            subprocess.run(cmd, cwd=cwd, check=True, capture_output=True)
            out.append(time.perf_counter() - start)
    ratios = [a / b for a, b in zip(*times, strict=True)]
    return tuple(  # type: ignore[return-value]
        (statistics.median(t), min(t), max(t)) for t in (*times, ratios)
    )


def bench_docx() -> None:
    print("DOCX of the example, whole process (load + validate + render + write), by turns")
    with tempfile.TemporaryDirectory() as tmp:
        # --force: a build each time, not the up-to-date check of an incremental build
        build = [STYRDOK, "build", EXAMPLE, "--format", "docx", "-q", "--force", "-o", tmp]
        pandoc = [pypandoc.get_pandoc_path(), str(SEED), "-f", "markdown", "-o", f"{tmp}/p.docx"]
        ours, theirs, ratio = alternating(build, pandoc, cwd=REPO)
    spread_row("styrdok build --format docx", ours)
    spread_row("pandoc seed.txt -o seed.docx", theirs)
    print(
        f"  ratio styrdok/pandoc: {ratio[0]:.2f}x (pairs {ratio[1]:.2f}–{ratio[2]:.2f}x; "
        "target ≤ 2.5x)\n"
    )


def bench_pdf() -> None:
    import shutil
    import subprocess

    from styrdok.commands.build import Project, build_documents
    from styrdok.convert.office import soffice_binary

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

        def build() -> None:  # forced: a build each time, not an up-to-date check
            build_documents(Project(REPO), (EXAMPLE,), ("pdf",), tmp_path / "o", force=True)

        ours = best(build, 3)
        row("styrdok build --format pdf (starts LibreOffice)", ours, "TOC, PDF/A-2b + PDF/UA-1")
        row("soffice --convert-to pdf, cold (empty TOC)", theirs)
        print(f"  ratio styrdok/cold soffice: {ours / theirs:.2f}x (target ≤ 1x)")

        # The corpus measure: 60 copies of the four examples, DOCX and PDF, whole process
        batch = tmp_path / "batch"
        examples = sorted(p for p in (REPO / "source").iterdir() if p.is_dir())
        for n in range(60):
            shutil.copytree(examples[n % len(examples)], batch / "source" / f"dok-{n:02d}")
        shutil.copytree(REPO / "templates", batch / "templates")
        from styrdok.convert.office_pool import usable_cores

        for jobs in sorted({1, usable_cores()}):
            start = time.perf_counter()
            cmd = [STYRDOK, "build", "-q", "--force", "-j", str(jobs)]
            subprocess.run(cmd, cwd=batch, check=True, capture_output=True)
            seconds = time.perf_counter() - start
            row(f"styrdok build -j {jobs}: 60 documents, DOCX and PDF", seconds)
            print(f"  per document: {seconds / 60:.3f} s (target ≤ 0.15 s on 2 cores)")
    print()


def bench_pdfua() -> None:
    """What making the PDF PDF/UA-1 as well (pdf_conform.make_accessible) and validating it
    add a document, against the conversion by LibreOffice itself: each of the four example
    documents converted raw (post-processing left out), then finished and validated again
    and again on fresh copies."""
    import shutil
    import statistics

    from styrdok.commands.build import Project, build_documents
    from styrdok.convert import pdf_conform
    from styrdok.convert.pdf_conform import conformance, make_accessible

    def spread(times: list[float]) -> str:
        ms = [t * 1000 for t in times]
        return f"{statistics.median(ms):6.1f} ms ({min(ms):.1f}–{max(ms):.1f})"

    print("PDF/UA-1 post-processing and validation, a document (median of 7, spread)")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        pdf_conform.make_accessible = lambda path, source=None: None  # LibreOffice's own PDF
        try:
            start = time.perf_counter()
            built = build_documents(Project(REPO), (), ("docx", "pdf"), tmp_path / "raw")
            convert = (time.perf_counter() - start) / (len(built) // 2)
        finally:
            pdf_conform.make_accessible = make_accessible
        for docx, raw in zip(built[::2], built[1::2], strict=True):
            finish, check = [], []
            for n in range(7):
                copy = tmp_path / f"{n}.pdf"
                shutil.copy(raw, copy)
                start = time.perf_counter()
                make_accessible(copy, docx)
                finish.append(time.perf_counter() - start)
                start = time.perf_counter()
                assert conformance(copy) == []
                check.append(time.perf_counter() - start)
            print(f"  {raw.stem:<30} finish {spread(finish)}   validate {spread(check)}")
    print(f"  build of a document (render + LibreOffice, 4 in one run): {convert:.3f} s\n")


REDLINES = """
import sys
from pathlib import Path
from python_redlines.engines import DocxodusEngine
a, b = Path(sys.argv[1]).read_bytes(), Path(sys.argv[2]).read_bytes()
out = DocxodusEngine().run_redline("styrgruppen", a, b)
Path(sys.argv[3]).write_bytes(out[0])
print(out[1])
"""


def bench_diff() -> None:
    import subprocess

    from styrdok.compare.changelist import diff_documents
    from styrdok.readers.revisions import load_revision
    from styrdok.writers.docx import render_docx

    print("Comparing the 2018 plan with its 2019 revision, whole process")
    with tempfile.TemporaryDirectory() as tmp:
        history = Path(tmp) / "historik"
        subprocess.run(
            [sys.executable, str(REPO / "scripts" / "make_history.py"), str(history)],
            check=True,
            capture_output=True,
        )
        old_ref, new_ref = f"{EXAMPLE}/2018", "main"
        ours = process(
            [
                STYRDOK,
                "diff",
                EXAMPLE,
                "--from",
                old_ref,
                "--to",
                new_ref,
                "--format",
                "json,docx",
                "-o",
                f"{tmp}/d",
            ],
            cwd=history,
        )
        old, _ = load_revision(history, EXAMPLE, old_ref)
        new, _ = load_revision(history, EXAMPLE, new_ref)
        a, b = Path(tmp) / "a.docx", Path(tmp) / "b.docx"
        a.write_bytes(render_docx(old))
        b.write_bytes(render_docx(new))
        cmd = [sys.executable, "-c", REDLINES, str(a), str(b), f"{tmp}/r.docx"]
        theirs = process(cmd, repeat=5)
        found = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        entries = diff_documents(old, new).entries
    spread_row("styrdok diff --format json,docx (from git)", ours)
    spread_row("python-redlines (Docxodus) on the two DOCX", theirs)
    print(f"  ratio styrdok/python-redlines: {ours[0] / theirs[0]:.2f}x (target < 1x, < 1 s)")
    kinds = sorted({(e.target, e.kind) for e in entries})
    print(f"  styrdok: {len(entries)} changed items by identity: {kinds}")
    summary = next((line.strip() for line in found.splitlines() if "revision" in line), "?")
    print(f"  python-redlines: {summary}; it sees text runs, not measures: a move is a delete")
    print("  plus an insert, and every renumbered heading is a text change\n")


def bench_import() -> None:
    import shutil
    import subprocess

    print("Importing the example's built DOCX, whole process")
    with tempfile.TemporaryDirectory() as tmp:
        build = [STYRDOK, "build", EXAMPLE, "--format", "docx", "-o", tmp]
        subprocess.run(build, cwd=REPO, check=True, capture_output=True)
        docx = f"{tmp}/{EXAMPLE}/{EXAMPLE}.docx"
        project = Path(tmp) / "p"
        project.mkdir()
        ours = process(
            [STYRDOK, "import", docx, "--root", str(project), "--name", "d"],
            cwd=project,
            before=lambda: shutil.rmtree(project / "source", ignore_errors=True),
        )
        pandoc = pypandoc.get_pandoc_path()
        theirs = process([pandoc, docx, "-f", "docx", "-t", "markdown", "-o", f"{tmp}/p.md"])
    spread_row("styrdok import (DOCX → source text, checked)", ours)
    spread_row("pandoc docx → markdown", theirs)
    print(f"  ratio styrdok/pandoc: {ours[0] / theirs[0]:.2f}x (target: under 1 s)\n")


def bench_large() -> None:
    import shutil

    print("Large documents, whole process (median of 3): 5000 measures, and one 1 MB line")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(REPO / "templates", root / "templates")
        measure = (
            "\n## Åtgärd {n} {{#a{n} .åtgärd}}\n\nGör något, se [åtgärd](#a0).\n\n"
            "Ansvarig nämnd eller bolag\n: Socialnämnden\n\nTidplan\n: 2026\n\n"
            "Uppföljning\n: Styrgruppen\n"
        )
        bodies = {
            "atgarder-5000": "# Åtgärder {#atgarder}\n"
            + "".join(measure.format(n=n) for n in range(5000)),
            "rad-1mb": "# Text {#text}\n\n" + " ".join(f"ord{i}" for i in range(130_000)) + "\n",
        }
        for name, body in bodies.items():
            folder = root / "source" / name
            shutil.copytree(REPO / "source" / EXAMPLE, folder)
            (folder / "document.md").write_text(body, encoding="utf-8")
            size = len(body.encode()) / 1e6
            check = process([STYRDOK, "check", name], cwd=root, repeat=3)
            build = process(
                [STYRDOK, "build", name, "--format", "docx", "--force", "-o", tmp],
                cwd=root,
                repeat=3,
            )
            pandoc = pypandoc.get_pandoc_path()
            md, out = str(folder / "document.md"), f"{tmp}/p.docx"
            theirs = process([pandoc, md, "-f", "commonmark_x", "-o", out], repeat=3)
            spread_row(f"styrdok check {name} ({size:.1f} MB)", check)
            spread_row(f"styrdok build {name} --format docx", build)
            spread_row("pandoc document.md → docx", theirs)
            print(f"  ratio build/pandoc: {build[0] / theirs[0]:.2f}x")
    print()


def bench_corpus(count: int = 300) -> None:
    """A city's corpus: `count` documents of the four types, 1 to about 30 pages each (the
    examples with 0–29 extra sections of text), built in a temporary project: the full build,
    a build with nothing changed, and one with one document edited; peak memory of each."""
    import resource
    import shutil
    import subprocess

    from styrdok.convert.office_pool import usable_cores

    print(f"A corpus of {count} documents (DOCX, PDF, HTML and the register), whole process")
    examples = sorted(p for p in (REPO / "source").iterdir() if p.is_dir())
    page = " ".join(["Staden arbetar för att alla ska kunna leva ett gott liv i Helsingborg."] * 40)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(REPO / "templates", root / "templates")
        for n in range(count):
            folder = root / "source" / f"dok-{n:03d}"
            shutil.copytree(examples[n % len(examples)], folder)
            extra = "".join(f"\n# Tillägg {k} {{#tillagg-{k}}}\n\n{page}\n" for k in range(n % 30))
            body = folder / "document.md"
            text = body.read_text(encoding="utf-8")
            if "{#begrepp .bilaga}" in text:  # appendices stay last
                head, tail = text.split("# Begreppslista", 1)
                text = head + extra + "\n# Begreppslista" + tail
            else:
                text += extra
            body.write_text(text, encoding="utf-8")

        def run(label: str, *args: str) -> float:
            start = time.perf_counter()
            cmd = [STYRDOK, "build", "-q", *args]
            subprocess.run(cmd, cwd=root, check=True, capture_output=True)
            seconds = time.perf_counter() - start
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            row(label, seconds, f"(peak so far {peak:.0f} MB)")
            return seconds

        cores = usable_cores()
        serial = run("full build, -j 1", "-j", "1")
        print(f"  per document: {serial / count:.3f} s")
        full = run(f"full build again, -j {cores} (--force)", "--force", "-j", str(cores))
        print(f"  per document: {full / count:.3f} s (target ≤ 0.15 s on 2 cores)")
        print(f"  -j {cores} against -j 1: {serial / full:.2f}x as fast")
        run("second build, nothing changed (target ≤ 1 s)")
        edited = root / "source" / "dok-007" / "document.md"
        edited.write_text(edited.read_text(encoding="utf-8") + "\nEn ny mening.\n", "utf-8")
        run("one document edited (target ≤ 2 s)")
    print()


CORES_RUN = """
import resource, sys, time
from pathlib import Path
from styrdok.convert import render_pool
from styrdok.commands.build import build_documents
from styrdok.project.layout import Project
workers, jobs = int(sys.argv[1]), int(sys.argv[2])
render_pool.worker_count = lambda cores, documents: workers
start, cpu = time.perf_counter(), time.process_time()
build_documents(Project(Path(".")), force=True, jobs=jobs)
wall, own = time.perf_counter() - start, time.process_time() - cpu
children = resource.getrusage(resource.RUSAGE_CHILDREN)
print(wall, own, own + children.ru_utime + children.ru_stime)
"""


def bench_cores(count: int = 60) -> None:
    """How a build would use more cores than this machine has: `count` copies of the examples,
    DOCX + PDF + HTML, built with the render workers (render_pool.py) and without. This
    process's own CPU time a document is the part no number of cores shortens; with C cores a
    build takes at least max(all CPU / C, own CPU) a document. Also the DOCX-only build, which
    uses render workers from 2 cores, -j 1 against -j 2."""
    import shutil
    import subprocess

    from styrdok.convert.office_pool import usable_cores

    cores = usable_cores()
    print(f"Render workers and cores: {count} documents (DOCX, PDF, HTML), {cores} cores here")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        examples = sorted(p for p in (REPO / "source").iterdir() if p.is_dir())
        for n in range(count):
            shutil.copytree(examples[n % len(examples)], root / "source" / f"dok-{n:02d}")
        shutil.copytree(REPO / "templates", root / "templates")
        for workers in (0, cores):
            out = subprocess.run(
                [sys.executable, "-c", CORES_RUN, str(workers), str(cores)],
                cwd=root,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()
            wall, own, total = (float(x) / count for x in out)
            row(f"-j {cores}, {workers} render workers: a document", wall)
            print(
                f"    this process {own:.3f} s CPU, all processes {total:.3f} s CPU a document; "
                f"at least {own:.3f} s a document on any number of cores "
                f"(8 cores: {max(total / 8, own):.3f} s, 16: {max(total / 16, own):.3f} s)"
            )
        for jobs in (1, cores):
            start = time.perf_counter()
            cmd = [STYRDOK, "build", "-q", "--force", "--format", "docx", "-j", str(jobs)]
            subprocess.run(cmd, cwd=root, check=True, capture_output=True)
            row(f"DOCX only, -j {jobs}: a document", (time.perf_counter() - start) / count)
    print()


def bench_html() -> None:
    import statistics

    from styrdok.project.layout import Project
    from styrdok.readers.markdown.source import load_document
    from styrdok.writers.html import document_page
    from styrdok.writers.register import RECORD, write_register

    print("HTML: what the web page adds to a build (median of 21 runs, fastest–slowest)")
    worst = 0.0
    for folder in sorted((REPO / "source").glob("*/document.yaml")):
        doc = load_document(folder.parent)
        with tempfile.TemporaryDirectory() as tmp:
            times = []
            for _ in range(21):
                start = time.perf_counter()
                Path(tmp, "index.html").write_bytes(document_page(doc, ("docx", "pdf")).encode())
                times.append(time.perf_counter() - start)
        t = (statistics.median(times), min(times), max(times))
        spread_row(f"render + write {doc.name}/index.html", t)
        worst = max(worst, t[0])
    print(f"  largest addition: {worst * 1000:.1f} ms a document (target < 100 ms)")
    with tempfile.TemporaryDirectory() as tmp:
        force = ["--force", "-q", "-o", tmp]
        html = process([STYRDOK, "build", EXAMPLE, "--format", "html", *force], cwd=REPO)
        docx = process([STYRDOK, "build", EXAMPLE, "--format", "docx", *force], cwd=REPO)
        spread_row("styrdok build --format html (whole process)", html)
        spread_row("styrdok build --format docx (whole process)", docx)

        def register() -> None:
            Path(tmp, RECORD).unlink(missing_ok=True)  # so that it is made each time
            write_register(Project(REPO), Path(tmp))

        row("register of the 4 examples (5 pages, json, csv)", best(register))
        row("register, nothing changed", best(lambda: write_register(Project(REPO), Path(tmp))))
    print()


def bench_release(repeat: int = 5) -> None:
    import os
    import shutil
    import subprocess

    print("Releasing the example, whole process (median of 5), vs building its DOCX and PDF")
    env = os.environ | {"GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "b@example.invalid"}
    env |= {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "b@example.invalid"}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        shutil.copytree(REPO / "source" / EXAMPLE, root / "source" / EXAMPLE)
        shutil.copytree(REPO / "templates", root / "templates")
        (root / "styrdok.toml").write_text(
            '[arkiv]\nmapp = "../arkiv"\n\n[metadata]\narkivbildare = "Kommunstyrelsen"\n',
            encoding="utf-8",
        )
        for cmd in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-qm", "Ex"]):
            subprocess.run(cmd, cwd=root, check=True, env=env)
        times = []
        for n in range(repeat):  # same content each time: --force-same-content
            cmd = [STYRDOK, "release", EXAMPLE, "--version", f"v{n}", "--force-same-content"]
            start = time.perf_counter()
            subprocess.run(cmd, cwd=root, check=True, env=env, capture_output=True)
            times.append(time.perf_counter() - start)
        ours = (statistics.median(times), min(times), max(times))
        out = Path(tmp) / "out"
        build = process(
            [STYRDOK, "build", EXAMPLE, "--force", "-q", "-o", str(out)], cwd=root, repeat=repeat
        )
    spread_row("styrdok release (E-ARK + BagIt + tag)", ours)
    spread_row("styrdok build --force (DOCX + PDF/A)", build)
    print(f"  ratio release/build: {ours[0] / build[0]:.2f}x (target: release < 3 s)\n")


DEPARTMENTS = (
    "Arbetsmarknadsförvaltningen",
    "Fastighetsförvaltningen",
    "Kulturförvaltningen",
    "Miljöförvaltningen",
    "Skol- och fritidsförvaltningen",
    "Socialförvaltningen",
    "Stadsbyggnadsförvaltningen",
    "Stadsledningsförvaltningen",
    "Vård- och omsorgsförvaltningen",
    "Helsingborgshem",
)


def follow_up_plan(root: Path, measures: int = 300) -> str:
    """A plan of `measures` measures in sections of 30 under source/uppfoljning-plan, each
    measure of one of the 10 departments and every fifth shared with the next one; a third of
    the deadlines passed by September 2026. Returns the document's name."""
    name = "uppfoljning-plan"
    folder = root / "source" / name
    folder.mkdir(parents=True)
    (folder / "document.yaml").write_text(
        "typ: plan\ntitel: Handlingsplan\nundertitel: Stor uppföljning\ndatum: 2025-03-17\n"
        'dnr: "KS 2025/1"\nbeslutat_av: Kommunstyrelsen\nrevideras_av: Styrgruppen\n'
        "giltighet: 2025-2028\ngäller_för: Alla förvaltningar\ndokumentansvarig: Styrgruppen\n",
        encoding="utf-8",
    )
    lines = []
    for i in range(measures):
        if i % 30 == 0:
            lines += [f"# Område {i // 30 + 1} {{#omrade-{i // 30 + 1}}}", "", "Inledning.", ""]
        owner = DEPARTMENTS[i % 10]
        if i % 5 == 0:
            owner += " och " + DEPARTMENTS[(i + 1) % 10]
        tidplan = ("Klart juni 2026", "Klart december 2027", "Löpande")[i % 3]
        lines += [
            f"## Åtgärd nummer {i + 1} för bättre boende {{#atgard-{i + 1} .åtgärd}}",
            "",
            "Åtgärden beskrivs här i ett par meningar om vad som ska göras och varför.",
            "",
            f"Ansvarig nämnd eller bolag\n: {owner}\n\nTidplan\n: {tidplan}\n\n"
            "Uppföljning\n: Rapport till styrgruppen\n",
        ]
    (folder / "document.md").write_text("\n".join(lines), encoding="utf-8")
    return name


def bench_uppfoljning(repeat: int = 5) -> None:
    import glob
    import shutil

    from openpyxl import load_workbook

    from styrdok.model.uppfoljning import SCALE

    print("Uppföljning: a plan of 300 measures, 10 departments, whole processes (median of 5)")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "projekt"
        shutil.copytree(REPO / "templates", root / "templates")
        name = follow_up_plan(root)
        out = Path(tmp) / "utskick"
        cmd = [STYRDOK, "uppfoljning", "utskick", name, "--år", "2026", "-o", str(out)]
        spread_row("uppfoljning utskick (10 workbooks)", process(cmd, root, repeat))
        books = sorted(glob.glob(str(out / "*.xlsx")))
        for n, book in enumerate(books):  # each department answers every row
            wb = load_workbook(book)
            ws = wb["Uppföljning"]
            row = 8
            while ws.cell(row, 1).value:
                ws.cell(row, 6, SCALE[(row + n) % len(SCALE)].value)
                ws.cell(row, 7, f"Kommentar till rad {row}: arbetet går framåt.")
                row += 1
            wb.save(book)
        year = root / "source" / name / "uppfoljning" / "2026.yaml"
        cmd = [STYRDOK, "uppfoljning", "läs", name, *books, "--år", "2026"]
        read = process(cmd, root, repeat, before=lambda: year.unlink(missing_ok=True))
        spread_row(f"uppfoljning läs ({len(books)} workbooks, 360 answers)", read)
        report = [STYRDOK, "uppfoljning", "rapport", name, "--år", "2026", "-o", str(out)]
        spread_row("uppfoljning rapport --format docx,html", process(
            [*report, "--format", "docx,html"], root, repeat))  # fmt: skip
        spread_row("uppfoljning rapport --format pdf,docx,html", process(
            [*report, "--format", "pdf,docx,html"], root, 3))  # fmt: skip
    print("  targets: utskick < 2 s, läs < 2 s, rapport < 2 s plus its PDF\n")


def bench_remiss(files: int = 35, comments: int = 320, changes: int = 150) -> None:
    """35 answers as Word writes them (tests/support/wordresponse.py), read by one `remiss läs`."""
    import os
    import random
    import re
    import shutil
    import subprocess

    sys.path.insert(0, str(REPO / "tests"))
    from support.wordresponse import WordResponse

    print(
        f"Remiss: {files} answers with {comments} comments and {changes} tracked changes, "
        "whole processes"
    )
    env = os.environ | {"GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "b@example.invalid"}
    env |= {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "b@example.invalid"}
    bodies = [f"Nämnd {n}" for n in range(1, files + 1)]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        shutil.copytree(REPO / "source" / EXAMPLE, root / "source" / EXAMPLE)
        shutil.copytree(REPO / "templates", root / "templates")
        for cmd in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-qm", "Ex"]):
            subprocess.run(cmd, cwd=root, check=True, env=env)
        send = [STYRDOK, "remiss", EXAMPLE, "--omgång", "2026-1", "--instanser", ", ".join(bodies)]
        send += ["--sista-svarsdag", "2026-10-31", "--datum", "2026-09-01", "--format", "docx"]
        subprocess.run(send, cwd=root, check=True, env=env, capture_output=True)
        sent = root / "build" / EXAMPLE / "remiss-2026-1" / f"{EXAMPLE}-remissversion.docx"
        text = (root / "source" / EXAMPLE / "document.md").read_text(encoding="utf-8")
        sentences = sorted(
            {s.strip() for s in re.findall(r"(?m)^[A-ZÅÄÖ][^*\[\]#|:\n]{40,}?[.]", text)}
        )
        rng = random.Random(24)
        answers = Path(tmp) / "svar"
        answers.mkdir()
        for n, body in enumerate(bodies):
            answer = WordResponse(sent.read_bytes())
            picked = rng.sample(sentences, 16)
            k = comments // files + (n < comments % files)
            c = changes // files + (n < changes % files)
            for i, sentence in enumerate(picked[:k]):
                words = sentence.split(" ")
                a = rng.randrange(len(words) - 2)
                span = " ".join(words[a : a + rng.randint(1, 3)])
                first = answer.comment(span, f"Synpunkt {i} från {body}.", author=body)
                if i % 4 == 0:
                    answer.reply(first, "Instämmer.")
            for sentence in picked[k : k + c]:
                words = sentence.split(" ")
                a = rng.randrange(1, len(words) - 2)
                answer.replace(" ".join(words[a : a + 2]), "nya ord", author=body)
            (answers / f"{body}.docx").write_bytes(answer.save())
        paths = sorted(str(p) for p in answers.iterdir())
        folder = root / "source" / EXAMPLE / "remiss" / "2026-1"

        def reset() -> None:
            for name in ("synpunkter.yaml", "svar.yaml"):
                (folder / name).unlink(missing_ok=True)
            shutil.rmtree(folder / "svar", ignore_errors=True)

        read = [STYRDOK, "remiss", "läs", EXAMPLE, "--omgång", "2026-1", *paths]
        t = process(read, cwd=root, repeat=5, before=reset)
        listed = (folder / "synpunkter.yaml").read_text(encoding="utf-8")
        found = listed.count("\n- id: ")
        spread_row(f"remiss läs, {files} files → {found} entries", t)
        positions = ["tillgodoses", "tillgodoses delvis", "tillgodoses inte", "noteras"]
        answered = re.sub(
            r"  ställningstagande:\n  motivering:\n",
            lambda _: f"  ställningstagande: {rng.choice(positions)}\n  motivering: Därför.\n",
            listed,
        )
        (folder / "synpunkter.yaml").write_text(answered, encoding="utf-8")
        summary = [STYRDOK, "remiss", "sammanställning", EXAMPLE, "--omgång", "2026-1"]
        spread_row(
            "remiss sammanställning --format docx,html",
            process([*summary, "--format", "docx,html"], cwd=root, repeat=5),
        )
        spread_row(
            "remiss sammanställning --format pdf",
            process([*summary, "--format", "pdf"], cwd=root, repeat=3),
        )
        pdf = root / "build" / EXAMPLE / "remiss-2026-1" / "remissammanstallning.pdf"
        import pypdf

        print(
            f"  (the report: {len(pypdf.PdfReader(pdf).pages)} pages; targets: läs < 5 s, "
            "sammanställning < 3 s plus its PDF)\n"
        )


# When the page first painted its text, in ms since 1970 (the browser's own clock: playwright's
# waits poll, up to 0.5 s apart).
PAINTED = """() => {
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  const load = performance.getEntriesByType("navigation")[0];
  return performance.timeOrigin + (paint ? paint.startTime : load.domContentLoadedEventEnd);
}"""


def bench_serve(runs: int = 9) -> None:
    import re
    import shutil

    sys.path.insert(0, str(REPO / "tests"))
    from playwright.sync_api import sync_playwright
    from support.browser import launch
    from support.serving import Served, cpu_seconds, tree_cpu_seconds

    print(f"serve: save → page in chromium (median of {runs}, fastest–slowest)")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "projekt"
        shutil.copytree(REPO / "source" / EXAMPLE, root / "source" / EXAMPLE)
        shutil.copytree(REPO / "templates", root / "templates")
        body = root / "source" / EXAMPLE / "document.md"
        good = body.read_text(encoding="utf-8")
        server = Served(root, EXAMPLE)
        try:
            server.settled()
            with sync_playwright() as p:
                browser = launch(p)
                context = browser.new_context(bypass_csp=True)  # to read the page's clock
                page = context.new_page()
                page.goto(f"{server.url}{EXAMPLE}/")
                view = context.new_page()
                with view.expect_request_finished(lambda r: ".pdf?v=" in r.url):
                    view.goto(f"{server.url}_styrdok/pdf/{EXAMPLE}")
                pid = server.proc.pid
                time.sleep(2)
                alone, tree = cpu_seconds(pid), tree_cpu_seconds(pid)
                time.sleep(10)
                alone, tree = cpu_seconds(pid) - alone, tree_cpu_seconds(pid) - tree
                html, pdf = [], []
                for n in range(runs):
                    sentence = f"Mätning {n}: en mening som just skrevs."
                    builds = server.settled()["builds"]
                    time.sleep(1.5)  # the browser done drawing the last PDF, as between two saves
                    now = server.status()["gen"]  # the view asks for ?v=<gen of the new PDF>

                    def newer(r, now=now) -> bool:
                        found = re.search(r"\.pdf\?v=(\d+)$", r.url)
                        return bool(found) and int(found.group(1)) > now

                    with (
                        view.expect_request_finished(newer, timeout=60_000) as made,
                        page.expect_navigation(timeout=60_000),  # it loads again by itself
                    ):
                        saved = time.time()
                        body.write_text(
                            good.replace("Helsingborgs stad", f"{sentence} Helsingborgs stad", 1),
                            "utf-8",
                        )
                    page.get_by_text(sentence).wait_for(timeout=60_000)
                    html.append(page.evaluate(PAINTED) / 1000 - saved)
                    timing = made.value.timing
                    pdf.append((timing["startTime"] + timing["responseEnd"]) / 1000 - saved)
                    server.settled(builds + 1)
                browser.close()
        finally:
            body.write_text(good, "utf-8")
            server.stop()
    said = re.findall(r"webbsidan ([\d.]+) s, PDF:en ([\d.]+) s", server.stderr)
    for label, times, target in (
        ("web page shows the new sentence", html, 0.3),
        ("PDF view has the new PDF", pdf, 1.0),
    ):
        t = (statistics.median(times), min(times), max(times))
        spread_row(f"{label} (target {target} s)", t)
    if said:
        inside = [(float(a), float(b)) for a, b in said]
        page_in = statistics.median(a for a, _ in inside)
        pdf_in = statistics.median(b for _, b in inside)
        row("  of which serve: save → page published", page_in, "(median)")
        row("  of which serve: save → PDF published", pdf_in, "(median)")
    print(
        f"  idle CPU over 10 s: serve {alone / 10 * 100:.2f} % of a core; with LibreOffice and"
        f" its worker {tree / 10 * 100:.2f} %"
    )
    print()


PARTS: dict[str, Callable[[], None]] = {
    "docx": bench_docx,
    "pdf": bench_pdf,
    "pdfua": bench_pdfua,
    "diff": bench_diff,
    "import": bench_import,
    "html": bench_html,
    "release": bench_release,
    "large": bench_large,
    "corpus": bench_corpus,
    "cores": bench_cores,
    "uppfoljning": bench_uppfoljning,
    "remiss": bench_remiss,
    "serve": bench_serve,
}


def main(argv: list[str]) -> None:
    for name in argv or list(PARTS):
        PARTS[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
