"""Word files made in the tests, part by part with zipfile: the smallest package Word reads (a
main part, its relationships, content types) plus whatever a test adds or spoils."""

from __future__ import annotations

import zipfile
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NAMESPACES = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/{main}" ContentType="{main_type}"/></Types>'
)
MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def rels(*targets: tuple[str, str, str]) -> str:
    """A relationships part: (id, type's last word, target); a target with :// is external."""
    items = "".join(
        f'<Relationship Id="{i}" Type="{REL}/{kind}" Target="{target}"'
        + (' TargetMode="External"' if "://" in target else "")
        + "/>"
        for i, kind, target in targets
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        f'openxmlformats.org/package/2006/relationships">{items}</Relationships>'
    )


def document(body: str, namespaces: str = NAMESPACES) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document {namespaces}><w:body>{body}'
        "</w:body></w:document>"
    )


def heading_then(text: str = "Text.") -> str:
    """A first section and a paragraph: what makes a file a styrdokument to the importer."""
    return (
        '<w:p><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:r><w:t>1 Inledning</w:t></w:r></w:p>'
        f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
    )


def parts(
    body: str = "",
    main: str = "word/document.xml",
    styles: str | None = None,
    numbering: str | None = None,
    footnotes: str | None = None,
    headers: tuple[str, ...] = (),
    footers: tuple[str, ...] = (),
    links: tuple[tuple[str, str], ...] = (),
    main_type: str = MAIN_TYPE,
) -> dict[str, bytes]:
    """The parts of a package whose main part holds `body` (a complete document if it starts
    with '<?xml'), with the other parts named given."""
    folder = main.rsplit("/", 1)[0]
    own: list[tuple[str, str, str]] = []
    out: dict[str, str] = {}
    for kind, text in (("styles", styles), ("numbering", numbering), ("footnotes", footnotes)):
        if text is not None:
            out[f"{folder}/{kind}.xml"] = text
            own.append((f"rId{kind}", kind, f"{kind}.xml"))
    for k, text in enumerate(headers, 1):
        out[f"{folder}/header{k}.xml"] = text
        own.append((f"rIdh{k}", "header", f"header{k}.xml"))
    for k, text in enumerate(footers, 1):
        out[f"{folder}/footer{k}.xml"] = text
        own.append((f"rIdf{k}", "footer", f"footer{k}.xml"))
    own += [(i, "hyperlink", target) for i, target in links]
    out[main] = body if body.startswith("<?xml") else document(body)
    base = main.rsplit("/", 1)[1]
    out[f"{folder}/_rels/{base}.rels"] = rels(*own)
    out["_rels/.rels"] = rels(("rId1", "officeDocument", main))
    out["[Content_Types].xml"] = CONTENT_TYPES.format(main=main, main_type=main_type)
    return {name: text.encode("utf-8") for name, text in out.items()}


def write(path: Path, contents: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    """A zip of these parts."""
    with zipfile.ZipFile(path, "w", method) as z:
        for name, data in contents.items():
            z.writestr(name, data)
    return path


def styles_xml(*styles: str) -> str:
    return f'<?xml version="1.0"?><w:styles {NAMESPACES}>{"".join(styles)}</w:styles>'


def header_xml(body: str) -> str:
    return f'<?xml version="1.0"?><w:hdr {NAMESPACES}>{body}</w:hdr>'


def footer_xml(body: str) -> str:
    return f'<?xml version="1.0"?><w:ftr {NAMESPACES}>{body}</w:ftr>'
