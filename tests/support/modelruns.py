"""Every Run anywhere in a model object (a document, section, table …), in field order."""

from __future__ import annotations

import dataclasses

from styrdok.model.document import Run


def runs_in(item: object) -> list[Run]:
    if isinstance(item, Run):
        return [item]
    if isinstance(item, (tuple, list)):
        return [r for x in item for r in runs_in(x)]
    if isinstance(item, dict):
        return [r for x in item.values() for r in runs_in(x)]
    if dataclasses.is_dataclass(item):
        return [r for f in dataclasses.fields(item) for r in runs_in(getattr(item, f.name))]
    return []
