"""DrawingML in WordprocessingML: a chart's bar as an inline picture of one colour, stretched
to the bar's length, with its alternative text.

A picture, not a DrawingML shape: LibreOffice 7.4 tags both as a Figure in a PDF, but gives
only a picture (a frame) the alternative text its description holds; a shape's Figure has none,
which PDF/UA forbids. The picture is a single pixel of the bar's colour, so it is the same
rectangle at any size and holds no text.
"""

from __future__ import annotations

import io
import struct
import zlib
from typing import cast

from docx.oxml import OxmlElement
from docx.oxml.text.run import CT_R
from docx.parts.story import StoryPart


def solid_png(colour: str) -> bytes:
    """A 1×1 PNG of the colour RRGGBB (the same bytes for the same colour)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    pixel = b"\x00" + bytes.fromhex(colour)  # filter byte, then R G B
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)),
            chunk(b"IDAT", zlib.compress(pixel, 9)),
            chunk(b"IEND", b""),
        )
    )


def bar_run(part: StoryPart, width: int, height: int, colour: str, alt: str, ident: int) -> CT_R:
    """A w:r with an inline picture `width` × `height` EMU in colour RRGGBB, `alt` as its
    description and `ident` as its drawing id (unique in the document; the body is written
    apart from the template, so python-docx cannot count the ids itself)."""
    inline = part.new_pic_inline(io.BytesIO(solid_png(colour)), max(width, 1), height)
    doc_pr = inline.docPr
    doc_pr.set("id", str(ident))
    doc_pr.set("name", f"Stapel {ident}")
    doc_pr.set("descr", alt)
    # python-docx declares cNvPr as its descriptor (OneAndOnlyOne), not the element it gives
    inline.graphic.graphicData.pic.nvPicPr.cNvPr.set("id", str(ident))  # type: ignore[attr-defined]
    run = cast(CT_R, OxmlElement("w:r"))  # python-docx's class for w:r
    run.add_drawing(inline)
    return run
