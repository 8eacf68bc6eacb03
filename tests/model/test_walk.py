"""The one traversal of the model (model/walk.py), and that every writer handles every block
type: each kind in the `Block` union reaches the DOCX, the web page, the source text and the
change list, and a writer whose match leaves a kind out fails the type check."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import get_args

import pytest
from support.modelruns import runs_in

from styrdok.compare.changelist import block_tokens
from styrdok.compare.match import document_words, words
from styrdok.model import walk
from styrdok.model.document import (
    Block,
    BulletList,
    Document,
    ListItem,
    Measure,
    Metadata,
    Paragraph,
    Run,
    Section,
    Subheading,
    Table,
    plain,
)
from styrdok.writers import html, source_text
from styrdok.writers.docx import render_docx

REPO = Path(__file__).resolve().parents[2]
META = Metadata("plan", "Plan", date(2020, 1, 2), "1/2", "KF", "KS", "2020", "alla", "KS")


def note(text: str) -> Run:
    return Run("", note=(Run(text),))


def sample() -> Document:
    """A small document with every kind of block, a measure and a footnote."""
    blocks: tuple[Block, ...] = (
        Paragraph((Run("ett"), note("not"))),
        BulletList((ListItem((Run("två"),)), ListItem((Run("tre"),)))),
        Table(((Run("a"),), (Run("b"),)), (((Run("c"),), (Run("d"),)),)),
    )
    fields = {"ansvarig": (Run("nämnd"),), "tidplan": (Run("2020"),), "uppfoljning": ()}
    measure = Measure("gor", (Run("Gör"),), (Subheading((Run("under"),)),), fields)
    first = Section("forst", (Run("Först"),), blocks, (measure,))
    return Document("dok", META, (first, Section("sist", (Run("Sist"),), ())))


def test_traverse_visits_every_node_in_reading_order():
    names = [type(n).__name__ for n in walk.traverse(sample())]
    assert names == [
        "Document",
        "Section",
        "Paragraph",
        "BulletList",
        "ListItem",
        "ListItem",
        "Table",
        "Measure",
        "Subheading",
        "Section",
    ]


def test_traverse_filters_by_type_or_predicate_and_takes_a_sequence():
    doc = sample()
    assert [t.header[0][0].text for t in walk.traverse(doc, Table)] == ["a"]
    assert [m.id for m in walk.traverse(doc, Measure)] == ["gor"]
    leaves = walk.traverse(doc, lambda n: not walk.children(n))
    assert [type(n).__name__ for n in leaves] == [
        "Paragraph",
        *["ListItem"] * 2,
        "Table",
        "Subheading",
        "Section",
    ]
    blocks = doc.sections[0].blocks
    assert [type(n).__name__ for n in walk.traverse(blocks, ListItem)] == ["ListItem"] * 2


def test_inlines_in_reading_order_with_notes_and_without_measures():
    doc = sample()
    texts = [plain(rs) for rs in walk.inlines(doc)]
    section = ["Först", "ett", "två", "tre", "a", "b", "c", "d"]
    assert texts == [*section, "Gör", "under", "nämnd", "2020", "", "Sist"]
    with_notes = [plain(rs) for rs in walk.inlines(doc.sections[0], notes=True, measures=False)]
    assert with_notes == ["Först", "ett", "not", "två", "tre", "a", "b", "c", "d"]


def test_map_inlines_rewrites_every_run_sequence():
    doc = sample()
    seen = []

    def upper(runs):
        seen.append(plain(runs))
        return tuple(replace(r, text=r.text.upper()) for r in runs)

    mapped = walk.map_inlines(doc, upper)
    assert len(seen) == len(list(walk.inlines(doc)))
    texts = [r.text for r in runs_in(mapped) if r.text and r.text != "not"]
    assert texts and all(t == t.upper() for t in texts)
    assert mapped.sections[0].measures[0].fields["ansvarig"][0].text == "NÄMND"


def test_word_counts_go_through_the_walk():
    doc = sample()
    # every word once, the footnote's too; a section weighs one more for itself and each measure
    assert document_words(doc) == words(doc) == 14
    assert words(doc.sections[0].measures[0]) == 4


def _one_of_each(kind: type) -> Block:
    """A block of the given kind holding the word 'ordet'."""
    word = (Run("ordet"),)
    made = {
        Paragraph: Paragraph(word),
        Subheading: Subheading(word),
        BulletList: BulletList((ListItem(word),)),
        Table: Table(((Run("rubrik"),),), ((word,),)),
    }
    return made[kind]


@pytest.mark.parametrize("kind", get_args(Block), ids=lambda k: k.__name__)
def test_every_block_kind_reaches_every_writer(kind):
    doc = Document("dok", META, (Section("s", (Run("Titel"),), (_one_of_each(kind),)),))
    with zipfile.ZipFile(io.BytesIO(render_docx(doc, REPO / "templates" / "helsingborg"))) as z:
        assert "ordet" in re.sub(r"<[^>]+>", "", z.read("word/document.xml").decode())
    assert "ordet" in html.document_page(doc)
    assert "ordet" in source_text.body(doc.sections)
    assert "ordet" in [t[0] for t in block_tokens(doc.sections[0].blocks)]


MYPY = Path(sys.executable).with_name("mypy")


@pytest.mark.skipif(not MYPY.exists(), reason="mypy is a dev tool")
def test_a_block_kind_left_out_of_a_match_fails_the_type_check(tmp_path):
    """The type checker's configuration catches a match over the block kinds that is not
    exhaustive: in a copy of the package, the HTML writer without its table case, and a new
    kind of block in the model that no one handles yet, fail at every match."""
    copy = tmp_path / "repo"
    shutil.copytree(REPO / "src", copy / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", copy)
    package = copy / "src" / "styrdok"
    _edit(
        package / "writers" / "html.py",
        "            case Table():\n                out.append(table(block, local))\n",
        "",
    )
    _edit(
        package / "model" / "document.py",
        "Block: TypeAlias = Paragraph | Subheading | BulletList | Table\n",
        "@dataclass(frozen=True)\nclass Quote:\n    runs: Inlines\n\n\n"
        "Block: TypeAlias = Paragraph | Subheading | BulletList | Table | Quote\n",
    )
    checked = subprocess.run(
        [str(MYPY), "--config-file", "pyproject.toml", "--cache-dir", str(tmp_path / "cache")],
        cwd=copy,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 1, checked.stdout
    never = 'Argument 1 to "assert_never" has incompatible type "'
    errors = [line for line in checked.stdout.splitlines() if ": error: " in line]
    assert all(never in e for e in errors), checked.stdout  # nothing else: the rest is clean
    assert [e.split(": ")[0].split(":")[0] for e in errors if '"Table | Quote"' in e] == [
        "src/styrdok/writers/html.py"
    ]
    flagged = {e.split(":")[0] for e in errors if "Quote" in e}
    assert flagged == {
        f"src/styrdok/{m}.py"
        for m in (
            "model/walk",
            "compare/changelist",
            "compare/redline",
            "writers/docx",
            "writers/html",
            "writers/report",
            "writers/source_text",
        )
    }


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
