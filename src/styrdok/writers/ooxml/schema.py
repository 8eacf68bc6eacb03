"""The schema's order of property elements, which Word insists on.

ECMA-376 gives the children of these property elements as a sequence; Word calls a file with
them out of order damaged. docxtpl's RichText, python-docx appends and hand-made templates all get
it wrong, so every part is put in order before it is saved."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from styrdok.writers.ooxml.package import xml_parts

if TYPE_CHECKING:
    from docx.opc.package import OpcPackage
    from lxml import etree

_SEQUENCES = {
    "rPr": "ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike "
    "outline shadow emboss imprint noProof snapToGrid vanish webHidden color spacing w kern "
    "position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang "
    "eastAsianLayout specVanish oMath rPrChange",
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
    "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
    "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize "
    "tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
    "tblDescription tblPrChange",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
    "tcFitText vAlign hideMark headers cellIns cellDel cellMerge tcPrChange",
}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RANKS = {
    _W + parent: {_W + name: i for i, name in enumerate(seq.split())}
    for parent, seq in _SEQUENCES.items()
}


def schema_order(root: etree._Element) -> None:
    """Put the children of every rPr, pPr, tblPr and tcPr under `root` in the schema's order
    (a stable sort: elements the table does not know keep their place after the known ones)."""
    for parent in list(root.iter(*_RANKS)):  # one pass; listed first, as children move
        children = list(parent)
        if len(children) < 2:
            continue
        ranks = _RANKS[parent.tag]
        keys = [ranks.get(el.tag, len(ranks)) for el in children]
        if all(a <= b for a, b in itertools.pairwise(keys)):
            continue  # as it should be (everything the template brings)
        order = sorted(range(len(children)), key=keys.__getitem__)  # stable
        ordered = [children[i] for i in order]
        for el in children:
            parent.remove(el)
        parent.extend(ordered)


def order_parts(package: OpcPackage) -> None:
    """`schema_order` on every XML part of a python-docx package."""
    for part in xml_parts(package):
        schema_order(part.element)
