"""ooxml.changes: tracked insertions, deletions and moves. One row a case: XML and a change
in, XML out."""

from __future__ import annotations

import re

import pytest
from support.wml import parse, xml

from styrdok.model.document import Change
from styrdok.writers import ooxml

WHEN = "2019-09-16T10:00:00Z"
INS, DEL = Change("ins", "Anna", WHEN), Change("del", "Anna", WHEN)
MOVED_TO, MOVED_FROM = Change("ins", "Anna", WHEN, "flytt1"), Change("del", "Anna", WHEN, "flytt1")
A = 'w:id="{}" w:author="Anna" w:date="2019-09-16T10:00:00Z"'


def test_change_ids_count_from_one_in_the_order_asked():
    ids = ooxml.ChangeIds()
    assert [ids(), ids(), ids()] == ["1", "2", "3"]


@pytest.mark.parametrize(
    ("change", "run", "expected"),
    [
        (INS, "<w:r><w:t>ny</w:t></w:r>", f"<w:ins {A.format(1)}><w:r><w:t>ny</w:t></w:r></w:ins>"),
        (  # deleted text is w:delText
            DEL,
            "<w:r><w:t>gammal</w:t><w:tab/><w:t>text</w:t></w:r>",
            f"<w:del {A.format(1)}><w:r><w:delText>gammal</w:delText><w:tab/>"
            "<w:delText>text</w:delText></w:r></w:del>",
        ),
        (
            MOVED_TO,
            "<w:r><w:t>flyttad</w:t></w:r>",
            f"<w:moveTo {A.format(1)}><w:r><w:t>flyttad</w:t></w:r></w:moveTo>",
        ),
        (  # moved-away text stays w:t, as the standard has it
            MOVED_FROM,
            "<w:r><w:t>flyttad</w:t></w:r>",
            f"<w:moveFrom {A.format(1)}><w:r><w:t>flyttad</w:t></w:r></w:moveFrom>",
        ),
    ],
)
def test_tracked(change, run, expected):
    assert xml(ooxml.tracked(parse(run), change, ooxml.ChangeIds())) == expected


@pytest.mark.parametrize(
    ("change", "before", "after"),
    [
        (INS, "<w:p/>", f"<w:p><w:pPr><w:rPr><w:ins {A.format(1)}/></w:rPr></w:pPr></w:p>"),
        (
            DEL,
            '<w:p><w:pPr><w:pStyle w:val="Normal"/><w:rPr><w:b/></w:rPr></w:pPr></w:p>',
            '<w:p><w:pPr><w:pStyle w:val="Normal"/>'
            f"<w:rPr><w:b/><w:del {A.format(1)}/></w:rPr></w:pPr></w:p>",
        ),
        (
            MOVED_FROM,
            "<w:p/>",
            f"<w:p><w:pPr><w:rPr><w:moveFrom {A.format(1)}/></w:rPr></w:pPr></w:p>",
        ),
    ],
)
def test_track_paragraph_mark(change, before, after):
    p = parse(before)
    ooxml.track_paragraph_mark(p, change, ooxml.ChangeIds())
    assert xml(p) == after


@pytest.mark.parametrize(
    ("change", "after"),
    [
        (INS, f"<w:tr><w:trPr><w:ins {A.format(1)}/></w:trPr></w:tr>"),
        (DEL, f"<w:tr><w:trPr><w:del {A.format(1)}/></w:trPr></w:tr>"),
        (MOVED_TO, f"<w:tr><w:trPr><w:ins {A.format(1)}/></w:trPr></w:tr>"),  # no row move
        (MOVED_FROM, f"<w:tr><w:trPr><w:del {A.format(1)}/></w:trPr></w:tr>"),
    ],
)
def test_track_row(change, after):
    tr = parse("<w:tr/>")
    ooxml.track_row(tr, change, ooxml.ChangeIds())
    assert xml(tr) == after


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        ("<w:p/>", None),
        ("<w:p><w:pPr><w:rPr><w:b/></w:rPr></w:pPr></w:p>", None),
        ("<w:p><w:pPr><w:rPr><w:ins/></w:rPr></w:pPr></w:p>", "ins"),
        ("<w:p><w:pPr><w:rPr><w:del/></w:rPr></w:pPr></w:p>", "del"),
        ("<w:p><w:pPr><w:rPr><w:moveTo/></w:rPr></w:pPr></w:p>", "moveTo"),
        ("<w:tbl/>", None),
    ],
)
def test_paragraph_mark(p, expected):
    found = ooxml.changes.paragraph_mark(parse(p))
    assert (found.tag.rsplit("}", 1)[1] if found is not None else None) == expected


