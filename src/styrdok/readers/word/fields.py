"""Interpret pass: a measure's three fields (Ansvarig nämnd eller bolag, Tidplan, Uppföljning)
found by their labels — a label paragraph with the value in the next one, "Tidplan: juni 2026"
on one line, or a table of label/value rows — and written after the measure's text, each
field the source format's `Term` + `: värde`. A field that is not found becomes `<saknas>`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from styrdok.model.document import MEASURE_FIELDS, Inlines, Run, plain
from styrdok.readers.markdown.source import PLACEHOLDER as MISSING

FIELD_LABELS = {label.lower(): key for key, label in MEASURE_FIELDS.items()}


@dataclass(frozen=True)
class Field:
    """A measure's field as the source writes it: its label and its value."""

    label: str
    runs: Inlines


@dataclass
class MeasureFields:
    """The fields of the measure being read."""

    report: list[str]
    values: dict[str, Inlines] = field(default_factory=dict)
    pending: str | None = None  # the key of a label paragraph whose value comes next

    def take(self, runs: Inlines, text: str, where: str, end_list: Callable[[], None]) -> bool:
        """Whether the paragraph is a field: a label (the value comes next), the value after a
        label, or 'Label: value'. A label ends the list before it."""
        label = text.rstrip(":").strip().lower()
        if label in FIELD_LABELS:
            end_list()
            self.pending = FIELD_LABELS[label]
            return True
        if self.pending is not None:
            key, self.pending = self.pending, None
            return self.set(key, runs, where)
        head = text.split(":", 1)[0].strip().lower()
        if ":" in text and head in FIELD_LABELS:
            end_list()
            value = strip_prefix(runs, plain(runs).index(":") + 1)
            return self.set(FIELD_LABELS[head], value, where)
        return False

    def set(self, key: str, value: Inlines, where: str) -> bool:
        """A field's value; a second one for the same field is reported and is text."""
        if key in self.values:
            label = MEASURE_FIELDS[key]
            self.report.append(f"{where}: fältet '{label}' står två gånger; det första gäller")
            return False
        self.values[key] = value
        return True

    def rows(self, rows: list[tuple[Inlines, ...]], where: str) -> bool:
        """A table whose every row is a field ('Tidplan | juni 2026'): its fields."""
        if not rows or not all(is_field_row(r) for r in rows):
            return False
        for row in rows:
            self.set(FIELD_LABELS[label(row[0])], row[1], where)
        return True

    def written(self, title: Inlines) -> list[Field]:
        """The three fields in order, `<saknas>` (and reported) where one was not found."""
        out = []
        for key, name in MEASURE_FIELDS.items():
            if key not in self.values:
                self.report.append(
                    f"åtgärden '{short(plain(title))}': fältet '{name}' hittades inte"
                )
            out.append(Field(name, self.values.get(key) or (Run(MISSING),)))
        return out


def is_field_row(row: tuple[Inlines, ...]) -> bool:
    return (
        len(row) >= 2
        and label(row[0]) in FIELD_LABELS
        and not any(plain(c).strip() for c in row[2:])
    )


def label(runs: Inlines) -> str:
    """A cell's text as a field label is compared: lower case, without a trailing colon."""
    return plain(runs).strip().rstrip(":").strip().lower()


def strip_prefix(runs: Inlines, n: int) -> Inlines:
    """The runs without their first n characters (a number, a label) and leading spaces."""
    out, skip = [], n
    for r in runs:
        if skip >= len(r.text):
            skip -= len(r.text)
            continue
        out.append(Run(r.text[skip:], r.bold, r.italic, r.href))
        skip = 0
    if out:
        out[0] = Run(out[0].text.lstrip(), out[0].bold, out[0].italic, out[0].href)
    return tuple(r for r in out if r.text)


def short(text: str, n: int = 50) -> str:
    """A text for a report line: one line, at most n characters."""
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= n else text[: n - 1] + "…"
