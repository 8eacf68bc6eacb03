"""The import command as a recipe: read the Word document (readers/word gives its metadata and
outline as typed items), write them as source text (writers/source_text), check that text with
the one parser, then write `source/<DOC>/` — a new document, or (`--into`) an update of an
existing one that changes only what was edited in Word.

For `--into`, the existing source is written out again by source_text (the canonical form) and
compared with the Word document's text chunk by chunk (a chunk is a heading, a paragraph, a list
or a field). Where the two agree — up to what Word and LibreOffice change on every save: runs
split and merged, `http://host` becoming `http://host/` — the owner's own text is kept
as it stands, so `git diff` shows the edits and nothing else. document.yaml is updated line by
line the same way: only changed values are rewritten, comments stay.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from styrdok.errors import SourceError, StyrdokError, os_message
from styrdok.model.document import (
    GOVERNANCE_TYPES,
    MEASURE_FIELDS,
    METADATA_LABELS,
    Block,
    Run,
)
from styrdok.model.ids import bookmark_name, numbers
from styrdok.project import publish
from styrdok.project.layout import Project
from styrdok.readers.markdown.source import (
    BODY_FILE,
    ID_PATTERN,
    META_FILE,
    NOTE_DEFINITION,
    NOTE_REFERENCE,
    PLACEHOLDER,
    REQUIRED_KEYS,
    load_document,
    parse_document,
)
from styrdok.readers.word.fields import Field
from styrdok.readers.word.outline import Heading, Item, slug
from styrdok.readers.word.reader import Imported, read_docx
from styrdok.writers import source_text


@dataclass(frozen=True)
class ImportResult:
    folder: Path
    report: list[str]  # what the source could not hold, and placeholders left to fill in
    changed: list[str]  # the files written


def import_docx(
    project: Project,
    docx: Path,
    name: str | None = None,
    into: str | None = None,
    accept_changes: bool = False,
) -> ImportResult:
    """Import `docx` as the new document `name` (default: from the file name) or into the
    existing document `into`."""
    _regular_file(docx)
    if into is not None:
        if name is not None:
            raise StyrdokError("ange antingen --name (ett nytt dokument) eller --into, inte båda")
        return _into(project, docx, into, accept_changes)
    if name is not None and not name.strip():
        raise StyrdokError(
            "--name är tomt; ange det nya dokumentets namn (a–z, siffror och bindestreck), "
            "eller utelämna --name så blir namnet filens"
        )
    name = name if name is not None else _name_from(docx)
    if not ID_PATTERN.match(name):
        raise StyrdokError(
            f"'{name}' duger inte som dokumentnamn; använd a–z, siffror och bindestreck (--name)"
        )
    folder = project.source / name
    if folder.exists():
        raise StyrdokError(
            f"{folder}: finns redan; uppdatera det med 'styrdok import {docx} --into {name}' "
            "eller välj ett annat namn med --name"
        )
    imported = read_docx(docx, accept_changes)
    yaml_text = source_text.metadata(imported.meta, comment=f"Importerad från {docx.name}.")
    _write_new(project, name, yaml_text, source_text.join(chunks(imported.items)))
    return ImportResult(folder, imported.report, [META_FILE, BODY_FILE])


def _write_new(project: Project, name: str, yaml_text: str, body: str) -> Path:
    """A new document folder with these two files, checked first, published whole."""
    folder = project.source / name
    _check(name, yaml_text, body, folder)
    with publish.staging(project.source, name) as staging:
        (staging / name).mkdir()
        (staging / name / META_FILE).write_text(yaml_text, encoding="utf-8")
        (staging / name / BODY_FILE).write_text(body, encoding="utf-8")
        with publish.held_signals():
            os.replace(staging / name, folder)
    return folder


# A new document's first text, by type: the sections the city's documents of that type have,
# and for a plan one measure with its fields to fill in.
SKELETON_SECTIONS = {
    "program": [("Inledning", "inledning"), ("Mål och inriktning", "mal")],
    "plan": [("Inledning", "inledning"), ("Åtgärder", "atgarder")],
    "policy": [("Syfte", "syfte"), ("Ställningstaganden", "stallningstaganden")],
    "riktlinjer": [("Syfte", "syfte"), ("Riktlinjer", "riktlinjer")],
}


def new_document(project: Project, name: str, typ: str, titel: str) -> Path:
    """Write `source/<name>/`: metadata with placeholders that `check` points out one by one,
    the type's usual sections with a sentence on what belongs there, and for a plan a measure
    whose fields are placeholders too."""
    typ = typ.lower()
    if typ not in GOVERNANCE_TYPES:
        raise StyrdokError(f"okänd typ '{typ}'; välj en av: {', '.join(GOVERNANCE_TYPES)}")
    if not titel.strip() or "\n" in titel:
        raise StyrdokError("ange titeln på en rad med --titel, t.ex. --titel 'Handlingsplan för …'")
    folder = project.source / name
    if folder.exists():
        raise StyrdokError(f"{folder}: finns redan; välj ett annat namn")
    values = {key: PLACEHOLDER for key in REQUIRED_KEYS} | {"typ": typ, "titel": titel.strip()}
    yaml_text = source_text.metadata(values, comment=f"Nytt dokument: fyll i varje {PLACEHOLDER}.")
    chunks = []
    for title, ident in SKELETON_SECTIONS[typ]:
        chunks.append(source_text.heading(1, (Run(title),), ident))
        chunks.append(f"Skriv här vad avsnittet {title.lower()} ska säga.")
    if typ == "plan":
        chunks.append(
            source_text.heading(2, (Run("Första åtgärden"),), "forsta-atgarden", ".åtgärd")
        )
        chunks.append("Beskriv vad åtgärden innebär och varför den behövs.")
        chunks += [
            source_text.field(label, (Run(PLACEHOLDER),)) for label in MEASURE_FIELDS.values()
        ]
    return _write_new(project, name, yaml_text, source_text.join(chunks))


def _into(project: Project, docx: Path, name: str, accept_changes: bool) -> ImportResult:
    folder = project.source / name
    if not (folder / BODY_FILE).is_file():
        known = ", ".join(project.known_documents()) or "inga"
        raise StyrdokError(f"dokumentet '{name}' finns inte i {project.source}; finns: {known}")
    existing = load_document(folder)
    known_ids = {bookmark_name(ident): ident for _, ident in numbers(existing)}
    imported = read_docx(docx, accept_changes, known_ids)
    old_body = (folder / BODY_FILE).read_text(encoding="utf-8")
    old_yaml = (folder / META_FILE).read_text(encoding="utf-8")
    labels = note_labels(old_body)  # the owner's names for the footnotes stay
    canonical = source_text.body(existing.sections, labels)
    body = merge_body(old_body, canonical, chunks(imported.items), labels)
    yaml_text = merge_yaml(old_yaml, existing, imported)
    _check(name, yaml_text, body, folder)
    changed = [
        (file, new)
        for file, old, new in ((META_FILE, old_yaml, yaml_text), (BODY_FILE, old_body, body))
        if old != new
    ]
    with publish.staging(project.source, name) as staging:
        for file, new in changed:
            # the owner's line endings stay (Windows editors write CRLF)
            crlf = b"\r\n" in (folder / file).read_bytes()
            (staging / file).write_text(new, encoding="utf-8", newline="\r\n" if crlf else "\n")
        publish.publish([(staging / file, folder / file) for file, _ in changed])
    return ImportResult(folder, imported.report, [file for file, _ in changed])


def chunks(items: list[Item]) -> list[str]:
    """The imported outline as chunks of source text: a heading, a field, a block (lists in a
    row written with other markers, so that they stay lists of their own)."""
    out: list[str] = []
    run: list[Block] = []  # consecutive blocks of the model
    for item in [*items, None]:
        if isinstance(item, Heading | Field) or item is None:
            out += source_text.blocks(tuple(run))
            run = []
        if isinstance(item, Heading):
            out.append(source_text.heading(item.level, item.runs, item.id, item.classes))
        elif isinstance(item, Field):
            out.append(source_text.field(item.label, item.runs))
        elif item is not None:
            run.append(item)  # a Block: what is neither heading nor field
    return out


def _check(name: str, yaml_text: str, body: str, folder: Path) -> None:
    """The text goes through the one parser; only the placeholders may fail it."""
    try:
        parse_document(name, yaml_text.encode(), body.encode(), folder)
    except SourceError as e:
        real = [p for p in e.problems if PLACEHOLDER not in p.message]
        if real:
            raise StyrdokError(
                "importen gav en källtext som inte går att läsa (ett fel i styrdok; "
                "rapportera det med Word-filen):\n" + "\n".join(str(p) for p in real)
            ) from None


def note_labels(text: str) -> tuple[str, ...]:
    """The footnotes' labels in the order their marks first stand in a source text."""
    found: dict[str, None] = {}
    for line in text.split("\n"):
        start = m.end() if (m := NOTE_DEFINITION.match(line)) else 0
        found.update((r.group(1), None) for r in NOTE_REFERENCE.finditer(line, start))
    return tuple(found)


