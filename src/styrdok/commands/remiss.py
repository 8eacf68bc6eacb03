"""The remiss commands as recipes: send a round, read the responses, write the
remissammanställning; and the question `release` asks (is every comment answered?).

    send     the document at HEAD → the remiss version (DOCX, PDF) and the answer form in
             build/<doc>/remiss-<omgång>/, and the round in source/<doc>/remiss/<omgång>/
    read     returned files → their comments, placed, appended to synpunkter.yaml; the files
             kept in svar/ and listed in svar.yaml
    summary  the round, the remiss version and the document now → remissammanställning
             (DOCX, PDF/A, HTML)

Each gathers and checks everything before it writes anything; what it writes appears together
(staged, then renamed into place under held signals).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from styrdok.archive.eark import RECEIVED
from styrdok.commands.report_files import write_report
from styrdok.compare.changelist import diff_documents
from styrdok.convert.pdf import convert_to_pdf, pdf_layout
from styrdok.errors import Problem, SourceError, StyrdokError
from styrdok.model.remiss import Remark, Response, Round, RoundData
from styrdok.project import publish
from styrdok.project.layout import Project
from styrdok.project.names import BODY_FILE, META_FILE, name_problem
from styrdok.readers.remiss.package import ResponseError
from styrdok.readers.remiss.placing import Places
from styrdok.readers.remiss.response import body_from_names, read_response, with_ids
from styrdok.readers.remiss.rounds import (
    FILES_DIR,
    REMARKS_FILE,
    REMISS_DIR,
    RESPONSES_FILE,
    ROUND_FILE,
    load_round,
    read_round,
    remark_spans,
    remiss_folder,
    round_names,
    unanswered,
)
from styrdok.readers.revisions import document_path, load_revision, open_repo
from styrdok.writers.docx import render_docx, render_draft, with_layout
from styrdok.writers.remiss import remissversion, sammanstallning, yaml_text

if TYPE_CHECKING:
    from styrdok.convert.office import Office

SEND_FORMATS = ("docx", "pdf")
SUMMARY_FORMATS = ("pdf", "docx", "html")
SUMMARY_STEM = "remissammanstallning"


def round_folder(project: Project, doc: str, name: str) -> Path:
    return remiss_folder(project.source / doc) / name


def output_folder(project: Project, doc: str, name: str, chosen: Path | None) -> Path:
    if chosen is not None:
        return project.output(chosen, "-o")
    return project.build / doc / f"remiss-{name}"


def _formats(value: tuple[str, ...], known: tuple[str, ...]) -> tuple[str, ...]:
    if not value:
        raise StyrdokError(f"inget format angivet; välj bland {', '.join(known)}")
    unknown = [f for f in value if f not in known]
    if unknown:
        raise StyrdokError(f"okänt format: {', '.join(unknown)}; välj bland {', '.join(known)}")
    return value


def _round_name(name: str) -> str:
    problem = name_problem(name)
    if problem:
        raise StyrdokError(f"omgången '{name}' {problem}; skriv till exempel 2026-1")
    return name


# --- send ------------------------------------------------------------------------------------


def send(
    root: Path,
    doc: str,
    name: str,
    bodies: list[str],
    deadline: date,
    sent: date | None = None,
    reply_to: str = "",
    out_dir: Path | None = None,
    formats: tuple[str, ...] = SEND_FORMATS,
    office: Office | None = None,
) -> list[Path]:
    """Send `doc` on remiss as round `name`: the remiss version of the committed document,
    the answer form, and the round recorded in the project."""
    _round_name(name)
    formats = _formats(formats, SEND_FORMATS)
    project = Project(root)
    asked = _bodies(bodies)
    repo = open_repo(root)
    rel = document_path(repo, root, doc)
    _refuse_uncommitted(repo, project, doc, rel)
    document, revision = load_revision(root, doc, "HEAD")
    folder = round_folder(project, doc, name)
    sent = sent or date.today()
    commit = revision.commit or ""
    if (folder / ROUND_FILE).is_file():
        earlier = load_round(project.source / doc, name).round
        if _document_blobs(repo, earlier.commit, rel) != _document_blobs(repo, commit, rel):
            raise StyrdokError(
                f"{folder / ROUND_FILE}: omgången {name} skickades {earlier.sent.isoformat()} "
                f"med commit {earlier.commit[:8]}, och dokumentet har ändrats sedan dess; en "
                "skickad remissversion skrivs inte över. Välj ett nytt namn på omgången (till "
                "exempel med -2 på slutet)"
            )
        sent, commit = earlier.sent, earlier.commit  # made again: the same day, same files
    if deadline <= sent:
        raise StyrdokError(
            f"sista svarsdagen {deadline.isoformat()} är inte efter {sent.isoformat()}, dagen "
            "remissen skickas; ange ett senare datum med --sista-svarsdag ÅÅÅÅ-MM-DD"
        )
    the_round = Round(doc, name, sent, deadline, commit, asked, reply_to.strip())
    out = output_folder(project, doc, name, out_dir)
    templates = project.templates
    remiss_doc = remissversion.as_remiss(document)
    form_doc = remissversion.form_document(document, the_round)
    stem = f"{doc}-remissversion"
    files: dict[str, bytes] = {}
    made = [p for p in (*out.parents, out) if not p.exists()]
    try:
        with publish.staging(out) as staging:
            if "pdf" in formats:
                draft = render_draft(remiss_doc, templates)
                marked = remissversion.remiss_docx(document, the_round, draft)
                (staging / f"{stem}.docx").write_bytes(marked)
                (pdf,) = convert_to_pdf([(remiss_doc, staging / f"{stem}.docx")], office)
                files[f"{stem}.pdf"] = pdf.read_bytes()
                if "docx" in formats:  # with the PDF's page numbers in its contents
                    laid_out = with_layout(draft, remiss_doc, pdf_layout(pdf), templates)
                    files[f"{stem}.docx"] = remissversion.remiss_docx(document, the_round, laid_out)
            else:
                rendered = render_docx(remiss_doc, templates)
                files[f"{stem}.docx"] = remissversion.remiss_docx(document, the_round, rendered)
            form = render_docx(form_doc, templates)
            files[remissversion.FORM_FILE] = remissversion.form_docx(document, the_round, form)
            for file_name, data in files.items():
                (staging / file_name).write_bytes(data)
            written = publish.publish(
                [(staging / n, out / n) for n in sorted(files)],
                remove=[out / f"{stem}.{f}" for f in SEND_FORMATS if f not in formats],
            )
    except BaseException:
        publish.remove_empty(made)
        raise
    record = folder / ROUND_FILE
    _write_text(record, yaml_text.round_yaml(the_round))
    return [*written, record]


def _bodies(values: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        for name in value.split(","):
            name = " ".join(name.split())
            if name and name.casefold() not in (n.casefold() for n in out):
                out.append(name)
    if not out:
        raise StyrdokError(
            'ange minst en remissinstans: --instanser "Socialnämnden, Fastighetsnämnden"'
        )
    return tuple(out)


def _document_blobs(repo, commit: str, rel: str) -> tuple[str | None, ...]:
    """The git blob ids of a document's two files at a commit (None where absent)."""
    try:
        tree = repo.commit(commit).tree
    except Exception:  # a commit this clone does not have (git.BadName, ValueError)
        return (None, None)
    out = []
    for name in (META_FILE, BODY_FILE):
        try:
            out.append((tree / f"{rel}/{name}").hexsha)
        except KeyError:
            out.append(None)
    return tuple(out)


