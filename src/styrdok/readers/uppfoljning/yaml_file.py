"""A year's follow-up file, `source/<dok>/uppfoljning/<år>.yaml` → a `FollowUp`.

The file, as `styrdok uppfoljning läs` writes it and a person may edit it:

    år: 2026
    datum: 2026-09-30            # valfritt: uppföljningens dag (standard 30 september)
    åtgärder:
      bostad-forst:              # åtgärdens id
        Socialförvaltningen:     # förvaltningen som svarat
          status: genomförd
          kommentar: "Tio lägenheter har förmedlats."
          rapporterad: 2026-09-12

Read as plain YAML nodes (every scalar as written, with its line), so every problem names its
line; all of a file's problems are collected before they are reported.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from styrdok.errors import Problem
from styrdok.model.uppfoljning import Answer, FollowUp, scale_words, status_of
from styrdok.project.names import FOLLOWUP_DIR

YEAR_FILE = re.compile(r"^(\d{4})\.yaml$")
TOP_KEYS = ("år", "datum", "åtgärder")
ANSWER_KEYS = ("status", "kommentar", "rapporterad")


def year_files(folder: Path) -> tuple[dict[int, Path], list[Problem]]:
    """The follow-up files of a document folder by year, and a problem for each file in
    uppfoljning/ whose name is not a year."""
    where = folder / FOLLOWUP_DIR
    found: dict[int, Path] = {}
    problems: list[Problem] = []
    if not where.is_dir():
        return found, problems
    for path in sorted(where.iterdir()):
        if path.name.startswith("."):
            continue
        match = YEAR_FILE.match(path.name)
        if match and path.is_file():
            found[int(match.group(1))] = path
        else:
            problems.append(
                Problem(
                    path,
                    1,
                    "i uppfoljning/ ska bara årens filer ligga, namngivna efter året "
                    "(t.ex. 2026.yaml); byt namn på filen eller flytta den",
                )
            )
    return found, problems


def year_path(folder: Path, year: int) -> Path:
    """Where a document's follow-up of a year is kept."""
    return folder / FOLLOWUP_DIR / f"{year}.yaml"


def read_follow_up(path: Path, document: str) -> tuple[FollowUp | None, list[Problem]]:
    """The follow-up in `path` (None when it cannot be read), and every problem in it."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None, [Problem(path, 1, "filen är inte UTF-8; spara den som UTF-8")]
    return parse_follow_up(text, path, document)


def parse_follow_up(text: str, path: Path, document: str) -> tuple[FollowUp | None, list[Problem]]:
    import yaml

    problems: list[Problem] = []

    def add(line: int, message: str) -> None:
        problems.append(Problem(path, max(line, 1), message))

    match = YEAR_FILE.match(path.name)
    year = int(match.group(1)) if match else 0
    try:
        root = yaml.compose(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        problem = getattr(e, "problem", None) or "ogiltig YAML"
        add(mark.line + 1 if mark else 1, f"ogiltig YAML ({problem}); se formatet i README")
        return None, problems
    if root is None:
        add(1, "filen är tom; förväntade 'år: ÅÅÅÅ' och 'åtgärder:'")
        return None, problems
    if not isinstance(root, yaml.MappingNode):
        add(root.start_mark.line + 1, "förväntade nycklarna år, datum och åtgärder")
        return None, problems
    top = _mapping(root, TOP_KEYS, add)
    on = None
    if "år" in top:
        node = top["år"]
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.ScalarNode) or not re.fullmatch(r"\d{4}", node.value):
            add(line, "'år' ska vara ett årtal, ÅÅÅÅ")
        elif int(node.value) != year:
            add(line, f"'år' är {node.value} men filen heter {path.name}; ändra det ena")
    else:
        add(1, f"'år' saknas; skriv 'år: {year}' först i filen")
    if "datum" in top:
        on = _date(top["datum"], "datum", add)
    answers: dict[str, dict[str, Answer]] = {}
    lines: dict[str, int] = {}
    measures = top.get("åtgärder")
    if measures is None:
        add(root.end_mark.line + 1, "'åtgärder' saknas; skriv 'åtgärder:' och svaren under")
    elif isinstance(measures, yaml.ScalarNode) and measures.value in ("", "{}"):
        pass  # no answers yet
    elif not isinstance(measures, yaml.MappingNode):
        add(measures.start_mark.line + 1, "'åtgärder' ska vara åtgärdernas id med svaren under")
    else:
        for ident, line, departments in _pairs(measures, add, "åtgärdens id"):
            lines[ident] = line
            if not isinstance(departments, yaml.MappingNode):
                add(line, f"under '{ident}' ska förvaltningarnas svar stå, en förvaltning per rad")
                continue
            for department, key_line, node in _pairs(departments, add, "förvaltningens namn"):
                answer = _answer(ident, department, key_line, node, add)
                if answer is not None:
                    answers.setdefault(ident, {})[department] = answer
    if problems:
        return None, problems
    return FollowUp(document, year, answers, on, lines), []


def _pairs(node, add, what: str):
    """A mapping's (key, value node) pairs; a repeated or non-text key is a problem."""
    import yaml

    seen: set[str] = set()
    for key_node, value in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode) or not key_node.value.strip():
            add(line, f"förväntade {what} följt av ':'")
        elif key_node.value in seen:
            add(line, f"'{key_node.value}' står två gånger; slå ihop dem")
        else:
            seen.add(key_node.value)
            yield key_node.value.strip(), line, value


def _mapping(node, keys: tuple[str, ...], add) -> dict:
    out = {}
    for key, line, value in _pairs(node, add, "en nyckel"):
        if key not in keys:
            add(line, f"okänd nyckel '{key}'; kända nycklar: {', '.join(keys)}")
        else:
            out[key] = value
    return out


def _answer(ident: str, department: str, line: int, node, add) -> Answer | None:
    import yaml

    if isinstance(node, yaml.ScalarNode) and not node.value.strip():
        add(line, f"'status' saknas i svaret från {department}; välj en av: {scale_words()}")
        return None
    if not isinstance(node, yaml.MappingNode):
        add(line, f"svaret från {department} ska ha 'status:' och 'kommentar:' på egna rader")
        return None
    values = _mapping(node, ANSWER_KEYS, add)
    for key, value in values.items():
        if not isinstance(value, yaml.ScalarNode):
            add(value.start_mark.line + 1, f"'{key}' ska vara en text, inte en lista")
            return None
    status_node = values.get("status")
    if status_node is None:
        add(line, f"'status' saknas i svaret från {department}; välj en av: {scale_words()}")
        return None
    status = status_of(status_node.value)
    if status is None:
        add(
            status_node.start_mark.line + 1,
            f"okänd status '{status_node.value}'; välj en av: {scale_words()}",
        )
        return None
    comment = values["kommentar"].value.strip() if "kommentar" in values else ""
    reported = _date(values["rapporterad"], "rapporterad", add) if "rapporterad" in values else None
    return Answer(ident, department, status.value, comment, reported, line)


def _date(node, key: str, add) -> date | None:
    import yaml

    line = node.start_mark.line + 1
    raw = node.value.strip() if isinstance(node, yaml.ScalarNode) else ""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        add(line, f"'{key}' ska vara ett datum, ÅÅÅÅ-MM-DD")
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        add(line, f"'{key}': {raw} finns inte i kalendern; skriv ÅÅÅÅ-MM-DD")
        return None
