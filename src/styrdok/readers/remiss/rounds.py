"""A document's remiss rounds as recorded in the project: `source/<doc>/remiss/<omgång>/`.

    omgang.yaml      the round: who was asked, by when, the commit of the remiss version
    svar.yaml        the responses read (file, instans, checksum, kind, date, comments)
    synpunkter.yaml  one entry per comment, with the owner's ställningstagande and motivering
    svar/            the response files, kept as they came

Every file is read as text with its line numbers (yaml.compose, every value a string), so that
`check` can point at the line of an entry that has no answer or a value that is not one; the
problems are collected, never the first one alone.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from styrdok.errors import Problem, SourceError
from styrdok.model.remiss import (
    KINDS,
    NEEDS_REASON,
    PLACED_BY,
    POSITIONS,
    Remark,
    Reply,
    Response,
    Round,
    RoundData,
)

REMISS_DIR = "remiss"
ROUND_FILE = "omgang.yaml"
RESPONSES_FILE = "svar.yaml"
REMARKS_FILE = "synpunkter.yaml"
FILES_DIR = "svar"

# The keys of a synpunkt in synpunkter.yaml and the Remark field each fills.
REMARK_KEYS = {
    "id": "id",
    "instans": "body",
    "fil": "file",
    "slag": "kind",
    "plats": "place",
    "plats_id": "place_id",
    "placerad": "placed_by",
    "i": "where",
    "citat": "quote",
    "synpunkt": "text",
    "före": "before",
    "efter": "after",
    "förslag": "proposal",
    "författare": "author",
    "datum": "date",
    "repliker": "replies",
    "ställningstagande": "position",
    "motivering": "reason",
}
ROUND_KEYS = ("dokument", "omgång", "skickad", "sista_svarsdag", "commit", "instanser", "svar_till")
RESPONSE_KEYS = ("fil", "instans", "sha256", "slag", "inläst", "synpunkter")
MAX_LISTED = 10  # unanswered comments named one by one in check; the rest counted


def remiss_folder(doc_folder: Path) -> Path:
    return doc_folder / REMISS_DIR


def round_names(doc_folder: Path) -> list[str]:
    """The rounds of a document (folders with an omgang.yaml), in name order."""
    folder = remiss_folder(doc_folder)
    if not folder.is_dir():
        return []
    return sorted(p.parent.name for p in folder.glob(f"*/{ROUND_FILE}"))


@dataclass(frozen=True)
class Spans:
    """Where each synpunkt stands in synpunkter.yaml (character offsets), for an update."""

    text: str
    spans: dict[str, tuple[int, int]]


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, path: Path, line: int, message: str) -> None:
        self.problems.append(Problem(path, line, message))

    def compose(self, path: Path, what: str):
        """The YAML file's node tree, or None (with the problem noted) when it cannot be read."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None, ""
        except (OSError, UnicodeDecodeError):
            self.problem(path, 1, f"{what} går inte att läsa som UTF-8-text; spara om den")
            return None, ""
        try:
            return yaml.compose(text, Loader=yaml.BaseLoader), text
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
            why = getattr(e, "problem", None) or "ogiltig YAML"
            self.problem(
                path,
                mark.line + 1 if mark else 1,
                f"ogiltig YAML ({why}); ett värde med ': ' eller '#' ska stå inom citattecken",
            )
            return None, text

    def mapping(self, node, path: Path, keys, what: str) -> dict[str, tuple[object, int]]:
        """A mapping node's values (strings, or lists of strings/mappings) with their lines."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(path, _line(node), f"{what} ska vara rader 'nyckel: värde'")
            return {}
        out: dict[str, tuple[object, int]] = {}
        for k, v in node.value:
            key, line = str(k.value), _line(k)
            if key in out:
                self.problem(path, line, f"'{key}' står två gånger i {what}; ta bort den ena")
            elif key not in keys:
                close = difflib.get_close_matches(key, list(keys), n=1)
                hint = (
                    f" (menade du '{close[0]}'?)" if close else f"; nycklarna är {', '.join(keys)}"
                )
                self.problem(path, line, f"okänd nyckel '{key}' i {what}{hint}")
            else:
                out[key] = (_value(v), line)
        return out

    def date(self, values: dict, key: str, path: Path, line: int) -> date | None:
        raw, at = values.get(key, ("", line))
        try:
            return date.fromisoformat(str(raw))
        except ValueError:
            self.problem(path, at, f"'{key}' ska vara ett datum ÅÅÅÅ-MM-DD, inte '{raw}'")
            return None


def _line(node) -> int:
    return node.start_mark.line + 1 if node is not None else 1


def _value(node):
    if isinstance(node, yaml.ScalarNode):
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_value(n) for n in node.value]
    if isinstance(node, yaml.MappingNode):
        return {str(k.value): _value(v) for k, v in node.value}
    return ""


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def read_round(doc_folder: Path, name: str) -> tuple[RoundData | None, list[Problem]]:
    """A round's data and every problem its files have."""
    r = _Reader()
    folder = remiss_folder(doc_folder) / name
    path = folder / ROUND_FILE
    node, _ = r.compose(path, ROUND_FILE)
    if node is None:
        if not r.problems:
            r.problem(path, 1, "omgångens fil saknas")
        return None, r.problems
    values = r.mapping(node, path, ROUND_KEYS, ROUND_FILE)
    for key in ("dokument", "omgång", "commit", "instanser", "skickad", "sista_svarsdag"):
        if key not in values:
            r.problem(path, 1, f"'{key}' saknas i {ROUND_FILE}")
    bodies = values.get("instanser", ([], 1))[0]
    if not isinstance(bodies, list) or not all(isinstance(b, str) for b in bodies):
        r.problem(path, values["instanser"][1], "'instanser' ska vara en lista med namn")
        bodies = []
    sent = r.date(values, "skickad", path, 1) if "skickad" in values else None
    deadline = r.date(values, "sista_svarsdag", path, 1) if "sista_svarsdag" in values else None
    responses = _responses(r, folder / RESPONSES_FILE)
    remarks, _ = _remarks(r, folder / REMARKS_FILE)
    if r.problems or sent is None or deadline is None:
        return None, r.problems
    the_round = Round(
        document=_text(values["dokument"][0]),
        name=_text(values["omgång"][0]),
        sent=sent,
        deadline=deadline,
        commit=_text(values["commit"][0]),
        bodies=tuple(bodies),
        reply_to=_text(values.get("svar_till", ("", 1))[0]),
    )
    return RoundData(the_round, tuple(responses), tuple(remarks)), []


