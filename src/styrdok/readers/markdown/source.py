"""Load and validate stage: a document's source files → the document model.

The metadata is YAML read as plain text (every scalar exactly as written); the content is
Markdown parsed by pandoc (commonmark_x with source positions) into its AST. Every problem is
collected with its file and line before anything is reported.
"""

from __future__ import annotations

import contextlib
import difflib
import gc
import json
import os
import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from styrdok.errors import Problem, SourceError
from styrdok.model.document import (
    GOVERNANCE_TYPES,
    MEASURE_FIELDS,
    METADATA_KEYS,
    Block,
    BulletList,
    Document,
    Inlines,
    ListItem,
    Measure,
    Metadata,
    Paragraph,
    Run,
    Section,
    Subheading,
    Table,
    join_runs,
    plain,
)
from styrdok.model.metadata import parse_value
from styrdok.project.names import BODY_FILE, META_FILE, name_problem
from styrdok.project.publish import guarded
from styrdok.readers.markdown import pandoc

MEASURE_CLASS = "åtgärd"
APPENDIX_CLASS = "bilaga"
# What the source cannot hold, in the user's words (pandoc's names never reach the user).
UNSUPPORTED_BLOCK = "det här blocket stöds inte; använd stycken, punktlistor och rubriker"
UNSUPPORTED_BLOCKS = {
    "BlockQuote": "citatblock ('> …') stöds inte; skriv citatet som ett stycke inom citattecken",
    "CodeBlock": "kodblock stöds inte (en rad med fyra mellanslags indrag eller ```); ta bort "
    "indraget eller ```",
    "RawBlock": "HTML stöds inte; skriv texten utan taggar",
    "HorizontalRule": "linjer ('---') stöds inte; börja en ny rubrik eller ett nytt stycke",
    "Figure": "bilder stöds inte i texten; lägg bilden i mallen eller i en bilaga bredvid "
    "dokumentet",
    "Div": "block inom ':::' stöds inte; ta bort ':::'-raderna",
    "LineBlock": "radblock ('| …') stöds inte; avsluta raderna med \\ för radbrytning",
}
UNSUPPORTED_INLINE = "den här formateringen stöds inte; använd text, *kursiv*, **fet** och länkar"
UNSUPPORTED_INLINES = {
    "Image": "bilder stöds inte i texten; lägg bilden i mallen eller i en bilaga bredvid "
    "dokumentet",
    "Underline": "understrykning stöds inte (den ser ut som en länk); använd *kursiv* eller "
    "**fet**",
    "SmallCaps": "kapitäler stöds inte; skriv texten som den ska stå",
    "Strikeout": "genomstrykning stöds inte (den ser ut som en ändring); ta bort texten",
    "Math": "formler stöds inte; skriv uttrycket som text",
    "RawInline": "HTML stöds inte; skriv texten utan taggar",
    "Cite": "källhänvisningar med @ stöds inte; skriv \\@ för ett @-tecken",
}

# Where a link may lead: the web, mail, phone, or a section or measure of the document itself.
LINK_TARGET = re.compile(r"^(?:https?://[^\s]+|mailto:[^\s]+|tel:[+0-9 ()-]+|#[^\s]+)$", re.I)
PLACEHOLDER = "<saknas>"  # what an import could not find; check refuses it
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REQUIRED_KEYS = tuple(k.key for k in METADATA_KEYS if k.required)
OPTIONAL_KEYS = tuple(k.key for k in METADATA_KEYS if not k.required)
DATE_KEYS = tuple(k.key for k in METADATA_KEYS if k.kind == "date")
FIELD_KEYS = {label: key for key, label in MEASURE_FIELDS.items()}


