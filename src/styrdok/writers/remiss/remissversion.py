"""What is sent out on remiss: the remiss version of the document and the answer form.

The remiss version is the document as the city's layout builds it (writers/docx.py, the kind
REMISS_KIND, whose header says REMISSVERSION), with the cover's mark, the missive page, line
numbers and the round's document property added to the rendered package
(writers/ooxml/remiss.py). The answer form is a small report document: the instans's details
and a table of place, comment and proposal, which `remiss läs` reads back; it lists the
sections and measures with their numbers.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from styrdok.model.document import (
    MONTHS,
    REMISS_KIND,
    BulletList,
    Document,
    ListItem,
    Paragraph,
    Run,
    Section,
    Table,
    plain,
)
from styrdok.model.remiss import IDENTITY_PROPERTY, REFERENCE, Round, identity
from styrdok.writers.ooxml import remiss as ooxml
from styrdok.writers.ooxml.remiss import Para

FORM_FILE = "svarsformular.docx"
FORM_ROWS = 8  # empty rows of the form's table; a reviewer adds more in Word


def long_date(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def as_remiss(doc: Document) -> Document:
    """The document laid out as a remiss version (its header says so)."""
    return replace(doc, kind=REMISS_KIND)


def reference(r: Round) -> str:
    """The missive's and the form's reference line, which a reader finds the round by."""
    return REFERENCE.format(document=r.document, round=r.name)


def mark(r: Round) -> tuple[str, str]:
    return "REMISSVERSION", f"Remiss {r.name} · svara senast {long_date(r.deadline)}"


def missive(doc: Document, r: Round) -> list[Para]:
    """The missive: who is asked, by when, where to, and how to answer."""
    m = doc.metadata
    reply_to = r.reply_to or m.dokumentansvarig

    def field(label: str, value: str) -> Para:
        return Para("Normal", (Run(f"{label}: ", bold=True), Run(value)))

    return [
        Para("TOC Heading", (Run("Remiss"),)),
        field("Förslag", f"{m.full_title} ({m.typ})"),
        field("Remissinstanser", ", ".join(r.bodies)),
        field("Svara senast", long_date(r.deadline)),
        field("Skicka svaret till", reply_to),
        Para(
            "Normal",
            (
                Run(
                    f"{m.dokumentansvarig} skickar förslaget på remiss och vill ha era synpunkter, "
                    "på förslaget som helhet och på de enskilda avsnitten och åtgärderna. Svara "
                    "på ett av tre sätt:"
                ),
            ),
        ),
        Para(
            "List Bullet",
            (
                Run("Kommentera i den här Word-filen: ", bold=True),
                Run(
                    "markera texten och välj Granska ▸ Ny kommentar. Föreslå en ny lydelse med "
                    "spårade ändringar (Granska ▸ Spåra ändringar). Låt rubrikerna stå kvar: de "
                    "visar var varje synpunkt hör hemma."
                ),
            ),
        ),
        Para(
            "List Bullet",
            (
                Run("Fyll i svarsformuläret ", bold=True),
                Run(
                    f"({FORM_FILE}): en rad per synpunkt med avsnittets eller åtgärdens nummer "
                    "(till exempel 3 eller 3:4), synpunkten och ert förslag."
                ),
            ),
        ),
        Para(
            "List Bullet",
            (
                Run("Skriv ett brev ", bold=True),
                Run(
                    "(Word eller PDF) och hänvisa till sida och rad: raderna är numrerade i "
                    "marginalen, från 1 på varje sida."
                ),
            ),
        ),
        Para(
            "Normal",
            (
                Run(
                    "Skriv i svaret vilken instans som svarar. Varje synpunkt besvaras i en "
                    "remissammanställning, som följer med förslaget när det beslutas."
                ),
            ),
        ),
        Para("Normal", (Run(f"{reference(r)} (remissversionen är commit {r.commit[:8]})"),)),
    ]


def remiss_docx(doc: Document, r: Round, rendered: bytes) -> bytes:
    """The rendered remiss version (of `as_remiss(doc)`) with its mark, missive, line numbers
    and round property."""
    return ooxml.remiss_version(
        rendered,
        doc.metadata.datum,
        mark(r),
        missive(doc, r),
        (IDENTITY_PROPERTY, identity(r.document, r.name)),
    )


def form_document(doc: Document, r: Round) -> Document:
    """The answer form as a report document (kind svarsformulär)."""
    m = doc.metadata
    reply_to = r.reply_to or m.dokumentansvarig
    empty = ((), (), ())
    places = [
        ListItem((Run(f"{number} {plain(section.title)}"),))
        for number, section in doc.numbered_sections()
    ]
    measures = [
        ListItem((Run(f"{number} {plain(measure.title)}"),))
        for number, _, measure in doc.numbered_measures()
    ]
    sections = (
        Section(
            "remissvar",
            (Run("Remissvar"),),
            (
                Paragraph(
                    (
                        Run(f"Remiss {r.name} av {m.full_title}. Svara senast "),
                        Run(long_date(r.deadline), bold=True),
                        Run(f" till {reply_to}."),
                    )
                ),
                Table(
                    ((Run("Remissinstans"),), (Run("Kontaktperson"),), (Run("E-post"),)),
                    (empty,),
                ),
                Paragraph(
                    (
                        Run(
                            "Skriv en rad per synpunkt: avsnittets eller åtgärdens nummer (till "
                            "exempel 3 eller 3:4; Allmänt för synpunkter på hela förslaget), "
                            "synpunkten och ert förslag till ändring. Lägg till rader vid behov."
                        ),
                    )
                ),
                Table(
                    (
                        (Run("Avsnitt eller åtgärd"),),
                        (Run("Synpunkt"),),
                        (Run("Förslag till ändring"),),
                    ),
                    (empty,) * FORM_ROWS,
                ),
                Paragraph((Run(reference(r)),)),
            ),
        ),
        Section(
            "avsnitt-och-atgarder",
            (Run("Avsnitt och åtgärder i remissversionen"),),
            (BulletList(tuple(places)),)
            + (
                (Paragraph((Run("Åtgärder:", bold=True),)), BulletList(tuple(measures)))
                if measures
                else ()
            ),
        ),
    )
    meta = replace(m, titel="Svarsformulär", undertitel=f"Remiss {r.name}: {m.full_title}")
    return Document(doc.name, meta, sections, kind="svarsformulär")


def form_docx(doc: Document, r: Round, rendered: bytes) -> bytes:
    """The rendered answer form with the round's property."""
    return ooxml.with_property(
        rendered, doc.metadata.datum, IDENTITY_PROPERTY, identity(r.document, r.name)
    )
