"""One returned file read into the comments of a response, each placed in the remiss version.

A file is one of:
- the remiss version with Word comments and tracked changes (the usual case): every comment
  with its thread, and every tracked change as a proposed change (before → after);
- the answer form (svarsformulär): a table of place, comment and proposal, and the instans;
- a letter, as DOCX or PDF: one comment on the whole document holding its text (notes on a
  PDF's pages are comments too);
- the remiss version back without comments: an answer without comments.
A file that names another document or round (the remiss version's and the form's document
property, or the missive's reference line) is refused, with where it belongs.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from styrdok.model.remiss import (
    GENERAL,
    IDENTITY_PROPERTY,
    REFERENCE,
    UNKNOWN,
    Remark,
    Reply,
    identity,
)
from styrdok.readers.remiss.package import ResponseError, open_package
from styrdok.readers.remiss.pdf import read_pdf
from styrdok.readers.remiss.placing import Places, label
from styrdok.readers.word.review import PAGE_PARTS, Comment, WordFile, clean, read_word

# The answer form's tables (writers/remiss/form.py writes them with these header rows).
FORM_HEADER = ("avsnitt eller åtgärd", "synpunkt", "förslag till ändring")
BODY_HEADER = ("remissinstans",)
MAX_QUOTE = 300  # a tracked change's paragraph, around the change
MAX_COMMENT_QUOTE = 1200  # a comment's anchored text: its start and end when longer
REFERENCE_LINE = re.compile(
    REFERENCE.format(document=r"(?P<document>\S+?)", round=r"(?P<round>\S+?)") + r"(?:\s|$)"
)


@dataclass
class Reading:
    """What one file gave: its kind, its comments (without instans and id yet), the instans
    it names (a form) and the names in it that may be the instans's (its authors)."""

    path: Path
    kind: str  # "kommentarer", "formulär", "brev" or "inga synpunkter"
    remarks: list[Remark] = field(default_factory=list)
    body: str = ""
    names: list[str] = field(default_factory=list)
    sha256: str = ""


def read_response(path: Path, places: Places, document: str, round_name: str) -> Reading:
    """Read a returned file (DOCX or PDF) of the round `round_name` of `document`."""
    suffix = path.suffix.lower()
    if suffix not in (".docx", ".pdf"):
        why = "en äldre Word-fil (.doc)" if suffix == ".doc" else f"en {suffix or 'okänd'}-fil"
        raise ResponseError(
            f"{path}: är {why}; läs in svar som Word (.docx) eller PDF (spara om den i Word)"
        )
    try:
        data = path.read_bytes()
    except OSError:
        raise ResponseError(f"{path}: filen finns inte eller går inte att läsa") from None
    sha = hashlib.sha256(data).hexdigest()
    reading = _read_pdf(path, document, round_name) if suffix == ".pdf" else None
    if reading is None:
        with open_package(path) as package:
            word = read_word(package)
        reading = _read_word(path, word, places, document, round_name)
    reading.sha256 = sha
    return reading


def _refuse_other(path: Path, named: str | None, document: str, round_name: str) -> None:
    """Refuse a file whose property or reference names another document or round."""
    if not named or named == identity(document, round_name):
        return
    other_doc, _, other_round = named.partition(" ")
    if other_doc == document:
        why = f"ett svar i omgång {other_round}, inte i {round_name}"
    else:
        why = f"ett svar på remissen av {other_doc} (omgång {other_round}), inte av {document}"
    raise ResponseError(
        f"{path}: är {why}; läs in det under sin omgång: styrdok remiss läs {other_doc} "
        f"--omgång {other_round} {path.name}"
    )


def _named_round(properties: dict[str, str], text: str) -> str | None:
    if properties.get(IDENTITY_PROPERTY):
        return properties[IDENTITY_PROPERTY]
    found = REFERENCE_LINE.search(text)
    return f"{found['document']} {found['round']}" if found else None


