"""A document's body parsed with a fixed metadata file: the source checks the tests share."""

from __future__ import annotations

from pathlib import Path

import pytest

from styrdok.errors import SourceError
from styrdok.model.document import Document
from styrdok.readers.markdown.source import parse_document
from styrdok.writers import source_text

YAML = source_text.metadata(
    {
        "typ": "policy",
        "titel": "Policy",
        "datum": "2025-01-01",
        "dnr": "KS 2025/1",
        "beslutat_av": "Kommunfullmäktige",
        "revideras_av": "Kommunstyrelsen",
        "giltighet": "Tills vidare",
        "gäller_för": "Alla nämnder",
        "dokumentansvarig": "Stadsledningsförvaltningen",
    }
).encode()


def parse(body: str) -> Document:
    return parse_document("d", YAML, body.encode(), Path("source/d"))


def problems(body: str) -> list[tuple[int, str]]:
    with pytest.raises(SourceError) as e:
        parse(body)
    return [(p.line, p.message) for p in e.value.problems]
