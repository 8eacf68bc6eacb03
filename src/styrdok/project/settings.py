"""A project's settings: `styrdok.toml` at the project root, read once by `Project`.

The one place for what a project sets once rather than in every document: whose documents they
are (the city's name on the web pages and in the register), the template's folder, the archive
folder and defaults for the records-management keys that are the same across the project (the
arkivbildare, say). Example:

    [stad]
    namn = "Lunds kommun"         # the register's and web pages' title; default Helsingborg
    sidhuvud = "LUND"             # the word atop every web page (default: namn in capitals)

    [mall]
    namn = "lund"                 # the template: templates/lund/template.docx (default helsingborg)

    [arkiv]
    mapp = "/srv/arkiv/styrdok"   # where release writes packages; relative to the project root

    [metadata]                    # defaults for keys a document leaves out
    arkivbildare = "Kommunstyrelsen, Lunds kommun"
    bevarande = "bevaras"

Every problem is reported as `styrdok.toml:LINE: …` with the fix, all of them at once. A value
written as `<saknas>` (as `styrdok init` leaves them) is no error here, so that a new project
builds: it counts as unset, `check` names it at its line and `release` refuses it.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from styrdok.errors import Problem, SourceError
from styrdok.model.document import KEYS
from styrdok.model.metadata import PLACEHOLDER, parse_value
from styrdok.project.names import DEFAULT_TEMPLATE, SETTINGS_FILE, TEMPLATES, name_problem

SECTIONS = {
    "stad": ("namn", "sidhuvud"),
    "mall": ("namn",),
    "arkiv": ("mapp",),
    "metadata": tuple(k for k, s in KEYS.items() if s.project),
}
LONGEST = {"stad.namn": 100, "stad.sidhuvud": 40}  # characters: a title, a word in a header


@dataclass(frozen=True)
class City:
    """Whose documents these are (a city, a municipality, a region): its name, for the register's
    and the web pages' titles, and the word at the top of every web page. The Word file and the
    PDF carry the name in the template's own text (init writes it there)."""

    name: str = "Helsingborgs stad"
    header: str = "HELSINGBORG"

    @property
    def genitive(self) -> str:
        """The name as an owner, 'Helsingborgs stads' (styrdokument): Swedish adds an s, except
        after s, x or z ('Västerås', 'Region Skånes')."""
        return self.name if self.name[-1:].lower() in ("s", "x", "z") else f"{self.name}s"


DEFAULT_CITY = City()


@dataclass(frozen=True)
class Settings:
    """What styrdok.toml says; empty when the project has none."""

    path: Path | None = None
    archive: Path | None = None  # absolute
    defaults: dict[str, str] = field(default_factory=dict)  # metadata key → value
    lines: dict[str, int] = field(default_factory=dict)  # "section.key" → line, for messages
    city: City = DEFAULT_CITY
    template: str = DEFAULT_TEMPLATE  # the template's folder in templates/
    # values written as <saknas>: "section.key" → the problem, with the fix
    unfilled: dict[str, Problem] = field(default_factory=dict)


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
    unfilled, chosen = {}, {}  # chosen: "stad.namn" → value, for [stad] and [mall]
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
            elif value.strip() == PLACEHOLDER:
                unfilled[f"{section}.{key}"] = Problem(path, line, _unfilled(section, key))
            elif section == "arkiv":
                archive = (root / value.strip()).resolve()
            elif section in ("stad", "mall"):
                problem = _naming_problem(section, key, value.strip())
                if problem:
                    problems.append(Problem(path, line, problem))
                chosen[f"{section}.{key}"] = value.strip()
            else:
                kept, problem = parse_value(key, value.strip())
                if problem:
                    problems.append(Problem(path, line, problem))
                defaults[key] = kept
    if problems:
        raise SourceError(problems)
    city = DEFAULT_CITY
    if "stad.namn" in chosen or "stad.sidhuvud" in chosen:
        name = chosen.get("stad.namn", DEFAULT_CITY.name)
        header = chosen.get("stad.sidhuvud") or (
            DEFAULT_CITY.header if name == DEFAULT_CITY.name else name.upper()
        )
        city = City(name, header)
    template = chosen.get("mall.namn", DEFAULT_TEMPLATE)
    return Settings(path, archive, defaults, lines, city, template, unfilled)


def toml_string(value: str) -> str:
    """A text as a TOML basic string: in quotes, with quotes and backslashes escaped (a value
    styrdok writes has no control characters: _naming_problem refuses them)."""
    return json.dumps(value, ensure_ascii=False)


def project_part(settings: Settings) -> str:
    """The [stad] and [mall] parts of styrdok.toml that give `settings` city and template; ''
    for styrdok's defaults (Helsingborg), which need none."""
    out = []
    if settings.city != DEFAULT_CITY:
        out += [
            "[stad]",
            f"namn = {toml_string(settings.city.name)}",
            f"sidhuvud = {toml_string(settings.city.header)}",
            "",
        ]
    if settings.template != DEFAULT_TEMPLATE:
        out += ["[mall]", f"namn = {toml_string(settings.template)}", ""]
    return "\n".join(out)


def _naming_problem(section: str, key: str, value: str) -> str | None:
    """What is wrong with a value of [stad] or [mall], in the user's words, or None."""
    if section == "mall":
        problem = name_problem(value)
        if problem:
            return (
                f"'namn' i [mall] {problem}; det är mallens mapp i {TEMPLATES}/, "
                f't.ex. namn = "{DEFAULT_TEMPLATE}"'
            )
        return None
    longest = LONGEST[f"{section}.{key}"]
    if any(c < " " or c == "\x7f" for c in value):
        return f"'{key}' i [stad] ska stå på en rad, utan tabbar och radbrytningar"
    if len(value) > longest:
        return f"'{key}' i [stad] är {len(value)} tecken; skriv högst {longest}"
    return None


def _unfilled(section: str, key: str) -> str:
    """The message for a value still written as <saknas>: what to write there."""
    if section == "arkiv":
        what = 'arkivmappen, t.ex. mapp = "/srv/arkiv/styrdok" (utanför build/)'
    elif section == "stad":
        what = (
            'stadens namn, t.ex. namn = "Lunds kommun"'
            if key == "namn"
            else 'ordet överst på webbsidorna, t.ex. sidhuvud = "LUND"'
        )
    elif section == "mall":
        what = f'mallens mapp i {TEMPLATES}/, t.ex. namn = "{DEFAULT_TEMPLATE}"'
    elif key == "arkivbildare":
        what = f"{KEYS[key].meaning} (ett släpp kräver den, här eller i varje document.yaml)"
    else:
        what = f"{KEYS[key].meaning}, eller ta bort raden om projektet inte använder den"
    return f"'{key}' i [{section}] är inte ifyllt ännu ({PLACEHOLDER}); skriv {what}"


def _heading(text: str, section: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*\[\s*\"?{re.escape(section)}\"?\s*\]", line):
            return number
    return 1
