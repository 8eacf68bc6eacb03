"""What serve knows about its documents right now, and the open pages it tells when that changes.

The rebuild loop (rebuild.py) writes this state; the HTTP handlers (handler.py) read it when they
serve a page and subscribe to its events for their event streams. Every open page holds one
stream (server-sent events) and is told:

- `reload` {docs, register, gen}: these documents' pages (or the register) changed: load again;
- `pdf` {docs, gen}: these documents' PDFs are new (the PDF view loads the file again);
- `lage` {doc: text}: what is going on, for the line at the top of each page;
- `hello` {run, seen, floor, lines} on connecting: a page served before a change it missed, or by an
  earlier serve, loads again.

Each page is served with the generation of its last change (`seen`: by document, "" for the
register, "pdf/<doc>" for a PDF view; `floor` for a change of every page), so it can tell.
"""

from __future__ import annotations

import json
import queue
import threading
import time
import uuid
from dataclasses import dataclass, field

from styrdok.errors import Problem

PROJECT = ""  # the key of what concerns every page (styrdok.toml, the template, LibreOffice)


@dataclass
class Live:
    """The state and the subscribers, behind one lock."""

    run: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    gen: int = 0  # counts the changes pages are told of
    seen: dict[str, int] = field(default_factory=dict)  # page key → gen of its last change
    floor: int = 0  # gen of the last change of every page
    problems: dict[str, list[Problem]] = field(default_factory=dict)  # what `check` refuses
    warnings: dict[str, list[str]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)  # a PDF that could not be made …
    lines: dict[str, str] = field(default_factory=dict)  # the status line, by document
    pdf_pending: set[str] = field(default_factory=set)
    releases: dict[str, str] = field(default_factory=dict)  # document → its last version
    builds: int = 0  # rebuilds done since the start (the initial build included)
    busy: bool = True
    subscribers: set[queue.SimpleQueue] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def subscribe(self) -> queue.SimpleQueue:
        """A queue of the events to come, beginning with `hello`; None when serve ends."""
        box: queue.SimpleQueue = queue.SimpleQueue()
        with self.lock:
            hello = {"run": self.run, "seen": self.seen, "floor": self.floor, "lines": self.lines}
            box.put(_event("hello", hello))
            self.subscribers.add(box)
        return box

    def unsubscribe(self, box: queue.SimpleQueue) -> None:
        with self.lock:
            self.subscribers.discard(box)

    def close(self) -> None:
        """End every event stream."""
        with self.lock:
            for box in self.subscribers:
                box.put(None)
            self.subscribers.clear()

    def _send(self, name: str, data: dict) -> None:  # under the lock
        message = _event(name, data)
        for box in self.subscribers:
            box.put(message)

    def page_gen(self, key: str) -> int:
        """The generation a page is served with (its key: the document, "", "pdf/<doc>")."""
        with self.lock:
            return max(self.seen.get(key, 0), self.floor)

    def reload(self, docs: list[str], register: bool = False, every: bool = False) -> None:
        """Tell the pages of `docs` (and the register's, or `every` page) to load again."""
        with self.lock:
            self.gen += 1
            if every:
                self.floor = self.gen
            for key in [*docs, *[""] * register]:
                self.seen[key] = self.gen
            data = {"docs": docs, "register": register, "all": every, "gen": self.gen}
            self._send("reload", data)

    def pdf_done(self, docs: list[str]) -> None:
        """Tell the PDF views of `docs` that their PDFs are new."""
        with self.lock:
            self.pdf_pending -= set(docs)
            self.gen += 1
            for doc in docs:
                self.seen[f"pdf/{doc}"] = self.gen
            self._send("pdf", {"docs": docs, "gen": self.gen})

    def say(self, lines: dict[str, str]) -> None:
        """New status lines (by document; PROJECT for the register and pages without one)."""
        with self.lock:
            self.lines.update(lines)
            self._send("lage", dict(self.lines))

    def snapshot(self) -> dict:
        """The state as the status address and the pages show it."""
        with self.lock:
            return {
                "run": self.run,
                "gen": self.gen,
                "seen": dict(self.seen),
                "floor": self.floor,
                "builds": self.builds,
                "busy": self.busy,
                "pdf_pending": sorted(self.pdf_pending),
                "problems": {d: [str(p) for p in ps] for d, ps in self.problems.items() if ps},
                "notices": list(self.notices),
                "lines": dict(self.lines),
            }

    def problems_of(self, doc: str) -> list[Problem]:
        """What keeps a document's page from being shown: its problems and the project's; for
        the register (doc PROJECT), every problem there is."""
        with self.lock:
            if doc == PROJECT:
                return [p for found in self.problems.values() for p in found]
            return [*self.problems.get(PROJECT, []), *self.problems.get(doc, [])]


def _event(name: str, data: dict) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


def clock() -> str:
    return time.strftime("%H:%M:%S")
