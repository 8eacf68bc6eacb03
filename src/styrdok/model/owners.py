"""Who is responsible: the departments named in a measure's *Ansvarig nämnd eller bolag*.

The rule, explicit and tested: the text is split at ", ", " samt ", " i samarbete med ",
" tillsammans med " and " och " — except an " och " right after a word that ends in a hyphen,
which joins the two halves of one name ("Vård- och omsorgsförvaltningen",
"Mark- och exploateringsenheten"). Each name is trimmed and starts with a capital letter, so
"socialförvaltningen" and "Socialförvaltningen" are one department.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(
    r",\s+|\s+samt\s+|\s+i samarbete med\s+|\s+tillsammans med\s+|(?<!-)\s+och\s+"
)


def owners(text: str) -> list[str]:
    """The departments in an Ansvarig field, in order, each once."""
    out: list[str] = []
    for part in _SEPARATORS.split(text.strip().rstrip(".")):
        name = part.strip()
        if name:
            name = name[0].upper() + name[1:]
            if name not in out:
                out.append(name)
    return out
