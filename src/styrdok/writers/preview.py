"""The frame `styrdok serve` puts around the build's pages: a bar at the top (links to the
register, the web page, the PDF, the Word file and the changes since the last release, and a
status line: "PDF:en görs …"), the problems `check` finds in place of a page's content, and a
few lines of script that load the page again when it changes.

The pages themselves stay the build's (html.py, register.py), byte for byte on disk; the frame is
added as they are served. The script is one constant (its hash goes into the page's Content
Security Policy); what it needs to know comes in data attributes. Every text is escaped.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from styrdok.project.settings import DEFAULT_CITY, City
from styrdok.writers.html import MAIN_ID, e, page

# Loads the page again when the server says it changed (server-sent events). One stream serves
# every page of this serve in the browser (a Web Lock elects the tab that holds it, a
# BroadcastChannel passes its events on): a browser keeps at most six connections to one server,
# so one stream a tab would keep a seventh tab from loading. Without those APIs (an address
# other than localhost is no secure context), each page holds its own.
SCRIPT = """
(() => {
  const me = document.currentScript.dataset;
  const line = document.getElementById("sd-lage");
  const frame = document.getElementById("sd-pdf");
  let leaving = false;
  const reload = () => { leaving = true; location.reload(); };
  addEventListener("pagehide", () => { leaving = true; });
  const on = {
    hello: (d) => {
      const gen = Math.max(d.seen[me.key] ?? 0, d.floor);
      if (d.run !== me.run || gen > Number(me.gen)) reload();
      else on.lage(d.lines);
    },
    reload: (d) => {
      const mine = me.key === "" ? d.register : d.docs.includes(me.doc) && !frame;
      if (d.all || mine) reload();
    },
    pdf: (d) => {
      if (frame && d.docs.includes(me.doc)) frame.src = `${frame.dataset.src}?v=${d.gen}`;
    },
    lage: (d) => { line.textContent = d[me.doc] ?? d[""] ?? ""; },
    borta: () => { line.textContent = "Ingen kontakt med styrdok serve; försöker igen …"; },
  };
  const listen = (tell) => {
    const events = new EventSource("/_styrdok/events");
    for (const type of ["hello", "reload", "pdf", "lage"]) {
      events.addEventListener(type, (m) => tell(type, JSON.parse(m.data)));
    }
    events.onerror = () => { if (!leaving) tell("borta", {}); };
  };
  if (!navigator.locks || !window.BroadcastChannel) return listen((type, d) => on[type](d));
  const channel = new BroadcastChannel("styrdok-serve");
  channel.onmessage = (m) => on[m.data.type](m.data.d);
  fetch("/_styrdok/status").then((r) => r.json()).then(on.hello, () => {});
  navigator.locks.request("styrdok-serve", () => new Promise(() => listen((type, d) => {
    on[type](d);
    if (type !== "hello") channel.postMessage({ type, d });
  })));
})();
"""

SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()

# What a served page may do: its own style and this script, nothing from elsewhere.
CSP = (
    f"default-src 'self'; script-src '{SCRIPT_HASH}'; style-src 'unsafe-inline'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)

STYLE = """<style>
.sd-serve { position: sticky; top: 0; z-index: 2; background: #1d3557; color: #fff;
  font-size: .9rem; line-height: 1.4; }
.sd-serve .sd-in { max-width: 52rem; margin: 0 auto; padding: .45rem 1.25rem; display: flex;
  flex-wrap: wrap; gap: .25rem 1.25rem; align-items: baseline; justify-content: space-between; }
.wide .sd-serve .sd-in { max-width: 96rem; }
.sd-serve ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap;
  gap: .25rem 1rem; }
