"""The follow-up commands as recipes: `utskick` (a workbook per department), `läs` (returned
workbooks into the year's file) and `rapport` (the uppföljningsrapport for styrgruppen).

Each gathers and checks everything first and writes last, through a staging folder, so that a
refused run writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from styrdok.errors import SourceError, StyrdokError
from styrdok.model.document import Document
from styrdok.model.uppfoljning import Answer, FollowUp, departments, with_answers
from styrdok.project import publish
from styrdok.project.layout import Project
from styrdok.readers.markdown.source import load_documents
from styrdok.readers.uppfoljning.check import against_document
from styrdok.readers.uppfoljning.yaml_file import read_follow_up, year_path

if TYPE_CHECKING:
    from styrdok.convert.office import Office

REPORT_FORMATS = ("pdf", "docx", "html")


def plan(project: Project, name: str) -> Document:
    """The document, which must have measures to follow up."""
    (doc,) = load_documents(project.source, [name])  # an unknown name: the names there are
    if not doc.numbered_measures():
        raise StyrdokError(
            f"{name}: dokumentet har inga åtgärder att följa upp (en {doc.metadata.typ})"
        )
    return doc


def follow_up(project: Project, doc: Document, year: int) -> FollowUp | None:
    """A year's follow-up of the document, None when there is none; a SourceError when its
    file has problems."""
    path = year_path(project.source / doc.name, year)
    if not path.is_file():
        return None
    found, problems = read_follow_up(path, doc.name)
    if problems or found is None:
        raise SourceError(problems)
    return found


def check_year(year: int) -> int:
    if not 1900 <= year <= 2200:
        raise StyrdokError(f"--år {year}: ange året med fyra siffror, t.ex. --år 2026")
    return year


# --- utskick ----------------------------------------------------------------------------------


def send_out(
    project: Project, name: str, year: int, out_dir: Path | None = None, due: date | None = None
) -> list[Path]:
    """Write one workbook per responsible department into `out_dir` (standard:
    build/<dok>/uppfoljning-<år>/); returns the files."""
    from styrdok.writers.uppfoljning.workbook import file_name, workbook_bytes

    doc = plan(project, name)
    year = check_year(year)
    last = follow_up(project, doc, year - 1)
    out = out_dir or project.build / name / f"uppfoljning-{year}"
    project.output(out, "-o")
    files = {
        file_name(name, year, department): workbook_bytes(
            doc, year, department, measures, last, due
        )
        for department, measures in departments(doc).items()
    }
    made = [p for p in (*out.parents, out) if not p.exists()]
    try:
        with publish.staging(out) as staging:
            for file, data in files.items():
                (staging / file).write_bytes(data)
            return publish.publish([(staging / f, out / f) for f in files])
    except BaseException:
        publish.remove_empty(made)
        raise


# --- läs --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """An answer that would replace one already in the year's file."""

    before: Answer
    after: Answer
    number: str


@dataclass
class ReadResult:
    """What `läs` did: the file written (None if nothing changed), the answers added, left as
    they were and replaced, and who has not answered yet (department → measure numbers)."""

    path: Path
    written: bool
    added: list[Answer] = field(default_factory=list)
    unchanged: list[Answer] = field(default_factory=list)
    replaced: list[Change] = field(default_factory=list)
    missing: dict[str, list[str]] = field(default_factory=dict)
    silent: list[str] = field(default_factory=list)  # departments without any answer


def read_in(
    project: Project,
    name: str,
    files: list[Path],
    year: int | None = None,
    replace_existing: bool = False,
    on: date | None = None,
) -> ReadResult:
    """Read returned workbooks (or Excel's CSV of them) into source/<dok>/uppfoljning/<år>.yaml.
    Every file is checked before anything is written; an answer that differs from one already
    in the file is a refusal that lists the changes, unless `replace_existing` (--ersätt)."""
    from styrdok.readers.uppfoljning.returned import answers_of, identify, read_returned
    from styrdok.writers.uppfoljning.yaml_file import write_follow_up

    if not files:
        raise StyrdokError("ange arbetsböckerna att läsa in (FILER …)")
    doc = plan(project, name)
    on = on or date.today()
    returned = [read_returned(path) for path in files]
    if year is None:
        years = sorted({identify(r)[1] for r in returned})
        if len(years) != 1 or not years[0].isdigit():
            raise StyrdokError(
                f"arbetsböckerna gäller olika år ({', '.join(years)}); ange året med --år"
            )
        year = int(years[0])
    year = check_year(year)
    problems: list[str] = []
    read = []
    for r in returned:
        answers, found = answers_of(r, doc, year, on)
        problems += found
        read.append(answers)
    by_department: dict[str, Path] = {}
    for answers in read:
        if answers.department in by_department and not problems:
            problems.append(
                f"{answers.path}: {answers.department} har redan svarat i "
                f"{by_department[answers.department]}; läs in en arbetsbok per förvaltning"
            )
        by_department.setdefault(answers.department, answers.path)
    if problems:
        raise StyrdokError(
            "\n".join(problems) + f"\nstyrdok: inget lästes in ({len(problems)} fel)"
        )

    path = year_path(project.source / name, year)
    existing = follow_up(project, doc, year) or FollowUp(name, year)
    number = {m.id: n for n, _, m in doc.numbered_measures()}
    result = ReadResult(path, False)
    new: list[Answer] = []
    for answers in read:
        for a in answers.answers:
            before = existing.answers.get(a.measure, {}).get(a.department)
            if before is None:
                result.added.append(a)
                new.append(a)
            elif (before.status, before.comment) == (a.status, a.comment):
                result.unchanged.append(before)
            else:
                result.replaced.append(Change(before, a, number[a.measure]))
                new.append(replace(a, line=before.line))
    if result.replaced and not replace_existing:
        lines = [
            f"{c.after.department}, åtgärd {c.number}: {c.before.status} → {c.after.status}"
            + (" (kommentaren ändras)" if c.before.comment != c.after.comment else "")
            for c in result.replaced
        ]
        raise StyrdokError(
            f"{path}: {len(lines)} svar finns redan med ett annat innehåll:\n  "
            + "\n  ".join(lines)
            + "\nstyrdok: inget lästes in; kör igen med --ersätt för att ersätta dem"
        )
    merged = with_answers(existing, new)
    problems_in_plan = against_document(merged, doc, path)  # e.g. an answer for a removed measure
    if problems_in_plan and merged.date >= doc.metadata.datum:
        raise SourceError(problems_in_plan)
    if new:
        text = write_follow_up(merged, doc)
        with publish.staging(path.parent) as staging:
            (staging / path.name).write_text(text, encoding="utf-8")
            publish.publish([(staging / path.name, path)])
        result.written = True
    result.missing, result.silent = not_answered(doc, merged)
    return result


