"""The redline: accepting every change gives the new revision, rejecting every change the old."""

from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redlinetext import NUMBERED, content, part_texts

from styrdok.diff import diff_documents
from styrdok.model import Measure, Paragraph, Run, plain
from styrdok.office import SYSTEM_PYTHON
from styrdok.redline import redline
from styrdok.render_docx import render_docx

AUTHOR, DATE = "Anna Andersson", "2019-09-16T08:00:00Z"


def check_redline(old, new) -> bytes:
    marked = render_docx(redline(old, new, AUTHOR, DATE))
    assert content(marked, "accept") == content(render_docx(new))
    assert content(marked, "reject", numbers=False) == content(render_docx(old), numbers=False)
    return marked


def with_measures(doc, section_index: int, measures) -> object:
    sections = list(doc.sections)
    sections[section_index] = replace(sections[section_index], measures=tuple(measures))
    return replace(doc, sections=tuple(sections))


def test_identical_revisions_give_no_tracked_change(example):
    marked = render_docx(redline(example, example, AUTHOR, DATE))
    assert b"<w:ins " not in marked and b"<w:del " not in marked


def test_tracked_changes_carry_author_and_date(example):
    section = example.sections[5]
    para = Paragraph((Run("Styrgruppen ansvarar för uppföljningen."),))
    new = replace(example, sections=(*example.sections[:5], replace(section, blocks=(para,))))
    marked = check_redline(example, new)
    xml = zipfile.ZipFile(io.BytesIO(marked)).read("word/document.xml").decode()
    assert f'w:author="{AUTHOR}"' in xml and f'w:date="{DATE}"' in xml
    assert "<w:delText" in xml


def test_changed_metadata_is_tracked_on_the_cover_and_in_the_header(example):
    new = replace(
        example,
        metadata=replace(
            example.metadata, datum=date(2019, 9, 16), giltighet="2019-2020", dnr="KS 2019/42"
        ),
    )
    marked = render_docx(redline(example, new, AUTHOR, DATE))
    assert part_texts(marked, "accept") == part_texts(render_docx(new))
    assert part_texts(marked, "reject") == part_texts(render_docx(example))
    headers = [t for name, t in part_texts(marked, "reject").items() if "header" in name]
    assert headers and all(example.metadata.dnr in t and "2018-02-12" in t for t in headers)
    cover = zipfile.ZipFile(io.BytesIO(marked)).read("word/document.xml").decode()
    assert re.search(r"<w:delText[^>]*>12 februari 2018</w:delText>", cover)


def test_renumbering_alone_is_not_a_text_change(example):
    measures = list(example.sections[2].measures)
    new = with_measures(example, 2, measures[1:])  # 3:1 removed; the rest renumber
    marked = render_docx(redline(example, new, AUTHOR, DATE))
    headings = [t for t in content(marked, "accept") if re.match(r"3:\d+ ", t)]
    assert headings[0].startswith("3:1 Minska antalet")
    # only the removed measure is tracked; the renumbered ones are plain text
    xml = zipfile.ZipFile(io.BytesIO(marked)).read("word/document.xml").decode()
    assert "<w:ins " not in xml
    deleted = "".join(re.findall(r"<w:delText[^>]*>([^<]*)<", xml))
    assert deleted.startswith("Innovation gällande stadsplanering")
    assert "Minska antalet" not in deleted


def test_moved_measure_is_a_native_word_move(example):
    measures = list(example.sections[2].measures)
    new = with_measures(example, 2, measures[1:] + measures[:1])  # 3:1 moved last
    xml = zipfile.ZipFile(io.BytesIO(check_redline(example, new))).read("word/document.xml")
    xml = xml.decode()
    assert "<w:ins " not in xml and "<w:del " not in xml  # a move, not a rewrite
    for side in ("moveFrom", "moveTo"):
        (start,) = re.findall(rf"<w:{side}RangeStart ([^>]*)/>", xml)
        assert 'w:name="move1"' in start
        (ident,) = re.findall(r'w:id="(\d+)"', start)
        assert f'<w:{side}RangeEnd w:id="{ident}"/>' in xml
    moved_away = "".join(re.findall(r"<w:moveFrom [^>]*>(.*?)</w:moveFrom>", xml))
    assert plain(measures[0].title) in re.sub(r"<[^>]+>", "", moved_away)