def _refuse_uncommitted(repo, project: Project, doc: str, rel: str) -> None:
    """The remiss version is a commit: the document's files as in HEAD, or a refusal."""
    head = repo.head.commit
    for name in (META_FILE, BODY_FILE):
        path = project.source / doc / name
        try:
            committed = (head.tree / f"{rel}/{name}").data_stream.read()
        except KeyError:
            committed = None
        if committed is None or not path.is_file() or path.read_bytes() != committed:
            raise StyrdokError(
                f"{path}: har ändringar som inte är incheckade; remissversionen ska vara en "
                f"commit som går att hitta igen. Checka in först: git add source/{doc} && git "
                'commit -m "Remissversion"'
            )


def _write_text(path: Path, text: str) -> None:
    """A file written whole or not at all (a temporary beside it, then renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


# --- read ------------------------------------------------------------------------------------


@dataclass
class FileResult:
    """What reading one file did."""

    path: Path
    body: str = ""
    kind: str = ""
    kept: str = ""  # where the file is kept (svar/…)
    new: int = 0
    known: int = 0  # comments already read from another copy
    updated: int = 0  # known comments with new replies
    unknown: int = 0  # placed nowhere (placering okänd)
    already: str = ""  # the file was read before (as this kept file)
    unasked: bool = False  # the instans was not asked


Ask = Callable[[Path, tuple[str, ...]], str]


def read(
    root: Path,
    doc: str,
    name: str,
    files: list[Path],
    body: str | None = None,
    ask: Ask | None = None,
) -> list[FileResult]:
    """Read returned files into the round: every comment into synpunkter.yaml (new ones
    only), the files into svar/ and svar.yaml. Nothing is written unless every file could be
    read."""
    if not files:
        raise StyrdokError(
            "ange minst en fil att läsa in (det returnerade svaret, .docx eller .pdf)"
        )
    project = Project(root)
    folder = round_folder(project, doc, _round_name(name))
    data = _existing_round(project, doc, name)
    remiss_doc, _ = load_revision(root, doc, data.round.commit)
    places = Places(remiss_doc)
    known_files = {x.sha256: x for x in data.responses}
    ids = {r.id: r for r in data.remarks}
    problems: list[str] = []
    results: list[FileResult] = []
    new_remarks: list[Remark] = []
    updated: dict[str, Remark] = {}
    new_responses: list[Response] = []
    copies: list[tuple[Path, Path]] = []
    taken = (
        {p.name for p in (folder / FILES_DIR).glob("*")} if (folder / FILES_DIR).is_dir() else set()
    )
    for path in files:
        result = FileResult(path)
        try:
            reading = read_response(path, places, doc, name)
        except ResponseError as e:
            problems.append(e.message)
            continue
        if reading.sha256 in known_files:
            earlier = known_files[reading.sha256]
            result.already, result.body = earlier.file, earlier.body
            results.append(result)
            continue
        try:
            who = _which_body(path, body, reading.body, reading.names, data.round.bodies, ask)
        except StyrdokError as e:
            problems.append(e.message)
            continue
        kept = _kept_name(path, reading.sha256, taken)
        taken.add(kept)
        relative = f"{FILES_DIR}/{kept}"
        remarks = with_ids(reading.remarks, who, relative)
        for r in remarks:
            if r.id in ids:
                result.known += 1
                merged = _merge_replies(ids[r.id], r)
                if merged is not None:
                    ids[r.id] = updated[r.id] = merged
                    result.updated += 1
                continue
            ids[r.id] = r
            new_remarks.append(r)
            result.new += 1
            result.unknown += r.place_id is None and r.placed_by == "okänd"
        result.body, result.kind, result.kept = who, reading.kind, relative
        result.unasked = not any(who.casefold() == b.casefold() for b in data.round.bodies)
        response = Response(relative, who, reading.sha256, reading.kind, date.today(), len(remarks))
        known_files[reading.sha256] = response  # the same file twice in one reading: once
        new_responses.append(response)
        copies.append((path, folder / relative))
        results.append(result)
    if problems:
        raise StyrdokError(
            "\n".join(problems) + "\nstyrdok: inget lästes in; rätta filerna ovan och läs in igen"
        )
    _write_round(project, doc, name, data, new_remarks, updated, new_responses, copies)
    return results


def _existing_round(project: Project, doc: str, name: str) -> RoundData:
    folder = round_folder(project, doc, name)
    if not (folder / ROUND_FILE).is_file():
        names = round_names(project.source / doc)
        known = f"; omgångarna är: {', '.join(names)}" if names else ""
        raise StyrdokError(
            f"{folder}: omgången {name} av {doc} finns inte{known}. Skicka den först: styrdok "
            f'remiss {doc} --omgång {name} --instanser "…" --sista-svarsdag ÅÅÅÅ-MM-DD'
        )
    data = load_round(project.source / doc, name)
    if data.round.document != doc or data.round.name != name:
        raise StyrdokError(
            f"{folder / ROUND_FILE}: gäller {data.round.document} omgång {data.round.name}, inte "
            f"{doc} omgång {name}; rätta 'dokument' och 'omgång' i filen"
        )
    return data


def _which_body(
    path: Path,
    given: str | None,
    from_form: str,
    names: list[str],
    bodies: tuple[str, ...],
    ask: Ask | None,
) -> str:
    """The instans of a file: --instans, the form's, the one its name or author names, or
    asked for; refused when none is and no one can be asked."""
    for value in (given, from_form):
        if value and value.strip():
            value = " ".join(value.split())
            return next((b for b in bodies if b.casefold() == value.casefold()), value)
    found = body_from_names([path.stem, *names], bodies)
    if found is not None:
        return found
    if ask is not None:
        answer = " ".join(ask(path, bodies).split())
        if answer:
            return next((b for b in bodies if b.casefold() == answer.casefold()), answer)
    raise StyrdokError(
        f"{path}: det framgår inte vilken instans som har svarat (varken av filens namn, "
        f"författare eller ett svarsformulär); ange den med --instans, t.ex. --instans "
        f'"{bodies[0]}" (remissinstanserna: {", ".join(bodies)})'
    )


def _kept_name(path: Path, sha: str, taken: set[str]) -> str:
    """The file's name in svar/: its own, or with the start of its checksum when taken."""
    name = path.name
    if name in taken:
        name = f"{path.stem}-{sha[:8]}{path.suffix.lower()}"
    return name


