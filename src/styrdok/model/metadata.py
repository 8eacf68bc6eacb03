"""A metadata value as styrdok keeps it, read the same way from document.yaml and styrdok.toml."""

from __future__ import annotations

import re

from styrdok.model.document import KEYS

# A value still to be filled in, as `styrdok new`, `import` and `init` write it: `check` names
# each one at its line (document.yaml, styrdok.toml) until it is replaced.
PLACEHOLDER = "<saknas>"
PARAGRAPH = re.compile(r"^(?:§\s*)?(\d+(?:\s*[a-z])?)$")


def parse_value(key: str, raw: str) -> tuple[str, str | None]:
    """A text value of a metadata key as it is kept (a choice in lower case, a paragraph as
    '§ 12'), and the problem with it in the user's words if there is one. Dates are parsed by
    _parse_date. Shared by document.yaml and styrdok.toml."""
    spec = KEYS[key]
    if spec.kind == "choice":
        if raw.lower() not in spec.choices:
            return raw, f"'{key}' är '{raw}'; förväntade {' eller '.join(spec.choices)}"
        return raw.lower(), None
    if spec.kind == "paragraph":
        found = PARAGRAPH.match(raw)
        if found is None:
            return raw, f"'{key}' är '{raw}'; skriv paragrafens nummer, t.ex. § 123"
        return f"§ {found.group(1)}", None
    return raw, None
