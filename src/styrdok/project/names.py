"""The names in a styrdok project: its files and folders, and what a document's or version's
name may be. Every command takes document and version names through `name_problem` and
`version_name`, so a path, a trailing slash or a name git cannot hold is handled in one place.
"""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

from styrdok.errors import StyrdokError

# The template shipped with styrdok (package data), Helsingborg's; a project carries its own copy
# in templates/<name>/ (styrdok init makes it; the name is [mall] namn in styrdok.toml, by
# default this one's), which releases require.
DEFAULT_TEMPLATE = "helsingborg"
TEMPLATE_DIR = Path(str(files("styrdok.data").joinpath("templates", DEFAULT_TEMPLATE)))
TEMPLATES = "templates"  # a project's folder of templates, at its root
TEMPLATE_FILE = "template.docx"  # the Word template in a template folder
SETTINGS_FILE = "styrdok.toml"  # the project's settings (settings.py), at its root
META_FILE = "document.yaml"  # a document's folder in source/: its metadata
BODY_FILE = "document.md"  # and its text
FOLLOWUP_DIR = "uppfoljning"  # and its yearly follow-ups, <år>.yaml

# A name is a file name, a git tag component and part of a URL at once: ASCII letters, digits
# and . _ - ; it starts and ends with a letter or digit and has no "..".
NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?$")


def name_problem(value: str) -> str | None:
    if not value:
        return "är tomt"
    if not NAME.match(value) or ".." in value:
        return (
            "får bara innehålla a–z, A–Z, siffror och . _ - "
            "(och börja och sluta med en bokstav eller siffra)"
        )
    if value.endswith(".lock"):
        return "får inte sluta på .lock (git förbehåller sig det)"
    return None


def version_name(value: str) -> str:
    """A release's version name as given, or a StyrdokError that says what a name may be."""
    problem = name_problem(value)
    if problem:
        raise StyrdokError(f"versionen '{value}' {problem}; skriv till exempel 2019 eller 2019.1")
    return value
