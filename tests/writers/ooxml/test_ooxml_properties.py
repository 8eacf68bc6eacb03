"""ooxml.properties: docProps/core.xml and app.xml, written whole and read back."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime

import pytest

from styrdok.writers import ooxml

CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
EP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
HEAD = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"


@pytest.mark.parametrize(
    ("application", "pages", "words", "expected"),
    [
        (
            "styrdok 1.0",
            10,
            2421,
            "<Application>styrdok 1.0</Application><DocSecurity>0</DocSecurity>"
            "<Pages>10</Pages><Words>2421</Words>",
        ),
        (  # no PDF laid out: no page count, rather than a wrong one
            "styrdok 1.0",
            None,
            5,
            "<Application>styrdok 1.0</Application><DocSecurity>0</DocSecurity><Words>5</Words>",
        ),
    ],
)
def test_app_xml(application, pages, words, expected):
    assert ooxml.app_xml(application, pages, words).decode() == (
        f'{HEAD}<Properties xmlns="{EP}">{expected}</Properties>'
    )


@pytest.mark.parametrize(
    ("props", "elements"),
    [
        (
            {"title": "Plan", "keywords": "styrdokument; plan; 1/2", "language": "sv-SE"},
            "<dc:title>Plan</dc:title><cp:keywords>styrdokument; plan; 1/2</cp:keywords>"
            "<dc:language>sv-SE</dc:language>",
        ),
        ({"title": "", "creator": "Anna"}, "<dc:creator>Anna</dc:creator>"),  # empty: left out
    ],
)
def test_core_xml(props, elements):
    out = ooxml.core_xml(props, "2019-09-16T00:00:00Z").decode()
    dates = "".join(
        f'<dcterms:{n} xsi:type="dcterms:W3CDTF">2019-09-16T00:00:00Z</dcterms:{n}>'
        for n in ("created", "modified")
    )
    body = out.split(">", 2)[2]  # after the declaration and the root's start tag
    assert body == f"{elements}{dates}</cp:coreProperties>"


def docx_with(tmp_path, core: bytes | None):
    path = tmp_path / "d.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
        if core is not None:
            z.writestr("docProps/core.xml", core)
    return path


STYRDOK = ooxml.core_xml(
    {"keywords": "styrdokument; riktlinjer; KS 2019/1"}, "2019-09-16T00:00:00Z"
)


@pytest.mark.parametrize(
    ("core", "created", "kind"),
    [
        (STYRDOK, datetime(2019, 9, 16, tzinfo=UTC), "RIKTLINJER"),
        (ooxml.core_xml({"keywords": "budget; 2019"}, "inte ett datum"), None, None),
        (None, None, None),  # no core properties
        (b"<inte xml", None, None),  # not XML
    ],
)
def test_read_back(tmp_path, core, created, kind):
    path = docx_with(tmp_path, core)
    assert ooxml.created(path) == created
    assert ooxml.governance_type(path) == kind