def merge_body(
    original: str, canonical: str, chunks: list[str], labels: tuple[str, ...] = ()
) -> str:
    """The imported chunks, with the owner's own text wherever a chunk did not change.

    The owner's chunks are first paired with the canonical ones by their letters and digits
    (markup and layout aside); a canonical chunk without a pair (the owner laid it out
    otherwise, e.g. a list right under its paragraph) is written in the canonical form."""
    chunks = source_text.with_notes(chunks, labels)  # footnotes named, their texts as chunks
    own, canon = _chunks(original), _chunks(canonical)
    mine: dict[int, tuple[int, str]] = {}  # canonical chunk → (end of its group, owner's text)
    loose_own, loose_canon = [_loose(c) for c in own], [_loose(c) for c in canon]
    matcher = difflib.SequenceMatcher(None, loose_own, loose_canon, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs = zip(range(i1, i2), range(j1, j2), strict=True)
            mine.update({j: (j + 1, own[i]) for i, j in pairs})
        elif tag == "replace" and "".join(loose_own[i1:i2]) == "".join(loose_canon[j1:j2]):
            mine[j1] = (j2, "\n\n".join(own[i1:i2]))  # the same text, in other chunks
    out: list[str] = []
    keys_a, keys_b = [_key(c) for c in canon], [_key(c) for c in chunks]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, keys_a, keys_b, False).get_opcodes():
        if tag != "equal":
            out += chunks[j1:j2]
            continue
        i = i1
        while i < i2:
            end, text = mine.get(i, (i + 1, canon[i]))
            if end > i2:  # the owner's group reaches into an edit: write this chunk anew
                end, text = i + 1, canon[i]
            out.append(text)
            i = end
    return source_text.join(out)


