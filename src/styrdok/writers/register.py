"""The register of styrdokument: every document of the project in one list, for the web and
for other systems.

`styrdok build` writes it beside the documents' folders: `index.html` (a table with links to
each document's web page, PDF and Word file that exist), `register.json` and `register.csv`.
Each row: type, title, decision date, decided by, validity, owner, last released version (git
tags, release.py) and the review state of `styrdok status` (status.py) on the day of the build,
and for a plan that is followed up the latest follow-up's year and share of measures genomförd
(a column of the page only when some document has one).

The page works without script: a type filter made of radio buttons and CSS, and the same table
sorted by other columns as pages of their own (`index-beslutad.html` …), linked from the column
headers. Only metadata is read (no pandoc), so the register costs little even for hundreds of
documents. Files whose bytes would not change are not rewritten; the others are published
together (publish.py).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, fields
from datetime import date
from pathlib import Path

from styrdok import __version__
from styrdok.errors import SourceError
from styrdok.model.document import GOVERNANCE_TYPES, Document
from styrdok.project import buildcache as manifest
from styrdok.project import publish
from styrdok.project.formats import BUILD, build_file
from styrdok.project.layout import Project
from styrdok.project.names import BODY_FILE, META_FILE
from styrdok.project.settings import DEFAULT_CITY, City
from styrdok.readers.markdown.source import find_documents, load_metadata
from styrdok.readers.uppfoljning.summary import follow_up_key
from styrdok.writers.html import e, page, scroller
from styrdok.writers.status import csv_text, latest_releases, status_of, tags_state


@dataclass(frozen=True)
class Row:
    """One document's row in the register."""

    dokument: str
    typ: str
    titel: str
    beslutad: str
    beslutat_av: str
    giltighet: str
    giltig_till: str
    dokumentansvarig: str
    senaste_version: str
    aktualitetsprövas: str
    läge: str
    html: str  # links relative to the register, "" when that output is not there
    pdf: str
    docx: str
    senaste_uppföljning: int | None = None  # the latest follow-up's year
    andel_genomförda: int | None = None  # in it, the share of the measures genomförd, in %


def rows(
    project: Project, out_dir: Path, today: date, latest: dict[str, str] | None = None
) -> list[Row]:
    """A row for every document whose metadata loads (a broken one is reported by the build),
    in name order; `latest` as status.latest_releases gives it."""
    latest = latest_releases(project.root) if latest is None else latest
    out = []
    for folder in find_documents(project.source):
        try:
            metadata = load_metadata(folder)
        except SourceError:
            continue
        s = status_of(Document(folder.name, metadata, ()), latest, today, folder)
        links = {}
        for fmt in BUILD:
            file = build_file(folder.name, fmt)
            links[fmt] = f"{folder.name}/{file}" if (out_dir / folder.name / file).is_file() else ""
        out.append(
            Row(
                s.dokument,
                s.typ,
                s.titel,
                s.beslutad,
                metadata.beslutat_av,
                metadata.giltighet,
                s.giltig_till,
                s.dokumentansvarig,
                s.senaste_version,
                s.aktualitetsprövas,
                s.läge,
                links.get("html", ""),
                links.get("pdf", ""),
                links.get("docx", ""),
                s.senaste_uppföljning,
                s.andel_genomförda,
            )
        )
    return out


def to_json(found: list[Row]) -> str:
    return json.dumps([asdict(r) for r in found], ensure_ascii=False, indent=2) + "\n"


def to_csv(found: list[Row]) -> str:
    values = [["" if v is None else v for v in asdict(r).values()] for r in found]
    return csv_text([f.name for f in fields(Row)], values)


# The orders the page offers: (file, column, how it is sorted). The first is index.html.
SORTS = (
    ("index.html", "titel", "titel"),
    ("index-typ.html", "typ", "typ"),
    ("index-beslutad.html", "beslutad", "beslutsdatum, nyaste först"),
    ("index-aktualitetsprovas.html", "aktualitetsprövas", "aktualitetsprövning, närmast först"),
    ("index-lage.html", "läge", "läge, utgångna och försenade först"),
)
RECORD = ".register.json"  # what the register was made from (as .bygge.json for a document)
FILES = (*(file for file, _, _ in SORTS), "register.json", "register.csv", RECORD)
ARIA_SORT = {"beslutad": "descending", "läge": "other"}  # the others: ascending
STATE_ORDER = ("utgången", "försenad", "ska aktualitetsprövas", "gäller")
STATE_CLASS = {
    "utgången": "state-utgangen",
    "försenad": "state-forsenad",
    "ska aktualitetsprövas": "state-snart",
    "gäller": "state-galler",
}


