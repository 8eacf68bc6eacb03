"""What `check` says about a document's follow-up files: errors (an unknown measure id, with the
closest one; a status outside the scale; a department that is not responsible) and warnings for
the latest year (a measure without an answer, a measure whose Tidplan has passed and that is not
genomförd).

A year's file is checked against the current text only when its follow-up is from after the
current version's decision: an earlier follow-up speaks of an earlier version, whose measures
may since have been removed or given to others (then only its form and statuses are checked).
"""

from __future__ import annotations

import difflib
from pathlib import Path

from styrdok.errors import Problem
from styrdok.model.document import Document, plain
from styrdok.model.ids import numbers
from styrdok.model.owners import owners
from styrdok.model.uppfoljning import NOT_REPORTED, FollowUp, late
from styrdok.readers.uppfoljning.yaml_file import read_follow_up, year_files


def follow_up_problems(doc: Document, folder: Path) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) of every follow-up file of the document in `folder`."""
    files, errors = year_files(folder)
    warnings: list[Problem] = []
    latest = max(files, default=None)
    for year, path in sorted(files.items()):
        follow_up, found = read_follow_up(path, doc.name)
        errors += found
        if follow_up is None or follow_up.date < doc.metadata.datum:
            continue
        errors += against_document(follow_up, doc, path)
        if year == latest:
            warnings += follow_up_warnings(follow_up, doc, path)
    return sorted(errors), sorted(warnings)


def against_document(follow_up: FollowUp, doc: Document, path: Path) -> list[Problem]:
    """The answers that do not fit the document: an id it has no measure for, a department
    not named in the measure's Ansvarig."""
    measures = {m.id: m for _, _, m in doc.numbered_measures()}
    number = numbers(doc)
    out = []
    for ident, answers in follow_up.answers.items():
        line = follow_up.lines.get(ident, 1)
        if ident not in measures:
            close = difflib.get_close_matches(ident, list(measures), n=1, cutoff=0)
            hint = (
                f"; menade du '{close[0]}' ({number['measure', close[0]]})?"
                if close
                else "; dokumentet har inga åtgärder"
            )
            out.append(Problem(path, line, f"ingen åtgärd har id '{ident}'{hint}"))
            continue
        responsible = owners(plain(measures[ident].fields.get("ansvarig", ())))
        for department, answer in answers.items():
            if department not in responsible:
                names = ", ".join(responsible) or "ingen"
                out.append(
                    Problem(
                        path,
                        answer.line,
                        f"{department} är inte ansvarig för åtgärd {number['measure', ident]} "
                        f"(ansvariga: {names}); rätta förvaltningens namn",
                    )
                )
    return out


def follow_up_warnings(follow_up: FollowUp, doc: Document, path: Path) -> list[Problem]:
    """Measures without an answer, and measures late on the follow-up's day."""
    out = []
    end = _end_line(path)
    for number, _, measure in doc.numbered_measures():
        status = follow_up.status(measure.id)
        line = follow_up.lines.get(measure.id, end)
        if status is NOT_REPORTED:
            out.append(
                Problem(
                    path,
                    line,
                    f"varning: åtgärd {number} ({measure.id}) är {NOT_REPORTED.value}; läs in "
                    "förvaltningens svar med 'styrdok uppfoljning läs'",
                )
            )
            continue
        tidplan = plain(measure.fields.get("tidplan", ()))
        if late(tidplan, status, follow_up.date):
            out.append(
                Problem(
                    path,
                    line,
                    f"varning: åtgärd {number} ({measure.id}) är försenad: tidplanen "
                    f"'{tidplan}' har passerat och status är {status.value}",
                )
            )
    return out


def _end_line(path: Path) -> int:
    try:
        return len(path.read_text("utf-8").splitlines()) or 1
    except (OSError, UnicodeDecodeError):
        return 1
