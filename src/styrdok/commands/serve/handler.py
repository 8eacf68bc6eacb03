"""The HTTP side of serve: the register and each document's web page from build/, framed
(preview.py); the PDF view; the files; the changes since a release (built on request by the
rebuild loop); the event stream and the state as JSON.

    /                          the register (build/index.html; its other orders beside it)
    /<doc>/                    the document's web page, or the problems `check` finds
    /<doc>/<doc>.pdf, .docx    its files
    /_styrdok/pdf/<doc>        the PDF in a page that loads it again when it is made again
    /diff/<doc>?från=<version> the change report since that version; /diff/<doc>/redline.pdf
                               and redline.docx (?från=…) the redline
    /_styrdok/events           server-sent events (live.py)
    /_styrdok/status           the state as JSON

Safe by default: only GET and HEAD; only files inside build/ (after percent-decoding, a `..`,
a hidden name or a symbolic link that leads out of build/ is not found); on loopback, a request
for another host name is refused (a web page cannot reach serve by renaming its own address to
127.0.0.1); pages carry a Content Security Policy. Python's ThreadingHTTPServer: a thread a
connection, enough for one writer's browser, and no dependency.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from styrdok.commands.serve.live import PROJECT, Live
from styrdok.errors import SourceError, StyrdokError
from styrdok.project.formats import build_file
from styrdok.project.layout import Project
from styrdok.project.names import META_FILE
from styrdok.project.settings import DEFAULT_CITY
from styrdok.writers import preview
from styrdok.writers.preview import Frame

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".json": "application/json",
    ".csv": "text/csv; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
}
LOOPBACK = ("127.0.0.1", "localhost", "::1")
REGISTER = re.compile(r"index(?:-[a-z]+)?\.html")


def is_loopback(host: str) -> bool:
    return host in LOOPBACK or host.startswith("127.")


@dataclass
class Site:
    """What the handlers serve: the project, its documents, the state, and the way to ask the
    rebuild loop for a comparison (`diff(doc, version, redline)` → the folder it is in)."""

    project: Project
    names: tuple[str, ...]  # the documents served; () for all
    live: Live
    diff: Callable[[str, str, bool], Path]
    hosts: frozenset[str] = frozenset()  # Host headers accepted; empty: any

    def documents(self) -> list[str]:
        return list(self.names) or self.project.known_documents()

    def title(self, doc: str) -> str:
        from styrdok.readers.markdown.source import load_metadata

        try:
            return load_metadata(self.project.source / doc).full_title
        except (SourceError, OSError):
            return doc

    def frame(self, key: str, doc: str, links: tuple = ()) -> Frame:
        live = self.live
        shown = []
        for problem in live.problems_of(doc):
            where = problem.path
            if where.is_absolute() and where.is_relative_to(self.project.root.resolve()):
                where = where.relative_to(self.project.root.resolve())
            shown.append(
                (f"{where}:{problem.line}" if problem.line else str(where), problem.message)
            )
        with live.lock:
            line = live.lines.get(doc) or live.lines.get(PROJECT, "")
            warnings = tuple(
                (where, text)
                for where, _, text in (w.partition(": ") for w in live.warnings.get(doc, []))
                if text
            )
            notices = tuple(live.notices)
        gen = live.page_gen(key)
        links = links or (("/", "Alla styrdokument"),)
        try:
            city = self.project.settings.city
        except SourceError:  # a broken styrdok.toml: its problems are on the page already
            city = DEFAULT_CITY
        return Frame(key, doc, live.run, gen, links, line, tuple(shown), warnings, notices, city)

    def document_links(self, doc: str) -> tuple[tuple[str, str], ...]:
        links = [
            ("/", "Alla styrdokument"),
            (f"/{doc}/", "Webbsidan"),
            (f"/_styrdok/pdf/{doc}", "PDF"),
            (f"/{doc}/{build_file(doc, 'docx')}", "Word"),
        ]
        with self.live.lock:
            version = self.live.releases.get(doc)
        if version:
            links.append((f"/diff/{doc}?från={quote(version)}", f"Ändringar sedan {version}"))
        return tuple(links)


class Server(ThreadingHTTPServer):
    """The HTTP server; `site` is what it serves."""

    daemon_threads = True  # an event stream does not hold up the end

    def __init__(self, address: tuple[str, int], site: Site) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.site = site
        super().__init__(address, Handler)
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        """Serve on a thread of its own; it sleeps in select() between requests."""
        self.thread = threading.Thread(
            target=self.serve_forever, args=(None,), name="styrdok-http", daemon=True
        )
        self.thread.start()

    def stop(self) -> None:
        """Stop serving: shutdown() ends the loop once select() returns, which a connection
        of our own makes it do."""
        if self.thread is not None and self.thread.is_alive():
            stopper = threading.Thread(target=self.shutdown, daemon=True)
            stopper.start()
            host, port = str(self.server_address[0]), int(self.server_address[1])
            while stopper.is_alive():
                with contextlib.suppress(OSError):
                    socket.create_connection((host, port), timeout=1).close()
                stopper.join(0.05)
            self.thread.join(5)
        self.server_close()


def make_server(host: str, port: int, site: Site) -> Server:
    """A server listening on host:port (port 0: a free one), or a StyrdokError that says why
    not."""
    try:
        server = Server((host, port), site)
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise StyrdokError(
                f"porten {port} används redan; välj en annan med --port, eller ingen så väljs "
                "en ledig"
            ) from None
        if e.errno == errno.EACCES:
            raise StyrdokError(
                f"porten {port} får bara användas av root; välj en över 1023 med --port"
            ) from None
        raise StyrdokError(f"kan inte lyssna på {host}:{port}: {e.strerror or e}") from None
    if is_loopback(host):
        port = server.server_address[1]
        names = ("127.0.0.1", "localhost", "[::1]", f"[{host}]" if ":" in host else host)
        site.hosts = frozenset(f"{name}:{port}" for name in names)
    return server


class Handler(BaseHTTPRequestHandler):
    """One request: see the module's docstring for the addresses."""

    server: Server
    head = False  # a HEAD request: the headers only
    server_version = "styrdok-serve"
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:
        """No access log: the terminal is for what was built."""

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def _refuse(self) -> None:
        self._send(405, "text/plain; charset=utf-8", b"styrdok serve tar bara emot GET\n")

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse

    # --- routing -----------------------------------------------------------------------------

    def _answer(self, head: bool) -> None:
        self.head = head
        site = self.server.site
        host = (self.headers.get("Host") or "").lower()
        if site.hosts and host not in site.hosts:
            return self._send(421, "text/plain; charset=utf-8", "okänd värd\n".encode())
        url = urlsplit(self.path)
        path = unquote(url.path, errors="replace")
        query = parse_qs(url.query)
        if path == "/_styrdok/events":
            return self._events()
        if path == "/_styrdok/status":
            import json

            data = json.dumps(site.live.snapshot(), ensure_ascii=False).encode()
            return self._send(200, "application/json", data)
        if path == "/favicon.ico":  # none: the browser need not be told so with a 404
            return self._send(204, "image/x-icon", b"")
        if path.startswith("/_styrdok/pdf/"):
            return self._pdf_view(path.removeprefix("/_styrdok/pdf/"))
        versions = query.get("från") or query.get("fran")  # ?från=2018
        version = versions[0] if versions else None
        found = re.fullmatch(r"/diff/([^/]+)(?:/(redline\.pdf|redline\.docx))?", path)
        if found and version is not None and found.group(1) in site.documents():
            return self._diff(found.group(1), version, found.group(2))
        return self._file(path)

    def _file(self, path: str) -> None:
        site = self.server.site
        parts = [p for p in path.split("/") if p]
        if any(p in (".", "..") or p.startswith(".") or "\\" in p or "\0" in p for p in parts):
            return self._not_found()
        docs = site.documents()
        build = site.project.build.resolve()
        if not parts:
            return self._register(build / "index.html")
        if parts[0] in docs and len(parts) == 1:
            if not path.endswith("/"):
                return self._redirect(f"/{parts[0]}/")
            parts.append("index.html")
        elif parts[0] not in docs and (len(parts) > 1 or "." not in parts[0]):
            return self._not_found()  # a folder of a document that is not served
        real = Path(os.path.realpath(build.joinpath(*parts)))
        if not real.is_relative_to(build):  # a symbolic link out of build/
            return self._not_found()
        doc = parts[0] if len(parts) > 1 else ""
        if parts == [doc, "index.html"]:
            return self._document(doc, real)
        if len(parts) == 1 and REGISTER.fullmatch(parts[0]):
            return self._register(real)
        if not real.is_file():
            return self._not_found()
        if real.suffix == ".html":
            frame = site.frame(doc, doc, site.document_links(doc) if doc else ())
            return self._page(200, preview.framed(real.read_text("utf-8"), frame))
        self._send_file(real)

    # --- pages -------------------------------------------------------------------------------

    def _document(self, doc: str, page: Path) -> None:
        site = self.server.site
        frame = site.frame(doc, doc, site.document_links(doc))
        if frame.problems:
            return self._page(200, preview.problem_page(site.title(doc), frame))
        if not page.is_file():
            text = "Dokumentet byggs; sidan visas så snart den är klar."
            if not (site.project.source / doc / META_FILE).is_file():
                return self._not_found()
            return self._page(200, preview.message_page(site.title(doc), text, frame))
        self._page(200, preview.framed(page.read_text("utf-8"), frame))

    def _register(self, page: Path) -> None:
        site = self.server.site
        frame = site.frame("", "")
        if not page.is_file():
            text = "Registret byggs; sidan visas så snart det är klart."
            return self._page(200, preview.message_page("Styrdokument", text, frame))
        self._page(200, preview.framed(page.read_text("utf-8"), frame))

    def _pdf_view(self, doc: str) -> None:
        site = self.server.site
        if doc not in site.documents():
            return self._not_found()
        frame = site.frame(f"pdf/{doc}", doc, site.document_links(doc))
        pdf = f"/{doc}/{build_file(doc, 'pdf')}"
        self._page(200, preview.pdf_page(site.title(doc), pdf, frame))

    def _diff(self, doc: str, version: str, file: str | None) -> None:
        site = self.server.site
        frame = site.frame(doc, doc, site.document_links(doc))
        try:
            folder = site.diff(doc, version, file is not None)
        except StyrdokError as e:
            title = f"Ingen jämförelse med {version}"
            return self._page(400, preview.message_page(title, e.message, frame))
        if file is not None:
            return self._send_file(folder / file)
        query = f"?från={quote(version)}"
        links = (
            *site.document_links(doc),
            (f"/diff/{doc}/redline.pdf{query}", "Redline (PDF)"),
            (f"/diff/{doc}/redline.docx{query}", "Redline (Word)"),
        )
        report = (folder / "changes.html").read_text("utf-8")
        self._page(200, preview.framed(report, replace(frame, links=links)))

    def _not_found(self) -> None:
        frame = self.server.site.frame("", "")
        text = "Här finns ingen sida. Registret har länkar till alla dokument som visas."
        self._page(404, preview.message_page("Sidan finns inte", text, frame))

    # --- answers -----------------------------------------------------------------------------

    def _events(self) -> None:
        live = self.server.site.live
        box = live.subscribe()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(b"retry: 1000\n\n")  # how soon the browser tries again
            self.wfile.flush()
            while (message := box.get()) is not None:
                self.wfile.write(message)
                self.wfile.flush()
        except OSError:  # the page was closed or loaded again
            pass
        finally:
            live.unsubscribe(box)

    def _page(self, status: int, html: str) -> None:
        self._send(status, TYPES[".html"], html.encode(), {"Content-Security-Policy": preview.CSP})

    def _redirect(self, where: str) -> None:
        self._send(301, "text/plain; charset=utf-8", b"", {"Location": where})

    def _send_file(self, path: Path) -> None:
        try:
            file = path.open("rb")
        except OSError:
            return self._not_found()
        with file:
            size = os.fstat(file.fileno()).st_size
            extra = {}
            if path.suffix == ".docx":
                extra["Content-Disposition"] = f'attachment; filename="{path.name}"'
            self._head(200, TYPES.get(path.suffix, "application/octet-stream"), size, extra)
            if not self.head:
                shutil.copyfileobj(file, self.wfile)

    def _send(self, status: int, kind: str, body: bytes, extra: dict | None = None) -> None:
        self._head(status, kind, len(body), extra or {})
        if not self.head:
            self.wfile.write(body)

    def _head(self, status: int, kind: str, size: int, extra: dict) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(size))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
