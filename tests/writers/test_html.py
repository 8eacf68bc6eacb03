"""The HTML edition, the register and the change report as a web page: what the model holds is
on the page, nothing from the source becomes markup, and every page passes axe-core at WCAG 2.1
AA in a real browser (Debian's chromium, one per test session)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from support import revise
from support.browser import violations
from support.gitrepo import DocRepo
from support.modelruns import runs_in

from styrdok.cli import main
from styrdok.commands.build import build_documents
from styrdok.commands.compare import compare
from styrdok.model.document import (
    BulletList,
    Document,
    ListItem,
    Measure,
    Paragraph,
    Run,
    Section,
    Subheading,
    Table,
    plain,
)
from styrdok.project.layout import Project
from styrdok.readers.markdown.source import load_document
from styrdok.writers.html import document_page
from styrdok.writers.register import write_register

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p.parent.name for p in (REPO / "source").glob("*/document.yaml"))
TODAY = date(2026, 1, 15)


class Tags(HTMLParser):
    """The elements of a page, with their attributes, and its text."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def named(self, tag: str) -> list[dict]:
        return [a for t, a in self.tags if t == tag]


def _example_project(tmp_path: Path) -> Project:
    root = tmp_path / "project"
    shutil.copytree(REPO / "source", root / "source")
    shutil.copytree(REPO / "templates", root / "templates")
    return Project(root)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The examples built as HTML, with the register."""
    project = _example_project(tmp_path_factory.mktemp("site"))
    build_documents(project, formats=("html",), today=TODAY)
    return project.build


@pytest.fixture(scope="module")
def report_page(tmp_path_factory) -> Path:
    """A change report of the example plan from its decided version to an edited one."""
    repo = DocRepo(tmp_path_factory.mktemp("history") / "repo")
    repo.edit("Klart juni 2018", "Klart december 2019")
    repo.edit("Styrgruppen träffas minst 1 gång per halvår.", "Styrgruppen träffas varje kvartal.")
    repo.edit("Staden arbetar fortsatt med strategin se", "Staden arbetar vidare med strategin, se")
    out = repo.root / "out"
    compare(repo.root, repo.doc, f"{repo.doc}/2018", None, out, ("html",))
    return out / "changes.html"


def _open(browser, path: Path, width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(path.as_uri())
    return page


# --- the document page, from the model ----------------------------------------------------------


def _rich_document(example: Document) -> Document:
    """The example plan with everything the model can hold added to its first section."""
    rich = (
        Paragraph((Run("rad ett\nrad två"),)),
        Paragraph(
            (
                Run("fet", bold=True),
                Run(" kursiv", italic=True),
                Run(" m"),
                Run("2", script="super"),
                Run(" CO"),
                Run("2", script="sub"),
                Run(" länk", href="https://helsingborg.se/"),
            )
        ),
        BulletList((ListItem((Run("tre"),)), ListItem((Run("fyra"),))), ordered=True, start=3),
        Subheading((Run("Underrubrik"),), level=3),
        Table(((Run("Mål"),), (Run("Värde"),)), (((Run("Bostad"),), (Run("100"),)),)),
    )
    first = example.sections[0]
    return replace(
        example, sections=(replace(first, blocks=first.blocks + rich), *example.sections[1:])
    )


def test_the_page_holds_everything_in_the_model(example):
    doc = _rich_document(example)
    page = Tags(document_page(doc, ("docx", "pdf", "html")))
    text = "".join(page.text)
    assert page.named("html") == [{"lang": "sv"}]
    assert [a["start"] for a in page.named("ol") if "start" in a] == ["3"]
    assert page.named("sup") and page.named("sub") and page.named("br") and page.named("table")
    assert {"scope": "col"} in page.named("th")
    assert "https://helsingborg.se/" in [a.get("href") for a in page.named("a")]
    # headings like the PDF's: sections h2 with their number, measures h3 3:1 …
    numbers = [n for n, _, _ in doc.numbered_measures()]
    assert all(f"{n} " in text for n in numbers)
    ids = {a.get("id") for _, a in page.tags}
    assert {m.id for _, _, m in doc.numbered_measures()} <= ids
    assert {s.id for s in doc.sections} <= ids
    # the table of contents links to every section and measure
    hrefs = {a.get("href") for a in page.named("a")}
    assert {f"#{s.id}" for s in doc.sections} <= hrefs
    # each measure's three fields as a definition list
    assert text.count("Ansvarig nämnd eller bolag") == len(numbers)
    assert len(page.named("dl")) == len(numbers) + 1  # and the metadata
    assert {"handlingsplan-bostadssociala.pdf", "handlingsplan-bostadssociala.docx"} <= hrefs
    assert "PLAN" in text and "Socialförvaltningen verksamhetsområde vuxen" in text


def test_appendices_are_numbered_bilaga(repo):
    doc = load_document(repo / "source" / "policy-informationssakerhet")
    assert any(s.appendix for s in doc.sections)
    text = "".join(Tags(document_page(doc)).text)
    assert "Bilaga 1 " in text


def test_links_to_pdf_and_docx_only_when_built(example):
    hrefs = {a.get("href") for a in Tags(document_page(example, ("html",))).named("a")}
    assert not any(h.endswith((".pdf", ".docx")) for h in hrefs if h)


def test_hostile_text_does_not_become_markup(example):
    evil = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    meta = replace(example.metadata, titel=evil, undertitel=evil, dnr=evil)
    section = Section(
        "inledning",
        (Run(evil),),
        (Paragraph((Run(evil), Run("klick", href="javascript:alert(3)"))),),
        (Measure("m", (Run(evil),), (), {"ansvarig": (Run(evil),)}),),
    )
    html = document_page(replace(example, metadata=meta, sections=(section,)))
    page = Tags(html)
    assert not page.named("script") and not page.named("img")
    assert "javascript:" not in html
    assert evil in "".join(page.text)


def test_the_same_model_gives_the_same_bytes(example):
    assert document_page(example, ("pdf",)) == document_page(example, ("pdf",))


# --- build: files, incremental, register --------------------------------------------------------


def test_build_html_writes_index_and_register(site):
    for name in EXAMPLES:
        assert (site / name / "index.html").is_file()
        assert not (site / name / f"{name}.pdf").exists()
    rows = json.loads((site / "register.json").read_text(encoding="utf-8"))
    assert [r["dokument"] for r in rows] == EXAMPLES
    assert {r["typ"] for r in rows} == {"plan", "program", "policy", "riktlinjer"}
    assert all(r["html"] == f"{r['dokument']}/index.html" and not r["pdf"] for r in rows)
    plan = next(r for r in rows if r["typ"] == "plan")
    assert plan["beslutad"] == "2018-02-12" and plan["läge"] == "utgången"  # giltighet 2018-2019
    with (site / "register.csv").open(encoding="utf-8") as f:
        assert [r["dokument"] for r in csv.DictReader(f)] == EXAMPLES
    page = Tags((site / "index.html").read_text(encoding="utf-8"))
    hrefs = {a.get("href") for a in page.named("a")}
    assert {f"{n}/index.html" for n in EXAMPLES} <= hrefs
    assert "index-beslutad.html" in hrefs and "register.csv" in hrefs


def test_register_orders(site):
    def order(file: str) -> list[str]:
        page = (site / file).read_text(encoding="utf-8")
        return [n for n in sorted(EXAMPLES, key=lambda n: page.index(f'"{n}/index.html"'))]

    rows = json.loads((site / "register.json").read_text(encoding="utf-8"))
    newest = [r["dokument"] for r in sorted(rows, key=lambda r: r["beslutad"], reverse=True)]
    assert order("index-beslutad.html") == newest
    assert order("index-lage.html")[0] == next(
        r["dokument"] for r in rows if r["läge"] == "utgången"
    )


def test_an_unchanged_html_build_rewrites_nothing_and_formats_are_inputs(tmp_path):
    project = _example_project(tmp_path)
    run = CliRunner().invoke
    args = ["build", "--format", "html", "--root", str(project.root)]
    assert run(main, args).exit_code == 0
    files = sorted(project.build.rglob("*.*"))
    stamps = {p: p.stat().st_mtime_ns for p in files}
    again = run(main, args)
    assert again.exit_code == 0 and "inget att bygga" in again.output
    assert {p: p.stat().st_mtime_ns for p in files} == stamps
    first = (project.build / EXAMPLES[0] / "index.html").read_bytes()
    result = run(main, ["build", "--format", "docx", "--root", str(project.root)])
    assert result.exit_code == 0 and f"{len(EXAMPLES)} byggda" in result.output
    assert not (project.build / EXAMPLES[0] / "index.html").exists()  # one run's files
    rows = json.loads((project.build / "register.json").read_text(encoding="utf-8"))
    assert all(r["docx"] and not r["html"] for r in rows)
    assert run(main, args).exit_code == 0
    assert (project.build / EXAMPLES[0] / "index.html").read_bytes() == first  # deterministic


def test_register_lists_a_document_whose_text_is_broken_with_its_earlier_files(tmp_path):
    project = _example_project(tmp_path)
    build_documents(project, formats=("html",), today=TODAY)
    body = project.source / EXAMPLES[0] / "document.md"
    body.write_text("# Utan id\n\n::: {.okänd}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--format", "html", "--root", str(project.root)])
    assert result.exit_code != 0 and "document.md" in result.output
    rows = json.loads((project.build / "register.json").read_text(encoding="utf-8"))
    assert [r["dokument"] for r in rows] == EXAMPLES


# --- the change report --------------------------------------------------------------------------


def test_diff_html_marks_changes_with_ins_del_and_words(report_page):
    html = report_page.read_text(encoding="utf-8")
    page = Tags(html)
    text = "".join(page.text)
    assert page.named("ins") and page.named("del")
    assert "[tillagt: " in text and "[borttaget: " in text
    assert "Ändrade tidplaner" in text and "Klart december 2019" in text
    ids = {a["id"] for _, a in page.tags if "id" in a}
    anchors = [a["href"][1:] for a in page.named("a") if a.get("href", "").startswith("#")]
    assert set(anchors) <= ids  # the document's own links are text here, not dead anchors
    assert "åtgärd 3:2" in text  # (a link to #utskrivning-till-hemloshet in the source)


# --- in the browser -----------------------------------------------------------------------------


def test_every_page_passes_axe_at_wcag21_aa(browser, site, report_page):
    """Every page at desktop width; a document page and the register also at phone width,
    where their layout changes."""
    pages = [site / n / "index.html" for n in EXAMPLES]
    pages += [*sorted(site.glob("index*.html")), report_page]
    phone = [site / EXAMPLES[0] / "index.html", site / "index.html"]
    found = {}
    for width, paths in ((1280, pages), (390, phone)):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for path in paths:
            page.goto(path.as_uri())
            if problems := violations(page):
                found[f"{path.relative_to(path.parents[1])} @ {width}px"] = problems
        context.close()
    assert found == {}


def test_the_register_filters_by_type_without_script(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((site / "index.html").as_uri())
    rows = page.locator("table.register tbody tr")
    assert sum(rows.nth(i).is_visible() for i in range(rows.count())) == len(EXAMPLES)
    page.get_by_label("PLAN", exact=True).check()
    visible = [
        rows.nth(i).get_attribute("class") for i in range(rows.count()) if rows.nth(i).is_visible()
    ]
    assert visible == ["typ-plan"]
    context.close()


def test_the_document_page_reads_in_the_browser(browser, site, example):
    page = _open(browser, site / example.name / "index.html")
    assert page.title() == "Handlingsplan – Bostadssociala programmet"
    headings = page.locator("section.measure > h3").all_inner_texts()
    assert [h.split(" ")[0] for h in headings] == [n for n, _, _ in example.numbered_measures()]
    page.locator("nav.toc a", has_text="3:4").click()
    assert page.url.endswith("#riktlinjer-bostadssociala-lagenheter")
    page.context.close()


def test_axe_reports_a_page_that_breaks_wcag(browser, tmp_path):
    """The check can fail: a page without language, title or image text is reported."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html><body><img src="x.png"></body></html>', encoding="utf-8")
    page = browser.new_page()
    page.goto(bad.as_uri())
    found = " ".join(violations(page))
    page.close()
    assert "html-has-lang" in found and "image-alt" in found and "document-title" in found


