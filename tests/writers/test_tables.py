"""Tables, end to end: the source, the DOCX, the change list, the redline (with Accept All and
Reject All in LibreOffice) and the PDF's header cells."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace

import pypdf
import pytest
from support.lorun import libreoffice_edit
from support.redlinecheck import check_in_libreoffice, check_redline
from support.revise import METADATA
from support.sourceparse import parse, problems

from styrdok.commands.importer import import_docx
from styrdok.compare.changelist import diff_documents
from styrdok.model.document import Document, Measure, Paragraph, Run, Section, Table, text
from styrdok.project.layout import Project
from styrdok.readers.markdown.source import load_document
from styrdok.writers import source_text
from styrdok.writers.docx import render_docx

MATRIX = """# Ansvar {#ansvar}

Ansvaret fördelas så här.

| Roll | Ansvar | Följs upp av |
|---|---|---|
| Kommunstyrelsen | Leder arbetet med **informationssäkerhet** | Kommunfullmäktige |
| Nämnd | Ansvarar för sin [verksamhet](https://helsingborg.se/trygghet) | Kommunstyrelsen |
| Medarbetare |  | Chef |

Text efter tabellen.
"""


def cells(*texts: str) -> tuple:
    return tuple(text(t) for t in texts)


def test_a_pipe_table_is_read_cell_by_cell_and_written_back_the_same():
    doc = parse(MATRIX)
    table = doc.sections[0].blocks[1]
    assert isinstance(table, Table)
    assert table.header == cells("Roll", "Ansvar", "Följs upp av")
    assert len(table.rows) == 3 and table.rows[2] == (text("Medarbetare"), (), text("Chef"))
    assert table.rows[0][1][-1] == Run("informationssäkerhet", bold=True)
    assert table.rows[1][1][-1].href == "https://helsingborg.se/trygghet"
    assert doc.sections[0].blocks[2] == Paragraph(text("Text efter tabellen."))
    written = source_text.body(doc.sections)
    assert parse(written).sections == doc.sections
    assert source_text.body(parse(written).sections) == written


def test_cells_with_the_characters_a_table_uses_are_written_escaped():
    odd = cells("a | b", "\\|", "|start", "- punkt", "1. ett", "`kod`")
    doc = Document("d", METADATA, (Section("s", text("S"), (Table(odd, (odd,)),)),))
    back = parse(source_text.body(doc.sections))
    assert back.sections[0].blocks == doc.sections[0].blocks


@pytest.mark.parametrize(
    ("table", "line", "words"),
    [
        ("| a | b |\n|---|---|\n| 1 | 2 | 3 |\n", 5, "3 celler men tabellens rubrikrad har 2"),
        ("| a | b |\n|---|---|\n| 1 |\n", 5, "1 cell men"),
        ("| a | b |\n|:--|--:|\n| 1 | 2 |\n", 4, "kolumnjustering"),
        ("|  |  |\n|--|--|\n| 1 | 2 |\n", 3, "saknar rubrikrad"),
        ("| a | b |\n|---|---|\n| 1 | `x|y` |\n", 5, "3 celler"),
        ("| a |\n|---|\n| 1 |\n\n| b |\n|---|\n| 2 |\n", 7, "två tabeller"),
    ],
)
def test_a_table_that_would_not_be_built_as_written_is_refused_at_its_line(table, line, words):
    found = problems(f"# A {{#a}}\n\n{table}")
    assert any(n == line and words in m for n, m in found), found


def test_the_docx_table_has_the_grid_style_and_a_repeating_bold_header_row():
    xml = _document_xml(render_docx(parse(MATRIX)))
    (tbl,) = [t for t in re.findall(r"<w:tbl>.*?</w:tbl>", xml) if "Följs upp av" in t]
    assert '<w:tblStyle w:val="TableGrid"/>' in tbl
    rows = re.findall(r"<w:tr[ >].*?</w:tr>", tbl)
    assert len(rows) == 4 and "<w:tblHeader/>" in rows[0]
    assert all("<w:tblHeader/>" not in r for r in rows[1:])
    assert "<w:b/>" in rows[0] and "Följs upp av" in rows[0]


def _document_xml(docx: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()


def _with_table(doc: Document, table: Table | None, section: int = 0) -> Document:
    sections = list(doc.sections)
    blocks = [b for b in sections[section].blocks if not isinstance(b, Table)]
    if table is not None:
        blocks.insert(1, table)
    sections[section] = replace(sections[section], blocks=tuple(blocks))
    return replace(doc, sections=tuple(sections))


def table_revisions(old: Table) -> dict[str, Table | None]:
    rows = list(old.rows)
    changed = list(rows[1])
    changed[1] = text("Ansvarar för sin verksamhet och sina system")
    return {
        "a cell": replace(old, rows=(rows[0], tuple(changed), rows[2])),
        "the header": replace(old, header=cells("Roll", "Ansvar", "Uppföljning")),
        "a row added": replace(old, rows=(rows[0], cells("Chef", "Leder", "Nämnd"), *rows[1:])),
        "a row removed": replace(old, rows=(rows[0], rows[2])),
        "rows reordered": replace(old, rows=(rows[2], rows[0], rows[1])),
        "a column added": Table((*old.header, text("Not")), tuple((*r, ()) for r in rows)),
        "the table removed": None,
    }


def test_every_table_edit_is_listed_and_undone_exactly_by_accept_and_reject():
    old = parse(MATRIX)
    for name, table in table_revisions(old.sections[0].blocks[1]).items():
        new = _with_table(old, table)
        (entry,) = diff_documents(old, new).entries
        assert (entry.id, entry.kind, [f.field for f in entry.fields]) == (
            "ansvar",
            "modified",
            ["text"],
        ), name
        check_redline(old, new)
        check_redline(new, old)  # the table added, the row removed …


def test_a_changed_cell_is_a_tracked_change_inside_its_cell_and_rows_are_tracked_rows():
    old = parse(MATRIX)
    edits = table_revisions(old.sections[0].blocks[1])
    xml = _document_xml(check_redline(old, _with_table(old, edits["a cell"])))
    (cell,) = [c for c in re.findall(r"<w:tc>.*?</w:tc>", xml) if "<w:ins " in c]
    assert "och sina system" in re.sub(r"<[^>]+>", "", cell)
    assert not re.search(r"<w:trPr>(?:(?!</w:trPr>).)*<w:(ins|del) ", xml)
    xml = _document_xml(check_redline(old, _with_table(old, edits["a row added"])))
    (row,) = re.findall(r"<w:tr>(?:(?!</w:tr>).)*<w:ins [^>]*/></w:trPr>.*?</w:tr>", xml)
    assert "Leder" in re.sub(r"<[^>]+>", "", row)
    xml = _document_xml(check_redline(old, _with_table(old, edits["a row removed"])))
    assert re.search(r"<w:trPr><w:cantSplit/><w:del [^>]*/></w:trPr>", xml)
    assert "Nämnd" in "".join(re.findall(r"<w:delText[^>]*>([^<]*)<", xml))


def test_a_moved_measure_with_a_table_is_deleted_and_inserted_in_the_redline(office, tmp_path):
    """The change list says moved; the redline shows it deleted where it was and inserted
    where it is (a Word move's paragraph mark right above a table cannot be undone in
    LibreOffice), so Accept and Reject All stay exact."""
    table = parse(MATRIX).sections[0].blocks[1]
    fields = {k: text("X") for k in ("ansvarig", "tidplan", "uppfoljning")}
    first = Measure("forsta", text("Första"), (Paragraph(text("Inledning.")), table), fields)
    long = Paragraph(text("Ett långt stycke om annat. " * 40))  # it stays; the table moves
    second = Measure("andra", text("Andra"), (long,), fields)
    old = Document("d", METADATA, (Section("s", text("S"), (), (first, second)),))
    moved = replace(first, blocks=(Paragraph(text("Inledning.")), table_revisions(table)["a cell"]))
    new = replace(old, sections=(replace(old.sections[0], measures=(second, moved)),))
    assert [e.kind for e in diff_documents(old, new).entries if e.id == "forsta"] == ["moved"]
    xml = _document_xml(check_redline(old, new))
    assert "moveFromRangeStart" not in xml and "<w:moveTo " not in xml
    check_in_libreoffice(office, old, new, tmp_path)


def test_libreoffice_accepts_and_rejects_table_edits(office, tmp_path):
    old = parse(MATRIX)
    edits = table_revisions(old.sections[0].blocks[1])
    for name in ("a cell", "a row added", "a row removed", "rows reordered", "a column added"):
        check_in_libreoffice(office, old, _with_table(old, edits[name]), tmp_path)
    check_in_libreoffice(office, _with_table(old, None), old, tmp_path)  # the table added
    check_in_libreoffice(office, old, _with_table(old, None), tmp_path)  # the table removed


def _structure(node) -> list:
    """A PDF's structure elements as (type, children) trees."""
    node = node.get_object()
    if not isinstance(node, pypdf.generic.DictionaryObject):
        return []
    kids = node.get("/K")
    kids = kids if isinstance(kids, list) else [kids] if kids is not None else []
    below = [x for k in kids for x in _structure(k)]
    return [(node["/S"], below)] if "/S" in node else below


def test_the_pdf_tags_the_header_cells_as_th_and_repeats_them_on_every_page(office, tmp_path):
    rows = "".join(f"| Rad {i} | Text i rad {i} |\n" for i in range(60))
    doc = parse(f"# Tidplan {{#tidplan}}\n\n| Vad | När |\n|---|---|\n{rows}")
    docx = tmp_path / "tabell.docx"
    docx.write_bytes(render_docx(doc))
    pdf = office.convert(docx, tmp_path / "tabell.pdf", title="Tabell")
    reader = pypdf.PdfReader(pdf)
    tables = []

    def find(tree):
        for kind, kids in tree:
            if kind == "/Table":
                tables.append(kids)
            find(kids)

    find(_structure(reader.trailer["/Root"]["/StructTreeRoot"]))
    (table,) = [t for t in tables if len(t) > 60]  # the cover's tables are small
    header, *body = table
    assert header[0] == "/TR" and [k for k, _ in header[1]] == ["/TH", "/TH"]
    assert all(row[0] == "/TR" and {k for k, _ in row[1]} == {"/TD"} for row in body)
    pages = [p.extract_text() for p in reader.pages]
    holding = [t for t in pages if "Rad 1" in t or "Rad 59" in t]
    assert len(holding) >= 2 and all(re.search(r"Vad\s*När", t) for t in holding)


def test_a_built_table_imports_back_to_the_same_source(tmp_path):
    doc = parse(MATRIX)
    docx = tmp_path / "policy.docx"
    docx.write_bytes(render_docx(doc))
    result = import_docx(Project(tmp_path), docx, name="tillbaka")
    assert not [line for line in result.report if "tabell" in line]
    body = (result.folder / "document.md").read_text(encoding="utf-8")
    assert "| Roll | Ansvar | Följs upp av |\n|---|---|---|\n" in body
    assert diff_documents(doc, load_document(result.folder)).entries == ()


def test_a_table_edited_in_libreoffice_comes_back_cell_by_cell(office, tmp_path):
    doc = parse(MATRIX)
    docx = tmp_path / "policy.docx"
    docx.write_bytes(render_docx(doc))
    edited = libreoffice_edit(
        office, docx, tmp_path / "redigerad.docx", [["replace", "Chef", "Närmaste chef"]]
    )
    result = import_docx(Project(tmp_path), edited, name="tillbaka")
    (entry,) = diff_documents(doc, load_document(result.folder)).entries
    (change,) = entry.fields
    assert [(w.op, w.text) for w in change.words if w.op != "equal"] == [
        ("delete", "Chef"),
        ("insert", "Närmaste chef"),
    ]


def test_the_change_list_marks_a_whole_row_added_or_removed():
    old = parse(MATRIX)
    rows = list(old.sections[0].blocks[1].rows)
    added = (*rows[:2], cells("Chef", "Leder", "Nämnd"), rows[2])
    for new_rows, op in ((added, "insert"), ((rows[0], rows[2]), "delete")):
        table = replace(old.sections[0].blocks[1], rows=new_rows)
        (entry,) = diff_documents(old, _with_table(old, table)).entries
        words = entry.fields[0].words
        assert {w.op for w in words} == {"equal", op}
        row = "".join(w.text for w in words if w.op == op)  # one stretch (a link splits it)
        assert row.startswith("| ") and row.endswith(" |\n\n"), words


def test_libreoffice_undoes_a_paragraph_or_heading_added_or_removed_right_above_a_table(
    office, tmp_path
):
    """A tracked paragraph mark right above a table cannot be undone in place (the paragraph
    would join the table); the redline moves such marks up a paragraph (marks_off_the_table)."""
    table = "| x | y |\n|---|---|\n| 1 | 2 |\n\nEfter.\n"
    plain = parse(f"# A {{#a}}\n\nEtt.\n\n{table}")
    longer = parse(f"# A {{#a}}\n\nEtt.\n\nTvå stycken här.\n\n- en\n- två\n\n{table}")
    section = parse(f"# A {{#a}}\n\nEtt.\n\n{table}\n# Ny {{#ny}}\n\n{table}")
    for old, new in ((plain, longer), (longer, plain), (plain, section), (section, plain)):
        check_redline(old, new)
        check_in_libreoffice(office, old, new, tmp_path)
