"""A property: comments put at random places of a random document's remiss version, as Word
writes them (some headings' bookmarks deleted), saved and read back, land at their sections and
measures with their quotes."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.revise import METADATA
from support.wordresponse import WordResponse

from styrdok.model.document import Document, Measure, Paragraph, Run, Section
from styrdok.model.ids import bookmark_name
from styrdok.model.remiss import Round
from styrdok.readers.remiss.placing import Places
from styrdok.readers.remiss.response import read_response
from styrdok.writers.docx import render_docx
from styrdok.writers.remiss.remissversion import as_remiss, remiss_docx

WORDS = ("bostad", "stöd", "nämnd", "hyra", "juni", "mål", "stad", "plan", "boende", "samverkan")
FIELDS = ("ansvarig", "tidplan", "uppfoljning")


@st.composite
def documents(draw):
    """A plan of 1–4 sections with 0–3 measures each; every paragraph, title and field starts
    with a token of its own (t1, t2 …), so that the test knows where each text belongs."""
    counter = iter(range(1, 10_000))
    where: dict[str, tuple[str, str]] = {}  # text → (item id, text)

    def text(item: str) -> str:
        words = draw(st.lists(st.sampled_from(WORDS), min_size=2, max_size=9))
        value = f"t{next(counter)} " + " ".join(words)
        where[value] = (item, value)
        return value

    sections = []
    for s in range(draw(st.integers(1, 4))):
        sid = f"avsnitt-{s}"
        title = text(sid)
        blocks = tuple(Paragraph((Run(text(sid)),)) for _ in range(draw(st.integers(1, 2))))
        measures = []
        for m in range(draw(st.integers(0, 3))):
            mid = f"atgard-{s}-{m}"
            mtitle = text(mid)
            body = (Paragraph((Run(text(mid)),)),)
            fields = {key: (Run(text(mid)),) for key in FIELDS}
            measures.append(Measure(mid, (Run(mtitle),), body, fields))
        sections.append(Section(sid, (Run(title),), blocks, tuple(measures)))
    return Document("slumpad", METADATA, tuple(sections)), where


@given(data=st.data())
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_comments_land_at_their_places_with_their_quotes(data, tmp_path_factory):
    doc, where = data.draw(documents())
    the_round = Round("slumpad", "2026-1", METADATA.datum, METADATA.datum, "0" * 40, ("A",))
    sent = remiss_docx(doc, the_round, render_docx(as_remiss(doc)))
    answer = WordResponse(sent)
    items = [s.id for s in doc.sections] + [m.id for s in doc.sections for m in s.measures]
    lost = data.draw(st.sets(st.sampled_from(items), max_size=len(items) // 2))
    for ident in lost:  # a reviewer who retyped these headings: their bookmarks are gone
        answer.drop_bookmark(bookmark_name(ident))
    texts = sorted(where)
    chosen = data.draw(st.lists(st.sampled_from(texts), min_size=1, max_size=8))
    expected = {}
    for i, paragraph in enumerate(chosen):
        words = paragraph.split(" ")
        first = data.draw(st.integers(0, len(words) - 1))
        last = data.draw(st.integers(first, len(words) - 1))
        start = len(" ".join(words[:first])) + (1 if first else 0)
        end = len(" ".join(words[: last + 1]))
        answer.comment_within(paragraph, start, end, f"Synpunkt {i}")
        expected[f"Synpunkt {i}"] = (where[paragraph][0], paragraph[start:end])
    path = tmp_path_factory.mktemp("svar") / "svar.docx"
    path.write_bytes(answer.save())
    reading = read_response(path, Places(doc), "slumpad", "2026-1")
    got = {r.text: (r.place_id, r.quote) for r in reading.remarks}
    assert got == expected
    for r in reading.remarks:  # a heading without its bookmark is found by its text
        assert r.placed_by == ("rubrik" if expected[r.text][0] in lost else "bokmärke")
