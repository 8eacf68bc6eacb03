"""Advice on a valid document: what `check` and `build` print as warnings and `check --strict`
fails on. The governance rules are data (model.MEASURES_BY_TYPE); numbers written as plain
text come from references.py."""

from __future__ import annotations

from pathlib import Path

from styrdok.errors import Problem
from styrdok.model.document import MEASURES_BY_TYPE, Document
from styrdok.model.references import plain_references
from styrdok.project.names import BODY_FILE


def warnings(doc: Document, folder: Path) -> list[Problem]:
    """Every warning for a document whose source is in `folder`, by file and line."""
    body = folder / BODY_FILE
    out = []
    expected = MEASURES_BY_TYPE.get(doc.metadata.typ)
    measures = [m for s in doc.sections for m in s.measures]
    label = doc.metadata.typ_label.lower()
    if expected is True and not measures:
        out.append(
            Problem(
                body,
                1,
                f"varning: en {label} har normalt åtgärder ('## Rubrik {{#id .åtgärd}}'); den "
                "här har inga. Är typen rätt?",
            )
        )
    if expected is False and measures:
        out.append(
            Problem(
                body,
                measures[0].line or 1,
                f"varning: en {label} har normalt inga åtgärder (de hör hemma i en plan); ta "
                "bort .åtgärd ur rubriken eller ändra typen",
            )
        )
    for line, text, ident in plain_references(doc):
        out.append(
            Problem(
                body,
                line,
                f"varning: '{text}' är ett nummer som ändras när åtgärderna numreras om; skriv "
                f"[{text}](#{ident}) så följer numret med",
            )
        )
    return sorted(out)
