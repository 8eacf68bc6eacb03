"""pandoc's inlines → the model's runs: text with its formatting (bold, italic, links, super-
and subscript), line breaks and footnotes.

What the source format does not hold (underline, images, HTML, math …) is refused at its line,
in the user's words; a link must lead somewhere a published document can follow. References by
id (`[åtgärd 3:4](#bostad-forst)`) are collected with their lines, for the outline to check
once every id is known.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from styrdok.model.document import Inlines, Run, Script, join_runs, plain
from styrdok.readers.markdown import lints, positions
from styrdok.readers.markdown.lints import Report
from styrdok.readers.markdown.positions import Node

UNSUPPORTED_INLINE = "den här formateringen stöds inte; använd text, *kursiv*, **fet** och länkar"
UNSUPPORTED_INLINES = {
    "Image": "bilder stöds inte i texten; lägg bilden i mallen eller i en bilaga bredvid "
    "dokumentet",
    "Underline": "understrykning stöds inte (den ser ut som en länk); använd *kursiv* eller "
    "**fet**",
    "SmallCaps": "kapitäler stöds inte; skriv texten som den ska stå",
    "Strikeout": "genomstrykning stöds inte (den ser ut som en ändring); ta bort texten",
    "Math": "formler stöds inte; skriv uttrycket som text",
    "RawInline": "HTML stöds inte; skriv texten utan taggar",
    "Cite": "källhänvisningar med @ stöds inte; skriv \\@ för ett @-tecken",
}

# Where a link may lead: the web, mail, phone, or a section or measure of the document itself.
LINK_TARGET = re.compile(r"^(?:https?://[^\s]+|mailto:[^\s]+|tel:[+0-9 ()-]+|#[^\s]+)$", re.I)


class InlineReader:
    """Reads pandoc's inlines of one source file into runs; problems go to `report`."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.references: list[tuple[str, int]] = []  # [text](#id): the id and the line

    def runs(self, inlines: list[Node], line: int) -> Inlines:
        """The runs of some inlines at `line`, neighbours of one formatting joined."""
        out: list[Run] = []
        self._read(inlines, line, Run(""), out)
        return join_runs(out)

    def note(self, blocks: list[Node], line: int) -> Inlines:
        """A footnote's text: one paragraph on one line."""
        flat = list(positions.flatten(blocks, line))
        if len(flat) != 1 or flat[0][0]["t"] not in ("Para", "Plain"):
            self.report(
                flat[0][1] if flat else line,
                "en fotnot rymmer ett stycke på en rad ('[^1]: Fotnotens text.'); skriv "
                "listor och fler stycken i texten",
            )
            return (Run("…"),)
        note = self.runs(flat[0][0]["c"], flat[0][1])
        if "\n" in plain(note):
            self.report(flat[0][1], "en fotnot står på en rad; ta bort radbrytningen")
        if not plain(note).strip():
            self.report(flat[0][1], "fotnoten är tom; skriv dess text efter '[^1]: '")
        return note

    def _read(self, inlines: list[Node], line: int, style: Run, out: list[Run]) -> None:
        for i in inlines:
            t = i["t"]
            c: Any = i.get("c")  # the content, whose shape the type gives (none for a Space)
            if t == "Str":
                if message := lints.unusable_character(c, column=False):
                    self.report(line, message)
                out.append(_with_text(style, c))
            elif t in ("Space", "SoftBreak"):
                out.append(_with_text(style, " "))
            elif t == "LineBreak":  # a backslash or two spaces at a line's end: kept
                out.append(_with_text(style, "\n"))
            elif t in ("Superscript", "Subscript"):  # m^2^, CO~2~
                script: Script = "super" if t == "Superscript" else "sub"
                self._read(c, line, replace(style, script=script), out)
            elif t == "Span":
                if c[0][0] or c[0][1]:  # a span the writer made: [text]{#id .class}
                    self.report(line, _span_message(c[0]))
                self._read(c[1], positions.line(c[0]) or line, style, out)
            elif t == "Emph":
                self._read(c, line, replace(style, italic=True), out)
            elif t == "Strong":
                self._read(c, line, replace(style, bold=True), out)
            elif t == "Link":
                self._link(c, line, style, out)
            elif t == "Note":  # text[^1] with "[^1]: the note" elsewhere
                out.append(Run("", note=self.note(c, line)))
            elif t == "Code":
                if message := lints.unusable_character(c[1], column=False):
                    self.report(line, message)
                out.append(replace(style, text=c[1]))
            else:
                at = (
                    (positions.line(c[0]) or line)
                    if isinstance(c, list) and c and isinstance(c[0], list) and len(c[0]) == 3
                    else line
                )
                self.report(at, UNSUPPORTED_INLINES.get(t, UNSUPPORTED_INLINE))

    def _link(self, c: list[Any], line: int, style: Run, out: list[Run]) -> None:
        """A link: [text](target) — c is [attributes, text, [target, title]]."""
        text, href = c[1], c[2][0]
        if not LINK_TARGET.match(href):
            self.report(
                line,
                f"länken '{href[:60]}' går inte att följa i ett publicerat dokument; "
                "länka med https://, http://, mailto: eller tel:, eller till ett avsnitt "
                "eller en åtgärd med #id",
            )
        if href.startswith("#"):  # a reference by id: [åtgärd 3:4](#bostad-forst)
            self.references.append((href[1:], line))
            if not _text(text).strip():
                self.report(
                    line, f"hänvisningen till '{href}' saknar text; skriv t.ex. [åtgärd]({href})"
                )
        self._read(text, line, replace(style, href=href), out)


def _text(inlines: list[Node]) -> str:
    """The text that some inlines read as, without reading them (nothing is reported again):
    for a reference's link text, which must not be empty."""
    out: list[str] = []
    for i in inlines:
        t = i["t"]
        c: Any = i.get("c")
        if t == "Str":
            out.append(c)
        elif t in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif t in ("Superscript", "Subscript", "Emph", "Strong"):
            out.append(_text(c))
        elif t in ("Span", "Link"):
            out.append(_text(c[1]))
        elif t == "Code":
            out.append(c[1])
    return "".join(out)


def _span_message(attr: positions.Attr) -> str:
    """What a span with attributes ([text]{#id .class}) is refused with."""
    attrs = " ".join([f"#{attr[0]}"] * bool(attr[0]) + [f".{x}" for x in attr[1]])
    named = {"underline": "Underline", "smallcaps": "SmallCaps"}
    kind = next((named[x] for x in attr[1] if x in named), None)
    if kind:
        return UNSUPPORTED_INLINES[kind]
    return (
        f"formateringen {{{attrs}}} stöds inte; skriv texten utan [ ]{{…}} "
        "(kursiv *så*, fet **så**)"
    )


def _with_text(style: Run, text: str) -> Run:
    """The style's run with this text (a word: `dataclasses.replace` took a third of a long
    document's parse)."""
    return Run(text, style.bold, style.italic, style.href, style.change, style.mark, style.script)
