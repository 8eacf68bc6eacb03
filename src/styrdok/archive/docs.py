"""The texts a package carries about itself: a Swedish read-me (layout, each metadata field,
how to rebuild the document from the package alone) and the JSON Schema of metadata.json.
Both derive from the one table of metadata keys, so they cannot fall behind it."""

from __future__ import annotations

import json

from styrdok.model.document import GOVERNANCE_TYPES, METADATA_KEYS, MetadataKey

LAYOUT = """\
{objid}/
  METS.xml                            paketets karta: varje fil med storlek, SHA-256 och typ
  metadata/descriptive/dc.xml         beskrivning (Dublin Core): titel, DNR, beslut, arkivbildare
  metadata/preservation/premis.xml    bevarande (PREMIS 3): kontrollsummor, format, programvara,
                                      händelsen släpp med vem som släppte
  metadata/other/metadata.json        styrdoks post: alla metadata, commit, tagg, mall
  representations/pdfa/data/          det beslutade dokumentet som PDF/A-2b (det som bevaras)
  representations/docx/data/          samma dokument i Word-format
  representations/kalla/data/         källtexten och mallen som ett styrdok-projekt
  documentation/                      den här filen och, från andra versionen, ändringsrapporten
  documentation/uppfoljning/          uppföljningarna sedan förra versionen (ÅÅÅÅ.yaml) med
                                      uppföljningsrapporterna som PDF/A
  documentation/remiss/<omgång>/      remissomgångarna sedan förra versionen: omgang.yaml (vem
                                      som fick remissen, sista svarsdag, remissversionens
                                      commit), svar.yaml (svaren med SHA-256), synpunkter.yaml
                                      (varje synpunkt med ställningstagande och motivering),
                                      svar/ (svaren som de kom) och remissammanstallning.pdf
  schemas/                            JSON-schemat för metadata.json"""


def readme(doc: str, version: str, objid: str, tag: str, styrdok_version: str) -> bytes:
    fields = "\n".join(f"  {k.key:<20} {k.label}: {k.meaning}" for k in METADATA_KEYS)
    text = f"""\
Arkivpaket för {doc}, version {version} (taggen {tag})

Paketet är ett E-ARK-informationspaket (CSIP/SIP, som FGS Paketstruktur 2.0) inuti en
BagIt-påse (RFC 8493, version 1.0). Påsens manifest har SHA-256 för varje fil; taggens
meddelande i git har SHA-256 för tagmanifest-sha256.txt och förankrar därmed hela paketet.

Innehåll:
{LAYOUT.format(objid=objid)}

Metadata (nycklarna i document.yaml; den här versionens värden står i
metadata/other/metadata.json, arkivredovisningens också i bag-info.txt):
{fields}

Bygga om dokumentet ur paketet, med styrdok {styrdok_version}:
  cd representations/kalla/data
  styrdok build {doc} -o /tmp/ombyggt
Word-filen blir byte för byte densamma som representations/docx/data/{doc}.docx, med
samma LibreOffice-version (metadata/other/metadata.json anger den): innehållsförteckningens
sidnummer och sidantalet kommer från PDF:ens sidor, så bygg alltid också PDF:en (det gör
styrdok build utan --format). PDF:en får LibreOffices egna datum och är därför inte byte för
byte densamma.
Kontrollera paketet: styrdok verify <paketets mapp> --repo <git-förrådet>
"""
    return text.encode()


def _value_schema(k: MetadataKey) -> dict[str, object]:
    """The JSON Schema of one metadata key's value, by its kind."""
    if k.kind == "date":
        return {"type": "string", "format": "date"}
    if k.kind == "type":
        return {"enum": list(GOVERNANCE_TYPES)}
    if k.kind == "choice":
        return {"enum": list(k.choices)}
    return {"type": "string"}


def metadata_schema() -> bytes:
    """JSON Schema (2020-12) of metadata/other/metadata.json."""
    keys = {
        k.key: _value_schema(k) | {"title": k.label, "description": k.meaning}
        for k in METADATA_KEYS
    }
    for spec in keys.values():
        if "type" in spec:
            spec["type"] = [spec["type"], "null"]
    required = [k.key for k in METADATA_KEYS if k.required]
    records = [k.key for k in METADATA_KEYS if k.records]
    text = "string"
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "styrdok: metadata för en släppt version",
        "type": "object",
        "required": ["document", "version", "tag", "commit", "metadata", "records", "template"],
        "properties": {
            "document": {"type": text},
            "version": {"type": text},
            "tag": {"type": text},
            "commit": {"type": text, "pattern": "^[0-9a-f]{40}$"},
            "commit_date": {"type": text},
            "previous_release": {"type": [text, "null"]},
            "released_at": {"type": text},
            "released_by": {"type": text},
            "metadata": {"type": "object", "properties": keys, "required": required},
            "records": {
                "type": "object",
                "description": "arkivredovisningens fält, med projektets standardvärden ifyllda",
                "properties": {k: keys[k] for k in records},
            },
            "template": {
                "type": "object",
                "properties": {
                    "path": {"type": text},
                    "git_blob": {"type": text},
                    "sha256": {"type": text},
                },
            },
            "styrdok": {"type": text},
            "libreoffice": {"type": text},
        },
    }
    return (json.dumps(schema, ensure_ascii=False, indent=2) + "\n").encode()
