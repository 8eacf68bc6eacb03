"""Which of a project's inputs changed: one batch a save.

The inputs are what a build is made from (buildcache.inputs_key: each document's document.yaml
and document.md, the template) and what `check` reads besides (styrdok.toml), and the folders
that hold them (a document folder that appears or goes). What editors write beside a file
(swap files, backups, the temporary file they rename onto it) is no input and is left out.

One batch a save: after the first change the watcher waits until nothing has changed for
QUIET seconds (at most MAX_WAIT in all), so the writes and renames of one save, or several saves
in a row, give one rebuild.

With inotify (Linux) the watcher's thread sleeps in select() until the kernel reports a change:
no CPU at all while nothing changes. Where inotify is missing or its limits are reached, the
inputs' times and sizes are compared once a second instead (`Poller`).
"""

from __future__ import annotations

import contextlib
import os
import select
import threading
import time
from collections.abc import Callable
from pathlib import Path

from styrdok.commands.serve.inotify import (
    IN_CREATE,
    IN_DELETE_SELF,
    IN_IGNORED,
    IN_ISDIR,
    IN_MOVE_SELF,
    IN_MOVED_TO,
    IN_Q_OVERFLOW,
    Inotify,
    Unavailable,
)
from styrdok.project.layout import Project
from styrdok.project.names import BODY_FILE, META_FILE, SETTINGS_FILE, TEMPLATE_FILE

QUIET = 0.05  # seconds without a change that end a save (an editor's writes come closer)
MAX_WAIT = 1.0  # a batch is handed on after this long even if changes keep coming
POLL = 1.0  # seconds between two looks, without inotify

# changed(paths, when): the changed inputs (files, or folders that appeared or went), and
# time.monotonic() at the first change of the batch
Changed = Callable[[frozenset[Path], float], None]
Touched = Callable[[frozenset[Path]], None]  # the inputs just changed, before the batch ends


class Inputs:
    """The inputs of a project and the folders that hold them, by path."""

    def __init__(self, project: Project) -> None:
        self.root = project.root.resolve()
        self.source = self.root / "source"
        self.templates = project.own_templates.resolve()
        self.settings = self.root / SETTINGS_FILE

    def folders(self) -> list[Path]:
        """The folders to watch: the root, source/ and each document's folder, and the
        template's folder with the folders on its way."""
        found = [self.root, self.source]
        if self.source.is_dir():
            found += sorted(p for p in self.source.iterdir() if self.is_document_folder(p))
        return [*found, self.templates.parent, self.templates]

    def is_document_folder(self, path: Path) -> bool:
        return path.parent == self.source and not path.name.startswith(".") and path.is_dir()

    def is_input(self, path: Path) -> bool:
        """Whether a change at `path` can change a build or a check."""
        if path == self.settings or path in (self.source, self.templates):
            return True
        if path.parent == self.source:  # a document's folder appeared or went
            return not path.name.startswith(".")
        if path.parent.parent == self.source and not path.parent.name.startswith("."):
            return path.name in (META_FILE, BODY_FILE)
        if path == self.templates / TEMPLATE_FILE:
            return True
        return path == self.templates.parent  # templates/ appeared or went

    def files(self) -> list[Path]:
        """Every input file that may exist now (for the poller: a document that appears or
        goes is its files appearing or going; a folder's own time changes with any file)."""
        found = [self.settings, self.templates / TEMPLATE_FILE]
        for folder in self.folders():
            if folder.parent == self.source:
                found += [folder / META_FILE, folder / BODY_FILE]
        return found


