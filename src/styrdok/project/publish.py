"""Publish stage: a command's outputs appear together, or not at all.

Every command that writes (build, diff, release, import) makes its files in a staging folder
beside their destination and renames them into place at the end, with Ctrl-C and SIGTERM held
back for those few renames. A staging folder is named after its process
(`.styrdok-<pid>-…`), so one left by a process that is gone (SIGKILL, a CI timeout, the OOM
killer) is recognised and removed by the next command that publishes in the same folder.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

PREFIX = ".styrdok-"
T = TypeVar("T")


def alive(pid: int) -> bool:
    """Whether a process with this id exists (on this machine)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def owner(path: Path, prefix: str = PREFIX) -> int | None:
    """The process id in a name `<prefix><pid>-…`, or None if the name is not one of ours."""
    found = re.match(rf"{re.escape(prefix)}(\d+)-", path.name)
    return int(found.group(1)) if found else None


def remove_tree(path: Path) -> None:
    """Delete a file or folder, read-only parts included; nothing if it is not there."""
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
        return
    if not path.exists():
        return
    for sub in path.rglob("*"):
        if not sub.is_symlink():
            with contextlib.suppress(OSError):
                sub.chmod(stat.S_IRWXU)
    with contextlib.suppress(OSError):
        path.chmod(stat.S_IRWXU)
    shutil.rmtree(path, ignore_errors=True)


def sweep(
    folder: Path, prefix: str = PREFIX, remove: Callable[[Path], object] = remove_tree
) -> None:
    """Remove what dead styrdok processes left in `folder` under names `<prefix><pid>-…`:
    staging folders and part files (and, with office's prefix and remover, profiles)."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        pid = owner(path, prefix)
        if pid is not None and pid != os.getpid() and not alive(pid):
            remove(path)


def staging_name(label: str = "") -> str:
    return f"{PREFIX}{os.getpid()}-{label}"


@contextlib.contextmanager
def staging(folder: Path, label: str = "") -> Iterator[Path]:
    """A fresh staging folder inside `folder` (made if needed), removed afterwards, also when
    Ctrl-C or SIGTERM comes at any moment (see `guarded`)."""
    folder.mkdir(parents=True, exist_ok=True)
    sweep(folder)
    with guarded(
        lambda: Path(tempfile.mkdtemp(prefix=staging_name(label), dir=folder)), remove_tree
    ) as path:
        yield path


@contextlib.contextmanager
def guarded(make: Callable[[], T], undo: Callable[[T], object]) -> Iterator[T]:
    """Something made (a staging folder, a child process) and undone afterwards, with Ctrl-C
    and SIGTERM held back while it is made and while it is undone. A signal (which ends the
    command by an exception) then comes either before it exists or once the `finally` that
    undoes it is in force, never in between; and it cannot cut the undoing short."""
    made: list[T] = []
    try:
        with held_signals():
            made.append(make())
        yield made[0]
    finally:
        if made:
            with held_signals():
                undo(made[0])


@contextlib.contextmanager
def held_signals() -> Iterator[None]:
    """Hold back Ctrl-C and SIGTERM (they take effect afterwards) for a few steps that belong
    together; only SIGKILL can come between them. The signals are deferred at Python's level,
    not blocked in the thread: a process-directed signal goes to any thread that does not block
    it (a build's loading threads, a library's), and Python then runs its handler in the main
    thread at once, so a blocked main thread would not hold it back."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[tuple[int, FrameType | None]] = []

    def defer(signum: int, frame: FrameType | None) -> None:
        pending.append((signum, frame))

    held = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
    old: dict[int, Any] = {s: signal.signal(s, defer) for s in held}
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
        for signum, frame in pending:  # as they came, with the handlers the command had
            handler = old[signum]
            if callable(handler):
                handler(signum, frame)
            elif handler in (signal.SIG_DFL, None):
                signal.raise_signal(signum)


def publish(moves: list[tuple[Path, Path]], remove: Sequence[Path] = ()) -> list[Path]:
    """Rename each staged file onto its target and delete `remove` (earlier outputs that this
    run replaces by nothing), all under held signals; return the targets."""
    with held_signals():
        for target in remove:
            if target.is_file() and not any(target == t for _, t in moves):
                target.unlink()
        for staged, target in moves:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
    return [target for _, target in moves]


def remove_empty(folders: list[Path]) -> None:
    """Remove folders (deepest first) that this run made and left empty; a folder someone else
    has written into meanwhile stays."""
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()
