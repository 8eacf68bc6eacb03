"""What filling in the template needs at the XML level: the paragraph that stands where the
content goes, its replacement by the content, and the cover removed for a change report."""

from __future__ import annotations

from itertools import islice
from typing import Any

from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement


class MarkParagraph:
    """A paragraph holding only `mark`, as markup for docxtpl to put in place of a `{{p … }}`
    placeholder (its `__html__` is taken as it is under autoescape)."""

    def __init__(self, mark: str) -> None:
        self.mark = mark

    def __html__(self) -> str:
        return f"<w:p><w:r><w:t>{self.mark}</w:t></w:r></w:p>"


def replace_mark_paragraph(body: BaseOxmlElement, mark: str, content: BaseOxmlElement) -> int:
    """Move the children of `content` (a w:body) into `body` in place of the one paragraph whose
    text is `mark`. Returns how many such paragraphs there are; nothing is moved unless one."""
    marks = [t.getparent().getparent() for t in body.iter(qn("w:t")) if t.text == mark]
    if len(marks) != 1:
        return len(marks)
    (found,) = marks
    for element in list(content):
        found.addprevious(adopted(element, found))
    found.getparent().remove(found)
    return 1


# lxml moves a subtree from one document to another in time that grows with the square of its
# size (lxml 6.2, measured: a table of 68,000 nodes 1.1 s, one of 680,000 over 3 minutes; its
# rows one by one 0.01 s). A larger element is rebuilt in the target document, and its children
# moved into it one by one.
MOVED_WHOLE = 2000


def adopted(element: Any, target: Any) -> Any:
    """`element` (from another document) ready to be put into `target`'s document: itself when
    small, else the same element rebuilt there with its children moved in."""
    if (
        not isinstance(element.tag, str)
        or next(islice(element.iter(), MOVED_WHOLE, None), None) is None
    ):
        return element
    shell = target.makeelement(element.tag, dict(element.attrib), nsmap=element.nsmap)
    shell.text, shell.tail = element.text, element.tail
    for child in list(element):
        shell.append(adopted(child, target))
    parent = element.getparent()
    if parent is not None:  # moved, as a small element is: gone from where it was
        parent.remove(element)
    return shell


def strip_cover(
    body: BaseOxmlElement, first_kept_style: str = "TOCHeading", after_style: str = "Subtitle"
) -> None:
    """Remove what stands between the subtitle and the table-of-contents heading (the
    governance banner, the explanatory box, the metadata block), that heading included: a
    change report has its own title block and no table of contents."""
    removing = False
    for el in list(body):
        style = el.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        name = style.get(qn("w:val")) if style is not None else None
        if removing:
            body.remove(el)
            if name == first_kept_style:
                return
        elif name == after_style:
            removing = True
