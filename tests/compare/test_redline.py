"""The redline: accepting every change gives the new revision, rejecting every change the old."""

from __future__ import annotations

import io
import itertools
import re
import tempfile
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pypdf
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from support.redlinecheck import AUTHOR, DATE, check_in_libreoffice, check_redline
from support.redlinetext import content, part_texts, tracked_texts
from support.revise import METADATA, documents, revisions

from styrdok.compare.changelist import diff_documents
from styrdok.compare.match import Matching, stable
from styrdok.compare.redline import redline
from styrdok.model import references, walk
from styrdok.model.document import (
    METADATA_LABELS,
    BulletList,
    Document,
    ListItem,
    Measure,
    Paragraph,
    Run,
    Section,
    Subheading,
    plain,
)
from styrdok.model.ids import numbers
from styrdok.writers.docx import render_docx


def without_references(doc):
    """The document with its references by id as plain text (for tests of numbering alone)."""
    return walk.map_inlines(
        doc, lambda rs: tuple(replace(r, href=None) if references.target(r) else r for r in rs)
    )


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


def test_renumbered_headings_track_their_numbers(example):
    example = without_references(example)
    measures = list(example.sections[2].measures)
    new = with_measures(example, 2, measures[1:])  # 3:1 removed; the rest renumber
    marked = check_redline(example, new)
    headings = [t for t in content(marked, "accept") if re.match(r"3:\d+ ", t)]
    assert headings[0].startswith("3:1 Minska antalet")
    # the removed measure is deleted with its number; each renumbered one shows old → new
    deleted = tracked_texts(marked, "del")
    assert deleted[0] == "3:1 "
    assert deleted[1].startswith("Innovation gällande stadsplanering")
    assert tracked_texts(marked, "ins") == [f"3:{i} " for i in range(1, len(measures))]
    assert [t for t in deleted if re.fullmatch(r"3:\d+ ", t)] == [
        f"3:{i} " for i in range(1, len(measures) + 1)
    ]


def test_moved_measure_is_a_native_word_move(example):
    example = without_references(example)
    measures = list(example.sections[2].measures)
    new = with_measures(example, 2, measures[1:] + measures[:1])  # 3:1 moved last
    marked = check_redline(example, new)
    xml = zipfile.ZipFile(io.BytesIO(marked)).read("word/document.xml").decode()
    # a move, not a rewrite: the only insertions and deletions are the others' new numbers
    numbers = {f"3:{i} " for i in range(1, len(measures) + 1)}
    assert set(tracked_texts(marked, "ins")) | set(tracked_texts(marked, "del")) <= numbers
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
    example = without_references(example)
    old = two_sections_of_measures(example)
    sections = list(old.sections)
    sections[2], sections[3] = sections[3], sections[2]
    new = replace(old, sections=tuple(sections))
    found = {(e.target, e.kind) for e in diff_documents(old, new).entries}
    # the smaller section moved past the larger, which kept its place but got a new number
    assert found == {("section", "moved"), ("section", "renumbered"), ("measure", "renumbered")}
    (moved,) = [e for e in diff_documents(old, new).entries if e.kind == "moved"]
    assert moved.id == old.sections[3].id
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


def check_change_list(old, new) -> None:
    """Every item whose presence, number or content differs is listed once; nothing else is."""
    match = Matching(old, new)
    on, nn = numbers(old), numbers(new)

    def contents(doc):
        out = {("section", s.id): (s.title, s.blocks) for s in doc.sections}
        for section in doc.sections:
            out |= {("measure", m.id): (m.title, m.blocks, m.fields) for m in section.measures}
        return out

    co, cn = contents(references.resolve(old)), contents(references.resolve(new))
    # an item in both is edited only if its text differs with the old references numbered as
    # the new revision numbers them: a reference that follows its renumbered target is no edit
    renumbered = contents(references.resolve(old, numbered_as=new))
    moved = {("section", i) for i in match.moved_sections} | {
        ("measure", i) for i in match.moved_measures
    }
    expected = {
        k
        for k in co.keys() | cn.keys()
        if on.get(k) != nn.get(k) or (k in co) != (k in cn) or renumbered.get(k) != cn.get(k)
    }
    entries = [e for e in diff_documents(old, new).entries if e.target != "metadata"]
    listed = [(e.target, e.id) for e in entries]
    assert len(listed) == len(set(listed))
    assert set(listed) == expected | moved
    assert {(e.target, e.id) for e in entries if e.kind == "moved"} == moved
    meta = {e.id for e in diff_documents(old, new).entries if e.target == "metadata"}
    assert meta == {
        k for k in METADATA_LABELS if getattr(old.metadata, k) != getattr(new.metadata, k)
    }


