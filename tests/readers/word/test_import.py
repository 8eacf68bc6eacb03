"""Word in: styrdok import, fresh and --into, proved by round trips through real LibreOffice."""

from __future__ import annotations

import io
import shutil
import struct
import zlib
from dataclasses import replace
from pathlib import Path

import pypandoc
import pytest
from click.testing import CliRunner
from docx import Document as new_docx
from docx.enum.text import WD_BREAK
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.gitrepo import DOC, DocRepo
from support.lorun import libreoffice_edit
from support.revise import documents

from styrdok.cli import main
from styrdok.commands.build import build_documents
from styrdok.commands.importer import import_docx
from styrdok.compare.changelist import diff_documents
from styrdok.compare.redline import redline
from styrdok.errors import StyrdokError
from styrdok.model.document import Paragraph, Run, join_runs
from styrdok.project.layout import Project
from styrdok.readers.markdown.source import REQUIRED_KEYS, load_document, parse_document
from styrdok.writers import source_text
from styrdok.writers.docx import render_docx

REPO = Path(__file__).resolve().parents[3]


def test_the_built_example_imports_to_its_own_source(repo, example, example_build, tmp_path):
    project = Project(tmp_path)
    result = import_docx(project, example_build, name="plan")
    assert result.report == []
    assert (result.folder / "document.md").read_text(encoding="utf-8") == (
        repo / "source" / DOC / "document.md"
    ).read_text(encoding="utf-8")
    imported = load_document(result.folder)
    assert imported.metadata == example.metadata
    assert diff_documents(example, imported).entries == ()


def test_edits_in_libreoffice_come_back_as_exactly_those_edits(example_build, office, tmp_path):
    repo = DocRepo(tmp_path / "repo")
    edited = libreoffice_edit(
        office,
        example_build,
        tmp_path / "redigerad.docx",
        [
            ["replace", "träffas 4-5 gånger per halvår", "träffas varje månad"],
            ["replace", "Klart juni 2018", "Klart december 2026"],
            ["paragraph_after", "Det finns fyra delmål med tillhörande strategier.", "Nytt."],
            ["delete_from_to", "Omdefiniera begrepp för kontraktsformer", "Riktlinjer för bost"],
            ["bold", "samordna och koordinera"],
        ],
    )
    result = CliRunner().invoke(
        main, ["import", str(edited), "--into", DOC, "--root", str(repo.root)]
    )
    assert result.exit_code == 0, result.output
    diff = repo.repo.git.diff("--unified=0", "--", "source").splitlines()
    removed = [line[1:] for line in diff if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in diff if line.startswith("+") and not line.startswith("+++")]
    assert added == [
        "Mål och strategidokumentet syftar till att **samordna och koordinera** stadens insatser"
        " för hemlösa och innehåller förslag till riktlinjer för hur arbetet ska organiseras. De"
        " samordnade insatserna ska bidra till att så många som möjligt kan bo kvar i, eller få,"
        " ett ordinarie boende.",
        "Nytt.",
        "",
        "Samarbetsgruppen träffas varje månad.",
        ": Klart december 2026",
    ]
    assert removed[0].startswith("Mål och strategidokumentet syftar till att samordna")
    assert "Samarbetsgruppen träffas 4-5 gånger per halvår." in removed
    assert ": Klart juni 2018" in removed
    assert "## Omdefiniera begrepp för kontraktsformer {#kontraktsformer .åtgärd}" in removed
    assert len(removed) == 3 + 13  # three edited lines and the deleted measure's 13 lines
    assert "document.yaml" not in repo.repo.git.diff("--stat")


def test_tracked_changes_are_refused_unless_accepted(example, tmp_path):
    measures = list(example.sections[2].measures)
    fields = {**measures[0].fields, "tidplan": (Run("Klart 2030"),)}
    measures[0] = replace(measures[0], fields=fields)
    del measures[6]  # 3:7, which nothing refers to
    sections = list(example.sections)
    sections[2] = replace(sections[2], measures=tuple(measures))
    new = replace(example, sections=tuple(sections))
    marked = tmp_path / "redline.docx"
    marked.write_bytes(render_docx(redline(example, new, "Anna", "2026-09-16T08:00:00Z")))
    with pytest.raises(StyrdokError, match=r"spårade ändringar.*--accept-changes"):
        import_docx(Project(tmp_path / "p"), marked, name="plan")
    assert not (tmp_path / "p" / "source" / "plan").exists()
    result = import_docx(Project(tmp_path / "p"), marked, name="plan", accept_changes=True)
    assert diff_documents(new, load_document(result.folder)).entries == ()


