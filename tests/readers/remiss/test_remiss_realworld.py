"""Word files that other programs wrote (the corpus of tests/data/realworld/, or any folder in
STYRDOK_CORPUS) read as remiss answers: each gives its comments, changes or text, or is refused
with a clear Swedish message naming the file. None ends in a traceback or hangs, and every
comment the file holds comes back as an entry (placed, or 'okänd' with its quote)."""

from __future__ import annotations

import os
import signal
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from styrdok.model.document import Document
from styrdok.readers.markdown.source import load_document
from styrdok.readers.remiss.package import ResponseError
from styrdok.readers.remiss.placing import Places
from styrdok.readers.remiss.response import read_response

REPO = Path(__file__).resolve().parents[3]
CORPUS = Path(os.environ.get("STYRDOK_CORPUS", REPO / "tests" / "data" / "realworld"))
FILES = sorted(p for p in CORPUS.rglob("*") if p.suffix.lower() in (".docx", ".docm", ".dotx"))
TIMEOUT = 30
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang


@pytest.fixture(scope="module")
def places() -> Places:
    doc: Document = load_document(REPO / "source" / "handlingsplan-bostadssociala")
    return Places(doc)


def comment_count(path: Path) -> int:
    """How many top-level comments comments.xml holds, counted here on its own."""
    try:
        with zipfile.ZipFile(path) as z:
            name = next((n for n in z.namelist() if n.endswith("comments.xml")), None)
            if name is None:
                return 0
            root = etree.fromstring(z.read(name), etree.XMLParser(resolve_entities=False))
    except (zipfile.BadZipFile, etree.XMLSyntaxError, OSError, KeyError, RuntimeError):
        return 0
    return sum(1 for _ in root.iter(f"{W}comment"))


@pytest.mark.parametrize("path", FILES, ids=[p.relative_to(CORPUS).as_posix() for p in FILES])
def test_a_real_world_file_is_read_as_an_answer_or_refused_clearly(path, places, tmp_path):
    response = tmp_path / (path.stem + ".docx")
    response.write_bytes(path.read_bytes())
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIMEOUT)
    try:
        reading = read_response(response, places, "handlingsplan-bostadssociala", "2026-1")
    except ResponseError as e:
        assert str(response) in e.message and "Traceback" not in e.message
        return
    except Hang:
        pytest.fail(f"{path}: no answer in {TIMEOUT} s")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    kinds = {r.kind for r in reading.remarks}
    assert kinds <= {"kommentar", "ändring", "formulär", "brev"}
    comments = [r for r in reading.remarks if r.kind == "kommentar"]
    replies = sum(len(r.replies) for r in comments)
    assert len(comments) + replies >= comment_count(path) or not comment_count(path), (
        "a comment was dropped"
    )
    for r in reading.remarks:
        assert r.place and r.placed_by