def _structural(data, old):
    new = data.draw(revisions(old))
    check_change_list(old, new)
    check_redline(old, new)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_structural_revisions_of_generated_documents(data):
    _structural(data, data.draw(documents()))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_structural_revisions_of_the_example(example, data):
    _structural(data, example)


@pytest.mark.exhaustive
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_structural_revisions_exhaustive(data):
    _structural(data, data.draw(documents()))


@pytest.mark.exhaustive
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_structural_revisions_of_the_example_exhaustive(example, data):
    _structural(data, example)


def brute_force_stable_weight(old, new, weight) -> int:
    """The largest total weight of common items that keep their order, by trying every set."""
    position = {x: i for i, x in enumerate(new)}
    common = [x for x in old if x in position]
    best = 0
    for mask in range(1 << len(common)):
        chosen = [x for i, x in enumerate(common) if mask >> i & 1]
        if all(position[a] < position[b] for a, b in itertools.pairwise(chosen)):
            best = max(best, sum(weight[x] for x in chosen))
    return best


@settings(max_examples=300, deadline=None)
@given(
    old=st.lists(st.sampled_from("abcdefghi"), unique=True, max_size=8),
    data=st.data(),
)
def test_moved_set_is_minimal_by_weight(old, data):
    new = data.draw(st.permutations(old + data.draw(st.lists(st.sampled_from("xyz"), unique=True))))
    new = [x for x in new if x not in data.draw(st.sets(st.sampled_from(old or ["-"])))]
    weight = {x: data.draw(st.integers(1, 5)) for x in old}
    kept = stable(old, new, weight)
    position = {x: i for i, x in enumerate(new)}
    in_order = [x for x in old if x in kept]
    assert all(position[a] < position[b] for a, b in itertools.pairwise(in_order))
    assert sum(weight[x] for x in kept) == brute_force_stable_weight(old, new, weight)
    assert stable(old, new, weight) == kept  # deterministic


def test_ties_keep_the_item_that_came_first():
    assert stable(["a", "b"], ["b", "a"], {"a": 3, "b": 3}) == {"a"}
    assert stable(["a", "b", "c"], ["b", "c", "a"], {"a": 1, "b": 1, "c": 1}) == {"b", "c"}
    # the heavy middle section never moves because the two small ones swapped round it
    assert stable(["s1", "s2", "s3"], ["s3", "s2", "s1"], {"s1": 5, "s2": 90, "s3": 4}) == {"s2"}


def test_redline_pdf_shows_the_changes(example, office, tmp_path):
    measures = list(example.sections[2].measures)
    fields = {**measures[0].fields, "tidplan": (Run("Klart december 2019"),)}
    measures[0] = replace(measures[0], fields=fields)
    new = with_measures(example, 2, measures)
    docx = tmp_path / "redline.docx"
    docx.write_bytes(check_redline(example, new))
    pdf = office.convert(docx, tmp_path / "redline.pdf", title="Redline")
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages)
    assert "Klart juni 2018december 2019" in re.sub(r"\s+", " ", text)


