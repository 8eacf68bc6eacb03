"""Interpret pass: the cover and the header → the document's metadata (document.yaml).

Read from what stands before the first section: label/value rows of a cover table ("Diarienummer
| KS 2018/123"), "Label: value" paragraphs, the governance banner (the type whose cell is
marked), the Title and Subtitle styles; then from the header's lines (date, type, DNR). A title
in no Title style is the first short cover line. What is not found becomes `<saknas>`, which
`check` points out; cover text that was not used is named in the report.
"""

from __future__ import annotations

import re
from datetime import date

from styrdok.model.document import GOVERNANCE_TYPES, MONTHS
from styrdok.readers.markdown.source import PLACEHOLDER as MISSING
from styrdok.readers.markdown.source import REQUIRED_KEYS
from styrdok.readers.word.parse import WordTable

METADATA_LABELS = {
    "typ": "typ",
    "dokumenttyp": "typ",
    "titel": "titel",
    "undertitel": "undertitel",
    "datum": "datum",
    "beslutsdatum": "datum",
    "beslutad": "datum",
    "diarienummer": "dnr",
    "dnr": "dnr",
    "beslutat av": "beslutat_av",
    "beslutad av": "beslutat_av",
    "beslutsinstans": "beslutat_av",
    "revideras av": "revideras_av",
    "dokumentets giltighet": "giltighet",
    "giltighet": "giltighet",
    "giltighetstid": "giltighet",
    "gäller till": "giltighet",
    "dokumentet gäller för": "gäller_för",
    "gäller för": "gäller_för",
    "dokumentansvarig": "dokumentansvarig",
    "ansvarig för dokumentet": "dokumentansvarig",
}


class Cover:
    """The metadata found so far, and the cover's lines (to name those not used)."""

    def __init__(self, report: list[str]) -> None:
        self.report = report
        self.meta: dict[str, str] = {}
        self.lines: list[str] = []  # the cover's paragraphs, in order
        self.cells: list[str] = []  # the paragraphs in its tables
        self.title_candidates: list[str] = []  # cover lines, for a title in no Title style

    def table(self, table: WordTable) -> None:
        """A table before the first section: the banner, or label/value rows."""
        cells = [c for row in table.cover_rows for c in row]
        if sorted(c.lower() for c in cells if c) == sorted(GOVERNANCE_TYPES):
            for text, bold in table.cover_cells:  # the type whose cell is marked
                if text in GOVERNANCE_TYPES and bold:
                    self.meta.setdefault("typ", text)
            return
        for row in table.cover_rows:
            if len(row) >= 2 and (key := label_of(row[0])) and row[1]:
                self.set(key, row[1])
            for cell in row:
                self.paragraph("", cell)
        self.cells += table.paragraphs

    def line(self, style: str, text: str) -> None:
        """A paragraph before the first section."""
        self.lines.append(text)
        self.paragraph(style, text)

    def paragraph(self, style: str, text: str) -> None:
        if not text.strip():  # an empty cell
            return
        name = style.lower()
        if name == "title" and "titel" not in self.meta:
            self.meta["titel"] = text
        elif name == "subtitle" and "undertitel" not in self.meta:
            self.meta["undertitel"] = text
        elif ":" in text and (key := label_of(text.split(":", 1)[0])):
            self.set(key, text.split(":", 1)[1].strip())
        elif len(text) < 120:
            self.title_candidates.append(text)

    def set(self, key: str, value: str) -> None:
        """A value, if it is the first for its key and a valid one."""
        value = re.sub(r"\s+", " ", value).strip()
        if not value or key in self.meta:
            return
        if key == "datum":
            parsed = iso_date(value)
            if parsed is None:
                self.report.append(f"omslaget: datumet '{value}' gick inte att läsa")
                return
            value = parsed
        if key == "typ":
            value = value.lower()
            if value not in GOVERNANCE_TYPES:
                return
        self.meta[key] = value

    def header(self, lines: list[str]) -> None:
        """The header's lines: DNR, the type in capitals, the date."""
        for line in lines:
            if m := re.search(r"\bDNR\s*:?\s*(\S.*?)(?=\t|\s{2,}|$)", line, re.IGNORECASE):
                self.set("dnr", m.group(1).strip())
            if m := re.search(r"\b(PROGRAM|PLAN|POLICY|RIKTLINJER)\b", line):
                self.set("typ", m.group(1))
            if iso_date(line):
                self.set("datum", line)

    def title(self) -> None:
        if "titel" not in self.meta and self.title_candidates:
            self.meta["titel"] = self.title_candidates[0]

    def guess_type(self) -> None:
        """The type from the title or the first cover lines, where nothing stated it."""
        if "typ" in self.meta:
            return
        words = " ".join([self.meta.get("titel", ""), *self.lines[:3]]).lower()
        for typ in ("riktlinjer", "policy", "program", "plan"):
            if typ in words:
                self.meta["typ"] = typ
                return

    def metadata(self) -> dict[str, str]:
        """Every required key (`<saknas>` where not found), and a subtitle if there is one."""
        meta = {key: self.meta.get(key, MISSING) for key in REQUIRED_KEYS}
        if "undertitel" in self.meta:
            meta["undertitel"] = self.meta["undertitel"]
        return meta

    def unused(self, template_cover: bool = False) -> list[str]:
        """The cover's lines, and the paragraphs of its tables, that gave no value and are no
        label (each paragraph of a table is named: a cover table may hold pages). With
        `template_cover` (a document styrdok built) the tables are the template's own text."""
        values = set(self.meta.values())

        def unused(text: str) -> bool:
            return (
                text not in values
                and not label_of(text.split(":", 1)[0])
                and not (iso_date(text) and iso_date(text) == self.meta.get("datum"))
            )

        lines = [t for t in self.lines if unused(t)]
        cells = [  # a paragraph of a value's cell is part of that value
            t for t in dict.fromkeys(self.cells) if unused(t) and not any(t in v for v in values)
        ]
        return lines + ([] if template_cover else cells)


def label_of(text: str) -> str | None:
    """The metadata key a cover label names ("Diarienummer:" → dnr), or None."""
    return METADATA_LABELS.get(text.strip().rstrip(":").strip().lower())


def iso_date(text: str) -> str | None:
    """An ISO date from '2018-02-12' or '12 februari 2018'."""
    if m := re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", text):
        candidate = m.group(0)
    elif m := re.search(r"\b(\d{1,2})\s+([a-zåäö]+)\s+(\d{4})\b", text.lower()):
        if m.group(2) not in MONTHS:
            return None
        candidate = f"{m.group(3)}-{MONTHS.index(m.group(2)) + 1:02d}-{int(m.group(1)):02d}"
    else:
        return None
    try:
        return date.fromisoformat(candidate).isoformat()
    except ValueError:
        return None
