"""Several LibreOffice workers fed from one queue (`styrdok build -j N`).

Each `Office` keeps its own guarantees (a private profile, hang and crash handling, nothing left
behind); the pool hands each conversion to an idle one and, when all are busy, waits for
whichever finishes first. Conversions run in parallel in LibreOffice's processes while this
process loads and renders the next documents.
"""

from __future__ import annotations

import contextlib
import os
import select
from collections.abc import Iterator
from pathlib import Path
from typing import Generic, TypeVar

from styrdok.convert.office import Job, Office

T = TypeVar("T")  # what the caller keeps with a conversion, handed back when it is done


def usable_cores() -> int:
    """The cores this process may run on (a CI job's share, not the machine's count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class Offices(Generic[T]):
    """A pool of LibreOffice workers; use as a context manager. Offices handed in are used but
    not closed by the pool (the caller owns them)."""

    def __init__(self, count: int = 1, offices: list[Office] | None = None, conform: bool = True):
        self.own, self.conform = offices is None, conform  # conform: see Office.finish
        self.all = offices if offices is not None else [Office() for _ in range(max(1, count))]
        self.idle = list(reversed(self.all))  # the first office takes the first job
        self.busy: dict[Office, tuple[Job, T]] = {}

    def __enter__(self) -> Offices[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.own:
            self.close()

    def start(self) -> None:
        """Start every LibreOffice now; they boot side by side while the sources load."""
        for office in self.all:
            office.start()

    def submit(self, src: Path, dst: Path, title: str, keep: T) -> list[tuple[T, Path]]:
        """Hand a conversion to an idle LibreOffice; when none is idle, first wait for one to
        finish. Returns the conversions finished meanwhile, with what was kept for each."""
        done = [] if self.idle else [self._next()]
        office = self.idle.pop()
        self.busy[office] = (office.submit(src, dst, title), keep)
        return done

    def drain(self) -> Iterator[tuple[T, Path]]:
        """The conversions still in flight, as each finishes."""
        while self.busy:
            yield self._next()

    def settle(self) -> None:
        """Let every conversion in flight end, ignoring failures (before a staging folder is
        removed after an error, so that no LibreOffice still writes into it)."""
        while self.busy:
            with contextlib.suppress(Exception):
                self._next()

    def close(self) -> None:
        """Stop every LibreOffice now (also mid-job: Ctrl-C, SIGTERM); the last started first,
        so that each restores the signal handler it found."""
        self.busy.clear()
        for office in reversed(self.all):
            office.close()

    def _next(self) -> tuple[T, Path]:
        """Wait for the first conversion in flight to be done (its answer in, its LibreOffice
        gone, or its time up) and finish it: the PDF in place, or an OfficeError."""
        while True:
            for office, (job, keep) in self.busy.items():
                if office.done(job):
                    del self.busy[office]
                    try:
                        return keep, office.finish(job, self.conform)
                    finally:
                        self.idle.append(office)
            waiting = [fd for fd in (office.fileno() for office in self.busy) if fd >= 0]
            select.select(waiting, [], [], 0.25)
