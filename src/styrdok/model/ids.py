"""The ids of sections and measures: the number each has in a document, and the Word bookmark
name that carries it through a DOCX (written by the DOCX writer, read back by the Word reader).
"""

from __future__ import annotations

import hashlib
import re

from styrdok.model.document import Document


def numbers(doc: Document) -> dict[tuple[str, str], str]:
    """Each section's and measure's derived number, by (target, id)."""
    out = {}
    for label, section in doc.numbered_sections():
        out["section", section.id] = label
        for j, measure in enumerate(section.measures, 1):
            out["measure", measure.id] = f"{label}:{j}"
    return out


BOOKMARK_PREFIX = "id_"


def bookmark_name(ident: str) -> str:
    """A Word bookmark name for a section's or measure's id: letters, digits and underscores,
    at most 40 characters (Word's rules). Ids of up to 37 characters map back one to one; a
    longer one ends in a short hash of the whole id."""
    name = BOOKMARK_PREFIX + ident.replace("-", "_")
    if len(name) <= 40:
        return name
    return name[:31] + "_" + hashlib.sha1(ident.encode()).hexdigest()[:8]


def id_from_bookmark(name: str) -> str | None:
    """The id a bookmark name stands for, if it can be read back (None for hashed names)."""
    if not name.startswith(BOOKMARK_PREFIX) or len(name) > 40:
        return None
    ident = name[len(BOOKMARK_PREFIX) :].replace("_", "-")
    return None if len(name) == 40 and re.search(r"-[0-9a-f]{8}$", ident) else ident