.sd-serve a { color: #fff; }
.sd-serve a:focus-visible { outline-color: #fff; }
.sd-serve p { margin: 0; }
.sd-fel { border: 3px solid #8f1d1d; background: #fdf0f0; padding: .75rem 1.25rem;
  margin: 1rem 0 1.5rem; }
.sd-fel h2 { color: #8f1d1d; margin: .25rem 0 .5rem; }
.sd-fel ul { padding-left: 1.25rem; }
.sd-fel li { margin: .4rem 0; }
.sd-fel code, .sd-varning code { font-weight: bold; overflow-wrap: anywhere; }
.sd-varning { border-left: 4px solid #7a4f00; background: #fff8e5; padding: .5rem 1rem;
  margin: 1rem 0; }
.sd-varning h2 { font-size: 1rem; margin: .25rem 0; }
.sd-pdf { width: 100%; height: calc(100vh - 11rem); min-height: 30rem;
  border: 1px solid #c8ced6; }
</style>"""


@dataclass(frozen=True)
class Frame:
    """What serve adds to one page."""

    key: str  # the page's key for reloading: the document, "" the register, "pdf/<doc>"
    doc: str  # the document the page is about ("" for the register)
    run: str  # this serve's id
    gen: int  # the generation the page is served at
    links: tuple[tuple[str, str], ...]  # (address, text) for the bar
    line: str  # the status line
    problems: tuple[tuple[str, str], ...] = ()  # (file:line, message): what check refuses
    warnings: tuple[tuple[str, str], ...] = ()
    notices: tuple[str, ...] = ()  # a PDF that could not be made, …
    city: City = DEFAULT_CITY  # whose banner serve's own pages carry ([stad] in styrdok.toml)


def bar(frame: Frame) -> str:
    links = "".join(f'<li><a href="{e(href)}">{e(text)}</a></li>' for href, text in frame.links)
    return (
        '<nav class="sd-serve" aria-label="Förhandsvisning">'
        f'<div class="sd-in"><ul>{links}</ul>'
        f'<p id="sd-lage" role="status">{e(frame.line)}</p></div></nav>'
    )


def _listed(items: tuple[tuple[str, str], ...]) -> str:
    return "".join(f"<li><code>{e(where)}</code> {e(text)}</li>" for where, text in items)


def problems_block(frame: Frame) -> str:
    """What `check` refuses, at the top of the page: file:line and the Swedish message."""
    if not frame.problems:
        return ""
    count = len(frame.problems)
    return (
        '<section class="sd-fel" role="alert" aria-labelledby="sd-fel">'
        f'<h2 id="sd-fel">{count} fel i källan</h2>'
        "<p>Sidan visas igen när felen är rättade; den laddas om av sig själv när du sparar.</p>"
        f"<ul>{_listed(frame.problems)}</ul></section>"
    )


def notes_block(frame: Frame) -> str:
    """Warnings (the page is shown all the same) and notices, such as a failed PDF."""
    out = []
    if frame.notices:
        items = "".join(f"<li>{e(n)}</li>" for n in frame.notices)
        out.append(
            '<section class="sd-varning" aria-labelledby="sd-obs"><h2 id="sd-obs">Obs</h2>'
            f"<ul>{items}</ul></section>"
        )
    if frame.warnings:
        out.append(
            '<section class="sd-varning" aria-labelledby="sd-varn">'
            f'<h2 id="sd-varn">Varningar ({len(frame.warnings)})</h2>'
            f"<ul>{_listed(frame.warnings)}</ul></section>"
        )
    return "".join(out)


def script(frame: Frame) -> str:
    data = f'data-key="{e(frame.key)}" data-doc="{e(frame.doc)}" data-run="{e(frame.run)}"'
    return f'<script {data} data-gen="{frame.gen}">{SCRIPT}</script>'


def framed(html: str, frame: Frame) -> str:
    """A built page with the frame added: the style in its head, the bar above its header,
    the problems and warnings at the start of its content, the script at its end."""
    html = html.replace("</head>", f"{STYLE}\n</head>", 1)
    header = '<header class="top">'
    top = bar(frame)
    if header in html:
        html = html.replace(header, f"{top}\n{header}", 1)
    else:  # a page from elsewhere in build/: the bar first
        html = _after_tag(html, "<body", top)
    notes = problems_block(frame) + notes_block(frame)
    main = html.find(f'<main id="{MAIN_ID}">')
    if notes and main >= 0:  # after the page's h1, so that the headings keep their order
        heading = html.find("</h1>", main)
        at = heading + len("</h1>") if heading >= 0 else html.find(">", main) + 1
        html = html[:at] + "\n" + notes + html[at:]
    end = html.rfind("</body>")
    tail = script(frame)
    return html[:end] + tail + "\n" + html[end:] if end >= 0 else html + tail


def _after_tag(html: str, tag: str, insert: str) -> str:
    start = html.find(tag)
    close = html.find(">", start) if start >= 0 else -1
    if close < 0:
        return insert + html
    return html[: close + 1] + insert + html[close + 1 :]


def problem_page(title: str, frame: Frame) -> str:
    """A document's page while `check` refuses its source: the problems, not the old text."""
    return framed(page(f"Fel: {title}", [f"<h1>{e(title)}</h1>"], city=frame.city), frame)


def message_page(title: str, text: str, frame: Frame) -> str:
    """A page that only says something (a document still building, an address not found)."""
    body = [f"<h1>{e(title)}</h1>", f"<p>{e(text)}</p>"]
    return framed(page(title, body, city=frame.city), frame)


def pdf_page(title: str, pdf: str, frame: Frame) -> str:
    """The PDF in the page, loaded again whenever it is made again."""
    body = [
        f"<h1>{e(title)}</h1>",
        f'<p>PDF/A-versionen, som den ser ut nu. <a href="{e(pdf)}">Öppna PDF:en</a></p>',
        f'<iframe id="sd-pdf" class="sd-pdf" title="PDF: {e(title)}" src="{e(pdf)}?v={frame.gen}"'
        f' data-src="{e(pdf)}"></iframe>',
    ]
    return framed(page(f"PDF: {title}", body, wide=True, city=frame.city), frame)
