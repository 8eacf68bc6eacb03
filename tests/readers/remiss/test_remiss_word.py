"""Comments and tracked changes written as Word writes them (tests/support/wordresponse.py), read
back: each placed at its section or measure, with its quote, thread and date; nothing dropped."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import yaml
from support.remissfix import BODIES, DEADLINE, ROUND, SENT
from support.wordresponse import WordResponse

from styrdok.model.remiss import Round
from styrdok.readers.markdown.source import load_document
from styrdok.readers.remiss.package import ResponseError
from styrdok.readers.remiss.placing import Places
from styrdok.readers.remiss.response import read_response
from styrdok.writers.docx import render_docx
from styrdok.writers.remiss.remissversion import as_remiss, remiss_docx

REPO = Path(__file__).resolve().parents[3]
PLAN = "handlingsplan-bostadssociala"


def remiss_version(name: str, round_name: str = ROUND) -> tuple[bytes, Places]:
    """An example's remiss version as sent (no git needed here), and its places."""
    doc = load_document(REPO / "source" / name)
    r = Round(name, round_name, SENT, DEADLINE, "0" * 40, tuple(BODIES))
    return remiss_docx(doc, r, render_docx(as_remiss(doc))), Places(doc)


@pytest.fixture(scope="module")
def plan() -> tuple[bytes, Places]:
    return remiss_version(PLAN)


def read(tmp_path: Path, data: bytes, places: Places, name: str = PLAN, file="svar.docx"):
    path = tmp_path / file
    path.write_bytes(data)
    return read_response(path, places, name, ROUND)


# (text commented on, occurrence, where it belongs at the remiss version, how that is found)
PLACES = [
    ("Arbeta med framtagna strategier", 0, "3:2", "bokmärke"),
    ("Klart till december 2018", 0, "3:2", "bokmärke"),  # a measure's field
    ("Styrgruppen träffas minst 1 gång per halvår.", 0, "1", "bokmärke"),  # under a subheading
    ("Strategi för utveckling av Bostad Först", 0, "3:10", "bokmärke"),  # the heading itself
    ("Hyra regleras i 12 kap. i Jordabalken", 0, "5", "bokmärke"),
    ("Bostadssociala programmet", 0, "allmänt", "allmän"),  # the cover's subtitle
    ("Svara senast", 0, "allmänt", "allmän"),  # the missive
]


def test_comments_land_at_their_sections_and_measures_with_their_quotes(plan, tmp_path):
    data, places = plan
    answer = WordResponse(data)
    for i, (text, n, _, _) in enumerate(PLACES):
        answer.comment(text, f"Synpunkt {i}.", n=n)
    reading = read(tmp_path, answer.save(), places)
    got = {r.text: (r.quote, r.place, r.placed_by) for r in reading.remarks}
    assert got == {
        f"Synpunkt {i}.": (text, place, how) for i, (text, _, place, how) in enumerate(PLACES)
    }
    assert reading.kind == "kommentarer"
    assert all(r.kind == "kommentar" and r.author == "Karin Berg" for r in reading.remarks)


def test_ranges_across_paragraphs_overlapping_and_without_range(plan, tmp_path):
    data, places = plan
    answer = WordResponse(data)
    answer.comment("Målgruppen för Bostad Först", "Över två stycken.", until="för fler målgrupper")
    answer.comment("Bostad Först har sedan 2010", "Den första.")
    answer.comment("sedan 2010 använts framgångsrikt", "Den andra, som överlappar.")
    answer.comment("Ensamkommande barn som inte", "Utan omfång.", point=True)
    got = {r.text: r for r in read(tmp_path, answer.save(), places).remarks}
    spanning = got["Över två stycken."]
    assert spanning.place == "3:10" and spanning.quote.startswith("Målgruppen för Bostad Först")
    assert spanning.quote.endswith("för fler målgrupper")
    assert "invånare. Genom Bostad Först" in spanning.quote  # both paragraphs, in order
    assert (got["Den första."].quote, got["Den första."].place) == (
        "Bostad Först har sedan 2010",
        "3:10",
    )
    assert got["Den andra, som överlappar."].quote == "sedan 2010 använts framgångsrikt"
    assert (got["Utan omfång."].quote, got["Utan omfång."].place) == ("", "5")