def _read_word(
    path: Path, word: WordFile, places: Places, document: str, round_name: str
) -> Reading:
    named = _named_round(word.properties, word.text)
    _refuse_other(path, named, document, round_name)
    markers = places.markers(word.paragraphs)
    ours = any(m[0] is not None for m in markers)
    foreign = [b for p in word.paragraphs for b in p.bookmarks if b.startswith("id_")]
    if named is None and not ours and foreign:
        raise ResponseError(
            f"{path}: är ett svar på ett annat dokument (dess rubriker har id:n som inte finns "
            f"i {document}); läs in det under sitt dokument"
        )
    # whose file it is: its last editor, and for a file not made from ours its author (the
    # remiss version's author is the document's owner, and styrdok its last editor)
    keys = ("lastModifiedBy",) if named is not None or ours else ("lastModifiedBy", "creator")
    names = [word.core[k] for k in keys if word.core.get(k, "").strip()]
    names = [n for n in names if not n.startswith("styrdok ")]
    reading = Reading(path, "kommentarer", names=names)
    form = _form(word, places)
    if form is not None:
        reading.kind, reading.body, reading.remarks = "formulär", form[0], form[1]
    placed = _comments(word, places, markers) + _changes(word, places, markers)
    reading.remarks += [r for _, r in sorted(placed, key=lambda x: x[0])]  # document order
    if form is None and not reading.remarks:
        if named is not None or ours:
            reading.kind = "inga synpunkter"
        else:
            reading.kind = "brev"
            reading.remarks = [_letter(path, word.text)]
    return reading


def _order(paragraph: int | None, n: int) -> tuple[int, int]:
    return (paragraph if paragraph is not None else 1 << 30, n)


def _comments(word: WordFile, places: Places, markers) -> list[tuple[tuple[int, int], Remark]]:
    by_id = {c.id: c for c in word.comments}
    threads: dict[str, list[Comment]] = {}
    for c in word.comments:
        if c.parent is not None and c.parent in by_id:
            threads.setdefault(c.parent, []).append(c)
    out: list[tuple[tuple[int, int], Remark]] = []
    for c in word.comments:
        if c.parent is not None and c.parent in by_id:
            continue  # a reply: in its thread
        quote = c.quote or c.shown
        ident, how = _place(places, c.paragraph, quote, markers, c.where)
        replies = sorted(threads.get(c.id, []), key=lambda r: (r.date, int_or(r.id)))
        out.append(
            (
                _order(c.paragraph, len(out)),
                _placed(
                    "kommentar",
                    places,
                    ident,
                    how,
                    where=c.where,
                    quote=_ends(quote),
                    text=c.text,
                    author=c.author,
                    date=c.date,
                    replies=tuple(Reply(r.author, r.date, r.text) for r in replies),
                ),
            )
        )
    return out


def _placed(kind: str, places: Places, ident: str | None, how: str, **fields: Any) -> Remark:
    """A comment of this file placed at `ident` (found `how`); the instans, the file kept and
    the stable id are the round's to give (commands/remiss.py)."""
    place = label(places, ident, how)
    return Remark("", "", "", kind, place, ident, how, **fields)


def _place(places: Places, paragraph, quote: str, markers, where: str) -> tuple[str | None, str]:
    """Where a comment or change belongs; in a header or footer (on every page): the whole
    document."""
    if where in PAGE_PARTS.values():
        return None, "allmän"
    return places.place(paragraph, quote, markers)


def int_or(text: str) -> int:
    return int(text) if text.isdigit() else 0


def _changes(word: WordFile, places: Places, markers) -> list[tuple[tuple[int, int], Remark]]:
    out: list[tuple[tuple[int, int], Remark]] = []
    for ch in word.changes:
        anchor_text = ch.before if ch.before.strip() else ch.context
        ident, how = _place(places, ch.paragraph, anchor_text, markers, ch.where)
        out.append(
            (
                _order(ch.paragraph, 1 << 20 | len(out)),
                _placed(
                    "ändring",
                    places,
                    ident,
                    how,
                    where=ch.where,
                    quote=_short(ch.context, around=clean(ch.before)),
                    before=ch.before.strip(),
                    after=ch.after.strip(),
                    author=ch.author,
                    date=ch.date if re.match(r"^[12]\d{3}-", ch.date) else "",
                ),
            )
        )
    return out


def _form(word: WordFile, places: Places) -> tuple[str, list[Remark]] | None:
    """The answer form's instans and rows, if the file holds the form's table."""
    rows_table = next((t for t in word.tables if _headed(t, FORM_HEADER)), None)
    if rows_table is None:
        return None
    body_table = next((t for t in word.tables if _headed(t, BODY_HEADER)), None)
    body = ""
    if body_table is not None and len(body_table) > 1 and body_table[1]:
        body = clean(body_table[1][0])
    remarks = []
    for row in rows_table[1:]:
        cells = [c.strip() for c in row] + ["", "", ""]
        where, text, proposal = cells[0], cells[1], cells[2]
        if not (text or proposal):
            continue
        ident, how = places.from_form(where)
        remarks.append(
            _placed(
                "formulär",
                places,
                ident,
                how,
                quote=clean(where) if ident is None and how == "okänd" else "",
                text=text,
                proposal=proposal,
            )
        )
    return body, remarks