@dataclass
class _Collector:
    """Problems found so far in one document."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, path: Path, line: int, message: str) -> None:
        self.problems.append(Problem(path, max(line, 1), message))


def find_documents(root: Path, names: tuple[str, ...] | list[str] = ()) -> list[Path]:
    """The document folders under `root`, all of them or the named ones."""
    if not root.is_dir():
        raise SourceError(
            [
                Problem(
                    root,
                    1,
                    "mappen finns inte; kör styrdok i projektmappen (den med source/) "
                    "eller ange den med --root",
                )
            ]
        )
    if names:
        missing = [n for n in names if not (root / n / META_FILE).is_file()]
        if missing:
            found = sorted(p.parent.name for p in root.glob(f"*/{META_FILE}"))

            def known(name: str) -> str:  # the existing names, the closest first
                if not found:
                    return "; source/ är tom"
                close = difflib.get_close_matches(name, found, n=len(found), cutoff=0)
                return f"; dokumenten heter: {', '.join(close)}"

            raise SourceError(
                [
                    Problem(root / n, 1, f"inget dokument med namnet '{n}'{known(n)}")
                    for n in missing
                ]
            )
        folders = [root / n for n in dict.fromkeys(names)]  # each once, in the order given
    else:
        # hidden folders are not documents (a killed import's staging folder is one)
        folders = sorted(
            p.parent for p in root.glob(f"*/{META_FILE}") if not p.parent.name.startswith(".")
        )
    return folders


def _folder_problems(folder: Path) -> list[Problem]:
    """A folder that is a symbolic link (git keeps the link, not the document) or whose name
    is no document name: a problem of that document, with the fix."""

    where = folder / META_FILE
    if folder.is_symlink():
        message = (
            "mappen är en symbolisk länk; git sparar bara länken, inte dokumentet. Flytta "
            "dokumentets mapp hit i stället"
        )
        return [Problem(where, 1, message)]
    if problem := name_problem(folder.name):
        return [Problem(where, 1, f"mappnamnet {problem}; byt namn på mappen")]
    return []


def load_documents(root: Path, names: tuple[str, ...] | list[str] = ()) -> list[Document]:
    """Load every named document (all by default); report all problems of all of them at once."""
    return list(iter_documents(root, names))


def iter_documents(root: Path, names: tuple[str, ...] | list[str] = ()) -> Iterator[Document]:
    """The named documents (all by default) in order, each as soon as it has loaded.

    Loading starts at the call, on parallel threads (most of a load is waiting for pandoc's
    process), so the caller can prepare meanwhile. A document with problems does not stop the
    others: every valid document is yielded, and once all have loaded a SourceError lists every
    problem of every broken one."""
    return iter_folders(find_documents(root, names))


def iter_folders(folders: list[Path]) -> Iterator[Document]:
    """`iter_documents` for document folders already found (find_documents)."""
    pandoc.binary()  # found once, before the threads
    pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 1)
    return _loaded(pool, pool.map(load_or_problems, folders))


def _loaded(pool: ThreadPoolExecutor, outcomes: Iterator) -> Iterator[Document]:
    problems: list[Problem] = []
    try:
        for outcome in outcomes:
            if isinstance(outcome, list):
                problems.extend(outcome)
            else:
                yield outcome
    finally:  # without waiting: a generator left by an error may end inside the garbage
        pool.shutdown(wait=False, cancel_futures=True)  # collector, where a join can deadlock
    if problems:
        raise SourceError(problems)


def load_or_problems(folder: Path) -> Document | list[Problem]:
    """The document in `folder`, or every problem its folder and files have."""
    if problems := _folder_problems(folder):
        return problems
    try:
        return load_document(folder)
    except SourceError as e:
        return e.problems


def load_document(folder: Path) -> Document:
    """Load one document folder from disk."""
    files = {}
    for name in (META_FILE, BODY_FILE):
        path = folder / name
        files[name] = path.read_bytes() if path.is_file() else None
    return parse_document(folder.name, files[META_FILE], files[BODY_FILE], folder)


def load_metadata(folder: Path) -> Metadata:
    """Only a document's metadata (its document.yaml, not its text): for lists of many
    documents, such as the register, that need no pandoc."""
    c = _Collector()
    path = folder / META_FILE
    text = _text(path.read_bytes() if path.is_file() else None, path, "sina metadata", c)
    metadata = _parse_metadata(text, path, c) if text is not None else None
    if c.problems or metadata is None:
        raise SourceError(c.problems)
    return metadata


def parse_document(name: str, meta: bytes | None, body: bytes | None, folder: Path) -> Document:
    """Build the model from the two source files' bytes (from disk or from a git revision)."""
    c, body_c = _Collector(), _Collector()
    meta_path, body_path = folder / META_FILE, folder / BODY_FILE
    body_text = _text(body, body_path, "sitt innehåll", body_c)
    with contextlib.ExitStack() as stack:
        reading = None  # pandoc reads the text while the metadata is read
        if body_text is not None and body_text.strip():
            # stopped afterwards (it has ended unless something failed), also by Ctrl-C or
            # SIGTERM at any moment: no pandoc outlives the command
            reading = stack.enter_context(
                guarded(
                    lambda: pandoc.reading(body_text, pandoc.SOURCE_FORMAT, body_path),
                    pandoc.Reading.cancel,
                )
            )
        meta_text = _text(meta, meta_path, "sina metadata", c)
        metadata = _parse_metadata(meta_text, meta_path, c) if meta_text is not None else None
        c.problems += body_c.problems  # the metadata's problems first, as the files are read
        sections = _parse_body(body_text, body_path, c, reading) if body_text is not None else ()
    if c.problems:
        raise SourceError(c.problems)
    assert metadata is not None
    return Document(name=name, metadata=metadata, sections=sections)


def _text(data: bytes | None, path: Path, what: str, c: _Collector) -> str | None:
    """A source file's text, or None with a problem if it is missing or not UTF-8."""
    if data is None:
        c.add(path, 1, f"filen saknas; varje dokument behöver {what} i {path.name}")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        c.add(path, line, "filen är inte UTF-8; spara den som UTF-8")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # Windows and old Mac line ends
    found = False
    for number, line_text in enumerate(text.split("\n"), 1):
        if message := unusable_character(line_text):
            c.add(path, number, message)
            found = True
    return None if found else text


# What XML 1.0 (and so Word and PDF) cannot hold: C0 controls except tab, line feed and carriage
# return; surrogates; U+FFFE and U+FFFF. Typed, pasted from Word or written as an escape.
UNUSABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x85\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def unusable_character(text: str, column: bool = True) -> str | None:
    """A message for the first character in `text` that no document can hold, else None."""
    found = UNUSABLE.search(text)
    if found is None:
        return None
    char = found.group()
    what = {
        "\x0b": "en radbrytning från Word (Skift+Retur, U+000B)",
        "\x0c": "en sidbrytning från Word (U+000C)",
        "\x00": "ett NUL-tecken (U+0000)",
        "\u2028": "en osynlig radavgränsare (U+2028)",
        "\x85": "en osynlig radavgränsare (U+0085)",
    }.get(char, f"ett osynligt styrtecken (U+{ord(char):04X})")
    return (
        f"texten innehåller {what}{f' i kolumn {found.start() + 1}' if column else ''}, "
        "som inte kan stå i ett "
        "Word- eller PDF-dokument; ta bort det eller skriv texten på en ny rad"
    )