def test_register_shows_the_last_released_version(tmp_path):
    repo = DocRepo(tmp_path / "repo")  # the plan, tagged as decided version 2018
    build_documents(Project(repo.root), formats=("html",), today=TODAY)
    (row,) = json.loads((repo.root / "build" / "register.json").read_text(encoding="utf-8"))
    assert row["senaste_version"] == "2018"
    assert ">2018<" in (repo.root / "build" / "index.html").read_text(encoding="utf-8")


@settings(max_examples=40, deadline=None)
@given(revise.documents())
def test_any_document_becomes_a_page_with_all_its_text_once(doc):
    """Random documents of every shape (revise.py): each section, measure and field text is on
    the page, each heading has its derived number, and no id is used twice."""
    html = document_page(doc)
    page = Tags(html)
    marks = re.compile(r'<sup class="fotnot">.*?</sup>')  # a footnote's number, in the text
    squeezed = " ".join(" ".join(Tags(marks.sub("", html)).text).split())
    for number, section in doc.numbered_sections():
        assert f"{number} {' '.join(plain(section.title).split())}" in squeezed
        for block in section.blocks:
            for runs in [block.runs] if isinstance(block, Paragraph) else []:
                assert " ".join(plain(runs).split()) in squeezed
    for number, _, measure in doc.numbered_measures():
        assert f"{number} {' '.join(plain(measure.title).split())}" in squeezed
        for value in measure.fields.values():
            assert " ".join(plain(value).split()) in squeezed
    notes = [r.note for r in runs_in(doc) if r.note is not None]
    for n, note in enumerate(notes, 1):  # each footnote in the list, its mark linked to it
        assert " ".join(plain(note).split()) in squeezed
        assert ("a", {"href": f"#fotnot-{n}", "id": f"fotnotref-{n}"}) in page.tags
    ids = [a["id"] for _, a in page.tags if "id" in a]
    assert len(ids) == len(set(ids))


