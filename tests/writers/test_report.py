"""The change report answers styrgruppen's questions: what is new and who owns it by when,
what was removed from whom, which deadlines moved, what changed per department."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import pytest
from lxml import etree

from styrdok.compare.changelist import diff_documents
from styrdok.model.document import Measure, Paragraph, Run, plain
from styrdok.model.owners import owners
from styrdok.readers.revisions import Revision
from styrdok.writers.docx import render_docx
from styrdok.writers.report import build_report, to_document, to_markdown

OLD = Revision("2024", "a" * 40, "2024-03-01T10:00:00Z", "Anna")
NEW = Revision("2025", "b" * 40, "2025-03-01T10:00:00Z", "Anna")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fastighetsförvaltningen och Mark- och exploateringsenheten",
         ["Fastighetsförvaltningen", "Mark- och exploateringsenheten"]),
        ("Socialförvaltningen i samarbete med vård- och omsorgsförvaltningen",
         ["Socialförvaltningen", "Vård- och omsorgsförvaltningen"]),
        ("Kulturnämnden, Helsingborgshem samt Stadsledningsförvaltningen",
         ["Kulturnämnden", "Helsingborgshem", "Stadsledningsförvaltningen"]),
        ("Socialnämnden tillsammans med socialnämnden", ["Socialnämnden"]),
        ("Styrgruppen.", ["Styrgruppen"]),
    ],
)  # fmt: skip
def test_departments_are_split_at_separators_but_never_inside_a_name(text, expected):
    assert owners(text) == expected


def revision(example):
    """A year's revision: a new measure, one removed, one moved last, one re-scheduled, one
    handed from one department to another."""
    ms = list(example.sections[2].measures)
    rescheduled = replace(ms[0], fields={**ms[0].fields, "tidplan": (Run("Klart juni 2026"),)})
    handed = replace(ms[4], fields={**ms[4].fields, "ansvarig": (Run("Kulturnämnden"),)})
    added = Measure(
        "unga-vuxna",
        (Run("Boende för unga vuxna"),),
        (Paragraph((Run("Staden tar fram boenden för unga vuxna."),)),),
        {
            "ansvarig": (Run("Socialnämnden och Helsingborgshem"),),
            "tidplan": (Run("Klart 2027"),),
            "uppfoljning": (Run("Styrgruppen"),),
        },
    )
    new_ms = [rescheduled, ms[1], ms[3], handed, *ms[5:9], added, ms[9], ms[2]]
    sections = list(example.sections)
    sections[2] = replace(sections[2], measures=tuple(new_ms))
    return replace(example, sections=tuple(sections)), ms


def section_text(report, ident: str) -> str:
    (section,) = [s for s in report.sections if s.id == ident]
    out = []
    for b in section.blocks:
        if hasattr(b, "items"):
            out += [plain(i.runs) for i in b.items]
        elif hasattr(b, "rows"):
            out += [" | ".join(map(plain, row)) for row in (b.header, *b.rows)]
        else:
            out.append(plain(b.runs))
    return "\n".join(out)


def test_the_report_answers_styrgruppens_questions(example):
    new, ms = revision(example)
    report = build_report(diff_documents(example, new), OLD, NEW)
    assert [s.id for s in report.sections] == [
        "jamforelse",
        "nya-och-borttagna",
        "tidplaner",
        "per-ansvarig",
        "nummer",  # the introduction's references show the new numbers: no edit of it
        "detaljer-measure",
    ]
    overview = section_text(report, "jamforelse")
    assert (
        "Från: versionen beslutad 12 februari 2018, DNR 000/000 (2024, commit aaaaaaaa)" in overview
    )
    assert "Åtgärder: 1 tillagd, 1 ändrad, 1 flyttad," in overview and "understruken" in overview
    whole = section_text(report, "nya-och-borttagna")
    assert "Ny: 3:9 Boende för unga vuxna" in whole  # who owns it, by when
    assert "Ansvarig nämnd eller bolag: Socialnämnden och Helsingborgshem" in whole
    assert "Tidplan: Klart 2027" in whole
    assert "Borttagen" not in whole  # handed over and moved: nothing was removed
    removed = plain(ms[4].fields["ansvarig"])
    deadlines = section_text(report, "tidplaner")
    assert "Åtgärd | Tidplan förut | Tidplan nu" in deadlines
    assert f"3:1 {plain(ms[0].title)} | Klart juni 2018 | Klart juni 2026" in deadlines
    per = section_text(report, "per-ansvarig")
    assert f"Får: 3:4 (var 3:5) {plain(ms[4].title)} (överförd från" in per
    for department in owners(removed):
        assert f"Lämnar: 3:4 (var 3:5) {plain(ms[4].title)} (överförd till Kulturnämnden)" in per
        assert department in per
    assert "Får: 3:9 Boende för unga vuxna (ny åtgärd)" in per
    numbers = section_text(report, "nummer")
    assert f"3:3 → 3:11: {plain(ms[2].title)}" in numbers


def test_a_removed_measure_is_shown_in_full_with_who_loses_it(example):
    ms = list(example.sections[2].measures)
    sections = list(example.sections)
    sections[2] = replace(sections[2], measures=tuple(ms[:2] + ms[3:]))
    new = replace(example, sections=tuple(sections))
    report = build_report(diff_documents(example, new), OLD, NEW)
    whole = section_text(report, "nya-och-borttagna")
    assert f"Borttagen: (var 3:3) {plain(ms[2].title)}" in whole
    assert plain(ms[2].fields["tidplan"]) in whole
    per = section_text(report, "per-ansvarig")
    assert f"Lämnar: (var 3:3) {plain(ms[2].title)} (borttagen åtgärd)" in per
    # two items never share one label: the removed 3:3 and the renumbered one that is 3:3 now
    labels = [
        plain(b.runs) for s in report.sections for b in s.blocks if type(b).__name__ == "Subheading"
    ]
    assert len(labels) == len(set(labels))


def test_the_report_document_is_a_report_not_a_decision(example):
    new, _ = revision(example)
    changes = diff_documents(example, new)
    docx = render_docx(to_document(changes, OLD, NEW))
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        body = etree.fromstring(z.read("word/document.xml"))
        header = z.read("word/header1.xml").decode()
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    text = ["".join(t.text or "" for t in p.iter(f"{w}t")) for p in body.iter(f"{w}p")]
    assert text[0] == "Ändringsrapport" and "Beslutat av:" not in text
    tables = [
        ["".join(t.text or "" for t in tc.iter(f"{w}t")) for tc in tbl.iter(f"{w}tc")]
        for tbl in body.iter(f"{w}tbl")
    ]  # no governance banner, no metadata block: the one table is the deadlines'
    assert [t[:3] for t in tables] == [["Åtgärd", "Tidplan förut", "Tidplan nu"]]
    assert body.find(f".//{w}tbl/{w}tr/{w}trPr/{w}tblHeader") is not None
    assert "ÄNDRINGSRAPPORT" in header
    assert "Jämförelse" in text and "Per ansvarig nämnd eller bolag" in text  # unnumbered
    md = to_markdown(changes, OLD, NEW)
    assert "| 3:1 Innovation" in md and "| Klart juni 2018 | Klart juni 2026 |" in md


def test_markdown_shows_the_documents_text_as_text(example):
    """Text that looks like Markdown or HTML in a document is escaped in changes.md: a Markdown
    viewer (pandoc's CommonMark reader here) shows it as written, and runs no HTML."""
    import subprocess

    from styrdok.readers.markdown import pandoc

    odd = [
        "<script>alert(1)</script> & *inte fetstil* och [ingen länk](x) `kod` \\ snedstreck",
        "# inte en rubrik",
        "1. inte en lista",
        "- inte heller",
        "> inget citat",
    ]
    first = example.sections[0]
    blocks = tuple(Paragraph((Run(t),)) for t in odd)
    new = replace(
        example, sections=(replace(first, blocks=blocks + first.blocks), *example.sections[1:])
    )
    md = to_markdown(diff_documents(example, new), OLD, NEW)
    html = subprocess.run(
        [pandoc.binary(), "-f", "commonmark", "-t", "html"],
        input=md.encode(),
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "<script>" not in html and "<em>" not in html and "<a " not in html
    assert "<h1>inte" not in html and "<ol" not in html and "<blockquote>" not in html
    text = subprocess.run(
        [pandoc.binary(), "-f", "commonmark", "-t", "plain", "--wrap=none"],
        input=md.encode(),
        capture_output=True,
        check=True,
    ).stdout.decode()
    for line in odd:
        assert line in text, line
