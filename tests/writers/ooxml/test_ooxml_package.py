"""ooxml.package: the DOCX container, written the same way every time."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest

from styrdok.writers import ooxml


def container(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


MEMBERS = {"word/document.xml": b"<d/>", "[Content_Types].xml": b"<t/>", "_rels/.rels": b"<r/>"}


@pytest.mark.parametrize(
    ("stamp", "zip_date"),
    [
        (date(2019, 9, 16), (2019, 9, 16, 0, 0, 0)),
        (date(1970, 1, 2), (1980, 1, 2, 0, 0, 0)),  # a zip holds 1980–2107 only
        (date(2200, 5, 6), (2107, 5, 6, 0, 0, 0)),
    ],
)
def test_deterministic_zip(stamp, zip_date):
    data = ooxml.deterministic_zip(container(MEMBERS), stamp)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos = z.infolist()
    assert [i.filename for i in infos] == [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
    ]
    assert {(i.date_time, i.create_system) for i in infos} == {(zip_date, 0)}
    assert len({(i.external_attr, i.compress_type) for i in infos}) == 1
    # the same members in another order and with other dates give the same bytes
    again = container(dict(reversed(MEMBERS.items())))
    assert ooxml.deterministic_zip(again, stamp) == data


@pytest.mark.parametrize(
    ("replace", "document", "names"),
    [
        ({"word/document.xml": b"<ny/>"}, b"<ny/>", 3),
        ({"word/saknas.xml": b"<x/>"}, b"<d/>", 3),  # only members that are there
    ],
)
def test_replace_and_read_part(replace, document, names):
    data = ooxml.deterministic_zip(container(MEMBERS), date(2019, 1, 1), replace)
    assert ooxml.read_part(data, "word/document.xml") == document
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert len(z.namelist()) == names


def test_package_zip_is_the_saved_file_made_deterministic():
    document = docx.Document()
    document.add_paragraph("text")
    saved = io.BytesIO()
    document.save(saved)
    stamp = date(2019, 9, 16)
    expected = ooxml.deterministic_zip(saved.getvalue(), stamp)
    assert ooxml.package_zip(document.part.package, stamp) == expected


def test_drop_leftovers_removes_the_stock_templates_extras():
    document = docx.Document()  # python-docx's stock template carries them
    package = document.part.package
    settings = package.main_document_part.settings.element
    settings.append(settings.makeelement(settings.tag.replace("settings", "updateFields")))
    kinds = {r.reltype for o in (package, package.main_document_part) for r in o.rels.values()}
    assert kinds & set(ooxml.LEFTOVER_RELS)
    ooxml.drop_leftovers(package)
    kinds = {r.reltype for o in (package, package.main_document_part) for r in o.rels.values()}
    assert not kinds & set(ooxml.LEFTOVER_RELS)
    assert not [el for el in settings if el.tag.endswith("}updateFields")]


def test_xml_parts_are_the_packages_xml_parts():
    package = docx.Document().part.package
    names = {str(p.partname) for p in ooxml.xml_parts(package)}
    assert {"/word/document.xml", "/word/styles.xml"} <= names
    assert not any(n.endswith((".jpeg", ".png")) for n in names)


TEMPLATE = Path(__file__).resolve().parents[3] / "templates" / "helsingborg" / "template.docx"


def changed(edit) -> bytes:
    """The city's template with its parts changed by `edit(name, data)` (None: left out)."""
    out = io.BytesIO()
    with zipfile.ZipFile(TEMPLATE) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = edit(name, src.read(name))
            if data is not None:
                dst.writestr(name, data)
    return out.getvalue()


def main_type(kind: str):
    return lambda n, d: d.replace(b"document.main+xml", kind.encode()) if n.startswith("[") else d


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (lambda: b"", "filen är tom"),
        (lambda: b"inte en zip", "filen är inte en Word-fil (en .docx är ett zip-arkiv"),
        (lambda: TEMPLATE.read_bytes()[:5000], "filen är inte en Word-fil"),
        (lambda: container({"a.txt": b"x"}), "delen [Content_Types].xml saknas"),
        (
            lambda: changed(lambda n, d: d[: len(d) // 2] if n == "word/document.xml" else d),
            "delen word/document.xml är skadad (ogiltig XML på rad 2)",
        ),
        (
            lambda: changed(lambda n, d: None if n == "word/styles.xml" else d),
            "delen word/styles.xml saknas (word/document.xml hänvisar till den)",
        ),
        (
            lambda: changed(lambda n, d: None if n == "word/document.xml" else d),
            "huvuddelen word/document.xml saknas",
        ),
        (
            lambda: changed(main_type("template.main+xml")),
            "filen är en Word-mall (.dotx), inte ett Word-dokument",
        ),
        (
            lambda: changed(main_type("ms-word.document.macroEnabled.main+xml")),
            "filen är ett Word-dokument med makron (.docm)",
        ),
        (
            lambda: changed(main_type("spreadsheetml.sheet.main+xml")),
            "filen är ett Excel-dokument",
        ),
        (lambda: TEMPLATE.read_bytes(), "filen går inte att läsa som Word-dokument"),
    ],
)
def test_unreadable_says_what_is_wrong(tmp_path, data, expected):
    path = tmp_path / "template.docx"
    path.write_bytes(data())
    found = ooxml.unreadable(path)
    assert found.startswith(expected), found
    assert "Error" not in found and "Exception" not in found
