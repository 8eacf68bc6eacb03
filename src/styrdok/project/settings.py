"""A project's settings: `styrdok.toml` at the project root, read once by `Project`.

The one place for what a project sets once rather than in every document: the archive folder
and defaults for the records-management keys that are the same across the project (the
arkivbildare, say). Example:

    [arkiv]
    mapp = "/srv/arkiv/styrdok"   # where release writes packages; relative to the project root

    [metadata]                    # defaults for keys a document leaves out
    arkivbildare = "Kommunstyrelsen, Helsingborgs stad"
    bevarande = "bevaras"

Every problem is reported as `styrdok.toml:LINE: …` with the fix, all of them at once.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from styrdok.errors import Problem, SourceError
from styrdok.model.document import KEYS
from styrdok.model.metadata import parse_value
from styrdok.project.names import SETTINGS_FILE

SECTIONS = {"arkiv": ("mapp",), "metadata": tuple(k for k, s in KEYS.items() if s.project)}


@dataclass(frozen=True)
class Settings:
    """What styrdok.toml says; empty when the project has none."""

    path: Path | None = None
    archive: Path | None = None  # absolute
    defaults: dict[str, str] = field(default_factory=dict)  # metadata key → value
    lines: dict[str, int] = field(default_factory=dict)  # "section.key" → line, for messages


def _line(text: str, section: str | None, key: str) -> int:
    """The line where `key` stands (in `[section]` when given); 1 if it is not found."""
    current = None
    for number, line in enumerate(text.splitlines(), 1):
        heading = re.match(r"\s*\[\s*\"?([^\]\"]+)\"?\s*\]", line)
        if heading:
            current = heading.group(1).strip()
        elif (section is None or current == section) and re.match(
            rf"\s*\"?{re.escape(key)}\"?\s*=", line
        ):
            return number
    return 1


def load_settings(root: Path) -> Settings:
    """The settings of the project at `root`, or a SourceError naming every problem."""

    path = root / SETTINGS_FILE
    if not path.is_file():
        return Settings()
    try:
        text = path.read_bytes().decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise SourceError([Problem(path, 1, "filen är inte UTF-8; spara den som UTF-8")]) from None
    except tomllib.TOMLDecodeError as e:
        found = re.search(r"\(at line (\d+)", str(e))
        line = int(found.group(1)) if found else 1
        why = re.sub(r"\s*\(at line.*\)$", "", str(e))
        raise SourceError(
            [Problem(path, line, f'ogiltig TOML ({why}); skriv rader som nyckel = "värde"')]
        ) from None
    problems, lines, defaults, archive = [], {}, {}, None
    for section, values in data.items():
        if section not in SECTIONS or not isinstance(values, dict):
            where = (
                _heading(text, section) if isinstance(values, dict) else _line(text, None, section)
            )
            known = ", ".join(f"[{s}]" for s in SECTIONS)
            if section in SECTIONS:  # a known part written as a value: `arkiv = "…"`
                message = f"'{section}' är en del: skriv [{section}] på en egen rad och under den"
                message += ' mapp = "…"' if section == "arkiv" else ' nyckel = "värde"'
            else:
                message = f"okänd del '{section}'; kända delar: {known}"
            problems.append(Problem(path, where, message))
            continue
        for key, value in values.items():
            line = _line(text, section, key)
            lines[f"{section}.{key}"] = line
            if key not in SECTIONS[section]:
                known = ", ".join(SECTIONS[section])
                problems.append(
                    Problem(
                        path, line, f"okänd nyckel '{key}' i [{section}]; kända nycklar: {known}"
                    )
                )
            elif not isinstance(value, str) or not value.strip():
                problems.append(Problem(path, line, f"'{key}' ska vara en text inom citattecken"))
            elif section == "arkiv":
                archive = (root / value.strip()).resolve()
            else:
                kept, problem = parse_value(key, value.strip())
                if problem:
                    problems.append(Problem(path, line, problem))
                defaults[key] = kept
    if problems:
        raise SourceError(problems)
    return Settings(path, archive, defaults, lines)


def _heading(text: str, section: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*\[\s*\"?{re.escape(section)}\"?\s*\]", line):
            return number
    return 1