def test_replies_belong_to_their_thread_with_utc_dates(plan, tmp_path):
    data, places = plan
    answer = WordResponse(data)
    first = answer.comment("Klart till december 2018", "För sent?\nSkulle behövas tidigare.")
    reply = answer.reply(first, "Instämmer.", author="Per Holm", date="2026-09-22T09:00:00Z")
    answer.reply(reply, "Tidigare går inte.", author="Lisa Ek", date="2026-09-23T08:30:00Z")
    (remark,) = read(tmp_path, answer.save(), places).remarks
    assert remark.text == "För sent?\nSkulle behövas tidigare."
    assert remark.date == "2026-09-20T10:15:00Z"  # commentsExtensible's, in UTC
    assert [(x.author, x.text, x.date) for x in remark.replies] == [
        ("Per Holm", "Instämmer.", "2026-09-22T09:00:00Z"),
        ("Lisa Ek", "Tidigare går inte.", "2026-09-23T08:30:00Z"),
    ]


def test_a_comment_on_deleted_text_quotes_what_was_there(plan, tmp_path):
    data, places = plan
    answer = WordResponse(data)
    answer.delete("minst 1 gång per halvår")
    answer.comment("minst 1 gång per halvår", "Varför strykt?")  # the text is in w:delText
    got = read(tmp_path, answer.save(), places).remarks
    comment = next(r for r in got if r.kind == "kommentar")
    change = next(r for r in got if r.kind == "ändring")
    assert (comment.quote, comment.place) == ("minst 1 gång per halvår", "1")
    assert (change.before, change.after, change.place) == ("minst 1 gång per halvår", "", "1")


def test_a_comment_whose_bookmark_was_deleted_is_placed_by_its_heading_or_quote(plan, tmp_path):
    data, places = plan
    answer = WordResponse(data)
    answer.drop_bookmark("id_utskrivning_till_hemloshet")
    answer.comment("göra en kartläggning", "Vem gör den?")
    answer.drop_bookmark("id_bostad_forst")
    answer.retitle("3:10 Strategi för utveckling av Bostad Först", "Bostad Först")
    answer.comment("inlåsningseffekten", "Förklara ordet.")
    got = {r.text: r for r in read(tmp_path, answer.save(), places).remarks}
    assert (got["Vem gör den?"].place, got["Vem gör den?"].placed_by) == ("3:2", "rubrik")
    moved = got["Förklara ordet."]
    assert (moved.place, moved.place_id, moved.placed_by) == ("3:10", "bostad-forst", "citat")


def test_a_comment_in_a_footnote_is_placed_where_the_footnote_stands(tmp_path):
    data, places = remiss_version("program-trygghet")
    answer = WordResponse(data)
    answer.comment("görs vartannat år", "Oftare!", part="word/footnotes.xml")
    answer.comment("Regeringens skrivelse", "Nyare skrivelse finns.", part="word/footnotes.xml")
    got = {r.text: r for r in read(tmp_path, answer.save(), places, "program-trygghet").remarks}
    assert (got["Oftare!"].place, got["Oftare!"].where) == ("4", "fotnot")
    assert got["Oftare!"].quote == "görs vartannat år"
    assert (got["Nyare skrivelse finns."].place, got["Nyare skrivelse finns."].where) == (
        "1",
        "fotnot",
    )


def test_comments_in_a_text_box_a_header_and_a_footer(plan, tmp_path):
    """A text box counts as the paragraph that holds it (read once, though Word writes it
    twice); a header (or footer) is on every page, so what is said there is said of the whole
    document."""
    data, places = plan
    answer = WordResponse(data)
    answer.text_box("Arbeta med framtagna strategier", ["Rutan: 40 platser år 2019"])
    answer.comment("40 platser", "Siffran är fel.")
    answer.replace("år 2019", "år 2020", author="Per Holm")
    header = next(n for n in answer.parts if "header" in n and "REMISSVERSION" in _xml(answer, n))
    answer.comment("REMISSVERSION", "Ta bort märkningen i slutversionen.", part=header)
    answer.comment("HELSINGBORG", "Stadens logotyp saknas.", part=header)
    footer = answer.footer("Helsingborgs stad, 251 89 Helsingborg")
    answer.comment("251 89", "Fel postnummer.", part=footer)
    got = read(tmp_path, answer.save(), places).remarks
    by = {r.text or r.after: r for r in got}
    box = by["Siffran är fel."]
    assert (box.place, box.where, box.quote) == ("3:2", "textruta", "40 platser")
    change = by["år 2020"]
    assert (change.kind, change.place, change.where, change.before) == (
        "ändring",
        "3:2",
        "textruta",
        "år 2019",
    )
    mark = by["Ta bort märkningen i slutversionen."]
    assert (mark.place, mark.placed_by, mark.where, mark.quote) == (
        "allmänt",
        "allmän",
        "sidhuvud",
        "REMISSVERSION",
    )
    logo = by["Stadens logotyp saknas."]
    assert (logo.place, logo.where) == ("allmänt", "sidhuvud")
    post = by["Fel postnummer."]
    assert (post.place, post.where, post.quote) == ("allmänt", "sidfot", "251 89")
    assert len(got) == 5  # nothing twice, nothing dropped


