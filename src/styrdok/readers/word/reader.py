"""Import stage: a Word document → its metadata and the outline of its source text, read in
passes, each in its own module:

1. package (package.py): the zip opened with limits, the main part found through the
   package's relationships, Strict namespaces made transitional, macros noticed;
2. parse (parse.py): WordprocessingML → typed paragraphs, tables and runs, the body as a
   stream; styles, lists, footnotes, headers; tracked changes found and, if asked, accepted;
3. interpret: the cover and header → metadata (cover.py); the blocks → sections, measures,
   lists and tables (outline.py); each measure's fields (fields.py).

What it returns are typed items, not text: commands/importer.py writes them with the source
text writer and reads the result back with the one parser before anything is written. What the
source format cannot hold (images, endnotes, comments, text boxes, macros, cover text that gave
no value) is named in the report with its place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from styrdok.model.ids import id_from_bookmark
from styrdok.readers.markdown.source import PLACEHOLDER as MISSING
from styrdok.readers.word import parse
from styrdok.readers.word.cover import Cover
from styrdok.readers.word.fields import short
from styrdok.readers.word.outline import Item, Outline
from styrdok.readers.word.package import Package, WordFileError


@dataclass
class Imported:
    """What a Word document gave: its metadata (every required key, `<saknas>` where not
    found), the outline of its source text, and the report of what it could not hold."""

    meta: dict[str, str]
    items: list[Item]
    report: list[str] = field(default_factory=list)


def read_docx(
    path: Path, accept_changes: bool = False, known_ids: dict[str, str] | None = None
) -> Imported:
    """Read a Word document. `known_ids` maps bookmark names that cannot be read back (long
    ids) to ids, from the document being updated."""
    known_ids = known_ids or {}

    def known(name: str) -> str | None:
        return id_from_bookmark(name) or known_ids.get(name)

    with Package(path) as package:
        main = package.main
        styles_part = package.first(main, "styles", "word/styles.xml")
        numbering_part = package.first(main, "numbering", "word/numbering.xml")
        notes_part = package.first(main, "footnotes", "word/footnotes.xml")
        styles = parse.styles(package.xml(styles_part), f"{path}: delen '{styles_part}'")
        numbering = parse.numbering(package.xml(numbering_part))
        notes = package.xml(notes_part)
        headers = [package.xml(h) for h in sorted(package.related(main, "header"))]
        footers = [package.xml(f) for f in sorted(package.related(main, "footer"))]
        outside = [m for root in (notes, *headers, *footers) for m in parse.tracked(root)]
        if outside and accept_changes:
            parse.accept(outside)
        body = parse.Body(
            package,
            styles,
            numbering,
            parse.footnotes(notes),
            package.links(main),
            package.links(notes_part),
            known,
            accept_changes,
            refusing=bool(outside) and not accept_changes,
        )
        report: list[str] = []
        cover = Cover(report)
        outline = Outline(numbering, cover, report, known)
        for block in body.blocks():
            outline.take(block)
        changes = len(outside) + body.changes
        if (changes or body.comments) and not accept_changes:
            what = " och ".join(
                x
                for x, found in (("spårade ändringar", changes), ("kommentarer", body.comments))
                if found
            )
            raise WordFileError(
                f"{path}: dokumentet har {what}; godkänn eller avvisa ändringarna och ta "
                "bort kommentarerna i Word (Granska), eller importera med --accept-changes "
                "(ändringarna godkänns, kommentarerna lämnas utanför)"
            )
        outline.finish()
        if not outline.section_open:
            raise WordFileError(
                f"{path}: hittade inga numrerade avsnitt ('1 Inledning' som rubrik); "
                "är det ett styrdokument? Numrera avsnitten eller gör dem till Rubrik 1"
            )
        cover.title()
        for root in headers:
            cover.header(parse.lines(root))
        cover.guess_type()
        if body.endnotes:
            report.append(f"{body.endnotes} slutnoter lämnades utanför (se platserna ovan)")
        if body.embedded:
            report.append(
                f"{body.embedded} inbäddade dokument (altChunk) kunde inte föras över; "
                "klistra in deras text i Word"
            )
        meta = cover.metadata()
        # every cover line is used or named, also in a document styrdok built: a paragraph an
        # owner added there in Word, with a field, a link or a citation in it, is never dropped
        # without a word (only the tables of a built cover are the template's own text)
        unused = cover.unused(template_cover=_styrdok_made(package))
        report += [f"omslaget: texten '{short(t)}' fördes inte över" for t in unused]
        report += [
            f"document.yaml: '{k}' hittades inte; fyll i värdet"
            for k, v in meta.items()
            if v == MISSING
        ]
        first = []
        if package.macros:
            first.append(
                "dokumentets makron (VBA) lämnades utanför; de körs inte och följer inte med "
                "till källtexten"
            )
        if body.comments:
            n = body.comments
            first.append(f"{n} {'kommentar' if n == 1 else 'kommentarer'} lämnades utanför")
    return Imported(meta, outline.items, first + report)


def _styrdok_made(package: Package) -> bool:
    """Whether styrdok built the document (the tables of its cover are then the template's)."""
    part = package.first("", "extended-properties", "docProps/app.xml")
    return part is not None and b"<Application>styrdok" in package.read(part)