def _sorted(found: list[Row], column: str) -> list[Row]:
    by_title = sorted(found, key=lambda r: (r.titel.casefold(), r.dokument))
    if column == "typ":
        return sorted(by_title, key=lambda r: GOVERNANCE_TYPES.index(r.typ))
    if column == "beslutad":
        return sorted(by_title, key=lambda r: r.beslutad, reverse=True)
    if column == "aktualitetsprövas":
        return sorted(by_title, key=lambda r: r.aktualitetsprövas)
    if column == "läge":
        return sorted(by_title, key=lambda r: STATE_ORDER.index(r.läge))
    return by_title


COLUMNS = (  # (column, header); the sortable ones link to their order
    ("titel", "Dokument"),
    ("typ", "Typ"),
    ("beslutad", "Beslutad"),
    ("beslutat_av", "Beslutat av"),
    ("giltighet", "Giltighet"),
    ("dokumentansvarig", "Dokumentansvarig"),
    ("senaste_version", "Senaste version"),
    ("aktualitetsprövas", "Aktualitetsprövas"),
    ("läge", "Läge"),
    ("filer", "Filer"),
)


def _filter(found: list[Row]) -> list[str]:
    """Radio buttons that show one type, without script: page.css hides the other rows with
    `main:has(#visa-plan:checked)`."""
    types = [t for t in GOVERNANCE_TYPES if any(r.typ == t for r in found)]
    out = ['<fieldset class="register-filter"><legend>Visa typ</legend>']
    for value, label in [("alla", "Alla"), *((t, t.upper()) for t in types)]:
        checked = " checked" if value == "alla" else ""
        out.append(
            f'<span><input type="radio" name="typ" id="visa-{value}" value="{value}"{checked}>'
            f' <label for="visa-{value}">{e(label)}</label></span>'
        )
    out.append("</fieldset>")
    return out


def _sorts(column: str) -> str:
    """Links to the other orders (the column headers link to them too)."""
    items = []
    for file, col, label in SORTS:
        current = ' aria-current="page"' if col == column else ""
        items.append(f'<li><a href="{file}"{current}>{e(label)}</a></li>')
    return (
        f'<nav class="sort-nav" aria-label="Sortera"><p>Sortera efter:</p>'
        f'<ul class="sorts">{"".join(items)}</ul></nav>'
    )


def _cell(r: Row, column: str) -> str:
    if column == "titel":
        title = e(r.titel)
        return f'<a href="{e(r.html)}">{title}</a>' if r.html else title
    if column == "typ":
        return e(r.typ.upper())
    if column == "läge":
        return f'<span class="{STATE_CLASS[r.läge]}">{e(r.läge)}</span>'
    if column == "uppföljning":
        if r.senaste_uppföljning is None:
            return "–"
        share = f": {r.andel_genomförda} % genomförda" if r.andel_genomförda is not None else ""
        return e(f"{r.senaste_uppföljning}{share}")
    if column == "filer":
        labels = (("html", "Webb"), ("pdf", "PDF"), ("docx", "Word"))
        links = [
            f'<a href="{e(getattr(r, fmt))}" aria-label="{e(label)}: {e(r.titel)}">{label}</a>'
            for fmt, label in labels
            if getattr(r, fmt)
        ]
        return " ".join(links) or "–"
    return e(str(getattr(r, column))) or "–"


