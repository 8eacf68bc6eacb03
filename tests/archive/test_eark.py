"""The E-ARK writer and the BagIt writer on small inputs: pure functions, no LibreOffice."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET

import pytest

from styrdok.archive import eark
from styrdok.archive.package import bag_files

M = "{http://www.loc.gov/METS/}"
XLINK = "{http://www.w3.org/1999/xlink}href"


def facts(**changes) -> eark.Release:
    values = dict(
        objid="dok_1",
        label="Policy för något, version 1",
        created="2026-01-02T03:04:05Z",
        software="styrdok",
        software_version="0.1.0",
        releaser="Bo Berg <bo@example.invalid>",
        detail="Släpp av version 1",
        archivist="Kulturnämnden",
        reference="",
        dublin_core=(("title", "Policy för något"), ("identifier", "KN 2026/7"), ("rights", "")),
    )
    return eark.Release(**(values | changes))


CONTENTS = [
    eark.Content(
        "Representations/pdfa",
        "representations/pdfa/data/d.pdf",
        b"%PDF-1.7",
        "application/pdf",
        "PDF/A-2b",
        "LibreOffice 7.4",
    ),
    eark.Content(
        "Representations/kalla",
        "representations/kalla/data/source/d/document.md",
        "# Å\n".encode(),
        "text/markdown",
        "Markdown",
    ),
    eark.Content("Documentation", "documentation/LASMIG.txt", b"hej", "text/plain", "Text"),
    eark.Content("Schemas", "schemas/s.json", b"{}", "application/schema+json", "JSON Schema"),
]


def test_the_same_release_gives_the_same_bytes():
    assert eark.package(facts(), CONTENTS, b"{}") == eark.package(facts(), CONTENTS, b"{}")


def test_mets_lists_every_file_with_its_size_and_checksum():
    files = eark.package(facts(reference="1.2"), CONTENTS, b'{"a": 1}')
    root = ET.fromstring(files["METS.xml"])
    entries = [*root.iter(f"{M}file"), *root.iter(f"{M}mdRef")]
    assert len(entries) == len(CONTENTS) + 3  # and dc.xml, premis.xml, metadata.json
    for entry in entries:
        location = entry.find(f"{M}FLocat")
        path = (location if location is not None else entry).get(XLINK)
        data = files[path]
        assert entry.get("SIZE") == str(len(data))
        assert entry.get("CHECKSUM") == hashlib.sha256(data).hexdigest()
        assert entry.get("CHECKSUMTYPE") == "SHA-256"
    uses = [g.get("USE") for g in root.iter(f"{M}fileGrp")]
    assert uses == ["Representations/pdfa", "Representations/kalla", "Documentation", "Schemas"]
    assert root.find(f"{M}metsHdr/{M}altRecordID").text == "1.2"
    assert root.get("OBJID") == "dok_1"


def test_dublin_core_leaves_out_empty_values_and_premis_names_the_release():
    files = eark.package(facts(), CONTENTS, b"{}")
    dc = files[eark.DESCRIPTIVE].decode()
    assert "<dc:identifier>KN 2026/7</dc:identifier>" in dc and "dc:rights" not in dc
    premis = files[eark.PRESERVATION].decode()
    assert "<premis:eventType>release</premis:eventType>" in premis
    assert "<premis:agentName>Bo Berg &lt;bo@example.invalid&gt;</premis:agentName>" in premis
    digest = hashlib.sha256(b"%PDF-1.7").hexdigest()
    assert f"<premis:messageDigest>{digest}</premis:messageDigest>" in premis


def test_a_bag_is_bagit_1_0_with_both_manifests():
    bag = bag_files({"a.txt": b"a", "mapp/b c.txt": b"bb"}, {"External-Identifier": "x/1"})
    assert bag["bagit.txt"] == b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    assert bag["bag-info.txt"] == b"External-Identifier: x/1\nPayload-Oxum: 3.2\n"
    sha = lambda d: hashlib.sha256(d).hexdigest()  # noqa: E731
    assert bag["manifest-sha256.txt"].decode() == (
        f"{sha(b'a')}  data/a.txt\n{sha(b'bb')}  data/mapp/b c.txt\n"
    )
    tags = bag["tagmanifest-sha256.txt"].decode().splitlines()
    assert [t.split("  ")[1] for t in tags] == ["bag-info.txt", "bagit.txt", "manifest-sha256.txt"]


@pytest.mark.parametrize(("name", "line"), [("a%b", "a%25b"), ("a\nb", "a%0Ab"), ("a\rb", "a%0Db")])
def test_manifest_paths_are_percent_encoded_as_rfc_8493_asks(name, line):
    manifest = bag_files({name: b"x"}, {})["manifest-sha256.txt"].decode()
    assert manifest.endswith(f"  data/{line}\n")


def test_a_bag_with_an_encoded_path_verifies(tmp_path):
    from styrdok.archive.package import stage_package, verify_package
    from styrdok.project.publish import remove_tree

    staged = stage_package(tmp_path, {"100%.txt": b"x"}, {})
    assert "data/100%25.txt" in (staged / "manifest-sha256.txt").read_text()
    assert verify_package(staged) == []
    remove_tree(staged)