def png() -> bytes:
    """A 1×1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def foreign_docx(path: Path, with_dnr: bool = True) -> Path:
    """A riktlinje written in Word without styrdok: python-docx's own template, numbers typed
    by hand, measures as bold paragraphs, field labels in bold with the value after a colon or
    on the next line, a table."""
    d = new_docx()
    d.sections[0].header.paragraphs[0].text = "RIKTLINJER" + (
        "  DNR: KS 2024/12" if with_dnr else ""
    )
    d.add_paragraph("Riktlinjer för bostadsstöd", style="Title")
    for label, value in (
        ("Beslutat av", "Kommunfullmäktige"),
        ("Datum", "3 mars 2024"),
        ("Revideras av", "Socialnämnden"),
        ("Giltighet", "2024–2027"),
        ("Gäller för", "Alla nämnder och bolag"),
        ("Dokumentansvarig", "Socialförvaltningen"),
    ):
        p = d.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        p.add_run(value)
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    d.add_heading("1 Inledning", level=1)
    p = d.add_paragraph("Riktlinjerna gäller ")
    p.add_run("alla").italic = True
    p.add_run(" som söker stöd.")
    d.add_paragraph("Första punkten", style="List Bullet")
    d.add_paragraph("Andra punkten", style="List Bullet")
    d.add_picture(io.BytesIO(png()))
    d.add_heading("Bakgrund", level=2)
    d.add_paragraph("Staden har haft riktlinjer sedan 2015.")
    table = d.add_table(rows=4, cols=2)
    table.cell(0, 0).text = "Nämnd"
    table.cell(0, 1).text = "Ansvar"
    table.cell(1, 0).text = "Socialnämnden"
    table.cell(1, 1).text = "Beviljar stödet"
    table.cell(1, 1).add_paragraph("Följer upp")  # two paragraphs: one line in the source
    table.cell(2, 0).merge(table.cell(2, 1)).text = "Alla nämnder"  # a merged cell
    d.add_heading("2 Åtgärder", level=1)
    for n, (title, owner, when) in enumerate(
        [
            ("Ta fram en rutin för stödet", "Socialnämnden", "Klart 2025"),
            ("Följ upp stödet årligen", "Kommunstyrelsen", "Varje år i mars"),
        ],
        1,
    ):
        d.add_paragraph().add_run(f"2:{n} {title}").bold = True
        d.add_paragraph(f"Beskrivning av åtgärd {n}.")
        p = d.add_paragraph()
        p.add_run("Ansvarig nämnd eller bolag:").bold = True
        p.add_run(f" {owner}")
        d.add_paragraph().add_run("Tidplan").bold = True
        d.add_paragraph(when)
        p = d.add_paragraph()
        p.add_run("Uppföljning: ").bold = True
        p.add_run("Styrgruppen")
    d.add_heading("3 Uppföljning", level=1)
    d.add_paragraph("Riktlinjerna följs upp i årsredovisningen.")
    d.save(path)
    return path


def test_a_document_written_without_styrdok_is_imported_whole(tmp_path):
    result = import_docx(Project(tmp_path), foreign_docx(tmp_path / "Riktlinjer bostadsstöd.docx"))
    assert result.folder.name == "riktlinjer-bostadsstod"
    doc = load_document(result.folder)
    m = doc.metadata
    assert (m.typ, m.titel, m.datum.isoformat(), m.dnr) == (
        "riktlinjer",
        "Riktlinjer för bostadsstöd",
        "2024-03-03",
        "KS 2024/12",
    )
    assert m.beslutat_av == "Kommunfullmäktige" and m.gäller_för == "Alla nämnder och bolag"
    assert [s.title[0].text for s in doc.sections] == ["Inledning", "Åtgärder", "Uppföljning"]
    measures = doc.sections[1].measures
    assert [m.id for m in measures] == ["ta-fram-en-rutin-for-stodet", "folj-upp-stodet-arligen"]
    assert [m.fields["ansvarig"][0].text for m in measures] == ["Socialnämnden", "Kommunstyrelsen"]
    assert [m.fields["tidplan"][0].text for m in measures] == ["Klart 2025", "Varje år i mars"]
    assert all(m.fields["uppfoljning"][0].text == "Styrgruppen" for m in measures)
    intro = doc.sections[0].blocks
    assert Run("alla", italic=True) in intro[0].runs
    assert [type(b).__name__ for b in intro] == [
        "Paragraph",
        "BulletList",
        "Subheading",
        "Paragraph",
        "Table",
    ]
    table = intro[-1]
    assert table.header == ((Run("Nämnd"),), (Run("Ansvar"),))
    assert table.rows == (
        ((Run("Socialnämnden"),), (Run("Beviljar stödet Följer upp"),)),
        ((Run("Alla nämnder"),), ()),
    )
    notes = [line for line in result.report if "tabellen ('NämndAnsvar" in line]
    assert [n.split("): ")[1] for n in notes] == [
        "en cell med flera stycken eller en lista blev en rad",
        "sammanslagna celler delades upp (texten står i den första)",
        "tomma rader togs bort",
    ]
    assert any(
        line.startswith("avsnittet 'Inledning' (stycke") and "en bild" in line
        for line in result.report
    )


def test_a_document_made_by_pandoc_is_imported(tmp_path):
    markdown = (
        "---\ntitle: Policy för digital tillgänglighet\n---\n\n"
        "Beslutat av: Kommunstyrelsen\n\nDatum: 2025-05-20\n\nDiarienummer: KS 2025/99\n\n"
        "# 1 Syfte\n\nAlla ska kunna ta del av [stadens webb](https://helsingborg.se).\n\n"
        "1. ett\n2. två\n\n"
        "# 2 Åtgärder\n\n## 2:1 Granska webbplatsen\n\nÅrlig granskning.\n\n"
        "**Ansvarig nämnd eller bolag:** Kommunstyrelsen\n\n**Tidplan:** 2026\n\n"
        "**Uppföljning:** Digitaliseringsrådet\n"
    )
    path = tmp_path / "policy.docx"
    pypandoc.convert_text(markdown, "docx", format="markdown", outputfile=str(path))
    result = import_docx(Project(tmp_path), path, name="policy-tillganglighet")
    text = (result.folder / "document.md").read_text(encoding="utf-8")
    assert "[stadens webb](https://helsingborg.se)" in text and "1. ett\n2. två" in text
    yaml = (result.folder / "document.yaml").read_text(encoding="utf-8")
    assert "typ: policy" in yaml and "dnr: KS 2025/99" in yaml and "datum: 2025-05-20" in yaml
    # what the Word document did not say is a placeholder that check refuses, with its line
    check = CliRunner().invoke(main, ["check", "--root", str(tmp_path)])
    assert check.exit_code == 1
    assert "document.yaml:" in check.output and "<saknas>" in check.output


def test_a_document_that_is_no_styrdokument_is_refused(tmp_path):
    d = new_docx()
    d.add_paragraph("Hej! Här är mötesanteckningarna.")
    d.save(tmp_path / "anteckningar.docx")
    result = CliRunner().invoke(
        main, ["import", str(tmp_path / "anteckningar.docx"), "--root", str(tmp_path)]
    )
    assert result.exit_code == 1 and "hittade inga numrerade avsnitt" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "source").exists()


def test_bad_files_and_names_are_clear_errors(tmp_path, example_build):
    (tmp_path / "inte.docx").write_text("hej", encoding="utf-8")
    runner = CliRunner()
    bad = runner.invoke(main, ["import", str(tmp_path / "inte.docx"), "--root", str(tmp_path)])
    assert bad.exit_code == 1 and "inte ett Word-dokument" in bad.output
    args = ["import", str(example_build), "--root", str(tmp_path)]
    assert runner.invoke(main, [*args, "--name", "plan"]).exit_code == 0
    again = runner.invoke(main, [*args, "--name", "plan"])
    assert again.exit_code == 1 and "--into plan" in again.output
    assert runner.invoke(main, [*args, "--name", "Plan 2"]).exit_code == 1
    unknown = runner.invoke(main, [*args, "--into", "finns-inte"])
    assert unknown.exit_code == 1 and "finns: plan" in unknown.output


def test_the_writer_is_the_parsers_inverse_for_text_with_markup_characters():
    runs = (
        Run("Pris 100 $ * 2 _under_ [x] {y} <b> &amp; ~a~ ^b^ "),
        Run("fet", bold=True),
        Run(" och "),
        Run("länk", href="https://helsingborg.se/a_(b)"),
    )
    for start in ("", "2018. ", "- ", "# ", ": ", "> ", "+ "):
        line = source_text.inline((Run(start + runs[0].text), *runs[1:]))
        body = f"# Avsnitt {{#a}}\n\n{line}\n"
        doc = parse_document("d", _yaml(), body.encode(), Path("d"))
        assert doc.sections[0].blocks == (Paragraph((Run(start + runs[0].text), *runs[1:])),)


def _yaml() -> bytes:
    values = {k: "x" for k in REQUIRED_KEYS}
    values |= {"typ": "plan", "datum": "2025-01-01"}
    return source_text.metadata(values).encode()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_what_the_writer_writes_parses_back_to_the_same_document(data):
    doc = data.draw(documents())
    body = source_text.body(doc.sections)
    back = parse_document(doc.name, _yaml(), body.encode(), Path(doc.name))
    # the same words, formatting and structure (the diff compares exactly these), and the
    # same text when written again
    assert diff_documents(replace(plain_spaces(doc), metadata=back.metadata), back).entries == ()
    assert source_text.body(back.sections) == body


def plain_spaces(doc):
    """The document with the spaces at the ends of bold or italic runs unformatted: Markdown
    cannot mark them (`** ord**` is no emphasis), so the writer moves them out."""

    def runs(rs):
        out = []
        for r in rs:
            if r.note is not None:
                out.append(Run("", note=runs(r.note)))
                continue
            core = r.text.strip()
            if not core or not (r.bold or r.italic):
                out.append(replace(r, bold=False, italic=False) if not core else r)
                continue
            lead, trail = r.text[: r.text.index(core)], r.text[r.text.index(core) + len(core) :]
            out += [Run(lead, href=r.href), replace(r, text=core), Run(trail, href=r.href)]
        return tuple(r for r in out if r.text or r.note is not None)

    def blocks(bs):
        out = []
        for b in bs:
            if hasattr(b, "header"):
                cells = [tuple(map(runs, row)) for row in (b.header, *b.rows)]
                out.append(replace(b, header=cells[0], rows=tuple(cells[1:])))
            elif hasattr(b, "items"):
                out.append(replace(b, items=tuple(replace(i, runs=runs(i.runs)) for i in b.items)))
            else:
                out.append(replace(b, runs=runs(b.runs)))
        return tuple(out)

    def measure(m):
        fields = {k: runs(v) for k, v in m.fields.items()}
        return replace(m, title=runs(m.title), blocks=blocks(m.blocks), fields=fields)

    return replace(
        doc,
        sections=tuple(
            replace(
                s,
                title=runs(s.title),
                blocks=blocks(s.blocks),
                measures=tuple(measure(m) for m in s.measures),
            )
            for s in doc.sections
        ),
    )


def test_a_measure_added_in_libreoffice_is_a_new_measure(example_build, office, tmp_path):
    repo = DocRepo(tmp_path / "repo")
    lines = [
        "3:11 Bostadsrådgivning för unga",
        "Unga får råd om sitt första boende.",
        "Ansvarig nämnd eller bolag",
        "Socialnämnden",
        "Tidplan",
        "Klart 2027",
        "Uppföljning",
        "Styrgruppen",
    ]
    edits = [
        ["paragraphs_after_last", "^Styrgruppen$", lines],
        ["style", lines[0], "Heading 2"],  # as the owner makes a measure heading in Word
    ]
    edited = libreoffice_edit(office, example_build, tmp_path / "ny.docx", edits)
    result = import_docx(Project(repo.root), edited, into=DOC)
    assert result.changed == ["document.md"]
    new = load_document(repo.folder)
    (entry,) = diff_documents(_committed(repo), new).entries
    assert (entry.kind, entry.id, entry.number) == ("added", "bostadsradgivning-for-unga", "3:11")
    assert (
        entry.field("ansvarig").new == "Socialnämnden"
        and entry.field("tidplan").new == "Klart 2027"
    )


def _committed(repo: DocRepo):
    from styrdok.readers.revisions import load_revision

    return load_revision(repo.root, DOC, "HEAD")[0]


def test_fields_numbers_and_cover_as_users_write_them(tmp_path):
    """Found by trying: an empty last field, a measure without a number after another's fields,
    a paragraph that starts with a time, a header with a tab, a cover cell of two lines."""
    d = new_docx()
    d.sections[0].header.paragraphs[0].text = "Dnr: SN 2024/123\t\t12 februari 2024"
    d.add_paragraph("Plan för mötesplatser", style="Title")
    cover = d.add_table(rows=1, cols=2)
    cover.cell(0, 0).text = "Gäller för"
    cover.cell(0, 1).text = "Socialförvaltningen"
    cover.cell(0, 1).add_paragraph("Kulturförvaltningen")
    d.add_heading("1 Åtgärder", 1)
    d.add_heading("1:1 Första", 2)
    for t in ["Ansvarig nämnd eller bolag: SN", "Tidplan: 2025", "Uppföljning"]:
        d.add_paragraph(t)
    d.add_heading("1:2 Andra", 2)
    d.add_paragraph("Denna beskrivning stannar.")
    d.add_paragraph("14:00 möts gruppen varje månad.")
    for t in ["Ansvarig nämnd eller bolag: KN", "Tidplan: 2026", "Uppföljning: årligen"]:
        d.add_paragraph(t)
    d.add_heading("Ny åtgärd utan nummer", 2)
    for t in ["Ansvarig nämnd eller bolag: ÄN", "Tidplan: 2030", "Uppföljning: KS"]:
        d.add_paragraph(t)
    d.save(tmp_path / "plan.docx")
    result = import_docx(Project(tmp_path), tmp_path / "plan.docx")
    yaml = (result.folder / "document.yaml").read_text(encoding="utf-8")
    assert "dnr: SN 2024/123\n" in yaml and "datum: 2024-02-12" in yaml
    assert "gäller_för: Socialförvaltningen, Kulturförvaltningen" in yaml
    assert "typ: plan" in yaml and "titel: Plan för mötesplatser" in yaml
    body = (result.folder / "document.md").read_text(encoding="utf-8")
    assert "## Andra {#andra .åtgärd}\n\nDenna beskrivning stannar.\n\n14:00 möts gruppen" in body
    assert "Uppföljning\n: \\<saknas>\n\n## Andra" in body  # the empty field, not the next text
    assert "## Ny åtgärd utan nummer {#ny-atgard-utan-nummer .åtgärd}" in body
    assert ": KN\n" in body and ": ÄN\n" in body
    assert any("'Uppföljning' hittades inte" in line for line in result.report)


def test_into_keeps_a_source_laid_out_by_hand(repo, office, tmp_path):
    """The owner's own layout (a list right under its paragraph, text right under a heading)
    stays; only the edited line changes."""
    project = tmp_path / "p"
    shutil.copytree(repo / "source", project / "source")
    md = project / "source" / DOC / "document.md"
    text = md.read_text(encoding="utf-8")
    text = text.replace("handlingsplan:\n\n- Alla", "handlingsplan:\n- Alla", 1)
    text = text.replace("## Organisering\n\n", "## Organisering\n", 1)
    md.write_text(text, encoding="utf-8")
    (built,) = build_documents(Project(project), (DOC,), ("docx",), tmp_path / "out")
    edited = libreoffice_edit(
        office, built, tmp_path / "e.docx", [["replace", "minst 1 gång", "minst 2 gånger"]]
    )
    import_docx(Project(project), edited, into=DOC)
    after = md.read_text(encoding="utf-8")
    assert after == text.replace("minst 1 gång", "minst 2 gånger", 1)


def test_bold_next_to_punctuation_stays_bold():
    for runs in (
        (Run("Obs!", bold=True), Run("Läs detta")),
        (Run("ord"), Run('"citat"', bold=True), Run(" sen")),
        (Run("stads"), Run("(del)", italic=True), Run("en")),
    ):
        body = f"# A {{#a}}\n\n{source_text.inline(runs)}\n"
        (para,) = parse_document("d", _yaml(), body.encode(), Path("d")).sections[0].blocks
        assert "".join(r.text for r in para.runs) == "".join(r.text for r in runs)
        assert "*" not in "".join(r.text for r in para.runs)
        assert any(r.bold or r.italic for r in para.runs)


@pytest.mark.parametrize(
    ("runs", "written"),
    [
        ((Run("ord", bold=True), Run("1", bold=True, script="super")), "**ord**^**1**^"),
        ((Run("m"), Run("2", bold=True, script="super"), Run(" kvar")), "m^**2**^ kvar"),
        ((Run("a"), Run("n", italic=True, script="super"), Run(" b")), "a^*n*^ b"),
        ((Run("Storgatan 1\n"),), "Storgatan 1"),  # a break at the end is no line
        (
            (Run("Se "), Run("https://a.se/b", href="https://a.se/b"), Run(".")),
            "Se https://a.se/b.",
        ),
    ],
)
def test_the_writer_keeps_scripts_breaks_and_addresses_as_the_parser_reads_them(runs, written):
    assert source_text.inline(runs, breaks=True) == written
    body = f"# A {{#a}}\n\n{written}\n".encode()
    back = parse_document("d", _yaml(), body, Path("d")).sections[0].blocks[0].runs
    assert back == join_runs(tuple(replace(r, text=r.text.rstrip("\n")) for r in runs))


def test_a_measures_fields_in_a_word_table_become_its_fields(tmp_path):
    path = tmp_path / "plan.docx"
    d = new_docx()
    d.add_paragraph("Handlingsplan för parker", style="Title")
    d.add_heading("1 Åtgärder", level=1)
    d.add_paragraph().add_run("1:1 Fler parkbänkar").bold = True
    d.add_paragraph("Bänkar i alla stadsdelsparker.")
    table = d.add_table(rows=3, cols=2)
    for row, (label, value) in zip(
        table.rows,
        [
            ("Ansvarig nämnd eller bolag:", "Stadsbyggnadsnämnden"),
            ("Tidplan", "2026"),
            ("Uppföljning", "Årligen"),
        ],
        strict=True,
    ):
        row.cells[0].text, row.cells[1].text = label, value
    d.save(path)
    result = import_docx(Project(tmp_path), path)
    body = (result.folder / "document.md").read_bytes()
    (measure,) = parse_document("plan", _yaml(), body, result.folder).sections[0].measures
    assert {k: v[0].text for k, v in measure.fields.items()} == {
        "ansvarig": "Stadsbyggnadsnämnden",
        "tidplan": "2026",
        "uppfoljning": "Årligen",
    }
    assert not [line for line in result.report if "tabell" in line]


@pytest.mark.parametrize("name", sorted(p.name for p in (REPO / "source").iterdir()))
def test_a_document_saved_by_libreoffice_unchanged_imports_unchanged(name, office, tmp_path):
    """LibreOffice saves a numbered list as its first item's restarting numbering and the
    rest's plain one (one Word list): it comes back as one list, as written."""
    root = tmp_path / "p"
    shutil.copytree(REPO / "source" / name, root / "source" / name)
    shutil.copytree(REPO / "templates", root / "templates")
    (docx,) = build_documents(Project(root), (name,), ("docx",), tmp_path / "b")
    saved = libreoffice_edit(office, docx, tmp_path / "sparad.docx", [])
    result = import_docx(Project(root), saved, into=name)
    assert (root / "source" / name / "document.md").read_text(encoding="utf-8") == (
        REPO / "source" / name / "document.md"
    ).read_text(encoding="utf-8"), result.report