def _chunks(text: str) -> list[str]:
    return [c.strip("\n") for c in re.split(r"\n\s*\n", text.strip("\n")) if c.strip()]


def _loose(chunk: str) -> str:
    """A chunk's letters and digits only: the same text whatever its markup."""
    return re.sub(r"[\W_]+", "", chunk).lower()


def _key(chunk: str) -> str:
    """A chunk as compared: links without a trailing slash, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"\]\(([^)\s]*?)/\)", r"](\1)", chunk)).strip()


def merge_yaml(original: str, existing, imported: Imported) -> str:
    """document.yaml with only the values that changed in Word rewritten."""
    lines = original.splitlines()
    for key in METADATA_LABELS:
        new = imported.meta.get(key)
        old = getattr(existing.metadata, key)
        old = old.isoformat() if hasattr(old, "isoformat") else old
        if new is None or new in (PLACEHOLDER, old):
            continue
        text = f"{key}: {source_text.yaml_value(new)}"
        at = next((i for i, line in enumerate(lines) if line.startswith(f"{key}:")), None)
        if at is None:
            lines.append(text)
        else:
            lines[at] = text
    return "\n".join(lines) + "\n"


def _regular_file(docx: Path) -> None:
    """The Word file must be a file that can be read to its end: what else it is, is said (a
    named pipe would otherwise hang the import, and "finns inte" would be untrue)."""
    try:
        mode = docx.stat().st_mode
    except FileNotFoundError:
        raise StyrdokError(f"{docx}: filen finns inte; ange en .docx-fil") from None
    except OSError as e:
        raise StyrdokError(os_message(e)) from None
    if stat.S_ISREG(mode):
        return
    what = (
        "är en mapp"
        if stat.S_ISDIR(mode)
        else "är en namngiven pipe (FIFO), ingen fil"
        if stat.S_ISFIFO(mode)
        else "är en socket, ingen fil"
        if stat.S_ISSOCK(mode)
        else "är en enhet, ingen fil"
    )
    raise StyrdokError(f"{docx}: {what}; ange en sparad .docx-fil")


def _name_from(docx: Path) -> str:
    return slug(docx.stem) or "dokument"