def annual_revision(doc):
    """A year's revision in one go: a measure inserted in the middle, one deleted, one moved to
    the end of its section with a slipped deadline, one renamed, one owner changed, two small
    sections swapped, a section added, metadata changed."""
    sections = list(doc.sections)
    big = max(range(len(sections)), key=lambda i: len(sections[i].measures))
    ms = list(sections[big].measures)
    moving = ms.pop(1)
    moving = replace(moving, fields={**moving.fields, "tidplan": (Run("Klart juni 2026"),)})
    del ms[3]
    ms[0] = replace(ms[0], title=(Run("Ett nytt namn på åtgärden"),))
    ms[2] = replace(ms[2], fields={**ms[2].fields, "ansvarig": (Run("Fastighetsnämnden"),)})
    added = Measure(
        "ny-atgard",
        (Run("Bostadsrådgivning för unga"),),
        (Paragraph((Run("Unga får råd om sitt första boende."),)),),
        {
            "ansvarig": (Run("Socialnämnden"),),
            "tidplan": (Run("Klart 2026"),),
            "uppfoljning": (Run("Styrgruppen"),),
        },
    )
    ms.insert(len(ms) // 2, added)
    ms.append(moving)
    sections[big] = replace(sections[big], measures=tuple(ms))
    small = [i for i in range(len(sections)) if i != big]
    a, b = small[0], small[-1]
    sections[a], sections[b] = sections[b], sections[a]
    extra = Section("uppfoljning-2026", (Run("Uppföljning 2026"),), (Paragraph((Run("Ny."),)),))
    sections.append(extra)
    metadata = replace(doc.metadata, datum=date(2026, 9, 16), giltighet="2026-2027")
    return replace(doc, sections=tuple(sections), metadata=metadata), moving


def test_an_annual_revision_gives_minimal_moves_and_nested_edits(example):
    new, moving = annual_revision(example)
    changes = diff_documents(example, new).entries
    big = next(s for s in example.sections if s.measures)
    moved = {(e.target, e.id) for e in changes if e.kind == "moved"}
    # the two small sections that swapped round the big one moved, and the measure; the big
    # section in between never does
    assert ("section", big.id) not in moved and ("measure", moving.id) in moved
    swapped = {("section", example.sections[0].id), ("section", example.sections[-1].id)}
    assert {m for m in moved if m[0] == "section"} == swapped
    ids = [(e.target, e.id) for e in changes]
    assert len(ids) == len(set(ids))  # one entry per item
    entry = next(e for e in changes if e.id == moving.id)
    assert entry.field("tidplan").new == "Klart juni 2026"
    added = next(e for e in changes if e.id == "ny-atgard")
    assert added.kind == "added" and added.field("ansvarig").new == "Socialnämnden"

    marked = check_redline(example, new)
    xml = zipfile.ZipFile(io.BytesIO(marked)).read("word/document.xml").decode()
    # the moved measure is a move of its own, its new deadline inserted inside the move
    names = re.findall(r'w:name="(move\d+)"', xml)
    assert len(names) == 6 and len(set(names)) == 3  # two sections and the measure, both ends
    move_to = re.search(r"<w:moveToRangeStart[^>]*w:name=\"(move\d+)\"", xml)
    assert move_to
    destination = "".join(tracked_texts(marked, "moveTo"))
    assert plain(moving.title) in destination
    assert "juni 2026" in "".join(tracked_texts(marked, "ins"))
    # nothing that stayed in place is inside a move: the big section's other measures are not
    assert plain(big.measures[2].title) not in destination
    # the inserted measure is an insertion, the deleted one a deletion, each with its number
    inserted = "".join(tracked_texts(marked, "ins"))
    assert "Bostadsrådgivning för unga" in inserted
    assert plain(big.measures[4].title) in "".join(tracked_texts(marked, "del"))


def test_a_formatting_change_is_a_change_everywhere(example):
    sections = list(example.sections)
    ms = list(sections[2].measures)
    ms[0] = replace(ms[0], title=tuple(replace(r, bold=True) for r in ms[0].title))
    sections[2] = replace(sections[2], measures=tuple(ms))
    para = next(i for i, b in enumerate(sections[0].blocks) if isinstance(b, Paragraph))
    blocks = list(sections[0].blocks)
    blocks[para] = Paragraph(tuple(replace(r, italic=True) for r in blocks[para].runs))
    sections[0] = replace(sections[0], blocks=tuple(blocks))
    new = replace(example, sections=tuple(sections))
    changes = diff_documents(example, new).entries
    assert [(e.id, e.kind, [f.field for f in e.fields]) for e in changes] == [
        (sections[0].id, "modified", ["text"]),
        (ms[0].id, "modified", ["title"]),
    ]
    assert all(f.formatting for e in changes for f in e.fields)
    check_redline(example, new)  # Reject All restores the old formatting


def _doc(*sections):
    return Document("liten", METADATA, tuple(sections))


def _s(ident, *measures, blocks=()):
    return Section(ident, (Run(ident.upper()),), tuple(blocks), tuple(measures))


def _m(ident):
    return Measure(ident, (Run(ident),), (), {"ansvarig": (Run("X"),)})


def test_a_removed_item_is_listed_where_it_was_as_in_the_redline():
    old = _doc(_s("a"), _s("b"), _s("r"), _s("c"))
    new = _doc(_s("b"), _s("c"), _s("a"))
    found = [(e.id, e.kind) for e in diff_documents(old, new).entries]
    assert found == [("b", "renumbered"), ("r", "removed"), ("c", "renumbered"), ("a", "moved")]
    old = _doc(_s("s1", _m("m1"), _m("m2"), _m("m3")), _s("s2", _m("m4")))
    new = _doc(_s("s1", _m("m3")), _s("s2", _m("m4"), _m("m1")))
    found = [(e.id, e.kind) for e in diff_documents(old, new).entries]
    assert found == [("m2", "removed"), ("m3", "renumbered"), ("m1", "moved")]
    check_redline(old, new)


def test_a_change_of_structure_is_a_change_in_the_list_and_the_redline():
    items = (ListItem((Run("alfa"),)), ListItem((Run("beta"),)))
    pairs = [
        (BulletList(items, ordered=True), BulletList(items, ordered=False)),
        (Paragraph((Run("Rubrik"),)), Subheading((Run("Rubrik"),))),
        (Subheading((Run("Rubrik"),), level=2), Subheading((Run("Rubrik"),), level=3)),
    ]
    for before, after in pairs:
        old, new = _doc(_s("s", blocks=(before,))), _doc(_s("s", blocks=(after,)))
        (entry,) = diff_documents(old, new).entries
        assert (entry.id, entry.kind, [f.field for f in entry.fields]) == (
            "s",
            "modified",
            ["text"],
        )
        check_redline(old, new)


def test_the_redline_table_of_contents_lists_the_new_headings_only(example, office, tmp_path):
    new, _ = annual_revision(example)
    docx = tmp_path / "redline.docx"
    docx.write_bytes(render_docx(redline(example, new, AUTHOR, DATE)))
    pdf = office.convert(docx, tmp_path / "redline.pdf", title="Redline")
    toc = pypdf.PdfReader(pdf).pages[1].extract_text()
    lines = [line for line in toc.splitlines() if re.search(r"^\d+ .*\.{3,}\s*\d+$", line)]
    titles = [f"{i} {plain(s.title)}" for i, s in enumerate(new.sections, 1)]
    assert [re.sub(r"\s*\.*\s*\d+$", "", line) for line in lines[: len(titles)]] == titles
    assert len(lines) == len(titles)


def test_libreoffice_accepts_and_rejects_an_annual_revision(example, office, tmp_path):
    """The redline in a real office suite: Accept All gives the new revision, Reject All the old
    one, heading numbers, header and cover included."""
    new, _ = annual_revision(example)
    accepted, rejected = check_in_libreoffice(office, example, new, tmp_path)
    assert "2026-09-16" in str(accepted["header"]) and "2018-02-12" in str(rejected["header"])
    assert "3:2 Minska antalet" in str(rejected["body"])


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: each example runs LibreOffice
)
@given(data=st.data())
def test_libreoffice_on_generated_revisions(office, data):
    old = data.draw(documents())
    new = data.draw(revisions(old))
    with tempfile.TemporaryDirectory() as folder:
        check_in_libreoffice(office, old, new, Path(folder))
