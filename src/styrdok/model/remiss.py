"""A consultation round (remiss) as data: the round sent out, the responses that came back, and
each comment (synpunkt) in them with the owner's answer. Pure data, like the document model:
readers make it from the round's YAML files and the returned files, writers lay it out.

A comment's place is the section or measure it is about, named by its id and by the number it
had in the remiss version; or `GENERAL` (about the whole document: a letter, the cover) or
`UNKNOWN` (its place could not be found; its quote says where it was).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# The owner's answer to a comment, as city routines name them, and those that need a reason.
POSITIONS = ("tillgodoses", "tillgodoses delvis", "tillgodoses inte", "noteras")
NEEDS_REASON = ("tillgodoses delvis", "tillgodoses inte")
ACCEPTED = "tillgodoses"

GENERAL = "allmänt"  # a comment on the whole document
UNKNOWN = "okänd"  # placering okänd: neither the bookmarks nor the text told where it was

# What a comment was in the response (the YAML's `slag`).
KINDS = {
    "kommentar": "kommentar i Word-filen",
    "ändring": "föreslagen ändring (spårad)",
    "formulär": "svarsformuläret",
    "brev": "brev",
}
# How its place was found (the YAML's `placerad`).
PLACED_BY = {
    "bokmärke": "rubrikens bokmärke",
    "rubrik": "rubrikens text (bokmärket saknades)",
    "citat": "den citerade texten",
    "formulär": "numret i svarsformuläret",
    "allmän": "synpunkt på hela dokumentet",
    "okänd": "placering okänd",
}


@dataclass(frozen=True)
class Round:
    """A round sent out: who was asked, by when, and the commit of the remiss version."""

    document: str
    name: str  # the round's name, e.g. 2026-1
    sent: date
    deadline: date
    commit: str
    bodies: tuple[str, ...]  # the remissinstanser asked
    reply_to: str = ""  # where answers go (an address, a mailbox)


@dataclass(frozen=True)
class Reply:
    """A reply in a comment's thread (Word's replies)."""

    author: str
    date: str
    text: str


@dataclass(frozen=True)
class Remark:
    """One comment (synpunkt) of a response, with the owner's answer once given."""

    id: str
    body: str  # the instans that answered
    file: str  # the response file, relative to the round's folder
    kind: str  # a key of KINDS
    place: str  # the number at the remiss version ("3:1", "2", "Bilaga 1"), GENERAL or UNKNOWN
    place_id: str | None  # the section's or measure's id, when placed
    placed_by: str  # a key of PLACED_BY
    where: str = ""  # "tabell", "fotnot", "slutnot", "textruta", "sidhuvud", "sidfot"
    quote: str = ""  # the text it is anchored to
    text: str = ""  # what the comment says
    before: str = ""  # a proposed change: the text before …
    after: str = ""  # … and after
    proposal: str = ""  # a proposal in words (the form's column)
    author: str = ""
    date: str = ""
    replies: tuple[Reply, ...] = ()
    position: str = ""  # ställningstagande: one of POSITIONS, or empty while unanswered
    reason: str = ""  # motivering
    line: int = 0  # where the entry starts in synpunkter.yaml

    @property
    def answered(self) -> bool:
        """Answered: a position, and a reason where the position needs one."""
        if self.position not in POSITIONS:
            return False
        return self.position not in NEEDS_REASON or bool(self.reason.strip())


@dataclass(frozen=True)
class Response:
    """A file that came back: whose it is, what it was, and how many comments it gave."""

    file: str  # relative to the round's folder (svar/…)
    body: str
    sha256: str
    kind: str  # "kommentarer", "formulär", "brev" or "inga synpunkter"
    read: date
    remarks: int


@dataclass(frozen=True)
class RoundData:
    """Everything recorded of a round: the round, its responses and its comments."""

    round: Round
    responses: tuple[Response, ...] = ()
    remarks: tuple[Remark, ...] = field(default_factory=tuple)


# How a remiss version and its answer form name their round: a user-defined document property
# (Word and LibreOffice keep it when they save), and a line of the missive as a fallback.
IDENTITY_PROPERTY = "styrdok.remiss"
REFERENCE = "Referens: {document}, remiss {round}"


def identity(document: str, round_name: str) -> str:
    """The property's value for a round: the document's name and the round's."""
    return f"{document} {round_name}"
