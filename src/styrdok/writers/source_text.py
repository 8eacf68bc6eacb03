"""The source format written: the model's inlines, headings, lists and fields as the text of
`document.md`, and metadata as `document.yaml`. The inverse of source.py's parser — what it
writes parses back to the same model — used by the Word importer, which turns a Word document
into this text and then reads it with the one parser.

Conventions (those of the hand-written sources): one paragraph a line, a blank line between
blocks, `**fet**`, `*kursiv*`, `[länk](adress)`, `- ` bullets, `1. ` numbered items, each field
as `Term` + `: värde`, tables as pipe tables (`| a | b |`, a line of `|---|` under the header),
footnotes as `[^1]` with their texts (`[^1]: …`) at the end of the document.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import assert_never

from styrdok.model.document import (
    MEASURE_FIELDS,
    METADATA_LABELS,
    Block,
    BulletList,
    Inlines,
    Measure,
    Paragraph,
    Run,
    Section,
    Subheading,
    Table,
)

# Characters that mean something to the parser wherever they stand (commonmark_x: emphasis,
# links, code, attributes, math, sub- and superscript, escapes).
_ALWAYS = re.compile(r"([\\`*_\[\]{}$~^])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_TAG = re.compile(r"<(?=[A-Za-z/!?])")
# What means something at the start of a line: headings, quotes, lists, definitions, rules.
_LINE_START = re.compile(r"^(\s*)([#>:+=|-]|\d+(?=[.)]))")
# pandoc's fancy list markers: (a) (A) (iv) (1), a) A) iv), a. iv.; A. and IV. only before
# two spaces (one would be an initial)
_FANCY_LIST = re.compile(
    r"^(\s*)(\((?:[A-Za-z]|[ivxlcdmIVXLCDM]+|\d+)\)|(?:[A-Za-z]|[ivxlcdmIVXLCDM]+)\)"
    r"|(?:[a-z]|[ivxlcdm]+)\.(?=\s|$)|(?:[A-Z]|[IVXLCDM]+)\.(?=\s\s|\t|$))(?=\s|$)"
)


def escape(text: str) -> str:
    """Text as literal Markdown (no markup, no line-start syntax)."""
    text = _ALWAYS.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    text = _TAG.sub(r"\\<", text)
    return text


def escape_line_start(text: str) -> str:
    """A line whose start Markdown would read as a heading, quote, list or rule, escaped."""
    m = _LINE_START.match(text)
    if not m:
        if fancy := _FANCY_LIST.match(text):  # "a) ", "(C) ", "iv. ", "(1) ": a list item
            end = fancy.end(2) - 1
            return text[:end] + "\\" + text[end:]
        return text
    if m.group(2)[0].isdigit():  # "2018. text" would start a numbered list
        end = m.end()
        return text[:end] + "\\" + text[end:]
    return text[: m.start(2)] + "\\" + text[m.start(2) :]


BARE_URL = re.compile(r"https?://[A-Za-z0-9][A-Za-z0-9./?=&%:#~+-]*[A-Za-z0-9/]")
BREAK = "\ue002"  # a hard line break while a line is written
SCRIPTS = {"super": ("\ue003", "^"), "sub": ("\ue004", "~")}  # m^2^, CO~2~, likewise
EMPHASIS = "\ue005"  # an emphasis marker inside a super- or subscript: m^**2**^
_SCRIPT_MARKS = {mark for mark, _ in SCRIPTS.values()}
NOTE_AT = re.compile("\ue006(\\d+)\ue007")  # where a footnote stands while a line is written
NOTE = re.compile("\ue008(.*?)\ue009")  # a footnote's text in a chunk, until join numbers it


def _scripted(r: Run) -> Run:
    """A super- or subscript run as plain text between marks, its own emphasis inside them
    (`**ord**^**1**^`): emphasis markers next to `^` would not count in CommonMark."""
    core = r.text.strip()
    if not r.script or not core:
        return replace(r, script=None)
    lead, mark = r.text[: len(r.text) - len(r.text.lstrip())], SCRIPTS[r.script][0]
    stars = EMPHASIS * ((2 if r.bold else 0) + (1 if r.italic else 0))
    inner = f"{mark}{stars}{core}{stars[::-1]}{mark}"
    return replace(
        r,
        text=lead + inner + r.text[len(lead) + len(core) :],
        script=None,
        bold=False,
        italic=False,
    )


def inline(runs: Inlines, breaks: bool = False) -> str:
    """Runs as one line of Markdown: bold, italic and links as markup, everything else literal.
    Spaces at a formatted run's ends stand outside the markers (`**ord** ` not `**ord **`), and
    so does punctuation where the markers would otherwise not count as emphasis (`**Obs!**Läs`
    is no bold in CommonMark; `**Obs**!Läs` is). Emphasis spans the links inside it
    (`*se [åtgärd 3:4](#id).*`), as a person writes it. With `breaks`, a line break in the
    text is written as a hard break (a backslash at the end of the line); otherwise, as in
    headings and fields, it is a space."""
    notes = [inline(r.note) for r in runs if r.note is not None]
    placed = iter(range(len(notes)))
    runs = tuple(
        Run(f"\ue006{next(placed)}\ue007") if r.note is not None else _scripted(r) for r in runs
    )
    if breaks:
        runs = tuple(replace(r, text=r.text.replace("\n", BREAK)) for r in runs)
    out = ""
    spans = _by_style(runs)
    for k, span in enumerate(spans):
        after = next((s[0].text[:1] for s in spans[k + 1 :] if s[0].text), "") or " "
        out += _span(span, out[-1:] or " ", after)
    for mark, written in (*SCRIPTS.values(), (EMPHASIS, "*")):
        out = out.replace(mark, written)
    line = re.sub(r" *" + BREAK + " *", BREAK, re.sub(r"[ \t\r\n]+", " ", out).strip(" "))
    line = line.strip(BREAK)  # a break at a paragraph's end or start is no line of its own
    line = "\\\n".join(escape_line_start(part) for part in line.split(BREAK))
    return NOTE_AT.sub(lambda m: f"\ue008{notes[int(m.group(1))]}\ue009", line)


def _by_style(runs: Inlines) -> list[list[Run]]:
    """Consecutive runs of one formatting (bold, italic), links or not."""
    spans: list[list[Run]] = []
    for r in runs:
        if not r.text:
            continue
        if spans and (spans[-1][0].bold, spans[-1][0].italic) == (r.bold, r.italic):
            spans[-1].append(r)
        else:
            spans.append([r])
    return spans


def _links(span: list[Run], before: str, after: str) -> str:
    """A span's runs with each link written as [text](target), formatting per run."""
    out = ""
    groups = _by_link(tuple(span))
    for k, group in enumerate(groups):
        text = ""
        for i, r in enumerate(group):
            nxt = next((g.text[:1] for g in group[i + 1 :] if g.text), "")
            if not nxt:
                nxt = next((g[0].text[:1] for g in groups[k + 1 :]), "") or after
            text += _styled(r, (out + text)[-1:] or before, nxt)
        href = group[0].href
        shown = "".join(r.text for r in group)
        if href and shown == href and not any(r.bold or r.italic or r.script for r in group):
            # an address shown as itself: bare, as it was typed (or <…> if it holds markup)
            text = href if BARE_URL.fullmatch(href) else f"<{href}>"
            if re.search(r"[\s<>]", href):
                text = f"[{escape(href)}](<{href}>)"
        elif href:
            target = f"<{href}>" if re.search(r"[\s()<>]", href) else href
            mark = text[:1]
            if (
                mark in _SCRIPT_MARKS
                and len(text) > 2
                and text.endswith(mark)
                and text.count(mark) == 2
            ):  # a link all in super- or subscript: the marks around it ([^ is a footnote)
                text = f"{mark}[{text[1:-1]}]({target}){mark}"
            else:
                text = f"[{text}]({target})"
        out += text
    return out