@pytest.mark.parametrize(
    "inline",
    [
        '<w:hyperlink r:id="{rid}"><w:r><w:t>Läs mer på webben</w:t></w:r></w:hyperlink>',
        '<w:fldSimple w:instr="AUTHOR"><w:r><w:t>Läs mer på webben</w:t></w:r></w:fldSimple>',
        "<w:sdt><w:sdtPr><w:citation/></w:sdtPr><w:sdtContent><w:r><w:t>Läs mer på webben"
        "</w:t></w:r></w:sdtContent></w:sdt>",
    ],
)
def test_a_paragraph_added_before_the_first_heading_is_named(example_build, tmp_path, inline):
    """Also in a document styrdok built: a paragraph an owner adds on its cover, with a link,
    a field or a citation in it, is named in the report, not dropped without a word."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    doc = new_docx(str(example_build))
    rid = doc.part.relate_to(
        "https://helsingborg.se/",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
        is_external=True,
    )
    first = next(p for p in doc.paragraphs if p.style.name.lower().startswith("heading 1"))
    first._p.addprevious(parse_xml(f"<w:p {nsdecls('w', 'r')}>{inline.format(rid=rid)}</w:p>"))
    doc.save(str(tmp_path / "omslag.docx"))
    result = import_docx(Project(tmp_path / "p"), tmp_path / "omslag.docx", name="plan")
    assert result.report == ["omslaget: texten 'Läs mer på webben' fördes inte över"]
