"""Word files from other projects' test suites (tests/data/realworld/, sources and licences in
its README.md): each imports — and the result, its placeholders filled in, passes `check` and
builds a DOCX — or is refused with a clear Swedish message naming the file. None ends in a
traceback or hangs, and no paragraph of the body is lost without being named in the report.

`STYRDOK_CORPUS=/some/folder pytest tests/readers/word/test_realworld.py -s` runs it over another
folder and prints the figures: tried / clear / traceback / hang / lost / slow."""

from __future__ import annotations

import collections
import os
import re
import shutil
import signal
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from styrdok.cli import main

CORPUS = Path(os.environ.get("STYRDOK_CORPUS", Path(__file__).parents[2] / "data" / "realworld"))
FILES = sorted(p for p in CORPUS.rglob("*") if p.suffix.lower() in (".docx", ".docm", ".dotx"))
TIMEOUT = 30  # seconds for one import: more is a hang
SLOW = 5.0  # seconds for one import: more is slow (the largest file here is a few hundred KB)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FIGURES: collections.Counter = collections.Counter()
# Open problems of the source parser, not of the Word reader (see the corpus's README.md)
KNOWN = {
    "docx4j/indentation_firstline.docx": "a paragraph '| … |' is taken for a broken table",
    "docx4j/rFonts.docx": "pandoc's bare-URI link runs on past a no-break space",
}


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang


def invoke(*args: str):
    """The command line in this process, stopped after TIMEOUT seconds."""
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIMEOUT)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=True)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def body_paragraphs(path: Path) -> list[str]:
    """The text of each paragraph of the body as Word shows it (text boxes, deleted text and
    tables of contents aside), read here on its own, not by the importer."""
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            rels = etree.fromstring(z.read("_rels/.rels"))
            main_part = next(
                r.get("Target").lstrip("/")
                for r in rels
                if r.get("Type", "").endswith("/officeDocument")
            )
            root = etree.fromstring(
                z.read(main_part), etree.XMLParser(resolve_entities=False, no_network=True)
            )
    except (KeyError, StopIteration, zipfile.BadZipFile, etree.XMLSyntaxError, OSError):
        return []
    assert names
    out = []
    strict = "{http://purl.oclc.org/ooxml/wordprocessingml/main}"
    w = strict if root.tag.startswith(strict) else W
    for p in root.iter(f"{w}p"):
        if any(a.tag == f"{w}txbxContent" for a in p.iterancestors()):
            continue
        style = p.find(f"{w}pPr/{w}pStyle")
        if style is not None and re.match(r"(?i)(toc|innehåll)", style.get(f"{w}val", "")):
            continue
        out.append(
            "".join(
                (t.text or "") if t.tag == f"{w}t" else " "
                for t in p.iter(f"{w}t", f"{w}tab", f"{w}br", f"{w}cr")
            )
        )
    return [t for t in out if t.strip()]


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W_]{4,}", text)}


def loose(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


def lost(path: Path, written: str, report: str) -> list[str]:
    """The paragraphs whose words are neither in the source written nor named in the report
    (a paragraph is kept when most of its longer words are in the text: a cover label such as
    'Diarienummer:' stands there as the key 'dnr')."""
    have, named = words(written), loose(report)
    out = []
    for text in body_paragraphs(path):
        own = words(text)
        if not own or len(own & have) >= 0.6 * len(own):
            continue
        if loose(text)[:20] in named:
            continue
        out.append(text)
    return out


def filled(folder: Path) -> None:
    """The imported document with its placeholders filled in, as its owner would."""
    yaml = folder / "document.yaml"
    values = {
        "typ": "plan",
        "titel": "Provdokument",
        "datum": "2024-01-31",
        "giltighet": "2024-2026",
    }
    lines = []
    for line in yaml.read_text(encoding="utf-8").splitlines():
        key = line.split(":", 1)[0]
        if '"<saknas>"' in line or (key == "titel" and line.strip().endswith('""')):
            line = f"{key}: {values.get(key, 'Kommunstyrelsen')}"
        lines.append(line)
    yaml.write_text("\n".join(lines) + "\n", encoding="utf-8")
    body = folder / "document.md"
    body.write_text(
        body.read_text(encoding="utf-8").replace("<saknas>", "Kommunstyrelsen"), encoding="utf-8"
    )


@pytest.fixture(scope="module", autouse=True)
def figures():
    FIGURES.clear()
    yield
    if FIGURES:
        print(
            f"\n{len(FILES)} tried / {FIGURES['clear']} clear / {FIGURES['traceback']} traceback"
            f" / {FIGURES['hang']} hang / {FIGURES['lost']} lost / {FIGURES['slow']} slow"
            f" ({FIGURES['imported']} imported, checked and built; {FIGURES['refused']} refused)"
        )


def test_the_corpus_is_there():
    assert len(FILES) >= 40, CORPUS


def _cases() -> list:
    out = []
    for path in FILES:
        name = path.relative_to(CORPUS).as_posix()
        known = KNOWN.get(name) if "STYRDOK_CORPUS" not in os.environ else None
        marks = [pytest.mark.xfail(reason=known, strict=True)] if known else []
        out.append(pytest.param(path, id=name, marks=marks))
    return out


@pytest.mark.parametrize("path", _cases())
def test_a_real_world_file_imports_or_is_refused_clearly(tmp_path, path):
    root = tmp_path / "proj"
    shutil.copytree(Path(__file__).parents[3] / "templates", root / "templates")
    (root / "source").mkdir()
    start = time.monotonic()
    try:
        result = invoke("import", str(path), "--name", "prov", "--root", str(root))
    except Hang:
        FIGURES["hang"] += 1
        pytest.fail(f"the import ran past {TIMEOUT} s")
    seconds = time.monotonic() - start
    FIGURES["slow"] += seconds > SLOW
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        FIGURES["traceback"] += 1
        raise result.exception
    if result.exit_code != 0:
        FIGURES["refused"] += 1
        message = result.output
        clear = (
            result.exit_code == 1
            and message.startswith(f"styrdok: {path}: ")
            and "Traceback" not in message
            and "ett fel i styrdok" not in message
        )
        FIGURES["clear"] += clear
        assert clear, message
        return
    FIGURES["imported"] += 1
    folder = root / "source" / "prov"
    written = (folder / "document.md").read_text(encoding="utf-8")
    written += (folder / "document.yaml").read_text(encoding="utf-8")
    missing = lost(path, written, result.output)
    FIGURES["lost"] += bool(missing)
    assert not missing, f"lost without a word: {missing[:3]}"
    filled(folder)
    checked = invoke("check", "prov", "--root", str(root))
    assert checked.exit_code == 0, checked.output
    built = invoke("build", "prov", "--format", "docx", "--root", str(root))
    assert built.exit_code == 0, built.output
    assert (root / "build" / "prov" / "prov.docx").stat().st_size > 0
    FIGURES["clear"] += 1
    assert seconds <= SLOW * 4, f"{seconds:.1f} s"
