"""A remiss answered as Word writes the answer: comments, replies and tracked changes put into a
built DOCX the way Word 365 saves them, for the tests (LibreOffice 7.4 cannot make replies, and
drops a comment in a footnote when it saves DOCX).

Word's form: the range in the text as w:commentRangeStart … w:commentRangeEnd followed by a run
holding w:commentReference; the comment in comments.xml (its paragraphs with w14:paraId); the
thread in commentsExtended.xml (w15:commentEx: paraId of the comment's last paragraph, the
parent's as w15:paraIdParent, w15:done); durable ids in commentsIds.xml (w16cid) and the UTC date
in commentsExtensible.xml (w16cex). A tracked change is w:ins / w:del (w:delText) with author
and date.
"""

from __future__ import annotations

import io
import re
import zipfile
from copy import deepcopy
from dataclasses import dataclass, field

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
W16CID = "http://schemas.microsoft.com/office/word/2016/wordml/cid"
W16CEX = "http://schemas.microsoft.com/office/word/2018/wordml/cex"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
V = "urn:schemas-microsoft-com:vml"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FOOTER_REL = f"{R_NS}/footer"
FOOTER_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

PARTS = {  # part name → (relationship type, content type)
    "comments": (
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
    ),
    "commentsExtended": (
        "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml",
    ),
    "commentsIds": (
        "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsIds+xml",
    ),
    "commentsExtensible": (
        "http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtensible+xml",
    ),
}


@dataclass
class _Comment:
    ident: int
    author: str
    date: str
    texts: list[str]
    para_ids: list[str]
    parent: int | None = None
    done: bool = False