PLAIN = "<w:p/>"
BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
EMPTIED = "<w:p><w:pPr><w:rPr/></w:pPr></w:p>"  # its mark moved up; the empty rPr stays


def marked(kind: str, n: int) -> str:
    return f'<w:p><w:pPr><w:rPr><w:{kind} w:id="{n}"/></w:rPr></w:pPr></w:p>'


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (  # the marks move up one paragraph: the one next to the table is left untracked
            PLAIN + marked("ins", 1) + marked("ins", 2),
            marked("ins", 1) + marked("ins", 2) + EMPTIED,
        ),
        (PLAIN + marked("del", 1), marked("del", 1) + EMPTIED),
        (PLAIN + PLAIN, PLAIN + PLAIN),  # nothing tracked
        (marked("ins", 1), marked("ins", 1)),  # nothing above to take the mark
        (PLAIN + marked("moveTo", 1), PLAIN + marked("moveTo", 1)),  # a move keeps its range
        (BREAK + marked("ins", 1), BREAK + marked("ins", 1)),  # the contents' page break
    ],
)
def test_marks_off_the_table(before, after):
    body = parse(f"<w:body>{before}<w:tbl/></w:body>")
    ooxml.marks_off_the_table(body[-1])
    assert xml(body) == f"<w:body>{after}<w:tbl/></w:body>"


START = '<w:{side}RangeStart {a} w:name="flytt1"/>'
END = '<w:{side}RangeEnd w:id="1"/>'


@pytest.mark.parametrize(
    ("change", "before", "after"),
    [
        (
            MOVED_TO,
            '<w:p><w:pPr><w:pStyle w:val="R"/></w:pPr><w:r/></w:p><w:p/>',
            '<w:p><w:pPr><w:pStyle w:val="R"/></w:pPr>'
            + START.format(side="moveTo", a=A.format(1))
            + "<w:r/></w:p><w:p>"
            + END.format(side="moveTo")
            + "</w:p>",
        ),
        (  # beside a table, in the body, as Word writes them
            MOVED_FROM,
            "<w:tbl/>",
            START.format(side="moveFrom", a=A.format(1)) + "<w:tbl/>" + END.format(side="moveFrom"),
        ),
    ],
)
def test_move_range(change, before, after):
    body = parse(f"<w:body>{before}</w:body>")
    ooxml.move_range(body[0], body[-1], change, ooxml.ChangeIds())
    assert xml(body) == f"<w:body>{after}</w:body>"


SPLIT = re.compile("\ue000(\\w+)\ue001")


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("utan platshållare", {}, "<w:r><w:rPr><w:b/></w:rPr><w:t>utan platshållare</w:t></w:r>"),
        (
            "DNR \ue000dnr\ue001 gäller",
            {"dnr": ("1/2018", "2/2019")},
            "<w:r><w:rPr><w:b/></w:rPr><w:t>DNR </w:t></w:r>"
            f"<w:del {A.format(1)}><w:r><w:rPr><w:b/></w:rPr><w:delText>1/2018</w:delText></w:r>"
            f"</w:del><w:ins {A.format(2)}><w:r><w:rPr><w:b/></w:rPr><w:t>2/2019</w:t></w:r>"
            "</w:ins><w:r><w:rPr><w:b/></w:rPr><w:t> gäller</w:t></w:r>",
        ),
        (  # a value that was empty: only inserted
            "\ue000undertitel\ue001",
            {"undertitel": ("", "Ny")},
            f"<w:ins {A.format(1)}><w:r><w:rPr><w:b/></w:rPr><w:t>Ny</w:t></w:r></w:ins>",
        ),
    ],
)
def test_track_placeholders(text, values, expected):
    p = parse(f"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{text}</w:t></w:r></w:p>")
    ooxml.track_placeholders(p, "\ue000", SPLIT, values, DEL, INS, ooxml.ChangeIds())
    assert xml(p) == f"<w:p>{expected}</w:p>"
