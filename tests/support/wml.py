"""WordprocessingML written short, for the ooxml unit tests (python-docx's style): rows give the
XML with the `w:` and `r:` prefixes and no namespace declarations; `parse` reads such a text into
python-docx's element classes, `xml` writes an element back the same way."""

from __future__ import annotations

import re

from docx.oxml import parse_xml
from docx.oxml.ns import nsmap
from lxml import etree

DECLARATIONS = f'xmlns:w="{nsmap["w"]}" xmlns:r="{nsmap["r"]}"'


def parse(text: str):
    """An element (python-docx's class for its tag: CT_P, CT_Tbl …) from XML written short."""
    head = re.match(r"<([\w:]+)", text)
    assert head is not None, text
    return parse_xml(text.replace(head.group(0), f"{head.group(0)} {DECLARATIONS}", 1))


def xml(element) -> str:
    """An element as XML written short: no namespace declarations (it is serialised inside a
    root that declares `w:` and `r:`, so an `r:id` keeps its prefix), no line breaks between
    elements."""
    from copy import deepcopy

    root = parse("<w:root/>")
    root.append(deepcopy(element))
    out = etree.tostring(root, encoding=str)
    out = re.sub(r'\s+xmlns:\w+="[^"]*"', "", out)
    out = re.sub(r">\s*\n\s*<", "><", out)
    return out.removeprefix("<w:root>").removesuffix("</w:root>")