def _span(span: list[Run], before: str, after: str) -> str:
    r = span[0]
    has_link = any(x.href for x in span)
    if not has_link or not (r.bold or r.italic):
        return _links(span, before, after)
    text = "".join(x.text for x in span)
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    first, last = span[0], span[-1]
    # the markers must count as emphasis: a link at an edge next to a letter outside cannot
    opens = not (first.href and not lead and before.isalnum())
    closes = not (last.href and not trail and after.isalnum())
    if not (opens and closes and text.strip()):
        return _links(span, before, after)
    plain_span = [replace(x, bold=False, italic=False) for x in span]
    inner = _links(plain_span, " ", " ").strip(" ")
    outside_before, outside_after = lead[-1:] or before, trail[:1] or after
    if (_punct(inner[0]) and outside_before.isalnum()) or (
        _punct(inner[-1]) and outside_after.isalnum()
    ):
        return _links(span, before, after)
    marks = ("***" if r.italic else "**") if r.bold else "*"
    return f"{lead}{marks}{inner}{marks}{trail}"


def _by_link(runs: Inlines) -> list[list[Run]]:
    groups: list[list[Run]] = []
    for r in runs:
        if r.text and groups and groups[-1][0].href == r.href:
            groups[-1].append(r)
        elif r.text:
            groups.append([r])
    return groups


def _punct(c: str) -> bool:
    return bool(c) and not c.isalnum() and not c.isspace()


def _styled(r: Run, before: str, after: str) -> str:
    """One run's Markdown; `before` and `after` are the characters around it."""
    text = r.text.replace("\n", " ").replace("\t", " ")
    if not text.strip() or not (r.bold or r.italic):
        return escape(text)
    lead_len = len(text) - len(text.lstrip())
    core = text.strip()
    lead, trail = text[:lead_len], text[lead_len + len(core) :]
    before = lead[-1:] or before
    after = trail[:1] or after
    # CommonMark: an opening marker before punctuation needs space or punctuation before it;
    # a closing one after punctuation needs space or punctuation after it
    while core and _punct(core[0]) and before.isalnum():
        lead, core = lead + core[0], core[1:]
        before = lead[-1]
    while core and _punct(core[-1]) and after.isalnum():
        trail, core = core[-1] + trail, core[:-1]
        after = trail[0]
    if not core.strip():
        return escape(text)
    marks = ("***" if r.italic else "**") if r.bold else "*"
    return f"{escape(lead)}{marks}{escape(core)}{marks}{escape(trail)}"