def _xml(answer: WordResponse, part: str) -> str:
    from lxml import etree

    return etree.tostring(answer.parts[part], encoding="unicode")


def test_a_comment_in_a_table_is_placed_at_the_tables_section(tmp_path):
    data, places = remiss_version("policy-informationssakerhet")
    answer = WordResponse(data)
    answer.comment("Klassar informationen", "Även arkivet.")
    (remark,) = read(tmp_path, answer.save(), places, "policy-informationssakerhet").remarks
    assert (remark.place, remark.place_id, remark.where) == ("4", "ansvar", "tabell")


def test_tracked_changes_are_proposals_before_and_after(plan, tmp_path):
    data, places = plan
    answer = WordResponse(data)
    answer.replace("Klart till december 2018", "Klart till juni 2019", author="Per Holm")
    answer.insert("Styrgruppen träffas minst 1 gång per halvår", " och vid behov")
    answer.insert_paragraph_after("göra en kartläggning", "Kriminalvården ska delta.")
    answer.delete("Genom Bostad Först minskar både behovet")
    got = [
        (r.place, r.before, r.after, r.author)
        for r in read(tmp_path, answer.save(), places).remarks
    ]
    assert got == [
        ("1", "", "och vid behov", "Karin Berg"),
        ("3:2", "", "Kriminalvården ska delta.", "Karin Berg"),
        ("3:2", "Klart till december 2018", "Klart till juni 2019", "Per Holm"),
        ("3:10", "Genom Bostad Först minskar både behovet", "", "Karin Berg"),
    ]


def test_nothing_is_dropped_an_unanchored_comment_has_an_unknown_place(plan, tmp_path):
    data, places = plan
    answer = WordResponse(data)
    answer.comment("Arbeta med framtagna strategier", "Placerad.")
    answer.orphan("Utan ankare i texten.")
    got = {r.text: r for r in read(tmp_path, answer.save(), places).remarks}
    assert set(got) == {"Placerad.", "Utan ankare i texten."}
    lost = got["Utan ankare i texten."]
    assert (lost.place, lost.place_id, lost.placed_by) == ("okänd", None, "okänd")


def test_a_copy_without_bookmarks_or_headings_is_placed_by_quote_or_unknown(tmp_path):
    """The text pasted into a new file (python-docx writes its comments)."""
    import docx

    _, places = remiss_version(PLAN)
    new = docx.Document()
    p = new.add_paragraph()
    unique = p.add_run("Styrgruppen träffas minst 1 gång per halvår.")
    p2 = new.add_paragraph()
    common = p2.add_run("Styrgruppen")
    p3 = new.add_paragraph()
    foreign = p3.add_run("En mening som inte finns i planen.")
    new.add_comment([unique], text="Oftare.", author="Eva Lund")
    new.add_comment([common], text="Vilken?", author="Eva Lund")
    new.add_comment([foreign], text="Vad menas?", author="Eva Lund")
    buffer = io.BytesIO()
    new.save(buffer)
    got = {r.text: r for r in read(tmp_path, buffer.getvalue(), places).remarks}
    assert (got["Oftare."].place, got["Oftare."].placed_by) == ("1", "citat")
    assert (got["Vilken?"].place, got["Vilken?"].quote) == ("okänd", "Styrgruppen")
    assert (got["Vad menas?"].place, got["Vad menas?"].quote) == (
        "okänd",
        "En mening som inte finns i planen.",
    )


