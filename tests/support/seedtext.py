"""The seed plan's sentences: what every rendering of the example must contain."""

from __future__ import annotations

import re
from pathlib import Path

# A copy of ../shared/seeds/ in the repository, so that a clone tests on its own.
SEED = (
    Path(__file__).resolve().parent.parent
    / "data"
    / "handlingsplan-bostadssociala-programmet-2018.txt"
)
FIELD_LABELS = {"Ansvarig nämnd eller bolag", "Ansvarig nämnd", "Tidplan", "Uppföljning"}


def seed_sentences() -> list[str]:
    """Every sentence of the seed's content (from 'Inledning' on), numbers and markup removed."""
    text = SEED.read_text(encoding="utf-8")
    text = text[text.index("## 1 Inledning") :]
    sentences = []
    for raw in text.splitlines():
        line = re.sub(r"^#+\s*", "", raw.strip())
        line = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line)
        line = line.replace("**", "").replace("*", "").strip()
        line = re.sub(r"^(- |\d+ |\d+:\d+ )", "", line).strip()
        if not line or line.rstrip(".") in FIELD_LABELS:
            continue
        sentences += [s.strip() for s in re.split(r"(?<=[.!?;])\s+", line) if s.strip()]
    return sentences


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def missing_sentences(rendered_text: str) -> list[str]:
    haystack = normalise(rendered_text)
    return [s for s in seed_sentences() if normalise(s) not in haystack]