def load_round(doc_folder: Path, name: str) -> RoundData:
    """A round's data, or a SourceError listing every problem of its files."""
    data, problems = read_round(doc_folder, name)
    if data is None:
        raise SourceError(problems)
    return data


def _responses(r: _Reader, path: Path) -> list[Response]:
    node, _ = r.compose(path, RESPONSES_FILE)
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        r.problem(path, _line(node), f"{RESPONSES_FILE} ska vara en lista ('- fil: …')")
        return []
    out = []
    for item in node.value:
        values = r.mapping(item, path, RESPONSE_KEYS, "ett svar")
        line = _line(item)
        try:
            count = int(_text(values.get("synpunkter", ("0", line))[0]) or 0)
        except ValueError:
            r.problem(path, line, "'synpunkter' ska vara ett antal")
            count = 0
        read = r.date(values, "inläst", path, line) if "inläst" in values else date.min
        out.append(
            Response(
                file=_text(values.get("fil", ("", line))[0]),
                body=_text(values.get("instans", ("", line))[0]),
                sha256=_text(values.get("sha256", ("", line))[0]),
                kind=_text(values.get("slag", ("", line))[0]),
                read=read or date.min,
                remarks=count,
            )
        )
    return out


def _remarks(r: _Reader, path: Path) -> tuple[list[Remark], dict[str, tuple[int, int]]]:
    node, _ = r.compose(path, REMARKS_FILE)
    if node is None:
        return [], {}
    if not isinstance(node, yaml.SequenceNode):
        r.problem(path, _line(node), f"{REMARKS_FILE} ska vara en lista ('- id: …')")
        return [], {}
    out: list[Remark] = []
    spans: dict[str, tuple[int, int]] = {}
    seen: set[str] = set()
    for item in node.value:
        line = _line(item)
        values = r.mapping(item, path, REMARK_KEYS, "en synpunkt")
        fields: dict[str, Any] = {}
        for key, (value, at) in values.items():
            name = REMARK_KEYS[key]
            if name == "replies":
                replies = value if isinstance(value, list) else []
                fields[name] = tuple(
                    Reply(
                        _text(x.get("författare", "")),
                        _text(x.get("datum", "")),
                        _text(x.get("text", "")),
                    )
                    for x in replies
                    if isinstance(x, dict)
                )
            elif isinstance(value, str):
                fields[name] = value
            else:
                r.problem(path, at, f"'{key}' ska vara en text, inte en lista eller tabell")
        ident = fields.get("id", "")
        if not ident:
            r.problem(
                path,
                line,
                "synpunkten saknar 'id'; läs in svaret igen i stället för att "
                "skriva en post för hand",
            )
            continue
        if ident in seen:
            r.problem(path, line, f"id '{ident}' står två gånger; ta bort den ena posten")
        seen.add(ident)
        position = fields.get("position", "").strip()
        if position and position not in POSITIONS:
            close = difflib.get_close_matches(position.lower(), POSITIONS, n=1)
            hint = f" (menade du '{close[0]}'?)" if close else ""
            r.problem(
                path,
                values["ställningstagande"][1],
                f"ställningstagandet '{position}' finns inte{hint}; skriv ett av: "
                + ", ".join(POSITIONS),
            )
        kind = fields.get("kind", "kommentar")
        if kind not in KINDS:
            r.problem(path, line, f"'slag' ska vara ett av {', '.join(KINDS)}, inte '{kind}'")
        placed_by = fields.get("placed_by", "okänd")
        if placed_by not in PLACED_BY:
            placed_by = "okänd"
        fields.update(
            position=position,
            placed_by=placed_by,
            place_id=fields.get("place_id") or None,
            line=line,
        )
        fields.setdefault("body", "")
        fields.setdefault("file", "")
        fields.setdefault("kind", "kommentar")
        fields.setdefault("place", "okänd")
        out.append(Remark(**fields))
        spans[ident] = (item.start_mark.index, item.end_mark.index)
    return out, spans