def _merge_replies(old: Remark, new: Remark) -> Remark | None:
    """The known comment with the replies a later copy added, or None if it brings none."""
    extra = [x for x in new.replies if x not in old.replies]
    return replace(old, replies=old.replies + tuple(extra)) if extra else None


def _write_round(
    project: Project,
    doc: str,
    name: str,
    data: RoundData,
    remarks: list[Remark],
    updated: dict[str, Remark],
    responses: list[Response],
    copies: list[tuple[Path, Path]],
) -> None:
    """Keep the files and write both lists: staged first, then renamed together."""
    if not (remarks or updated or responses):
        return
    folder = round_folder(project, doc, name)
    remarks_path, responses_path = folder / REMARKS_FILE, folder / RESPONSES_FILE
    text = remarks_path.read_text(encoding="utf-8") if remarks_path.is_file() else ""
    if updated:
        spans = remark_spans(project.source / doc, name)
        text = yaml_text.replace_entries(spans.text, spans.spans, list(updated.values()))
    text = yaml_text.remarks_text(text, remarks, doc, name)
    listed = responses_path.read_text(encoding="utf-8") if responses_path.is_file() else ""
    listed = yaml_text.responses_text(listed, responses, doc, name)
    with publish.staging(folder) as staging:
        moves = []
        for source, target in copies:
            staged = staging / target.name
            staged.write_bytes(source.read_bytes())
            moves.append((staged, target))
        (staging / REMARKS_FILE).write_text(text, encoding="utf-8")
        (staging / RESPONSES_FILE).write_text(listed, encoding="utf-8")
        moves += [
            (staging / REMARKS_FILE, remarks_path),
            (staging / RESPONSES_FILE, responses_path),
        ]
        publish.publish(moves)


