"""A `FollowUp` → the year's file, `source/<dok>/uppfoljning/<år>.yaml` (the format is in
readers/uppfoljning/yaml_file.py).

Written in the plan's order, each measure with its number and title as a comment, each answer in
the order of the measure's Ansvarig; texts in double quotes (JSON's escapes, which YAML reads),
so the same follow-up gives the same bytes and a git diff shows only what was answered.
"""

from __future__ import annotations

import json
import re

from styrdok.model.document import Document, plain
from styrdok.model.owners import owners
from styrdok.model.uppfoljning import FollowUp, scale_words

_PLAIN = re.compile(r"^[A-Za-zÅÄÖåäöÉéÜü0-9][\w åäöÅÄÖéÉüÜ.-]*$")
# Line breaks YAML sees inside a double-quoted text, which JSON leaves as they are.
_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\x85"}


def quoted(text: str) -> str:
    out = json.dumps(text, ensure_ascii=False)
    for char, escape in _BREAKS.items():
        out = out.replace(char, escape)
    return out


def key(text: str) -> str:
    """A key as written: plain when YAML reads it back as the same text, else quoted."""
    plain_ok = _PLAIN.match(text) and not text.endswith((" ", ":")) and ": " not in text
    return (
        text
        if plain_ok and text.lower() not in ("yes", "no", "true", "false", "null")
        else (quoted(text))
    )


def write_follow_up(follow_up: FollowUp, doc: Document) -> str:
    """The year's file as text."""
    m = doc.metadata
    lines = [
        f"# Uppföljning {follow_up.year} av {m.full_title} ({doc.name}).",
        "# Skrivs av 'styrdok uppfoljning läs'; kontrolleras av 'styrdok check'.",
        f"# Status är en av: {scale_words()}.",
        f"år: {follow_up.year}",
    ]
    if follow_up.on is not None:
        lines.append(f"datum: {follow_up.on.isoformat()}")
    if not follow_up.answers:
        return "\n".join([*lines, "åtgärder: {}", ""])
    lines.append("åtgärder:")
    order = {m_.id: (n, m_) for n, _, m_ in doc.numbered_measures()}
    known = [i for i in order if i in follow_up.answers]
    rest = [i for i in follow_up.answers if i not in order]  # kept as they were (check says why)
    for ident in [*known, *rest]:
        answers = follow_up.answers[ident]
        if ident in order:
            number, measure = order[ident]
            title = " ".join(plain(measure.title).split())
            lines.append(f"  {key(ident)}:  # {number} {title}")
            responsible = owners(plain(measure.fields.get("ansvarig", ())))
        else:
            lines.append(f"  {key(ident)}:")
            responsible = []
        rank = {d: i for i, d in enumerate(responsible)}
        for department in sorted(answers, key=lambda d: (rank.get(d, len(rank)), d)):
            a = answers[department]
            lines.append(f"    {key(department)}:")
            lines.append(f"      status: {a.status}")
            if a.comment:
                lines.append(f"      kommentar: {quoted(a.comment)}")
            if a.reported is not None:
                lines.append(f"      rapporterad: {a.reported.isoformat()}")
    return "\n".join(lines) + "\n"