def not_answered(doc: Document, follow_up: FollowUp) -> tuple[dict[str, list[str]], list[str]]:
    """Each department's measures without its answer (by number), and the departments that
    have not answered at all."""
    missing: dict[str, list[str]] = {}
    silent = []
    for department, measures in departments(doc).items():
        open_ = [n for n, m in measures if department not in follow_up.answers.get(m.id, {})]
        if open_:
            missing[department] = open_
        if len(open_) == len(measures):
            silent.append(department)
    return missing, silent


# --- rapport ----------------------------------------------------------------------------------


def report(
    project: Project,
    name: str,
    year: int,
    formats: tuple[str, ...] = REPORT_FORMATS,
    out_dir: Path | None = None,
    office: Office | None = None,
) -> list[Path]:
    """Write the uppföljningsrapport of a year into `out_dir` (standard:
    build/<dok>/uppfoljning-<år>/): uppfoljningsrapport-<år>.pdf, .docx and .html."""
    from styrdok.commands.report_files import write_report
    from styrdok.writers.uppfoljning.html import report_page
    from styrdok.writers.uppfoljning.report import build_report, to_document

    unknown = [f for f in formats if f not in REPORT_FORMATS]
    if unknown or not formats:
        choices = ", ".join(REPORT_FORMATS)
        raise StyrdokError(f"okänt format: {', '.join(unknown) or '(inget)'}; välj bland {choices}")
    doc = plan(project, name)
    year = check_year(year)
    current = follow_up(project, doc, year)
    if current is None:
        path = year_path(project.source / name, year)
        raise StyrdokError(
            f"{path}: finns inte; läs in förvaltningarnas svar först med "
            f"'styrdok uppfoljning läs {name} FILER …'"
        )
    last = follow_up(project, doc, year - 1)
    model = build_report(doc, current, last)
    out = out_dir or project.build / name / f"uppfoljning-{year}"
    project.output(out, "-o")
    stem = f"uppfoljningsrapport-{year}"
    page = report_page(model, project.settings.city) if "html" in formats else None
    document = to_document(model)
    return write_report(
        document, page, stem, formats, REPORT_FORMATS, out, project.templates, office
    )


# --- in a release's package ---------------------------------------------------------------------


def archived_follow_ups(
    root: Path,
    repo,
    doc_path: str,
    document: Document,
    previous: str | None,
    templates: Path,
    office: Office,
    work: Path,
) -> list[tuple[str, bytes, str]]:
    """The follow-ups a release archives, as (file in documentation/, bytes, kind): each year's
    file committed since the last release (new or changed since its tag) and its report as
    PDF/A. A follow-up from before this version was decided is reported against the version
    it speaks of, the previous release."""
    from styrdok.convert.pdf import convert_to_pdf
    from styrdok.readers.revisions import load_revision
    from styrdok.readers.uppfoljning.yaml_file import YEAR_FILE, parse_follow_up
    from styrdok.writers.docx import render_docx
    from styrdok.writers.uppfoljning.report import build_report, to_document

    def files(commit) -> dict[int, bytes]:
        try:
            folder = commit.tree / f"{doc_path}/uppfoljning"
        except KeyError:
            return {}
        found = {}
        for blob in folder.blobs:
            match = YEAR_FILE.match(blob.name)
            if match:
                found[int(match.group(1))] = blob.data_stream.read()
        return found

    now = files(repo.head.commit)
    before = files(repo.commit(previous)) if previous else {}
    years = [y for y in sorted(now) if before.get(y) != now[y]]
    if not years:
        return []
    earlier = load_revision(root, document.name, previous)[0] if previous else None
    parsed = {}
    for year, data in now.items():
        found, problems = parse_follow_up(data.decode("utf-8"), Path(f"{year}.yaml"), document.name)
        if problems or found is None:
            raise SourceError(problems)
        parsed[year] = found
    out = []
    for year in years:
        current = parsed[year]
        plan = (
            earlier if earlier is not None and current.date < document.metadata.datum else document
        )
        report = to_document(build_report(plan, current, parsed.get(year - 1)))
        docx = work / f"uppfoljningsrapport-{year}.docx"
        docx.write_bytes(render_docx(report, templates))
        (pdf,) = convert_to_pdf([(report, docx)], office)
        out.append((f"uppfoljning/{year}.yaml", now[year], "yaml"))
        out.append((f"uppfoljning/uppfoljningsrapport-{year}.pdf", pdf.read_bytes(), "pdf"))
    return out