def _headed(table: list[list[str]], header: tuple[str, ...]) -> bool:
    if not table or len(table[0]) < len(header):
        return False
    return all(clean(c).casefold().startswith(h) for c, h in zip(table[0], header, strict=False))


def _letter(path: Path, text: str) -> Remark:
    body = text.strip()
    if not body:
        raise ResponseError(
            f"{path}: filen har ingen text och inga kommentarer; är det rätt fil? Ett svar utan "
            "synpunkter kan vara ett brev som säger just det"
        )
    return Remark(
        id="",
        body="",
        file="",
        kind="brev",
        place=GENERAL,
        place_id=None,
        placed_by="allmän",
        text=body,
    )


def _read_pdf(path: Path, document: str, round_name: str) -> Reading:
    pdf = read_pdf(path)
    named = _named_round({}, pdf.text)
    _refuse_other(path, named, document, round_name)
    names = [pdf.author] if pdf.author else []
    reading = Reading(path, "kommentarer", names=names)
    for note in pdf.notes:
        reading.remarks.append(
            Remark(
                id="",
                body="",
                file="",
                kind="kommentar",
                place=GENERAL if named else UNKNOWN,
                place_id=None,
                placed_by="allmän" if named else "okänd",
                quote=f"sidan {note.page}",
                text=note.text,
                author=note.author,
            )
        )
    if named is not None:  # the remiss version's PDF, back with notes or without
        reading.kind = "kommentarer" if reading.remarks else "inga synpunkter"
    else:
        reading.kind = "brev"
        reading.remarks.insert(0, _letter(path, pdf.text))
    return reading


def _ends(text: str) -> str:
    """A long quote as its start and its end, the middle left out (marked …)."""
    text = clean(text)
    if len(text) <= MAX_COMMENT_QUOTE:
        return text
    head, tail = text[: MAX_COMMENT_QUOTE * 2 // 3], text[-MAX_COMMENT_QUOTE // 3 :]
    return head.rsplit(" ", 1)[0] + " … " + tail.split(" ", 1)[-1]


def _short(text: str, around: str = "") -> str:
    """A quote of at most MAX_QUOTE characters: around `around` when it is longer."""
    text = clean(text)
    if len(text) <= MAX_QUOTE:
        return text
    at = text.find(around) if around else -1
    start = max(0, (at if at >= 0 else 0) - MAX_QUOTE // 3)
    end = min(len(text), start + MAX_QUOTE)
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


# --- the instans and the ids -----------------------------------------------------------------


def slug(text: str) -> str:
    """A name as an id's first part: ASCII letters, digits and dashes (Socialnämnden →
    socialnamnden)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:30].strip("-") or "instans"


def body_from_names(candidates: list[str], bodies: tuple[str, ...]) -> str | None:
    """The one body of the round that a file's name or author names (as whole words: "Nämnd
    3" is not in "Nämnd 33"; of "Omsorgsnämnden" and "Vård- och omsorgsnämnden" the longer
    one that is named), or None."""
    for name in candidates:
        key = f"-{slug(name)}-"
        found = [b for b in bodies if slug(b) and f"-{slug(b)}-" in key]
        found = [b for b in found if not any(slug(b) in slug(o) and b != o for o in found)]
        if len(set(found)) == 1:
            return found[0]
    return None


def with_ids(remarks: list[Remark], body: str, file: str) -> list[Remark]:
    """The remarks of a file with their instans, file and stable id: the instans and a hash of
    what the comment says, where and by whom (not its replies, which may grow); the same
    comment read again has the same id."""
    out: list[Remark] = []
    seen: dict[str, int] = {}
    for r in remarks:
        content = [body, r.kind, r.quote, r.text, r.before, r.after, r.proposal, r.author, r.date]
        digest = hashlib.sha1(json.dumps(content, ensure_ascii=False).encode()).hexdigest()[:8]
        ident = f"{slug(body)}-{digest}"
        seen[ident] = seen.get(ident, 0) + 1
        if seen[ident] > 1:  # the same words twice in one file: both kept
            ident += f"-{seen[ident]}"
        out.append(replace(r, id=ident, body=body, file=file))
    return out