def test_an_answer_to_another_round_or_document_is_refused(plan, tmp_path):
    other_round, _ = remiss_version(PLAN, "2025-1")
    _, places = plan
    with pytest.raises(ResponseError) as e:
        read(tmp_path, other_round, places)
    assert "ett svar i omgång 2025-1, inte i 2026-1" in e.value.message
    assert f"styrdok remiss läs {PLAN} --omgång 2025-1 svar.docx" in e.value.message
    policy, _ = remiss_version("policy-informationssakerhet")
    with pytest.raises(ResponseError) as e:
        read(tmp_path, policy, places)
    assert "svar på remissen av policy-informationssakerhet" in e.value.message


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def test_hostile_and_broken_files_are_refused_with_a_reason(plan, tmp_path):
    data, places = plan
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = {n: z.read(n) for n in z.namelist()}
    secret = tmp_path / "hemlig.txt"
    secret.write_text("HEMLIGT", encoding="utf-8")
    xxe = members["word/document.xml"].replace(
        b"?>", f'?><!DOCTYPE w:document [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'.encode(), 1
    )
    xxe = xxe.replace("Styrgruppen träffas".encode(), b"&x; Styrgruppen", 1)
    with pytest.raises(ResponseError) as e:  # Word never writes a DTD: the file is not read
        read(tmp_path, _zip(members | {"word/document.xml": xxe}), places)
    assert "delen 'word/document.xml' har en DTD" in e.value.message
    assert "HEMLIGT" not in e.value.message
    spaces = members["word/document.xml"].replace(b"<w:body>", b"<w:body>" + b" " * (80 << 20))
    bomb = members | {"word/document.xml": spaces}
    with pytest.raises(ResponseError, match="orimligt mycket") as e:
        read(tmp_path, _zip(bomb), places)
    assert "svar.docx: delen 'word/document.xml' packar upp till mer än 32 MB" in e.value.message
    many = members | {f"word/media/bild{i}.png": b"" for i in range(5000)}
    with pytest.raises(ResponseError, match=r"svar\.docx: filen har fler än 5000 delar"):
        read(tmp_path, _zip(many), places)
    with pytest.raises(ResponseError, match="inte en Word-fil"):
        read(tmp_path, b"inte en zip", places)
    with pytest.raises(ResponseError, match="äldre Word-fil"):
        read(tmp_path, b"\xd0\xcf\x11\xe0", places, file="svar.doc")
    with pytest.raises(ResponseError, match="PDF:en går inte att läsa"):
        read(tmp_path, b"%PDF-1.4 trasig", places, file="svar.pdf")


def test_a_later_copy_adds_its_new_replies_and_keeps_the_owners_answer(plan_round, tmp_path):
    from styrdok.commands.remiss import read as read_round

    answer = WordResponse(plan_round.docx.read_bytes())
    first = answer.comment("göra en kartläggning", "Vem gör kartläggningen?")
    answer.comment("Arbeta med framtagna strategier", "Vilka?")
    v1 = tmp_path / "Socialnämnden.docx"
    v1.write_bytes(answer.save())
    read_round(plan_round.root, PLAN, ROUND, [v1])
    path = plan_round.folder / "synpunkter.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.index("Vem gör kartläggningen?") < text.index("Vilka?")  # in comment order
    # the owner answers the first and writes a note of their own below it
    text = text.replace(
        "  ställningstagande:\n  motivering:\n",
        "  ställningstagande: noteras\n  motivering: Socialförvaltningen gör den.\n"
        "# ägarens anteckning\n",
        1,
    )
    path.write_text(text, encoding="utf-8")
    answer.reply(first, "Socialförvaltningen, tror vi.", author="Per Holm")
    v2 = tmp_path / "Socialnämnden v2.docx"
    v2.write_bytes(answer.save())
    (result,) = read_round(plan_round.root, PLAN, ROUND, [v2])
    assert (result.new, result.known, result.updated) == (0, 2, 1)
    after = path.read_text(encoding="utf-8")
    assert "# ägarens anteckning" in after
    entries = yaml.safe_load(after)
    assert sorted(e["synpunkt"] for e in entries) == ["Vem gör kartläggningen?", "Vilka?"]
    kept = next(e for e in entries if e["synpunkt"] == "Vem gör kartläggningen?")
    assert kept["ställningstagande"] == "noteras"
    assert kept["motivering"] == "Socialförvaltningen gör den."
    assert kept["repliker"] == [
        {
            "författare": "Per Holm",
            "datum": "2026-09-22T09:00:00Z",
            "text": "Socialförvaltningen, tror vi.",
        }
    ]


def test_a_password_protected_file_is_named_so(plan, tmp_path):
    """Word saves a password-protected .docx (and an old .doc) as an OLE compound file, not as
    a zip: named .docx, it is said to be one of them, with what to do."""
    _, places = plan
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1536)
    with pytest.raises(ResponseError) as e:
        read(tmp_path, ole, places, file="Socialnämnden.docx")
    assert e.value.message == (
        f"{tmp_path / 'Socialnämnden.docx'}: är ett lösenordsskyddat Word-dokument eller ett i "
        "det äldre .doc-formatet; öppna det i Word, ta bort lösenordet och spara svaret som "
        ".docx (eller be avsändaren om det utan lösenord)"
    )