@dataclass
class WordResponse:
    """A built DOCX being answered; `save()` gives the answer's bytes."""

    data: bytes
    members: dict[str, bytes] = field(init=False)
    comments: list[_Comment] = field(default_factory=list)

    def __post_init__(self) -> None:
        with zipfile.ZipFile(io.BytesIO(self.data)) as z:
            self.members = {n: z.read(n) for n in z.namelist()}
        self.parts = {
            name: etree.fromstring(self.members[name])
            for name in sorted(self.members)
            if name in ("word/document.xml", "word/footnotes.xml")
            or re.fullmatch(r"word/(header|footer)\d*\.xml", name)
        }
        self.change_id = 9000
        self.para_serial = 0x1A000000

    # --- finding text ---------------------------------------------------------------------

    def _paragraphs(self, part: str):
        return self.parts[part].iter(f"{W}p")

    def find(self, text: str, n: int = 0, part: str = "word/document.xml"):
        """The paragraph holding the n-th occurrence of `text` and the offset in it."""
        seen = 0
        for p in self._paragraphs(part):
            content = _text(p)
            at = content.find(text)
            while at != -1:
                if seen == n:
                    return p, at
                seen += 1
                at = content.find(text, at + 1)
        raise AssertionError(f"not found: {text!r} ({n})")

    def runs(self, p, start: int, end: int) -> list:
        """The runs of `p` that cover [start, end) exactly (runs split as needed)."""
        _split(p, start)
        _split(p, end)
        out, at = [], 0
        for r in _text_runs(p):
            length = len(_run_text(r))
            if start <= at and at + length <= end and length:
                out.append(r)
            at += length
        return out

    def text_box(self, after: str, lines: list[str]) -> None:
        """A text box at the end of the paragraph holding `after`, as Word 365 writes one: a
        run with mc:AlternateContent, the DrawingML shape (wps:txbx) in mc:Choice and its VML
        copy (v:textbox) in mc:Fallback, both holding the same w:txbxContent."""
        p, _ = self.find(after)
        content = etree.Element(f"{W}txbxContent")
        for line in lines:
            run = etree.SubElement(etree.SubElement(content, f"{W}p"), f"{W}r")
            etree.SubElement(run, f"{W}t").text = line
        run = etree.SubElement(p, f"{W}r")
        alternate = etree.SubElement(run, f"{{{MC}}}AlternateContent")
        choice = etree.SubElement(alternate, f"{{{MC}}}Choice", Requires="wps")
        inline = etree.SubElement(etree.SubElement(choice, f"{W}drawing"), f"{{{WP}}}inline")
        etree.SubElement(inline, f"{{{WP}}}extent", cx="2743200", cy="914400")
        etree.SubElement(inline, f"{{{WP}}}docPr", id="901", name="Textruta 1")
        graphic = etree.SubElement(
            etree.SubElement(inline, f"{{{A}}}graphic"), f"{{{A}}}graphicData"
        )
        graphic.set("uri", WPS)
        shape = etree.SubElement(graphic, f"{{{WPS}}}wsp")
        etree.SubElement(shape, f"{{{WPS}}}txbx").append(content)
        etree.SubElement(shape, f"{{{WPS}}}bodyPr")
        fallback = etree.SubElement(alternate, f"{{{MC}}}Fallback")
        vml = etree.SubElement(etree.SubElement(fallback, f"{W}pict"), f"{{{V}}}shape")
        vml.set("style", "width:216pt;height:72pt")
        etree.SubElement(vml, f"{{{V}}}textbox").append(deepcopy(content))

    def footer(self, text: str) -> str:
        """A footer part holding one paragraph of `text`, related from the main part and named
        by the last section, as Word writes a footer; its part name."""
        name = "word/footer9.xml"
        root = etree.Element(f"{W}ftr", nsmap={"w": W_NS})
        run = etree.SubElement(etree.SubElement(root, f"{W}p"), f"{W}r")
        etree.SubElement(run, f"{W}t").text = text
        self.parts[name] = root
        rels = etree.fromstring(self.members["word/_rels/document.xml.rels"])
        rel = etree.SubElement(rels, f"{{{REL}}}Relationship", Id="rIdFooter9")
        rel.set("Type", FOOTER_REL)
        rel.set("Target", "footer9.xml")
        self.members["word/_rels/document.xml.rels"] = etree.tostring(rels)
        types = etree.fromstring(self.members["[Content_Types].xml"])
        etree.SubElement(types, f"{{{CT}}}Override", PartName=f"/{name}", ContentType=FOOTER_CT)
        self.members["[Content_Types].xml"] = etree.tostring(types)
        sect = list(self.parts["word/document.xml"].iter(f"{W}sectPr"))[-1]
        reference = etree.Element(f"{W}footerReference")
        reference.set(f"{W}type", "default")
        reference.set(f"{{{R_NS}}}id", "rIdFooter9")
        sect.insert(0, reference)
        return name

    # --- comments ---------------------------------------------------------------------------

    def comment(
        self,
        text: str,
        body: str,
        author: str = "Karin Berg",
        date: str = "2026-09-20T10:15:00Z",
        n: int = 0,
        part: str = "word/document.xml",
        until: str | None = None,
        point: bool = False,
    ) -> int:
        """A comment on the n-th `text` (to the end of `until`, in a later paragraph, when
        given); `point`: a comment without a range (a lone reference after the text)."""
        p, at = self.find(text, n, part)
        ident = len(self.comments)
        if until is None:
            first = last = self.runs(p, at, at + len(text))
        else:
            first = self.runs(p, at, len(_text(p)))
            p2, at2 = self.find(until, 0, part)
            last = self.runs(p2, 0, at2 + len(until))
        if not point:
            first[0].addprevious(_el("commentRangeStart", id=str(ident)))
            last[-1].addnext(_el("commentRangeEnd", id=str(ident)))
            anchor = last[-1].getnext()
        else:
            anchor = last[-1]
        anchor.addnext(_reference(ident))
        self._add(ident, author, date, body)
        return ident

    def comment_within(
        self, paragraph: str, start: int, end: int, body: str, author: str = "Eva Lund"
    ) -> int:
        """A comment on characters [start, end) of the last paragraph that holds `paragraph`
        (a heading's text stands first in the table of contents)."""
        count = sum(_text(p).count(paragraph) for p in self._paragraphs("word/document.xml"))
        p, at = self.find(paragraph, count - 1)
        runs = self.runs(p, at + start, at + end)
        ident = len(self.comments)
        runs[0].addprevious(_el("commentRangeStart", id=str(ident)))
        runs[-1].addnext(_el("commentRangeEnd", id=str(ident)))
        runs[-1].getnext().addnext(_reference(ident))
        self._add(ident, author, "2026-09-20T10:15:00Z", body)
        return ident

    def reply(
        self, parent: int, body: str, author: str = "Per Holm", date: str = "2026-09-22T09:00:00Z"
    ) -> int:
        """A reply, as Word writes one: a comment with the parent's range and a thread link."""
        ident = len(self.comments)
        for part in self.parts.values():
            for el in list(part.iter(f"{W}commentRangeStart", f"{W}commentRangeEnd")):
                if el.get(f"{W}id") == str(parent):
                    twin = _el(etree.QName(el).localname, id=str(ident))
                    el.addnext(twin)
                    if el.tag == f"{W}commentRangeEnd":
                        twin.addnext(_reference(ident))
        self._add(ident, author, date, body, parent=parent)
        return ident

    def orphan(self, body: str, author: str = "Karin Berg") -> int:
        """A comment in comments.xml that nothing in the text refers to."""
        ident = len(self.comments)
        self._add(ident, author, "2026-09-20T11:00:00Z", body)
        return ident

    def _add(self, ident, author, date, body, parent=None) -> None:
        texts = body.split("\n")
        ids = []
        for _ in texts:
            self.para_serial += 1
            ids.append(f"{self.para_serial:08X}")
        self.comments.append(_Comment(ident, author, date, texts, ids, parent))

    # --- tracked changes ----------------------------------------------------------------------

    def delete(
        self, text: str, n: int = 0, author: str = "Karin Berg", date: str = "2026-09-21T09:00:00Z"
    ):
        """Delete the n-th `text` as a tracked change; returns the w:del."""
        p, at = self.find(text, n)
        runs = self.runs(p, at, at + len(text))
        dele = self._mark("del", author, date)
        runs[0].addprevious(dele)
        for r in runs:
            for t in r.iter(f"{W}t"):
                t.tag = f"{W}delText"
            dele.append(r)
        return dele

    def insert(
        self,
        after: str,
        new: str,
        n: int = 0,
        author: str = "Karin Berg",
        date: str = "2026-09-21T09:00:00Z",
    ) -> None:
        """Insert `new` right after the n-th `after`, tracked."""
        p, at = self.find(after, n)
        runs = self.runs(p, at, at + len(after))
        ins = self._mark("ins", author, date)
        run = deepcopy(runs[-1])
        for t in list(run.iter(f"{W}t"))[1:]:
            t.getparent().remove(t)
        t = run.find(f"{W}t")
        t.text = new
        t.set(XML_SPACE, "preserve")
        ins.append(run)
        runs[-1].addnext(ins)

    def replace(self, text: str, new: str, n: int = 0, author: str = "Karin Berg") -> None:
        dele = self.delete(text, n, author)
        ins = self._mark("ins", author, "2026-09-21T09:00:00Z")
        run = deepcopy(dele[0])
        for t in list(run.iter(f"{W}delText")):
            t.tag = f"{W}t"
        run.find(f"{W}t").text = new
        for t in list(run.iter(f"{W}t"))[1:]:
            t.getparent().remove(t)
        ins.append(run)
        dele.addnext(ins)

    def insert_paragraph_after(self, text: str, new: str, author: str = "Karin Berg") -> None:
        """A whole new paragraph after the one holding `text`, tracked (its mark too)."""
        p, _ = self.find(text)
        new_p = etree.Element(f"{W}p")
        ppr = p.find(f"{W}pPr")
        if ppr is not None:
            new_p.append(deepcopy(ppr))
        else:
            new_p.append(etree.Element(f"{W}pPr"))
        rpr = new_p[0].find(f"{W}rPr")
        if rpr is None:
            rpr = etree.SubElement(new_p[0], f"{W}rPr")
        rpr.append(self._mark("ins", author, "2026-09-21T09:00:00Z"))
        ins = self._mark("ins", author, "2026-09-21T09:00:00Z")
        r = etree.SubElement(ins, f"{W}r")
        t = etree.SubElement(r, f"{W}t")
        t.text = new
        new_p.append(ins)
        p.addnext(new_p)

    def _mark(self, kind: str, author: str, date: str):
        self.change_id += 1
        return _el(kind, id=str(self.change_id), author=author, date=date)

    # --- other edits ----------------------------------------------------------------------------

    def drop_bookmark(self, name: str) -> None:
        root = self.parts["word/document.xml"]
        ids = [b.get(f"{W}id") for b in root.iter(f"{W}bookmarkStart") if b.get(f"{W}name") == name]
        assert ids, name
        for el in list(root.iter(f"{W}bookmarkStart", f"{W}bookmarkEnd")):
            if el.get(f"{W}id") in ids:
                el.getparent().remove(el)

    def retitle(self, old: str, new: str) -> None:
        """Change a heading's text (untracked, as a reviewer who retypes it)."""
        p, at = self.find(old)
        runs = self.runs(p, at, at + len(old))
        runs[0].find(f"{W}t").text = new
        for r in runs[1:]:
            r.getparent().remove(r)

    # --- the package --------------------------------------------------------------------------

    def save(self) -> bytes:
        members = dict(self.members)
        for name, root in self.parts.items():
            members[name] = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True
            )
        if self.comments:
            members.update(self._comment_parts())
            self._relate(members)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in members.items():
                z.writestr(name, data)
        return out.getvalue()

    def _comment_parts(self) -> dict[str, bytes]:
        nsmap = {"w": W_NS, "w14": W14, "w15": W15, "mc": MC, "w16cid": W16CID, "w16cex": W16CEX}
        comments = etree.Element(f"{W}comments", nsmap=nsmap)
        extended = etree.Element(f"{{{W15}}}commentsEx", nsmap=nsmap)
        ids = etree.Element(f"{{{W16CID}}}commentsIds", nsmap=nsmap)
        extensible = etree.Element(f"{{{W16CEX}}}commentsExtensible", nsmap=nsmap)
        for root in (extended, ids, extensible):
            root.set(f"{{{MC}}}Ignorable", "w14 w15 w16cid w16cex")
        by_id = {c.ident: c for c in self.comments}
        for c in self.comments:
            local = c.date.replace("Z", "")  # Word writes local time without a zone here
            el = _el(
                "comment",
                id=str(c.ident),
                author=c.author,
                date=local,
                initials="".join(w[0] for w in c.author.split()),
            )
            for i, (text, para_id) in enumerate(zip(c.texts, c.para_ids, strict=True)):
                p = etree.SubElement(el, f"{W}p")
                p.set(f"{{{W14}}}paraId", para_id)
                p.set(f"{{{W14}}}textId", "77777777")
                ppr = etree.SubElement(p, f"{W}pPr")
                etree.SubElement(ppr, f"{W}pStyle").set(f"{W}val", "CommentText")
                if i == 0:
                    r = etree.SubElement(p, f"{W}r")
                    etree.SubElement(r, f"{W}annotationRef")
                r = etree.SubElement(p, f"{W}r")
                t = etree.SubElement(r, f"{W}t")
                t.text = text
            comments.append(el)
            ex = etree.SubElement(extended, f"{{{W15}}}commentEx")
            ex.set(f"{{{W15}}}paraId", c.para_ids[-1])
            if c.parent is not None:
                ex.set(f"{{{W15}}}paraIdParent", by_id[c.parent].para_ids[-1])
            ex.set(f"{{{W15}}}done", "1" if c.done else "0")
            durable = f"{0x2B000000 + c.ident:08X}"
            cid = etree.SubElement(ids, f"{{{W16CID}}}commentId")
            cid.set(f"{{{W16CID}}}paraId", c.para_ids[-1])
            cid.set(f"{{{W16CID}}}durableId", durable)
            cex = etree.SubElement(extensible, f"{{{W16CEX}}}commentExtensible")
            cex.set(f"{{{W16CEX}}}durableId", durable)
            cex.set(f"{{{W16CEX}}}dateUtc", c.date)

        def xml(root) -> bytes:
            return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

        return {
            "word/comments.xml": xml(comments),
            "word/commentsExtended.xml": xml(extended),
            "word/commentsIds.xml": xml(ids),
            "word/commentsExtensible.xml": xml(extensible),
        }

    def _relate(self, members: dict[str, bytes]) -> None:
        rels = etree.fromstring(members["word/_rels/document.xml.rels"])
        types = etree.fromstring(members["[Content_Types].xml"])
        for n, (name, (rel_type, content_type)) in enumerate(PARTS.items(), 1):
            rel = etree.SubElement(rels, f"{{{REL}}}Relationship")
            rel.set("Id", f"rIdComments{n}")
            rel.set("Type", rel_type)
            rel.set("Target", f"{name}.xml")
            override = etree.SubElement(types, f"{{{CT}}}Override")
            override.set("PartName", f"/word/{name}.xml")
            override.set("ContentType", content_type)
        members["word/_rels/document.xml.rels"] = etree.tostring(
            rels, xml_declaration=True, encoding="UTF-8"
        )
        members["[Content_Types].xml"] = etree.tostring(
            types, xml_declaration=True, encoding="UTF-8"
        )