def two_sections_of_measures(doc):
    """The example with its last three measures in the section after Åtgärder."""
    measures = list(doc.sections[2].measures)
    sections = list(doc.sections)
    sections[2] = replace(sections[2], measures=tuple(measures[:7]))
    sections[3] = replace(sections[3], measures=tuple(measures[7:]))
    return replace(doc, sections=tuple(sections))


def test_a_moved_section_moves_none_of_its_measures(example):
    old = two_sections_of_measures(example)
    sections = list(old.sections)
    sections[2], sections[3] = sections[3], sections[2]
    new = replace(old, sections=tuple(sections))
    found = {(e.target, e.kind) for e in diff_documents(old, new).entries}
    # one section moved past the other, which kept its place in the order but got a new number
    assert found == {("section", "moved"), ("section", "renumbered"), ("measure", "renumbered")}
    xml = zipfile.ZipFile(io.BytesIO(check_redline(old, new))).read("word/document.xml").decode()
    assert re.findall(r'w:name="(move\d+)"', xml) == ["move1", "move1"]  # the section only


def test_a_move_into_a_new_section_has_no_unpaired_end(example):
    old = two_sections_of_measures(example)
    moving = old.sections[3].measures[0]
    sections = list(old.sections)
    sections[3] = replace(sections[3], measures=sections[3].measures[1:])
    added = replace(sections[3], id="ny", title=(Run("Nytt avsnitt"),), measures=(moving,))
    new = replace(old, sections=(*sections, added))
    xml = zipfile.ZipFile(io.BytesIO(check_redline(old, new))).read("word/document.xml").decode()
    assert "RangeStart" not in xml  # a plain deletion and insertion, as the new section is


def test_a_removed_link_is_tracked_inside_the_link(example):
    sections = list(example.sections)
    linked = next(i for i, s in enumerate(sections) if "notisum" in repr(s.blocks))
    sections[linked] = replace(sections[linked], blocks=())  # its prose, link included, removed
    xml = zipfile.ZipFile(
        io.BytesIO(check_redline(example, replace(example, sections=tuple(sections))))
    )
    xml = xml.read("word/document.xml").decode()
    assert re.search(r"<w:hyperlink [^>]*><w:del ", xml)  # w:del may not hold a w:hyperlink
    assert not re.search(r"<w:(ins|del|moveFrom|moveTo) [^>]*>\s*<w:hyperlink", xml)


EDITS = ("word", "field", "remove", "move", "add", "title", "list")


def apply_edit(doc, edit: str, data) -> object:
    """One random edit of the kind a document owner makes."""
    sections = list(doc.sections)
    measures = list(sections[2].measures)
    if edit == "word":
        s = data.draw(st.sampled_from([0, 1, 3, 4, 5]))
        blocks = [b for b in sections[s].blocks if isinstance(b, Paragraph)]
        target = data.draw(st.sampled_from(blocks))
        words = "".join(r.text for r in target.runs).split(" ")
        i = data.draw(st.integers(0, len(words) - 1))
        words[i] = data.draw(st.sampled_from(["ny", "ändrad", "", "flera nya ord"]))
        new_block = Paragraph((Run(" ".join(words)),))
        sections[s] = replace(
            sections[s], blocks=tuple(new_block if b is target else b for b in sections[s].blocks)
        )
        return replace(doc, sections=tuple(sections))
    i = data.draw(st.integers(0, len(measures) - 1))
    if edit == "field":
        key = data.draw(st.sampled_from(["ansvarig", "tidplan", "uppfoljning"]))
        fields = {
            **measures[i].fields,
            key: (Run(data.draw(st.sampled_from(["Klart 2020", "KF"]))),),
        }
        measures[i] = replace(measures[i], fields=fields)
    elif edit == "remove":
        del measures[i]
    elif edit == "move":
        m = measures.pop(i)
        measures.insert(data.draw(st.integers(0, len(measures))), m)
    elif edit == "add":
        added = Measure(
            f"ny-{i}",
            (Run("En ny åtgärd"),),
            (Paragraph((Run("Vad den gör."),)),),
            {"ansvarig": (Run("X"),), "tidplan": (Run("2020"),), "uppfoljning": (Run("Y"),)},
        )
        measures.insert(i, added)
    elif edit == "title":
        measures[i] = replace(measures[i], title=(Run("Ny rubrik för åtgärden"),))
    elif edit == "list":
        s = sections[0]
        sections[0] = replace(
            s, blocks=tuple(b for b in s.blocks if type(b).__name__ != "BulletList")
        )
        return replace(doc, sections=tuple(sections))
    return with_measures(doc, 2, measures)