class Watcher:
    """Watches a project's inputs with inotify on a thread of its own; `changed` is called
    from that thread with each batch, and `touched` with each change as it comes (to start
    work that does not wait for the batch)."""

    kind = "inotify"

    def __init__(self, project: Project, changed: Changed, touched: Touched | None = None):
        self.inputs, self.changed, self.touched = Inputs(project), changed, touched
        self.inotify = Inotify()  # Unavailable when there is none
        self.folders: dict[int, Path] = {}
        self.wake_read, self.wake_write = os.pipe()
        self.thread = threading.Thread(target=self._run, name="styrdok-watch", daemon=True)
        try:
            self._watch_all()
        except BaseException:
            self.close()
            raise

    def start(self) -> None:
        self.thread.start()

    def close(self) -> None:
        """Stop the thread and close the descriptors; safe to call more than once."""
        if self.wake_write >= 0:
            with contextlib.suppress(OSError):
                os.write(self.wake_write, b"x")
            if self.thread.is_alive():
                self.thread.join(5)
            os.close(self.wake_write)
            os.close(self.wake_read)
            self.wake_write = self.wake_read = -1
        self.inotify.close()

    def _watch(self, folder: Path) -> None:
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            self.folders[self.inotify.add(str(folder))] = folder

    def _watch_all(self) -> None:
        for folder in self.inputs.folders():
            if folder.is_dir():
                self._watch(folder)

    def _changes(self) -> set[Path]:
        """The inputs the waiting events name; folders that appeared are watched from now on."""
        found = set()
        for event in self.inotify.read():
            if event.mask & IN_Q_OVERFLOW:  # events were lost: look at everything again
                self._watch_all()
                found.add(self.inputs.root)
                continue
            folder = self.folders.get(event.wd)
            if folder is None:
                continue
            if event.mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF):  # the folder itself
                if event.mask & IN_IGNORED:
                    del self.folders[event.wd]
                path = folder
            else:
                path = folder / event.name
            if event.mask & IN_ISDIR and event.mask & (IN_CREATE | IN_MOVED_TO):
                self._watch_all()  # a document's folder, or one on the template's way
            if self.inputs.is_input(path):
                found.add(path)
        return found

    def _run(self) -> None:
        pending: set[Path] = set()
        first = last = 0.0
        while True:
            wait = None  # sleep until the kernel has something
            if pending:
                wait = max(0.0, min(last + QUIET, first + MAX_WAIT) - time.monotonic())
            ready = select.select([self.inotify.fd, self.wake_read], [], [], wait)[0]
            if self.wake_read in ready:
                return
            now = time.monotonic()
            if self.inotify.fd in ready:
                found = self._changes()
                if found and self.touched is not None:
                    self.touched(frozenset(found))
                if found:
                    first = first if pending else now
                    last = now
                    pending |= found
            if pending and (now >= last + QUIET or now >= first + MAX_WAIT):
                self.changed(frozenset(pending), first)
                pending = set()


class Poller:
    """Without inotify: the inputs' times, sizes and inodes compared every POLL seconds."""

    kind = "en titt i sekunden"

    def __init__(self, project: Project, changed: Changed, interval: float = POLL) -> None:
        self.inputs, self.changed, self.interval = Inputs(project), changed, interval
        self.stop = threading.Event()
        self.seen = self._look()
        self.thread = threading.Thread(target=self._run, name="styrdok-poll", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join(5)

    def _look(self) -> dict[Path, tuple[int, int, int]]:
        found = {}
        for path in self.inputs.files():
            with contextlib.suppress(OSError):
                st = path.stat()
                found[path] = (st.st_mtime_ns, st.st_size, st.st_ino)
        return found

    def _differ(self) -> set[Path]:
        now = self._look()
        changed = {p for p in self.seen.keys() | now.keys() if self.seen.get(p) != now.get(p)}
        self.seen = now
        return changed

    def _run(self) -> None:
        while not self.stop.wait(self.interval):
            pending = self._differ()
            if not pending:
                continue
            first = time.monotonic()
            while not self.stop.wait(QUIET):  # until a look finds nothing new
                more = self._differ()
                if not more or time.monotonic() > first + MAX_WAIT:
                    break
                pending |= more
            self.changed(frozenset(pending), first)


def watch(
    project: Project, changed: Changed, touched: Touched | None = None, poll: bool = False
) -> Watcher | Poller:
    """A watcher of the project's inputs (not started): inotify where there is one."""
    if not poll:
        with contextlib.suppress(Unavailable):
            return Watcher(project, changed, touched)
    return Poller(project, changed)
