"""The uppföljningsrapport for styrgruppen (issue 23 §3): its model, its PDF (PDF/A-2b and
PDF/UA-1, validated as the session's LibreOffice makes it), its DOCX (valid, every measure's id
a bookmark) and its web page (0 axe violations); and a workbook filled in by LibreOffice Calc
that reads back exactly."""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from support.browser import violations
from support.docxcheck import problems as docx_problems
from support.followup import DOC, FASTIGHET, SOCIAL, VO, YEAR, project, workbooks
from support.lorun import run_script
from support.pdftext import body_text

from styrdok.model.document import BarChart, plain
from styrdok.readers.markdown.source import load_document
from styrdok.readers.uppfoljning.yaml_file import read_follow_up, year_path
from styrdok.writers.uppfoljning.report import build_report, to_document

LAST = """\
år: 2025
åtgärder:
  bostad-forst:
    Socialförvaltningen:
      status: påbörjad
  sociala-kontrakt:
    Fastighetsförvaltningen:
      status: påbörjad
    Socialförvaltningen:
      status: ej påbörjad
  oversyn-bestand:
    Fastighetsförvaltningen:
      status: påbörjad
"""
NOW = """\
år: 2026
åtgärder:
  bostad-forst:
    Socialförvaltningen:
      status: genomförd
      kommentar: "Tolv hushåll har fått eget kontrakt."
      rapporterad: 2026-09-12
  sociala-kontrakt:
    Fastighetsförvaltningen:
      status: genomförd
      kommentar: "Riktlinjerna är klara."
    Socialförvaltningen:
      status: påbörjad
      kommentar: "Beslut i oktober."
  oversyn-bestand:
    Fastighetsförvaltningen:
      status: påbörjad
      kommentar: "Rapporten dröjer till december."
  boendestod:
    Vård- och omsorgsförvaltningen:
      status: pågår enligt plan
"""