# --- metadata ----------------------------------------------------------------------------------


def _parse_metadata(text: str, path: Path, c: _Collector) -> Metadata | None:
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
            c.add(
                path,
                line,
                f"värdet innehåller tecken som YAML läser som struktur (': ', '#', tab …); "
                f'sätt värdet inom citattecken: {key.strip()}: "{quoted}"',
            )
            return None
        if "'\\t'" in problem:  # "found character '\\t' that cannot start any token"
            c.add(path, line, "tabbtecken i metadata; skriv 'nyckel: värde' med mellanslag")
            return None
        c.add(path, line, f"ogiltig YAML ({problem}); förväntade rader som 'nyckel: värde'")
        return None
    if root is None:
        c.add(path, 1, "filen är tom; förväntade metadata som 'nyckel: värde'")
        return None
    if not isinstance(root, yaml.MappingNode):
        c.add(path, root.start_mark.line + 1, "förväntade metadata som 'nyckel: värde'")
        return None
    values: dict[str, tuple[str, int]] = {}
    for key_node, value_node in root.value:
        key, line = key_node.value, key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            c.add(path, line, "en nyckel ska vara ett ord ('nyckel: värde'), inte en lista")
        elif key in values:
            c.add(path, line, f"'{key}' står två gånger; ta bort den ena")
        elif key not in REQUIRED_KEYS + OPTIONAL_KEYS:
            known = ", ".join(REQUIRED_KEYS + OPTIONAL_KEYS)
            c.add(path, line, f"okänd nyckel '{key}'; kända nycklar: {known}")
        elif not isinstance(value_node, yaml.ScalarNode):
            c.add(path, line, f"'{key}' ska vara en text på en rad, inte en lista eller tabell")
        elif not value_node.value.strip():
            c.add(path, line, f"'{key}' är tom; ange ett värde")
        elif value_node.value.strip() == PLACEHOLDER:
            c.add(path, line, f"'{key}' är inte ifyllt ännu ({PLACEHOLDER}); skriv värdet")
        elif "\n" in value_node.value.strip():
            c.add(path, line, f"'{key}' ska stå på en rad; ta bort radbrytningen")
        elif message := unusable_character(value_node.value):
            c.add(path, value_node.start_mark.line + 1, f"'{key}': {message}")
        elif value_node.start_mark.line != key_node.start_mark.line and value_node.style is None:
            c.add(path, line, f"'{key}' hänvisar till ett annat värde (*); skriv ut värdet")
        elif value_node.style is None and "#" in _line_text(text, line).partition(":")[2].replace(
            value_node.value, "", 1
        ):
            c.add(
                path,
                line,
                f"'{key}' blev '{value_node.value}': '#' inleder en kommentar i YAML; sätt "
                "värdet inom citattecken om '#' hör till det",
            )
        else:
            values[key] = (value_node.value.strip(), line)
    for key in REQUIRED_KEYS:
        if key not in values and not any(p.message.startswith(f"'{key}'") for p in c.problems):
            c.add(path, root.end_mark.line + 1, f"'{key}' saknas; den är obligatorisk")
    typ = values.get("typ")
    if typ and typ[0].lower() in GOVERNANCE_TYPES:  # POLICY, Policy: the type, canonical
        values["typ"] = typ = (typ[0].lower(), typ[1])
    if typ and typ[0] not in GOVERNANCE_TYPES:
        expected = ", ".join(GOVERNANCE_TYPES)
        c.add(path, typ[1], f"okänd typ '{typ[0]}'; förväntade en av: {expected}")
    dates = {key: _parse_date(values[key], path, c) for key in DATE_KEYS if key in values}
    for key, (raw, line) in list(values.items()):
        kept, problem = parse_value(key, raw)
        if problem:
            c.add(path, line, problem)
        values[key] = (kept, line)
    if c.problems or dates.get("datum") is None:
        return None
    fields = {k: v for k, (v, _) in values.items()}
    return Metadata(**(fields | dates))