# Word's "Strict Open XML" names: the WordprocessingML and relationship namespaces, the custom
# properties' (a full relationship type before its prefix)
TO_STRICT = [
    (
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties",
        b"http://purl.oclc.org/ooxml/officeDocument/relationships/customProperties",
    ),
    (
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties",
        b"http://purl.oclc.org/ooxml/officeDocument/relationships/extendedProperties",
    ),
    (
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        b"http://purl.oclc.org/ooxml/officeDocument/relationships",
    ),
    (
        b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        b"http://purl.oclc.org/ooxml/wordprocessingml/main",
    ),
    (
        b"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
        b"http://purl.oclc.org/ooxml/officeDocument/customProperties",
    ),
    (
        b"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
        b"http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes",
    ),
]


def _strict(data: bytes) -> bytes:
    """A DOCX as Word saves it in Strict Open XML: every part in the Strict namespaces."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = {n: z.read(n) for n in z.namelist()}
    for name, part in members.items():
        if name.endswith((".xml", ".rels")):
            for old, new in TO_STRICT:
                part = part.replace(old, new)
            members[name] = part
    assert b"schemas.openxmlformats.org/wordprocessingml" not in b"".join(members.values())
    return _zip(members)


def test_a_response_saved_as_strict_open_xml_is_read_as_the_usual_one(plan, tmp_path):
    from styrdok.model.remiss import IDENTITY_PROPERTY, identity
    from styrdok.readers.remiss.package import open_package
    from styrdok.readers.word.review import read_word

    data, places = plan
    answer = WordResponse(data)
    for i, (text, n, _, _) in enumerate(PLACES):
        answer.comment(text, f"Synpunkt {i}.", n=n)
    first = answer.comment("göra en kartläggning", "Vem gör den?")
    answer.reply(first, "Socialförvaltningen.", author="Per Holm", date="2026-09-22T09:00:00Z")
    answer.replace("Klart till december 2018", "Klart till juni 2019", author="Per Holm")
    header = next(n for n in answer.parts if "header" in n and "REMISSVERSION" in _xml(answer, n))
    answer.comment("REMISSVERSION", "Ta bort märkningen.", part=header)
    usual = answer.save()
    strict = read(tmp_path, _strict(usual), places, file="strikt.docx")
    got = {r.text or r.after: (r.quote or r.before, r.place, r.where) for r in strict.remarks}
    assert got == {
        **{f"Synpunkt {i}.": (text, place, "") for i, (text, _, place, _) in enumerate(PLACES)},
        "Vem gör den?": ("göra en kartläggning", "3:2", ""),
        "Klart till juni 2019": ("Klart till december 2018", "3:2", ""),
        "Ta bort märkningen.": ("REMISSVERSION", "allmänt", "sidhuvud"),
    }
    assert strict.remarks == read(tmp_path, usual, places).remarks  # nothing lost to Strict
    thread = next(r for r in strict.remarks if r.text == "Vem gör den?")
    assert [(x.author, x.text) for x in thread.replies] == [("Per Holm", "Socialförvaltningen.")]
    path = tmp_path / "strikt.docx"
    with open_package(path) as package:
        word = read_word(package)
    assert word.properties[IDENTITY_PROPERTY] == identity(PLAN, ROUND)  # customProperties


def test_a_part_with_a_dtd_is_refused(plan, tmp_path):
    """Word never writes a DTD; one in any part (here a billion laughs in the comments) is a
    file made to do harm, refused before its entities are expanded."""
    data, places = plan
    answer = WordResponse(data)
    answer.comment("Arbeta med framtagna strategier", "Synpunkt.")
    with zipfile.ZipFile(io.BytesIO(answer.save())) as z:
        members = {n: z.read(n) for n in z.namelist()}
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    dtd = f'<!DOCTYPE w:comments [<!ENTITY l0 "ha">{laughs}]>'.encode()
    comments = members["word/comments.xml"].replace(b"?>", b"?>" + dtd, 1)
    comments = comments.replace(b"Synpunkt.", b"&l9;", 1)
    with pytest.raises(ResponseError) as e:
        read(tmp_path, _zip(members | {"word/comments.xml": comments}), places)
    assert e.value.message == (
        f"{tmp_path / 'svar.docx'}: delen 'word/comments.xml' har en DTD (<!DOCTYPE …>), som "
        "Word aldrig skriver; filen läses inte (den kan vara gjord för att skada). Spara "
        "dokumentet på nytt i Word"
    )