@pytest.fixture(scope="module")
def followed(tmp_path_factory):
    """The plan with its follow-ups of 2025 and 2026 (3:2 not reported, 3:1 half reported)."""
    p = project(tmp_path_factory.mktemp("rapport"))
    folder = p.source / DOC / "uppfoljning"
    folder.mkdir()
    (folder / "2025.yaml").write_text(LAST, encoding="utf-8")
    (folder / "2026.yaml").write_text(NOW, encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def model(followed):
    doc = load_document(followed.source / DOC)
    current, _ = read_follow_up(folder_year(followed, 2026), DOC)
    last, _ = read_follow_up(folder_year(followed, 2025), DOC)
    return build_report(doc, current, last)


def folder_year(p, year):
    return year_path(p.source / DOC, year)


@pytest.fixture(scope="module")
def outputs(followed, office, tmp_path_factory):
    from styrdok.commands.uppfoljning import report

    out = tmp_path_factory.mktemp("ut")
    paths = report(followed, DOC, YEAR, ("pdf", "docx", "html"), out, office=office)
    return {p.suffix: p for p in paths}


def test_the_report_model(model):
    counts = {s.value: n for s, n in model.counts}
    # 2:1 genomförd; 2:2 shared, genomförd and påbörjad: påbörjad; 2:3 påbörjad; 3:1 only one of
    # two departments answered: pågår enligt plan; 3:2 nobody: ej rapporterad
    assert counts == {
        "ej påbörjad": 0,
        "påbörjad": 2,
        "pågår enligt plan": 1,
        "försenad": 0,
        "genomförd": 1,
        "avbruten": 0,
        "ej rapporterad": 1,
    }
    assert [r.number for r in model.late] == ["2:2", "2:3"]  # juni, våren 2026 passed
    assert model.done == 1
    assert [r.last.value if r.last else None for r in model.rows] == [
        "påbörjad",
        "ej påbörjad",
        "påbörjad",
        "ej rapporterad",
        "ej rapporterad",
    ]
    doc = to_document(model)
    assert doc.kind == "uppföljningsrapport" and doc.metadata.titel == "Uppföljning 2026"
    summary, late, _per, every = doc.sections
    assert [plain(s.title) for s in doc.sections][1] == "Försenade åtgärder"
    assert late.id == "uppfoljning-forsenade"
    (chart,) = [b for b in summary.blocks if isinstance(b, BarChart)]
    assert chart.values == (0, 2, 1, 0, 1, 0, 1) and chart.total == 5
    assert chart.alt(1) == "påbörjad: 2 av 5"
    assert [m.id for m in every.measures] == [
        "bostad-forst",
        "sociala-kontrakt",
        "oversyn-bestand",
        "boendestod",
        "vrakningsforebyggande",
    ]


def test_the_pdf_says_it_all_in_order(outputs):
    text = " ".join(body_text(outputs[".pdf"]).split())
    order = [
        "Uppföljning 2026",
        "Handlingsplan för trygga bostäder",
        "Sammanfattning",
        "1 av 5 åtgärder (20 %) är genomförda och 2 är försenade",
        "Sedan uppföljningen 2025 har 3 åtgärder ändrat status.",
        "Åtgärdernas status 2026",
        "påbörjad 2 (40 %)",
        "ej rapporterad 1 (20 %)",
        "Försenade åtgärder",
        "2:3 Översyn av",
        "Rapporten dröjer till december.",
        "Per förvaltning och bolag",
        FASTIGHET,
        "påbörjad → genomförd",
        SOCIAL,
        "ej påbörjad → påbörjad",
        VO,
        "ej rapporterad → pågår enligt plan",
        "Alla åtgärder",
        "2:1 Bostad först för fler hushåll",
        "Status: genomförd (förra året: påbörjad)",
        "Socialförvaltningen, 2026-09-12: Tolv hushåll har fått eget kontrakt.",
        "3:2 Vräkningsförebyggande arbete",
        "Socialförvaltningen: ej rapporterad",
    ]
    at = 0
    for piece in order:
        found = text.find(piece, at)
        assert found >= 0, f"{piece!r} not after {text[max(at - 80, 0) : at]!r}"
        at = found


def test_the_pdf_has_the_city_s_header_and_figures_with_alt_text(outputs):
    import pikepdf
    import pypdf

    reader = pypdf.PdfReader(outputs[".pdf"])
    first = reader.pages[0].extract_text()
    assert first.startswith("HELSINGBORG") and "UPPFÖLJNINGSRAPPORT" in first
    assert re.search(r"SID 1\(\d\)", first)
    alts = []
    with pikepdf.open(outputs[".pdf"]) as pdf:

        def walk(node):
            if isinstance(node, pikepdf.Array):
                for kid in node:
                    walk(kid)
            elif isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure":
                    alts.append(str(node.get("/Alt")))
                kids = node.get("/K")
                if kids is not None and not isinstance(kids, int):
                    walk(kids)

        walk(pdf.Root.StructTreeRoot)
    # one figure a bar that has a length (the statuses with 0 measures have none)
    assert alts == [
        "påbörjad: 2 av 5",
        "pågår enligt plan: 1 av 5",
        "genomförd: 1 av 5",
        "ej rapporterad: 1 av 5",
    ]
    outline = [o.title for o in reader.outline if not isinstance(o, list)]
    assert outline[:4] == ["Sammanfattning", "Försenade åtgärder", "Per förvaltning och bolag",
                           "Alla åtgärder"]  # fmt: skip


def test_the_docx_is_valid_and_keeps_each_measure_s_id_as_a_bookmark(outputs):
    assert docx_problems(outputs[".docx"]) == []
    with zipfile.ZipFile(outputs[".docx"]) as z:
        xml = z.read("word/document.xml").decode()
        pictures = [n for n in z.namelist() if n.startswith("word/media/")]
    names = set(re.findall(r'w:bookmarkStart w:id="\d+" w:name="([^"]+)"', xml))
    for ident in ("bostad-forst", "sociala-kontrakt", "oversyn-bestand", "boendestod"):
        assert f"id_{ident.replace('-', '_')}" in names
    assert 'descr="påbörjad: 2 av 5"' in xml
    assert len(pictures) == 4  # a one-pixel picture a colour


def test_the_same_follow_up_gives_the_same_docx(followed, tmp_path):
    from styrdok.commands.uppfoljning import report

    (one,) = report(followed, DOC, YEAR, ("docx",), tmp_path / "a")
    (two,) = report(followed, DOC, YEAR, ("docx",), tmp_path / "b")
    assert one.read_bytes() == two.read_bytes()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_web_page_has_no_axe_violations_and_a_chart(outputs, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(outputs[".html"].as_uri())
    assert violations(page) == []
    bars = page.eval_on_selector_all(
        "figure.chart svg[role=img]", "els => els.map(e => e.getAttribute('aria-label'))"
    )
    assert bars == [
        "påbörjad: 2 av 5",
        "pågår enligt plan: 1 av 5",
        "genomförd: 1 av 5",
        "ej rapporterad: 1 av 5",
    ]
    assert page.inner_text("figure.chart tbody tr:nth-child(2)").split() == [
        "påbörjad", "2", "(40", "%)"
    ]  # fmt: skip
    assert page.get_attribute("#boendestod", "id") == "boendestod"  # the measure's anchor
    page.close()


def test_a_report_without_the_year_s_answers_is_refused(followed):
    from styrdok.commands.uppfoljning import report
    from styrdok.errors import StyrdokError

    with pytest.raises(StyrdokError, match=r"2027.yaml: finns inte; läs in förvaltningarnas"):
        report(followed, DOC, 2027, ("html",))
    with pytest.raises(StyrdokError, match="okänt format: odt; välj bland pdf, docx, html"):
        report(followed, DOC, YEAR, ("odt",))


def test_a_workbook_filled_in_by_libreoffice_calc_reads_back_exactly(office, tmp_path):
    """Calc, not openpyxl, fills and saves the workbook (over UNO, as a person in Calc would):
    its drop-down, protection and hidden sheet survive, and the answers read back exactly."""
    from openpyxl import load_workbook

    from styrdok.commands.uppfoljning import read_in

    p = project(tmp_path)
    book = workbooks(p, tmp_path / "utskick")[SOCIAL]
    answers = {
        "2:1": ["genomförd", "Klart i augusti; 12 hushåll."],
        "2:2": ["påbörjad", 'Två rader\noch "citat" & <tecken>'],
        "3:2": ["försenad", "Åäö – ok"],
    }
    saved = tmp_path / "calc.xlsx"
    done = run_script(office, "lofill.py", str(book), str(saved), json.dumps(answers))
    assert done.returncode == 0, done.stderr
    wb = load_workbook(saved)
    ws = wb["Uppföljning"]
    assert ws.protection.sheet and ws.data_validations.dataValidation  # kept by Calc
    assert wb["styrdok"].sheet_state == "hidden"
    result = read_in(p, DOC, [saved])
    assert [a.measure for a in result.added] == [
        "bostad-forst",
        "sociala-kontrakt",
        "vrakningsforebyggande",
    ]
    assert result.missing[SOCIAL] == ["3:1"]
    follow, _ = read_follow_up(year_path(p.source / DOC, YEAR), DOC)
    numbers = {"2:1": "bostad-forst", "2:2": "sociala-kontrakt", "3:2": "vrakningsforebyggande"}
    for number, (status, comment) in answers.items():
        a = follow.answers[numbers[number]][SOCIAL]
        assert (a.status, a.comment) == (status, comment)