# --- the remissammanställning ----------------------------------------------------------------


def summary(
    root: Path,
    doc: str,
    name: str,
    formats: tuple[str, ...] = SUMMARY_FORMATS,
    out_dir: Path | None = None,
    office: Office | None = None,
) -> list[Path]:
    """Write the remissammanställning of a round: DOCX, PDF/A and HTML."""
    formats = _formats(formats, SUMMARY_FORMATS)
    project = Project(root)
    data = _existing_round(project, doc, _round_name(name))
    remiss_doc, _ = load_revision(root, doc, data.round.commit)
    current, _ = load_revision(root, doc, None)
    changes = diff_documents(remiss_doc, current)
    report = sammanstallning.build(data, remiss_doc, changes)
    out = output_folder(project, doc, name, out_dir)
    page = sammanstallning.html_page(report, project.settings.city) if "html" in formats else None
    return write_report(
        report, page, SUMMARY_STEM, formats, SUMMARY_FORMATS, out, project.templates, office
    )


# --- release ---------------------------------------------------------------------------------


def unanswered_since(root: Path, doc: str, previous_commit: str | None) -> list[Problem]:
    """The unanswered comments of the rounds sent since the previous release (a round whose
    remiss version is part of that release's history was answered for it, or not at all)."""
    project = Project(root)
    folder = project.source / doc
    names = round_names(folder)
    if not names:
        return []
    repo = open_repo(root)
    recent, broken = [], []
    for name in names:
        data, problems = read_round(folder, name)
        if data is None:
            broken += problems  # a round whose files cannot be read is not answered either
            continue
        commit = data.round.commit
        if previous_commit is None:
            recent.append(name)
            continue
        try:
            earlier = repo.is_ancestor(repo.commit(commit), repo.commit(previous_commit))
        except Exception:  # a commit this clone does not have
            earlier = False
        if not earlier:
            recent.append(name)
    return broken + unanswered(folder, recent)


