"""A Word template in another city's name: styrdok's own template (Helsingborg's) with the texts
that name the city replaced, so that the Word files and PDFs of a project made by
`styrdok init --stad "Lunds kommun"` carry that name where Helsingborg's carry theirs.

The texts are the header's word (HELSINGBORG → [stad] sidhuvud), the heading of the cover's
metadata box ("Helsingborgs stads styrdokument"), and the template's own title and author in
docProps/core.xml. Each is a whole w:t of the template, replaced whole; everything else (styles,
layout, placeholders) stays as it is. The brand owner edits the result in Word like any
template.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

from docx.oxml.ns import qn
from lxml import etree

from styrdok.project.settings import City
from styrdok.writers.ooxml.package import deterministic_zip

TEXT_PARTS = re.compile(r"^word/(?:document|header\d*|footer\d*)\.xml$")
CORE = "docProps/core.xml"
DC = "http://purl.org/dc/elements/1.1/"


def city_texts(old: City, new: City) -> dict[str, str]:
    """The template's texts that name the city `old`, and what they become for `new`."""
    return {
        old.header: new.header,
        f"{old.genitive} styrdokument": f"{new.genitive} styrdokument",
    }


def renamed(template: bytes, old: City, new: City) -> tuple[bytes, set[str]]:
    """The template `template` (DOCX bytes), made for `old`, with `new`'s name instead; and the
    texts of `city_texts` it did not hold (empty for styrdok's own template)."""
    texts = city_texts(old, new)
    with zipfile.ZipFile(io.BytesIO(template)) as z:
        members = {name: z.read(name) for name in z.namelist()}
        stamp = date(*z.infolist()[0].date_time[:3])
    replace, found = {}, set()
    for name, data in members.items():
        if TEXT_PARTS.match(name):
            root = etree.fromstring(data)
            hits = [t for t in root.iter(qn("w:t")) if t.text in texts]
            for t in hits:
                found.add(t.text)
                t.text = texts[t.text]
            if hits:
                replace[name] = _xml(root)
        elif name == CORE:
            root = etree.fromstring(data)
            for tag in ("title", "creator"):
                for el in root.iter(f"{{{DC}}}{tag}"):
                    if el.text and old.name in el.text:
                        el.text = el.text.replace(old.name, new.name)
            replace[name] = _xml(root)
    return deterministic_zip(template, stamp, replace), set(texts) - found


def header_texts(template: bytes) -> list[str]:
    """The text of each paragraph in the template's headers (runs joined: Word splits a word it
    has edited into runs)."""
    texts = []
    with zipfile.ZipFile(io.BytesIO(template)) as z:
        for name in sorted(n for n in z.namelist() if re.match(r"^word/header\d*\.xml$", n)):
            root = etree.fromstring(z.read(name), etree.XMLParser(resolve_entities=False))
            for p in root.iter(qn("w:p")):
                text = "".join(t.text or "" for t in p.iter(qn("w:t"))).strip()
                if text:
                    texts.append(text)
    return texts


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