def _line_text(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _parse_date(value: tuple[str, int], path: Path, c: _Collector) -> date | None:
    raw, line = value
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        c.add(path, line, f"datum '{raw}' har fel form; förväntade ÅÅÅÅ-MM-DD")
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        c.add(path, line, f"datum '{raw}' finns inte i kalendern; förväntade ÅÅÅÅ-MM-DD")
        return None


# --- content -----------------------------------------------------------------------------------


def _parse_body(
    text: str, path: Path, c: _Collector, reading: pandoc.Reading | None
) -> tuple[Section, ...]:
    if reading is None:
        c.add(path, 1, "dokumentet är tomt; förväntade minst ett avsnitt '# Rubrik {#id}'")
        return ()
    output = reading.json()
    try:
        with _collector_paused:
            builder = _BodyBuilder(path, c, text.split("\n"))
            for block, line in _flatten(_top_blocks(output), 1):
                builder.add(block, line)
            sections = builder.finish()
            _check_notes(text, path, c)
    except RecursionError:
        c.add(
            path,
            1,
            "texten är nästlad för djupt (listor, citat eller betoning i hundratal "
            "nivåer); skriv den med högst en listnivå",
        )
        return ()
    if not sections and not c.problems:
        c.add(path, 1, "dokumentet har inga avsnitt; förväntade minst ett '# Rubrik {#id}'")
    return sections


NOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:")
NOTE_REFERENCE = re.compile(r"(?<!\\)\[\^([^\]\s]+)\]")


# A table's delimiter row (|---|---|) inside a paragraph: pandoc made no table of the lines.
TABLE_RULE = re.compile(r"\|\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def _broken_table(text: str) -> str | None:
    """What is wrong with a paragraph that is written as a table but is none, or None."""
    stripped = text.strip()
    if TABLE_RULE.search(stripped):
        return (
            "raderna ser ut som en tabell men blev ingen: rubrikraden och raden |---| under den "
            "ska ha lika många celler; skriv \\| för ett lodstreck i en cell"
        )
    if len(stripped) > 1 and stripped.startswith("|") and stripped.endswith("|"):
        return (
            "raden ser ut som en tabell men blev ingen: en tabell behöver en rubrikrad och "
            "under den en rad |---| med lika många celler"
        )
    return None


def _check_notes(text: str, path: Path, c: _Collector) -> None:
    """A footnote's text that no `[^n]` refers to is left out by Markdown, a `[^n]` without
    its text stays as typed and a second text for the same label is dropped: each is refused at
    its line. (A label used twice is two footnotes with the same text, as in Markdown.) `[^n]`
    in code is text."""
    lines = [CODE_SPAN.sub(lambda m: " " * len(m.group()), t) for t in text.split("\n")]
    defined: dict[str, int] = {}
    for n, t in enumerate(lines, 1):
        if m := NOTE_DEFINITION.match(t):
            if m.group(1) in defined:
                c.add(
                    path,
                    n,
                    f"fotnoten [^{m.group(1)}] har redan en text på rad {defined[m.group(1)]}; "
                    "ge den här ett eget namn, t.ex. [^2]",
                )
            defined.setdefault(m.group(1), n)
    used: dict[str, int] = {}
    for n, t in enumerate(lines, 1):
        start = m.end() if (m := NOTE_DEFINITION.match(t)) else 0  # a text's own label
        for m in NOTE_REFERENCE.finditer(t, start):
            used.setdefault(m.group(1), n)
    for label, n in defined.items():
        if label not in used:
            c.add(
                path,
                n,
                f"fotnoten [^{label}] används inte i texten; skriv [^{label}] där den hör "
                "hemma eller ta bort den",
            )
    for label, n in used.items():
        if label not in defined:
            c.add(
                path,
                n,
                f"fotnoten [^{label}] saknar sin text; skriv '[^{label}]: Fotnotens text.' på "
                "en egen rad efter stycket",
            )


class _CollectorPause:
    """Python's cyclic garbage collector off while an AST is read and folded. With sourcepos
    pandoc wraps every word in a Span, so a large document is millions of small dicts and lists
    that the collector scans again and again as they are made (json.loads of a 35 MB AST: 0.4 s
    without, 4 s with). They hold no cycles, so nothing is lost. The switch is per process and
    documents load on several threads: the first in turns it off, the last out back on."""

    def __init__(self) -> None:
        self.lock, self.inside, self.was_on = threading.Lock(), 0, False

    def __enter__(self) -> None:
        with self.lock:
            if self.inside == 0:
                self.was_on = gc.isenabled()
                gc.disable()
            self.inside += 1

    def __exit__(self, *exc) -> None:
        with self.lock:
            self.inside -= 1
            if self.inside == 0 and self.was_on:
                gc.enable()


_collector_paused = _CollectorPause()


POSITION = re.compile(r"(?:^|[@;])(\d+):\d+-")  # "4:1-5:1;3:1-6:1": where each part starts


def _line(attr: list) -> int | None:
    for key, value in attr[2]:
        if key == "data-pos":
            head, _, rest = value.partition(":")
            if head.isdigit() and ";" not in rest and "@" not in rest:  # one range: "3:1-3:9"
                return int(head)
            starts = POSITION.findall(value)
            if starts:
                return min(int(s) for s in starts)
    return None


def _span(attr: list) -> tuple[int, int] | None:
    """The first and last line a block covers ("4:1-5:1;3:1-7:1": lines 3 to 6)."""
    for key, value in attr[2]:
        if key == "data-pos":
            ranges = re.findall(r"(\d+):\d+-(\d+):(\d+)", value)
            if ranges:
                first = min(int(a) for a, _, _ in ranges)
                last = max(int(b) - (c == "1") for _, b, c in ranges)
                return first, max(first, last)
    return None


def _pipe_cells(line: str) -> int | None:
    """The cells written on one line of a pipe table: its `|` that are not escaped (inside
    `code` too, as in GitHub's tables), a leading and a trailing one left out (None for a blank
    line)."""
    text = line.strip()
    if not text:
        return None
    text = re.sub(r"\\.", "x", text)  # \| and the like are text
    text = text[1:] if text.startswith("|") else text
    text = text[:-1] if text.endswith("|") else text
    return text.count("|") + 1


def _inline_line(inlines: list) -> int | None:
    """The line of the first inline that carries a source position."""
    for i in inlines:
        if i["t"] in ("Span", "Link") and (found := _line(i["c"][0])):
            return found
    return None


def _fold(text: str) -> str:
    """Lowercase ASCII letters without diacritics: 'åtgärd' and 'atgard' fold alike."""
    return text.lower().translate(str.maketrans("åäöéü", "aaoeu"))


def _unspaced_field(block: dict) -> str | None:
    """A field written without the space after its colon ('Tidplan' then ':Klart 2026'):
    pandoc reads a paragraph, not a field list. Returns the field's label."""
    if block["t"] not in ("Para", "Plain"):
        return None
    words: list[str] = []

    def walk(inlines: list) -> None:
        for i in inlines:
            if i["t"] == "Str":
                words.append(i["c"])
            elif i["t"] in ("Space", "SoftBreak"):
                words.append("\n" if i["t"] == "SoftBreak" else " ")
            elif i["t"] == "Span":
                walk(i["c"][1])

    walk(block["c"])
    first, _, rest = "".join(words).partition("\n")
    label = first.strip().rstrip(":")
    return label if label in FIELD_KEYS and rest.startswith(":") else None


_JSON = json.JSONDecoder()
_BLANK = re.compile(r"[ \t\n\r]*")


def _top_blocks(output: str) -> Iterator:
    """The AST's top-level blocks decoded one at a time from pandoc's JSON, so that only one
    of them is held as Python objects at once (with sourcepos the whole AST of a long document
    is tens of MB of JSON and several times that as dicts and lists)."""

    def skip(i: int) -> int:
        match = _BLANK.match(output, i)
        return match.end() if match else i

    i = skip(0)
    if output[i : i + 1] != "{":
        raise ValueError("pandoc's JSON is no object")
    i = skip(i + 1)
    while output[i : i + 1] != "}":
        key, i = _JSON.raw_decode(output, i)
        i = skip(skip(i) + 1)  # the colon
        if key != "blocks":
            _, i = _JSON.raw_decode(output, i)
        else:
            i = skip(i + 1)  # the array's [
            while output[i : i + 1] != "]":
                block, i = _JSON.raw_decode(output, i)
                yield block
                i = skip(i)
                if output[i : i + 1] == ",":
                    i = skip(i + 1)
            i += 1
        i = skip(i)
        if output[i : i + 1] == ",":
            i = skip(i + 1)


def _with_text(style: Run, text: str) -> Run:
    """The style's run with this text (a word: `dataclasses.replace` took a third of a long
    document's parse)."""
    return Run(text, style.bold, style.italic, style.href, style.change, style.mark, style.script)


def _is_wrapper(attr: list) -> bool:
    return any(k == "wrapper" for k, _ in attr[2])


def _flatten(blocks: list, line: int):
    """Yield (block, line), unwrapping the Divs that sourcepos adds around blocks."""
    for b in blocks:
        if b["t"] == "Div" and _is_wrapper(b["c"][0]):
            yield from _flatten(b["c"][1], _line(b["c"][0]) or line)
        else:
            yield b, _block_line(b) or line


def _block_line(block: dict) -> int | None:
    """The line of a block that carries its own attributes (headers, tables, code)."""
    c = block.get("c")
    attr = c[1] if block["t"] == "Header" else (c[0] if isinstance(c, list) and c else None)
    if isinstance(attr, list) and len(attr) == 3 and isinstance(attr[2], list):
        return _line(attr)
    return None


class _BodyBuilder:
    """Folds the flat block stream into sections and measures."""

    def __init__(self, path: Path, c: _Collector, lines: list[str] | None = None):
        self.path, self.c = path, c
        self.lines = lines or []  # the source's lines (a table's rows are checked on them)
        self.sections: list[Section] = []
        self.ids: dict[str, int] = {}
        self.references: list[tuple[str, int]] = []  # [text](#id): the id and the line
        self.section: dict | None = None
        self.measure: dict | None = None

    def problem(self, line: int, message: str) -> None:
        self.c.add(self.path, line, message)

    def add(self, block: dict, line: int) -> None:
        t = block["t"]
        if t == "Header":
            self.header(block, line)
        elif self.section is None:
            self.problem(line, "text före första avsnittet; börja med en rubrik '# Rubrik {#id}'")
        elif t == "DefinitionList":
            self.fields(block, line)
        elif (label := _unspaced_field(block)) is not None:
            self.problem(
                line,
                f"fältet '{label}': skriv kolon och mellanslag före värdet (': värde' på raden "
                "under fältnamnet)",
            )
        elif self.measure is not None and self.measure["fields"] is not None:
            self.problem(
                line,
                f"text efter fälten i åtgärden '{self.measure['id']}'; en åtgärd slutar med sina "
                "fält, så flytta texten före fältlistan (eller till ett eget avsnitt)",
            )
        else:
            converted = self.block(block, line)
            if converted is not None:
                target = self.measure if self.measure is not None else self.section
                if (
                    isinstance(converted, Table)
                    and target["blocks"][-1:]
                    and isinstance(target["blocks"][-1], Table)
                ):
                    self.problem(
                        line,
                        "två tabeller direkt efter varandra blir en tabell i Word; skriv ett "
                        "stycke mellan dem eller slå ihop dem till en tabell",
                    )
                target["blocks"].append(converted)

    def header(self, block: dict, line: int) -> None:
        level, attr, inlines = block["c"]
        ident, classes = attr[0], attr[1]
        title = self.inlines(inlines, line)
        if any(r.note is not None for r in title):
            self.problem(
                line,
                "fotnoter i rubriker stöds inte (de skulle följa med till innehållsförteckningen); "
                "sätt fotnoten i texten under rubriken",
            )
            title = tuple(r for r in title if r.note is None)
        self.check_heading(level, ident, classes, plain(title), line)
        if level == 1:
            self.close_section()
            appendix = APPENDIX_CLASS in classes
            self.check_id(ident, line, "bilagan" if appendix else "avsnittet")
            if not appendix and any(s.appendix for s in self.sections):
                self.problem(
                    line,
                    "avsnittet står efter en bilaga; bilagorna ({#id .bilaga}) står sist, så "
                    "flytta avsnittet före dem",
                )
            self.section = {
                "id": ident,
                "title": title,
                "blocks": [],
                "measures": [],
                "line": line,
                "appendix": appendix,
            }
        elif MEASURE_CLASS in classes:
            if level != 2:
                self.problem(
                    line, "en åtgärd ska ha en rubrik på nivå 2: '## Rubrik {#id .åtgärd}'"
                )
            if self.section is None:
                self.problem(line, "åtgärden står före första avsnittet; lägg den under ett '#'")
                return
            if self.section["appendix"]:
                self.problem(
                    line,
                    "en bilaga har inga åtgärder; lägg åtgärden i ett avsnitt före bilagorna",
                )
            self.close_measure()
            self.check_id(ident, line, "åtgärden")
            self.measure = {"id": ident, "title": title, "blocks": [], "fields": None, "line": line}
        elif level in (2, 3):
            self.add({"t": "_Sub", "level": level, "runs": title}, line)
        else:
            self.problem(line, f"rubriknivå {level} stöds inte; använd '#', '##' eller '###'")

    def check_heading(
        self, level: int, ident: str, classes: list[str], text: str, line: int
    ) -> None:
        """The heading mistakes that would otherwise show up elsewhere or not at all."""
        allowed = {MEASURE_CLASS} if level > 1 else {APPENDIX_CLASS}
        for cls in classes:
            if cls == MEASURE_CLASS and level == 1:
                self.problem(line, "en åtgärd har en rubrik på nivå 2: '## Rubrik {#id .åtgärd}'")
            elif cls not in allowed:
                close = " (menade du .åtgärd?)" if _fold(cls) == _fold(MEASURE_CLASS) else ""
                self.problem(
                    line,
                    f"okänd klass '.{cls}' i rubriken{close}; en åtgärd skrivs "
                    "'## Rubrik {#id .åtgärd}', en bilaga '# Rubrik {#id .bilaga}'",
                )
        # an id or class meant as attributes: "{#id" fragments, our classes, and on a section
        # (which must have an id) a trailing "#id"; "## Spara som .pdf" is only a title
        classes_written = r"\.(?:[aå]tg[aä]rd|bilaga)"
        ends = rf"\{{#|(?:^|\s){classes_written}\}}?\s*$"
        if level == 1:
            ends += r"|(?:^|\s)#[a-z0-9]+(?:-[a-z0-9]+)*\}?\s*$"
        if not ident and re.search(ends, text, re.IGNORECASE):
            self.problem(
                line,
                "rubrikens id eller klass står utan klammerparenteser; skriv "
                + ("'## Rubrik {#id .åtgärd}'" if "åtgärd" in text else "'# Rubrik {#id}'"),
            )
        # a typed number: the section's own ("1 Inledning" in section 1), "Bilaga 2" on an
        # appendix, or "3:2" on a measure
        ordinal = sum(not s.appendix for s in self.sections) + 1
        ordinal += self.section is not None and not self.section["appendix"]  # still open
        own = rf"{ordinal}\.?" if level == 1 else r"\d+:\d+\.?"
        if APPENDIX_CLASS in classes:
            own = r"[Bb]ilaga\s+\d+[.:]?"
        numbered = re.match(rf"^({own})\s+(.*)", text)
        if numbered and (level == 1 or MEASURE_CLASS in classes):
            what, rest = ("avsnittets", "#") if level == 1 else ("åtgärdens", "##")
            what = "bilagans" if APPENDIX_CLASS in classes else what
            self.problem(
                line,
                f"{what} nummer sätts automatiskt; skriv rubriken utan '{numbered.group(1)}': "
                f"'{rest} {numbered.group(2)} {{…}}'",
            )

    def check_id(self, ident: str, line: int, what: str) -> None:
        if not ident:
            example = "## Rubrik {#ett-id .åtgärd}" if what == "åtgärden" else "# Rubrik {#ett-id}"
            self.problem(line, f"{what} saknar id; skriv rubriken som '{example}'")
        elif not ID_PATTERN.match(ident):
            self.problem(line, f"id '{ident}' är ogiltigt; använd a–z, siffror och bindestreck")
        elif ident in self.ids:
            self.problem(
                line, f"id '{ident}' används redan på rad {self.ids[ident]}; välj ett unikt"
            )
        else:
            self.ids[ident] = line

    def block(self, block: dict, line: int) -> Block | None:
        t = block["t"]
        if t == "_Sub":
            return Subheading(block["runs"], level=block["level"])
        if t in ("Para", "Plain"):
            runs = self.inlines(block["c"], line)
            if message := _broken_table(plain(runs)):
                self.problem(line, message)
            return Paragraph(runs)
        if t in ("BulletList", "OrderedList"):
            items = block["c"] if t == "BulletList" else block["c"][1]
            start = block["c"][0][0] if t == "OrderedList" else 1
            return BulletList(
                tuple(self.item(i, line) for i in items), ordered=t == "OrderedList", start=start
            )
        if t == "Table":
            return self.table(block, line)
        self.problem(line, UNSUPPORTED_BLOCKS.get(t, UNSUPPORTED_BLOCK))
        return None

    def table(self, block: dict, line: int) -> Table | None:
        """A pipe table: a header row, then rows of as many cells, each cell one line of text.
        What pandoc would change without a word (a row with more cells than the header loses
        them, one with fewer is filled up; column alignment) is refused at its line."""
        _, _, colspecs, head, bodies, foot = block["c"]
        first, last = _span(block["c"][0]) or (line, line + 1)
        problems = len(self.c.problems)
        columns = len(colspecs)
        if any(spec[0]["t"] != "AlignDefault" for spec in colspecs):
            self.problem(
                first + 1,
                "kolumnjustering (':' i raden under rubrikraden) stöds inte; skriv raden med "
                "bara bindestreck, t.ex. '|---|---|'",
            )
        for number in range(first, last + 1):
            source = self.lines[number - 1] if 0 < number <= len(self.lines) else ""
            cells = _pipe_cells(source)
            if number != first + 1 and cells is not None and cells != columns:
                self.problem(
                    number,
                    f"raden har {cells} {'cell' if cells == 1 else 'celler'} men tabellens "
                    f"rubrikrad har {columns}; ge varje rad {columns} celler ('| … |' per "
                    "cell, en tom cell skrivs '|  |')",
                )
        header = [self.cell(c, line) for row in head[1] for c in row[1]]
        rows = [
            tuple(self.cell(c, line) for c in row[1])
            for body in bodies
            for row in (*body[2], *body[3])
        ]
        rows += [tuple(self.cell(c, line) for c in row[1]) for row in foot[1]]
        if not any(plain(cell).strip() for cell in header):
            self.problem(
                first,
                "tabellen saknar rubrikrad; skriv kolumnernas rubriker på tabellens första rad "
                "(rubrikraden upprepas överst på varje sida)",
            )
        if not rows:
            self.problem(first, "tabellen har bara en rubrikrad; skriv minst en rad under den")
        if len(self.c.problems) > problems:
            return None
        return Table(tuple(header), tuple(rows))

    def cell(self, cell: list, line: int) -> Inlines:
        """A table cell's text: one line (a pipe table cannot hold more)."""
        blocks = cell[4]
        if not blocks:
            return ()
        line = _inline_line(blocks[0].get("c") or []) or line
        if len(blocks) != 1 or blocks[0]["t"] not in ("Plain", "Para"):
            self.problem(
                line, "en tabellcell rymmer en rad text; skriv listor och stycken utanför tabellen"
            )
            return ()
        runs = self.inlines(blocks[0]["c"], line)
        if "\n" in plain(runs):
            self.problem(line, "en tabellcell rymmer en rad text; ta bort radbrytningen")
        return runs

    def note(self, blocks: list, line: int) -> Inlines:
        """A footnote's text: one paragraph on one line."""
        flat = list(_flatten(blocks, line))
        if len(flat) != 1 or flat[0][0]["t"] not in ("Para", "Plain"):
            self.problem(
                flat[0][1] if flat else line,
                "en fotnot rymmer ett stycke på en rad ('[^1]: Fotnotens text.'); skriv "
                "listor och fler stycken i texten",
            )
            return (Run("…"),)
        note = self.inlines(flat[0][0]["c"], flat[0][1])
        if "\n" in plain(note):
            self.problem(flat[0][1], "en fotnot står på en rad; ta bort radbrytningen")
        if not plain(note).strip():
            self.problem(flat[0][1], "fotnoten är tom; skriv dess text efter '[^1]: '")
        return note

    def item(self, blocks: list, line: int) -> ListItem:
        flat = list(_flatten(blocks, line))
        if len(flat) != 1 or flat[0][0]["t"] not in ("Plain", "Para"):
            self.problem(
                flat[0][1] if flat else line,
                "en listpunkt ska vara ett stycke; nästlade listor stöds inte",
            )
            return ListItem(())
        return ListItem(self.inlines(flat[0][0]["c"], flat[0][1]))

    def fields(self, block: dict, line: int) -> None:
        if self.measure is None:
            self.problem(
                line,
                "fältlistan hör inte till någon åtgärd; lägg den under '## Rubrik {#id .åtgärd}'",
            )
            return
        if self.measure["fields"] is not None:
            self.problem(line, "åtgärden har redan en fältlista; förväntade en enda")
            return
        found: dict[str, Inlines] = {}
        self.measure["fields_line"] = line
        for term, definitions in block["c"]:
            line = _inline_line(term) or line
            label = plain(self.inlines(term, line)).strip().rstrip(".:")
            key = FIELD_KEYS.get(label)
            flat = [b for d in definitions for b in _flatten(d, line)]
            if key is None:
                expected = ", ".join(f"'{v}'" for v in MEASURE_FIELDS.values())
                self.problem(line, f"okänt fält '{label}'; förväntade {expected}")
            elif key in found:
                self.problem(line, f"fältet '{label}' står två gånger")
            elif len(flat) != 1 or flat[0][0]["t"] not in ("Plain", "Para"):
                self.problem(line, f"fältet '{label}' ska ha ett värde på en rad")
            elif "\n" in plain(value := self.inlines(flat[0][0]["c"], flat[0][1])):
                self.problem(
                    line,
                    f"fältet '{label}' ska ha ett värde på en rad; ta bort radbrytningen (ett "
                    "\\ eller två mellanslag i radens slut)",
                )
            else:
                found[key] = value
        self.measure["fields"] = found

    def close_measure(self) -> None:
        m, self.measure = self.measure, None
        if m is None or self.section is None:
            return
        fields = m["fields"] or {}
        missing = [label for key, label in MEASURE_FIELDS.items() if not plain(fields.get(key, ()))]
        for key, label in MEASURE_FIELDS.items():
            if plain(fields.get(key, ())).strip() == PLACEHOLDER:
                self.problem(
                    m.get("fields_line", m["line"]),
                    f"fältet '{label}' i åtgärden '{m['id']}' är inte ifyllt "
                    f"ännu ({PLACEHOLDER}); skriv värdet",
                )
        if missing:
            where = m.get("fields_line", m["line"])
            self.problem(
                where,
                f"åtgärden '{m['id']}' saknar {', '.join(repr(x) for x in missing)}"
                "; förväntade en fältlista med alla tre fälten",
            )
        ordered = {key: fields.get(key, ()) for key in MEASURE_FIELDS}
        self.section["measures"].append(
            Measure(m["id"], m["title"], tuple(m["blocks"]), ordered, line=m["line"])
        )

    def close_section(self) -> None:
        self.close_measure()
        s, self.section = self.section, None
        if s is not None:
            self.sections.append(
                Section(
                    s["id"],
                    s["title"],
                    tuple(s["blocks"]),
                    tuple(s["measures"]),
                    line=s["line"],
                    appendix=s["appendix"],
                )
            )

    def finish(self) -> tuple[Section, ...]:
        self.close_section()
        for ident, line in self.references:
            if ident not in self.ids:
                known = ", ".join(sorted(self.ids)[:8]) + (" …" if len(self.ids) > 8 else "")
                self.problem(
                    line,
                    f"hänvisningen till '#{ident}' pekar inte på något avsnitt eller någon "
                    f"åtgärd; skriv id:t för det du hänvisar till ({known})",
                )
        return tuple(self.sections)

    def _plain(self, inlines: list) -> Inlines:
        out: list[Run] = []
        self._inlines(inlines, 0, Run(""), out)
        return tuple(out)

    def inlines(self, inlines: list, line: int) -> Inlines:
        runs: list[Run] = []
        self._inlines(inlines, line, Run(""), runs)
        return join_runs(runs)

    def _inlines(self, inlines: list, line: int, style: Run, out: list[Run]) -> None:
        for i in inlines:
            t, c = i["t"], i.get("c")
            if t == "Str":
                if message := unusable_character(c, column=False):
                    self.problem(line, message)
                out.append(_with_text(style, c))
            elif t in ("Space", "SoftBreak"):
                out.append(_with_text(style, " "))
            elif t == "LineBreak":  # a backslash or two spaces at a line's end: kept
                out.append(_with_text(style, "\n"))
            elif t in ("Superscript", "Subscript"):  # m^2^, CO~2~
                script = "super" if t == "Superscript" else "sub"
                self._inlines(c, line, replace(style, script=script), out)
            elif t == "Span":
                if c[0][0] or c[0][1]:  # a span the writer made: [text]{#id .class}
                    attrs = " ".join([f"#{c[0][0]}"] * bool(c[0][0]) + [f".{x}" for x in c[0][1]])
                    named = {"underline": "Underline", "smallcaps": "SmallCaps"}
                    kind = next((named[x] for x in c[0][1] if x in named), None)
                    self.problem(
                        line,
                        UNSUPPORTED_INLINES[kind]
                        if kind
                        else f"formateringen {{{attrs}}} stöds inte; skriv texten utan [ ]{{…}} "
                        "(kursiv *så*, fet **så**)",
                    )
                self._inlines(c[1], _line(c[0]) or line, style, out)
            elif t == "Emph":
                self._inlines(c, line, replace(style, italic=True), out)
            elif t == "Strong":
                self._inlines(c, line, replace(style, bold=True), out)
            elif t == "Link":
                href = c[2][0]
                if not LINK_TARGET.match(href):
                    self.problem(
                        line,
                        f"länken '{href[:60]}' går inte att följa i ett publicerat dokument; "
                        "länka med https://, http://, mailto: eller tel:, eller till ett avsnitt "
                        "eller en åtgärd med #id",
                    )
                if href.startswith("#"):  # a reference by id: [åtgärd 3:4](#bostad-forst)
                    self.references.append((href[1:], line))
                    if not plain(self._plain(c[1])).strip():
                        self.problem(
                            line,
                            f"hänvisningen till '{href}' saknar text; skriv t.ex. [åtgärd]({href})",
                        )
                self._inlines(c[1], line, replace(style, href=href), out)
            elif t == "Note":  # text[^1] with "[^1]: the note" elsewhere
                out.append(Run("", note=self.note(c, line)))
            elif t == "Code":
                if message := unusable_character(c[1], column=False):
                    self.problem(line, message)
                out.append(replace(style, text=c[1]))
            else:
                self.problem(
                    _line(c[0])
                    if isinstance(c, list) and c and isinstance(c[0], list) and len(c[0]) == 3
                    else line,
                    UNSUPPORTED_INLINES.get(t, UNSUPPORTED_INLINE),
                )
