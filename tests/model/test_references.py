"""References by id: `[åtgärd 3:4](#id)` keeps pointing at its measure through renumbering."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from dataclasses import replace

from click.testing import CliRunner
from support.redlinetext import content, tracked_texts

from styrdok.cli import main
from styrdok.compare.changelist import diff_documents
from styrdok.compare.redline import redline
from styrdok.model import references
from styrdok.readers.revisions import Revision
from styrdok.writers.docx import render_docx
from styrdok.writers.report import build_report


def paragraph_with(doc, words: str) -> str:
    return next(t for t in content(render_docx(doc)) if words in t)


def renumbered(example):
    """The example with its first measure moved last: every other measure's number drops."""
    sections = list(example.sections)
    ms = sections[2].measures
    sections[2] = replace(sections[2], measures=(*ms[1:], ms[0]))
    return replace(example, sections=tuple(sections))


def test_a_reference_shows_its_targets_current_number(example):
    assert "Se åtgärd 3:5 och 3:6." in paragraph_with(example, "Se åtgärd")
    new = renumbered(example)
    assert "Se åtgärd 3:4 och 3:5." in paragraph_with(new, "Se åtgärd")  # followed its targets
    with zipfile.ZipFile(io.BytesIO(render_docx(new))) as z:
        xml = z.read("word/document.xml").decode()
    assert 'w:anchor="id_utflytt_skuldsatta_hushall"' in xml  # a link to the heading
    assert 'w:name="id_utflytt_skuldsatta_hushall"' in xml


def test_the_redline_tracks_a_references_number_like_a_headings(example):
    new = renumbered(example)
    marked = render_docx(redline(example, new, "Anna", "2026-09-16T08:00:00Z"))
    assert next(t for t in content(marked, "accept") if "Se åtgärd" in t).endswith("3:4 och 3:5.")
    assert next(t for t in content(marked, "reject") if "Se åtgärd" in t).endswith("3:5 och 3:6.")
    assert "5" in tracked_texts(marked, "del") and "4" in tracked_texts(marked, "ins")
    # the source did not change: no edit in the change list, which names the references on
    # the renumbered measures instead
    entries = diff_documents(example, new).entries
    assert "inledning" not in [e.id for e in entries]
    flyttkedjor = next(e for e in entries if e.id == "flyttkedjor")
    assert flyttkedjor.kind == "renumbered" and flyttkedjor.fields == ()
    assert flyttkedjor.referenced_from == (("section", "inledning", "1"),)


def test_check_refuses_a_reference_to_nothing_and_suggests_references(repo, tmp_path):
    shutil.copytree(repo / "source", tmp_path / "source")
    md = tmp_path / "source" / "handlingsplan-bostadssociala" / "document.md"
    text = md.read_text(encoding="utf-8")
    md.write_text(text.replace("(#flyttkedjor)", "(#flytkedjor)"), encoding="utf-8")
    bad = CliRunner().invoke(main, ["check", "--root", str(tmp_path)])
    assert bad.exit_code == 1
    assert re.search(r"document\.md:28: hänvisningen till '#flytkedjor' pekar inte på", bad.output)
    plain = text.replace("[åtgärd 3:2](#utskrivning-till-hemloshet)", "åtgärd 3:2")
    md.write_text(plain, encoding="utf-8")
    warned = CliRunner().invoke(main, ["check", "--root", str(tmp_path)])
    assert warned.exit_code == 0
    assert "varning: 'åtgärd 3:2'" in warned.output
    assert "[åtgärd 3:2](#utskrivning-till-hemloshet)" in warned.output


def test_the_report_lists_references_to_removed_parts(example):
    sections = list(example.sections)
    sections[2] = replace(
        sections[2], measures=tuple(m for m in sections[2].measures if m.id != "flyttkedjor")
    )
    new = replace(example, sections=tuple(sections))
    rev = Revision("a", None, "2026-01-01T00:00:00Z", "Anna")
    report = build_report(diff_documents(example, new), rev, rev)
    (lost,) = [s for s in report.sections if s.id == "hanvisningar"]
    text = " ".join(r.text for b in lost.blocks for i in b.items for r in i.runs)
    assert "(var 3:6) Möjliggöra flyttkedjor" in text and "från 'inledning'" in text
    assert references.references(example)[0][1] == "inledning"
