"""The round's YAML files written: the round (omgang.yaml), and entries appended to the list of
responses (svar.yaml) and of comments (synpunkter.yaml).

Appended, not rewritten: what the owner wrote in synpunkter.yaml (answers, their own notes in
YAML comments, the order) stays as it was; a new reading adds entries at the end. An entry is
rewritten in place only to add the replies a later copy of a file brought (its span is given by
the reader). Text with line breaks is written as a block (`|`), every other value so that it
reads back as the same text (YAML quotes what would read as a number, a date or a boolean).
"""

from __future__ import annotations

from datetime import date

import yaml

from styrdok.model.remiss import POSITIONS, Remark, Response, Round

REMARKS_HEADER = """\
# Synpunkter i remissomgången {round} av {document} (styrdok remiss läs).
# En post per synpunkt. Fyll i för varje post:
#   ställningstagande: {positions}
#   motivering: varför (krävs för tillgodoses delvis och tillgodoses inte)
# Ändra inte id, instans eller citat: de kopplar posten till svaret. 'styrdok check' visar
# obesvarade synpunkter; 'styrdok remiss sammanställning' gör remissammanställningen.
"""

RESPONSES_HEADER = """\
# Remissvaren som lästs in i omgången {round} av {document}; filerna ligger i svar/.
"""


class _Dumper(yaml.SafeDumper):
    """Block style for text with line breaks, nothing (not 'null') for a missing answer."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        text = "\n".join(line.rstrip() for line in value.splitlines())
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _none(dumper: yaml.SafeDumper, value: None) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:null", "")


_Dumper.add_representer(str, _str)
_Dumper.add_representer(type(None), _none)


def dump(value: object) -> str:
    return yaml.dump(
        value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, indent=2
    )


def round_yaml(r: Round) -> str:
    """omgang.yaml."""
    data = {
        "dokument": r.document,
        "omgång": r.name,
        "skickad": r.sent.isoformat(),
        "sista_svarsdag": r.deadline.isoformat(),
        "commit": r.commit,
        "instanser": list(r.bodies),
    }
    if r.reply_to:
        data["svar_till"] = r.reply_to
    head = f"# Remissomgången {r.name} av {r.document} (styrdok remiss); checka in mappen.\n"
    return head + dump(data)


def remark_entry(r: Remark) -> dict:
    """A synpunkt as its entry in synpunkter.yaml: what is empty is left out, except the
    owner's two fields, which stand there to be filled in."""
    entry: dict[str, object] = {
        "id": r.id,
        "instans": r.body,
        "fil": r.file,
        "slag": r.kind,
        "plats": r.place,
        "plats_id": r.place_id,
        "placerad": r.placed_by,
        "i": r.where,
        "citat": r.quote,
        "synpunkt": r.text,
        "före": r.before,
        "efter": r.after,
        "förslag": r.proposal,
        "författare": r.author,
        "datum": r.date,
    }
    entry = {k: v for k, v in entry.items() if v}
    if r.replies:
        entry["repliker"] = [
            {k: v for k, v in (("författare", x.author), ("datum", x.date), ("text", x.text)) if v}
            for x in r.replies
        ]
    entry["ställningstagande"] = r.position or None
    entry["motivering"] = r.reason or None
    return entry


def remarks_text(existing: str, new: list[Remark], document: str, round_name: str) -> str:
    """synpunkter.yaml with the new entries after the existing text (the header first when
    the file is new)."""
    text = existing
    if not text.strip():
        positions = ", ".join(POSITIONS)
        text = REMARKS_HEADER.format(round=round_name, document=document, positions=positions)
    if new:
        # a blank line between entries, also between the last one read before and the first now
        text = text.rstrip("\n") + "\n\n" if text.strip() else text
        text += "\n".join(dump([remark_entry(r)]) for r in new)
    return text


def replace_entries(text: str, spans: dict[str, tuple[int, int]], updated: list[Remark]) -> str:
    """The text with each updated entry rewritten where it stands (last first, so that the
    earlier offsets hold)."""
    for r in sorted(updated, key=lambda r: spans[r.id][0], reverse=True):
        start, end = spans[r.id]
        start = text.rfind("\n", 0, start) + 1  # from the line's start (the "- ")
        lines = text[start:end].splitlines(keepends=True)
        # blank lines and the owner's comments after the entry stay where they are
        while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
            lines.pop()
        end = start + sum(len(line) for line in lines)
        if lines and not lines[-1].endswith("\n"):
            end = text.find("\n", end) + 1 or len(text)
        text = text[:start] + dump([remark_entry(r)]) + text[end:]
    return text


def responses_text(existing: str, new: list[Response], document: str, round_name: str) -> str:
    """svar.yaml with the new responses appended."""
    text = existing or RESPONSES_HEADER.format(round=round_name, document=document)
    entries = [
        {
            "fil": x.file,
            "instans": x.body,
            "sha256": x.sha256,
            "slag": x.kind,
            "inläst": x.read.isoformat() if isinstance(x.read, date) else str(x.read),
            "synpunkter": x.remarks,
        }
        for x in new
    ]
    return text + ("".join(dump([e]) for e in entries) if entries else "")