def test_register_sees_a_new_release_and_opens_no_repository_without_one(tmp_path, monkeypatch):
    """The release tags are read from git's own files: the same tags, and the register is up to
    date without opening the repository; a new tag (loose, then packed by git gc), and the
    register shows the new version."""
    from datetime import datetime

    from support.gitrepo import CET

    import styrdok.writers.register as register

    repo = DocRepo(tmp_path / "repo")
    build = repo.root / "build"
    build_documents(Project(repo.root), formats=("html",), today=TODAY)

    def refused(root):
        raise AssertionError("the repository was opened")

    with monkeypatch.context() as m:
        m.setattr(register, "latest_releases", refused)
        assert write_register(Project(repo.root), build, TODAY) == []
    repo.edit("Bostad Först", "Bostad först")
    repo.commit("Plan 2019", datetime(2019, 2, 1, 12, 0, tzinfo=CET), tag=f"{repo.doc}/2019")
    assert write_register(Project(repo.root), build, TODAY)
    (row,) = json.loads((build / "register.json").read_text(encoding="utf-8"))
    assert row["senaste_version"] == "2019"
    repo.repo.git.gc()  # the tags into packed-refs: the same tags, nothing to rewrite
    with monkeypatch.context() as m:
        m.setattr(register, "latest_releases", refused)
        assert write_register(Project(repo.root), build, TODAY) == []