def _property(example, data):
    new = example
    for edit in data.draw(st.lists(st.sampled_from(EDITS), min_size=1, max_size=4)):
        new = apply_edit(new, edit, data)
    check_redline(example, new)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_accept_gives_new_and_reject_gives_old(example, data):
    _property(example, data)


@pytest.mark.exhaustive
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_accept_gives_new_and_reject_gives_old_exhaustive(example, data):
    _property(example, data)


def test_redline_pdf_shows_the_changes(example, office, tmp_path):
    measures = list(example.sections[2].measures)
    fields = {**measures[0].fields, "tidplan": (Run("Klart december 2019"),)}
    measures[0] = replace(measures[0], fields=fields)
    new = with_measures(example, 2, measures)
    docx = tmp_path / "redline.docx"
    docx.write_bytes(check_redline(example, new))
    pdf = office.convert(docx, tmp_path / "redline.pdf", title="Redline")
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages)
    assert "Klart junidecember 20182019" in re.sub(r"\s+", " ", text)


def libreoffice_reads(office, docx: bytes, mode: str, tmp_path, numbers: bool = True) -> dict:
    """What LibreOffice shows after accepting or rejecting every change ('none': as it is);
    numbers=False leaves heading numbers out (a renumbering is no change, so reject keeps them)."""
    path = tmp_path / f"{mode}-{len(list(tmp_path.iterdir()))}.docx"
    path.write_bytes(docx)
    office.start()
    out = subprocess.run(
        [SYSTEM_PYTHON, str(Path(__file__).with_name("lotext.py")), office.connection, path, mode],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    seen = json.loads(out.stdout)
    if not numbers:
        seen["body"] = [
            [row[0], NUMBERED.sub("", row[1])] if row[0].startswith("Heading") else row
            for row in seen["body"]
        ]
    return seen


def test_libreoffice_accepts_and_rejects_to_the_two_revisions(example, office, tmp_path):
    """The redline in a real office suite: Accept All gives the new revision, Reject All the old
    one, header and cover included."""
    measures = list(example.sections[2].measures)
    edited = replace(measures[1], fields={**measures[1].fields, "tidplan": (Run("Klart 2020"),)})
    sections = list(example.sections)
    sections[2] = replace(sections[2], measures=(edited, *measures[3:], measures[0]))
    new = replace(
        example,
        sections=tuple(sections),
        metadata=replace(example.metadata, datum=date(2019, 9, 16), giltighet="2019-2020"),
    )
    marked = render_docx(redline(example, new, AUTHOR, DATE))
    accepted = libreoffice_reads(office, marked, "accept", tmp_path)
    rejected = libreoffice_reads(office, marked, "reject", tmp_path, numbers=False)
    assert accepted == libreoffice_reads(office, render_docx(new), "none", tmp_path)
    assert rejected == libreoffice_reads(office, render_docx(example), "none", tmp_path, False)
    assert "2019-09-16" in str(accepted["header"]) and "2018-02-12" in str(rejected["header"])
    assert "16 september 2019" in str(accepted["body"]) and "2018-2019" in str(rejected["body"])
    assert len(rejected["body"]) > len(accepted["body"]) > 100  # 3:3 removed, the rest kept