def register_page(found: list[Row], column: str, today: date, city: City = DEFAULT_CITY) -> str:
    files = {c: f for f, c, _ in SORTS}
    labels = {c: label for _, c, label in SORTS}
    columns: tuple[tuple[str, str], ...] = COLUMNS
    if any(r.senaste_uppföljning is not None for r in found):
        columns = (*COLUMNS[:-1], ("uppföljning", "Uppföljning"), COLUMNS[-1])
    head = []
    for col, header in columns:
        if col == column:
            sort = ARIA_SORT.get(col, "ascending")
            head.append(f'<th scope="col" aria-sort="{sort}">{e(header)}</th>')
        elif col in files:
            link = f'<a href="{files[col]}">{e(header)}<span class="vh">, sortera</span></a>'
            head.append(f'<th scope="col">{link}</th>')
        else:
            head.append(f'<th scope="col">{e(header)}</th>')
    body = []
    for r in _sorted(found, column):
        cells = []
        for col, header in columns:
            tag = 'th scope="row"' if col == "titel" else "td"
            end = "th" if col == "titel" else "td"
            cls = ' class="state"' if col in ("läge", "beslutad", "aktualitetsprövas") else ""
            cells.append(f'<{tag}{cls} data-label="{e(header)}">{_cell(r, col)}</{end}>')
        body.append(f'<tr class="typ-{e(r.typ)}">{"".join(cells)}</tr>')
    caption = (
        f"{city.genitive} styrdokument, {len(found)} st, sorterade efter {labels[column]}. "
        f"Läget den {today.isoformat()}."
    )
    content = [
        "<h1>Styrdokument</h1>",
        f'<p class="subtitle">Register över {e(city.genitive)} styrdokument</p>',
        '<p>Som data: <a href="register.json">register.json</a> · '
        '<a href="register.csv">register.csv</a>. </p>',
        *_filter(found),
        _sorts(column),
        scroller("Registret"),
        '<table class="register">',
        f"<caption>{e(caption)}</caption>",
        f"<thead><tr>{''.join(head)}</tr></thead>",
        f"<tbody>{''.join(body)}</tbody>",
        "</table>",
        "</div>",
    ]
    top = f'<p class="head">REGISTER<br>{e(today.isoformat())}</p>'
    return page(f"Styrdokument – {city.name}", content, top, wide=True, city=city)


def inputs_key(project: Project, out_dir: Path, today: date, tags: str) -> str:
    """The hash of everything the register is made from: each document's metadata file, which
    of its outputs exist, the release tags (`status.tags_state`), the day, the city's name,
    styrdok's version and code (its pages carry page.css). Hashing 300 small files is cheaper
    than parsing their YAML again."""
    city = project.settings.city
    header = f"styrdok {__version__} {manifest.code()}\n{today.isoformat()}\n"
    header += f"{city.name}\n{city.header}\n"
    digest = hashlib.sha256(header.encode())
    digest.update(tags.encode())
    for folder in find_documents(project.source):
        meta = manifest.sha256(folder / META_FILE)
        built = [(out_dir / folder.name / build_file(folder.name, f)).is_file() for f in BUILD]
        follow = follow_up_key(folder)  # its follow-ups, and then its text too
        text = manifest.sha256(folder / BODY_FILE) if follow else ""
        digest.update(f"\n{folder.name}:{meta}:{built}:{follow}:{text}".encode())
    return digest.hexdigest()


def up_to_date(out_dir: Path, key: str) -> bool:
    """Whether the register files in `out_dir` were made from `key` and are as written."""
    try:
        record = json.loads((out_dir / RECORD).read_text(encoding="utf-8"))
        return record["inputs"] == key and all(
            manifest.sha256(out_dir / name) == sha for name, sha in record["outputs"].items()
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def write_register(project: Project, out_dir: Path, today: date | None = None) -> list[Path]:
    """Write the register into `out_dir`; return the files that changed. Nothing is read
    further or written when the record (`.register.json`) says it is up to date."""
    if not project.source.is_dir():
        return []
    today = today or date.today()
    tags = tags_state(project.root)
    latest = latest_releases(project.root) if tags is None else None
    if tags is None:  # a worktree's tags are elsewhere: the releases themselves are the input
        tags = json.dumps(sorted((latest or {}).items()))
    key = inputs_key(project, out_dir, today, tags)
    if up_to_date(out_dir, key):
        return []
    latest = latest_releases(project.root) if latest is None else latest
    found = rows(project, out_dir, today, latest)
    texts = {"register.json": to_json(found), "register.csv": to_csv(found)}
    for file, column, _ in SORTS:
        texts[file] = register_page(found, column, today, project.settings.city)
    data = {name: text.encode() for name, text in texts.items()}
    record = {
        "inputs": key,
        "outputs": {name: hashlib.sha256(b).hexdigest() for name, b in sorted(data.items())},
    }
    changed = {}
    for name, content in data.items():
        try:
            same = (out_dir / name).read_bytes() == content
        except OSError:
            same = False
        if not same:
            changed[name] = content
    changed[RECORD] = (json.dumps(record, indent=2, sort_keys=True) + "\n").encode()
    with publish.staging(out_dir, "register") as staging:
        for name, content in changed.items():
            (staging / name).write_bytes(content)
        published = publish.publish([(staging / n, out_dir / n) for n in sorted(changed)])
    return [p for p in published if p.name != RECORD]
