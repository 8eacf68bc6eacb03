"""A document's records-management values (arkivredovisning): its own keys in document.yaml,
else the project's defaults in styrdok.toml, and the rules between them.

`check` reports what can be known without releasing (a retention decision missing for
`gallras`); `release` also requires an arkivbildare, which every archive package must name.
"""

from __future__ import annotations

from pathlib import Path

from styrdok.errors import Problem
from styrdok.model.document import RECORDS_LABELS, Metadata
from styrdok.project.layout import Project
from styrdok.project.names import SETTINGS_FILE


def _key_line(text: str, key: str) -> int:
    """The line of `key` in document.yaml, or its last line (where a missing key would go)."""
    for number, line in enumerate(text.splitlines(), 1):
        if line.split(":", 1)[0].strip() == key:
            return number
    return max(len(text.splitlines()), 1)


def _where(project: Project, m: Metadata, key: str, path: Path, text: str) -> tuple[Path, int]:
    """Where a key's value comes from: document.yaml, or styrdok.toml for a project default."""
    settings = project.settings
    if not getattr(m, key) and key in settings.defaults and settings.path is not None:
        return settings.path, settings.lines.get(f"metadata.{key}", 1)
    return path, _key_line(text, key)


def records(project: Project, m: Metadata) -> dict[str, str]:
    """The records keys of a document: its values, else the project's defaults, else ''."""
    defaults = project.settings.defaults
    return {k: getattr(m, k) or defaults.get(k, "") for k in RECORDS_LABELS}


def problems(
    project: Project, m: Metadata, path: Path, text: str, release: bool = False
) -> list[Problem]:
    """What is missing from a document's records values, at its line in document.yaml (`path`,
    whose text is `text`); with `release`, also what an archive package cannot do without."""
    values = records(project, m)
    found = []
    if release and not values["arkivbildare"]:
        found.append(
            Problem(
                path,
                _key_line(text, "arkivbildare"),
                "'arkivbildare' saknas; arkivpaketet ska ange arkivbildaren: skriv den här "
                f"eller en gång för projektet i {project.root / SETTINGS_FILE} under [metadata]",
            )
        )
    if values["bevarande"] == "gallras" and not values["gallringsbeslut"]:
        found.append(
            Problem(
                *_where(project, m, "bevarande", path, text),
                "'bevarande' är gallras men 'gallringsbeslut' saknas; ange beslutet som "
                "gallringen vilar på (t.ex. dokumenthanteringsplanens DNR)",
            )
        )
    return found