RECEIVED_FORMATS = {  # a response file kept as it came: its type and format in the package
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        f"Office Open XML (DOCX), {RECEIVED}",
    ),
    ".pdf": ("application/pdf", f"PDF, {RECEIVED}"),
}
YAML_KIND = ("application/yaml", "YAML")
PDFA_KIND = ("application/pdf", "PDF/A-2b")


def archived_rounds(
    root: Path,
    repo,
    doc_path: str,
    document,
    previous: str | None,
    templates: Path,
    office: Office,
    work: Path,
) -> list[tuple[str, bytes, tuple[str, str]]]:
    """The remiss rounds a release archives, as (path in documentation/, bytes, (mimetype,
    format)): each round whose files are new or changed since the last release, with its files
    as committed (omgang.yaml, svar.yaml, synpunkter.yaml, every response as it came) and its
    remissammanställning as PDF/A, made against the version released."""

    def rounds(commit) -> dict[str, Any]:
        try:
            folder = commit.tree / f"{doc_path}/{REMISS_DIR}"
        except KeyError:
            return {}
        return {t.name: t for t in folder.trees if ROUND_FILE in [b.name for b in t.blobs]}

    now = rounds(repo.head.commit)
    before = rounds(repo.commit(previous)) if previous else {}
    changed = [n for n in sorted(now) if n not in before or before[n].hexsha != now[n].hexsha]
    out: list[tuple[str, bytes, tuple[str, str]]] = []
    for name in changed:
        folder = work / "remiss" / document.name
        files: list[tuple[str, bytes]] = []
        for blob in now[name].traverse():
            if blob.type != "blob":
                continue
            rel = Path(blob.path).relative_to(Path(now[name].path)).as_posix()
            data = blob.data_stream.read()
            target = remiss_folder(folder) / name / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            files.append((rel, data))
        data_round, problems = read_round(folder, name)
        if data_round is None:  # (release --force past check's refusal): named as committed
            where = Path(repo.working_tree_dir or root, doc_path, REMISS_DIR, name)
            made = remiss_folder(folder) / name
            raise SourceError([replace(p, path=where / p.path.relative_to(made)) for p in problems])
        try:
            remiss_doc, _ = load_revision(root, document.name, data_round.round.commit)
        except StyrdokError as e:
            raise StyrdokError(
                f"remissomgången {name}: remissversionen (commit {data_round.round.commit[:8]}) "
                f"kan inte läsas: {e.message}"
            ) from e
        report = sammanstallning.build(data_round, remiss_doc, diff_documents(remiss_doc, document))
        docx = work / f"{SUMMARY_STEM}-{name}.docx"
        docx.write_bytes(render_docx(report, templates))
        (pdf,) = convert_to_pdf([(report, docx)], office)
        base = f"{REMISS_DIR}/{name}"
        for rel, data in sorted(files):
            unknown = ("application/octet-stream", f"okänt format, {RECEIVED}")
            kind = (
                YAML_KIND
                if rel.endswith(".yaml")
                else RECEIVED_FORMATS.get(Path(rel).suffix.lower(), unknown)
            )
            out.append((f"{base}/{rel}", data, kind))
        out.append((f"{base}/{SUMMARY_STEM}.pdf", pdf.read_bytes(), PDFA_KIND))
    return out
