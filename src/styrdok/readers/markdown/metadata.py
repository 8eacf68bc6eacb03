"""document.yaml → the document's metadata.

The YAML is read as plain text (every scalar exactly as written, with yaml's BaseLoader): each
key must be one of the metadata table's (model.document.METADATA_KEYS), on one line, filled in,
and of its kind (a date, a governance type, a choice …). What YAML would quietly read otherwise
(a `#` that starts a comment, an alias, a value on the next line) is refused with the fix.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from styrdok.model.document import GOVERNANCE_TYPES, METADATA_KEYS, Metadata
from styrdok.model.metadata import parse_value
from styrdok.readers.markdown import lints
from styrdok.readers.markdown.lints import PLACEHOLDER, Report

REQUIRED_KEYS = tuple(k.key for k in METADATA_KEYS if k.required)
OPTIONAL_KEYS = tuple(k.key for k in METADATA_KEYS if not k.required)
DATE_KEYS = tuple(k.key for k in METADATA_KEYS if k.kind == "date")


def parse(text: str, report: Report) -> Metadata | None:
    """The metadata in document.yaml's text, or None with every problem reported."""
    import yaml  # here, on the loading threads while pandoc runs, not before pandoc starts

    try:
        root = yaml.compose(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(e, "problem", None) or "ogiltig YAML"
        source = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
        key, sep, value = source.partition(":")
        if sep and ": " in value.strip() and "mapping values" in problem:
            quoted = value.strip().replace('"', '\\"')
            report(
                line,
                f"värdet innehåller tecken som YAML läser som struktur (': ', '#', tab …); "
                f'sätt värdet inom citattecken: {key.strip()}: "{quoted}"',
            )
            return None
        if "'\\t'" in problem:  # "found character '\\t' that cannot start any token"
            report(line, "tabbtecken i metadata; skriv 'nyckel: värde' med mellanslag")
            return None
        report(line, f"ogiltig YAML ({problem}); förväntade rader som 'nyckel: värde'")
        return None
    if root is None:
        report(1, "filen är tom; förväntade metadata som 'nyckel: värde'")
        return None
    if not isinstance(root, yaml.MappingNode):
        report(root.start_mark.line + 1, "förväntade metadata som 'nyckel: värde'")
        return None
    values: dict[str, tuple[str, int]] = {}
    for key_node, value_node in root.value:
        key, line = key_node.value, key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            report(line, "en nyckel ska vara ett ord ('nyckel: värde'), inte en lista")
        elif key in values:
            report(line, f"'{key}' står två gånger; ta bort den ena")
        elif key not in REQUIRED_KEYS + OPTIONAL_KEYS:
            known = ", ".join(REQUIRED_KEYS + OPTIONAL_KEYS)
            report(line, f"okänd nyckel '{key}'; kända nycklar: {known}")
        elif not isinstance(value_node, yaml.ScalarNode):
            report(line, f"'{key}' ska vara en text på en rad, inte en lista eller tabell")
        elif not value_node.value.strip():
            report(line, f"'{key}' är tom; ange ett värde")
        elif value_node.value.strip() == PLACEHOLDER:
            report(line, f"'{key}' är inte ifyllt ännu ({PLACEHOLDER}); skriv värdet")
        elif "\n" in value_node.value.strip():
            report(line, f"'{key}' ska stå på en rad; ta bort radbrytningen")
        elif message := lints.unusable_character(value_node.value):
            report(value_node.start_mark.line + 1, f"'{key}': {message}")
        elif value_node.start_mark.line != key_node.start_mark.line and value_node.style is None:
            report(line, f"'{key}' hänvisar till ett annat värde (*); skriv ut värdet")
        elif value_node.style is None and "#" in _line_text(text, line).partition(":")[2].replace(
            value_node.value, "", 1
        ):
            report(
                line,
                f"'{key}' blev '{value_node.value}': '#' inleder en kommentar i YAML; sätt "
                "värdet inom citattecken om '#' hör till det",
            )
        else:
            values[key] = (value_node.value.strip(), line)
    for key in REQUIRED_KEYS:
        if key not in values and not any(p.message.startswith(f"'{key}'") for p in report.problems):
            report(root.end_mark.line + 1, f"'{key}' saknas; den är obligatorisk")
    typ = values.get("typ")
    if typ and typ[0].lower() in GOVERNANCE_TYPES:  # POLICY, Policy: the type, canonical
        values["typ"] = typ = (typ[0].lower(), typ[1])
    if typ and typ[0] not in GOVERNANCE_TYPES:
        expected = ", ".join(GOVERNANCE_TYPES)
        report(typ[1], f"okänd typ '{typ[0]}'; förväntade en av: {expected}")
    dates = {key: _date(values[key], report) for key in DATE_KEYS if key in values}
    for key, (raw, line) in list(values.items()):
        kept, problem = parse_value(key, raw)
        if problem:
            report(line, problem)
        values[key] = (kept, line)
    if report.problems or dates.get("datum") is None:
        return None
    fields: dict[str, Any] = {k: v for k, (v, _) in values.items()} | dates
    return Metadata(**fields)


def _line_text(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _date(value: tuple[str, int], report: Report) -> date | None:
    raw, line = value
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        report(line, f"datum '{raw}' har fel form; förväntade ÅÅÅÅ-MM-DD")
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        report(line, f"datum '{raw}' finns inte i kalendern; förväntade ÅÅÅÅ-MM-DD")
        return None