def _el(tag: str, **attrs: str):
    el = etree.Element(f"{W}{tag}")
    for k, v in attrs.items():
        el.set(f"{W}{k}", v)
    return el


def _reference(ident: int):
    r = etree.Element(f"{W}r")
    rpr = etree.SubElement(r, f"{W}rPr")
    etree.SubElement(rpr, f"{W}rStyle").set(f"{W}val", "CommentReference")
    etree.SubElement(r, f"{W}commentReference").set(f"{W}id", str(ident))
    return r


def _text_runs(p) -> list:
    """The runs of a paragraph that hold text, in order (inside links too, not in notes)."""
    return [
        r
        for r in p.iter(f"{W}r")
        if r.find(f"{W}t") is not None or r.find(f"{W}delText") is not None
    ]


def _run_text(r) -> str:
    return "".join(t.text or "" for t in r if t.tag in (f"{W}t", f"{W}delText"))


def _text(p) -> str:
    return "".join(_run_text(r) for r in _text_runs(p))


def _split(p, offset: int) -> None:
    """Make `offset` a run boundary in `p` (a run of one text element is split in two)."""
    at = 0
    for r in _text_runs(p):
        text = _run_text(r)
        if at < offset < at + len(text):
            texts = [t for t in r if t.tag in (f"{W}t", f"{W}delText")]
            assert len(texts) == 1, "a run of one text element"
            cut = offset - at
            second = deepcopy(r)
            texts[0].text = text[:cut]
            texts[0].set(XML_SPACE, "preserve")
            t2 = next(t for t in second if t.tag in (f"{W}t", f"{W}delText"))
            t2.text = text[cut:]
            t2.set(XML_SPACE, "preserve")
            r.addnext(second)
            return
        at += len(text)