def heading(level: int, runs: Inlines, ident: str = "", classes: str = "") -> str:
    attrs = " ".join(x for x in (f"#{ident}" if ident else "", classes) if x)
    return "#" * level + " " + inline(runs) + (f" {{{attrs}}}" if attrs else "")


def field(label: str, runs: Inlines) -> str:
    return f"{label}\n: {inline(runs)}"


def block(b: Block, other_marker: bool = False) -> str:
    """A block's text; `other_marker` writes a list with `*` / `1)` instead of `-` / `1.`,
    which a list right after one of the same kind needs, or the two would join."""
    match b:
        case Subheading():
            return heading(min(max(b.level, 2), 3), b.runs)
        case Paragraph():
            return inline(b.runs, breaks=True)
        case Table():
            return table(b)
        case BulletList():
            lines = []
            for k, item in enumerate(b.items, b.start):
                number = f"{k})" if other_marker else f"{k}."
                marker = number if b.ordered else ("*" if other_marker else "-")
                lines.append(f"{marker} {inline(item.runs, breaks=True)}")
            return "\n".join(lines)
        case _:
            assert_never(b)


def cell(runs: Inlines) -> str:
    """A table cell's Markdown: one line, `|` escaped (it would end the cell)."""
    text = inline(runs)
    return re.sub(r"(?<!\\)((?:\\\\)*)\|", r"\1\\|", text) if "|" in text else text


def table(t: Table) -> str:
    """A pipe table: the header row, a line of dashes, a line per row."""
    rows = [t.header, *t.rows]
    written = [[cell(c) for c in row] for row in rows]
    lines = ["| " + " | ".join(row) + " |" for row in written]
    lines.insert(1, "|" + "|".join("---" for _ in t.header) + "|")
    return "\n".join(lines)


def blocks(bs: tuple[Block, ...]) -> list[str]:
    """Each block's text; of two lists of one kind in a row, the second with other markers."""
    out: list[str] = []
    other, previous = False, None
    for b in bs:
        match previous, b:
            case BulletList(), BulletList():
                other = previous.ordered == b.ordered and not other
            case _:
                other = False
        out.append(block(b, other))
        previous = b
    return out


def measure_chunks(m: Measure) -> list[str]:
    out = [heading(2, m.title, m.id, ".åtgärd"), *blocks(m.blocks)]
    out += [field(label, m.fields.get(key, ())) for key, label in MEASURE_FIELDS.items()]
    return out


def section_chunks(s: Section) -> list[str]:
    out = [heading(1, s.title, s.id, ".bilaga" if s.appendix else ""), *blocks(s.blocks)]
    for m in s.measures:
        out += measure_chunks(m)
    return out


def body(sections: tuple[Section, ...], labels: tuple[str, ...] = ()) -> str:
    """document.md for some sections (footnotes labelled as in `with_notes`)."""
    return join([c for s in sections for c in section_chunks(s)], labels)


def join(chunks: list[str], labels: tuple[str, ...] = ()) -> str:
    return "\n\n".join(with_notes(chunks, labels)) + "\n"


def with_notes(chunks: list[str], labels: tuple[str, ...] = ()) -> list[str]:
    """The chunks with each footnote written as `[^1]`, `[^2]` … in order, and their texts
    (`[^1]: …`) after the last chunk. `labels` are the owner's own names for the footnotes in
    order (`[^scb]`), kept where there is one: a label is only a name."""
    texts: list[tuple[str, str]] = []
    used: set[str] = set()

    def number(m: re.Match) -> str:
        k = len(texts)
        label = labels[k] if k < len(labels) else None
        if label is None or label in used:
            n = k + 1
            while str(n) in used or str(n) in labels:
                n += 1
            label = str(n)
        used.add(label)
        texts.append((label, m.group(1)))
        return f"[^{label}]"

    out = [NOTE.sub(number, chunk) for chunk in chunks]
    return out + [f"[^{label}]: {t}" for label, t in texts]


def yaml_value(value: str) -> str:
    """A metadata value as YAML that the parser reads back as the same text."""
    if re.fullmatch(r"[\wÅÄÖåäöéü][\w\sÅÄÖåäöéü.,()/–&'-]*", value) and not value.endswith(" "):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def metadata(values: dict[str, str], comment: str = "") -> str:
    """document.yaml: the keys in the metadata table's order, then any others."""
    lines = [f"# {comment}"] if comment else []
    keys = [k for k in METADATA_LABELS if k in values]
    keys += [k for k in values if k not in METADATA_LABELS]
    lines += [f"{key}: {yaml_value(values[key])}" for key in keys]
    return "\n".join(lines) + "\n"