def test_register_escapes_what_the_metadata_says(tmp_path):
    project = _example_project(tmp_path)
    meta = project.source / EXAMPLES[0] / "document.yaml"
    evil = "<script>alert(1)</script>"
    text = meta.read_text(encoding="utf-8").replace("titel: Handlingsplan", f'titel: "{evil}"')
    meta.write_text(text, encoding="utf-8")
    build_documents(project, formats=("html",), today=TODAY)
    for page in ("index.html", f"{EXAMPLES[0]}/index.html"):
        html = (project.build / page).read_text(encoding="utf-8")
        assert not Tags(html).named("script") and "&lt;script&gt;" in html


def test_register_csv_does_not_run_a_title_as_a_formula(tmp_path):
    project = _example_project(tmp_path)
    meta = project.source / EXAMPLES[0] / "document.yaml"
    formula = '=HYPERLINK("https://example.invalid/","klicka")'
    text = meta.read_text(encoding="utf-8").replace(
        "titel: Handlingsplan", "titel: '" + formula.replace("'", "''") + "'"
    )
    meta.write_text(text, encoding="utf-8")
    build_documents(project, formats=("html",), today=TODAY)
    text = (project.build / "register.csv").read_text(encoding="utf-8")
    titles = [r["titel"] for r in csv.DictReader(io.StringIO(text))]
    # shown as text by a spreadsheet, as written after the apostrophe
    assert any(t.startswith("'" + formula) for t in titles)
    assert not any(t.startswith(("=", "+", "-", "@")) for t in titles)
    rows = json.loads((project.build / "register.json").read_text(encoding="utf-8"))
    assert any(r["titel"].startswith(formula) for r in rows)  # the JSON holds it as it is


def test_register_follows_metadata_outputs_and_the_day(tmp_path):
    project = _example_project(tmp_path)
    build_documents(project, formats=("html",), today=TODAY)
    register = project.build / "register.json"

    def row(name: str) -> dict:
        rows = json.loads(register.read_text(encoding="utf-8"))
        return next(r for r in rows if r["dokument"] == name)

    policy = "policy-informationssakerhet"  # to be reviewed 2027-02-01
    assert row(policy)["läge"] == "gäller"
    build_documents(project, formats=("html",), today=date(2026, 12, 1))
    assert row(policy)["läge"] == "ska aktualitetsprövas"  # a new day, a new state
    meta = project.source / policy / "document.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("Policy för", "Ny policy för"))
    build_documents(project, formats=("html",), today=date(2026, 12, 1))
    assert row(policy)["titel"].startswith("Ny policy för")
    (project.build / policy / "index.html").unlink()
    (project.build / policy / ".bygge.json").unlink()  # (else the build would restore the page)
    assert write_register(project, project.build, date(2026, 12, 1))  # a page gone: rewritten
    assert row(policy)["html"] == ""


def test_footnotes_are_listed_with_links_both_ways():
    doc = load_document(REPO / "source" / "program-trygghet")
    page = Tags(document_page(doc))
    text = " ".join(" ".join(page.text).split())
    assert "Fotnoter" in text
    assert "Trygghetsmätningen görs vartannat år tillsammans med polisen." in text
    links = {a.get("href") for a in page.named("a")}
    assert {"#fotnot-1", "#fotnot-2", "#fotnotref-1", "#fotnotref-2"} <= links
    ids = {a.get("id") for _, a in page.tags}
    assert {"fotnot-1", "fotnot-2", "fotnotref-1", "fotnotref-2"} <= ids