def remark_spans(doc_folder: Path, name: str) -> Spans:
    """synpunkter.yaml's text and where each entry stands in it."""
    r = _Reader()
    path = remiss_folder(doc_folder) / name / REMARKS_FILE
    _, spans = _remarks(r, path)
    if r.problems:
        raise SourceError(r.problems)
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return Spans(text, spans)


# --- check and release ------------------------------------------------------------------------


def round_problems(doc_folder: Path) -> list[Problem]:
    """Errors in a document's round files (check reports them as errors)."""
    out = []
    for name in round_names(doc_folder):
        out += read_round(doc_folder, name)[1]
    return out


def unanswered(doc_folder: Path, names: list[str] | None = None) -> list[Problem]:
    """Comments without a ställningstagande, or without the motivering theirs needs, at
    their lines in synpunkter.yaml: the first few one by one, then how many more (check
    prints them as warnings; release refuses while there are any)."""
    out = []
    for name in round_names(doc_folder) if names is None else names:
        data = read_round(doc_folder, name)[0]
        if data is None:
            continue
        path = remiss_folder(doc_folder) / name / REMARKS_FILE
        open_ = [r for r in data.remarks if not r.answered]
        for r in open_[:MAX_LISTED]:
            where = f"{r.body}, {r.place}"
            if r.position in NEEDS_REASON:
                message = f"synpunkten {r.id} ({where}) är '{r.position}' men saknar motivering"
            else:
                message = (
                    f"synpunkten {r.id} ({where}) är obesvarad; skriv ställningstagande ("
                    + ", ".join(POSITIONS)
                    + ") och motivering"
                )
            out.append(Problem(path, r.line, message))
        if len(open_) > MAX_LISTED:
            out.append(
                Problem(
                    path,
                    open_[MAX_LISTED].line,
                    f"och {len(open_) - MAX_LISTED} synpunkter till i omgång {name} är "
                    f"obesvarade ({len(open_)} av {len(data.remarks)})",
                )
            )
    return out
