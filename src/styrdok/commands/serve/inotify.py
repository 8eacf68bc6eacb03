"""Linux's inotify through ctypes: the kernel tells a file descriptor what changed in the watched
folders, so a watcher can sleep in select() until something does (no polling loop, no CPU while
nothing changes). Only what serve needs: watch a folder, read the events, close.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import struct
import sys
from dataclasses import dataclass

# <sys/inotify.h>
IN_CLOSE_WRITE = 0x00000008
IN_MOVED_FROM = 0x00000040
IN_MOVED_TO = 0x00000080
IN_CREATE = 0x00000100
IN_DELETE = 0x00000200
IN_DELETE_SELF = 0x00000400
IN_MOVE_SELF = 0x00000800
IN_Q_OVERFLOW = 0x00004000  # the kernel's queue overflowed: events were lost
IN_IGNORED = 0x00008000  # the watch is gone (its folder removed)
IN_ONLYDIR = 0x01000000
IN_ISDIR = 0x40000000
IN_NONBLOCK = os.O_NONBLOCK
IN_CLOEXEC = 0o2000000

# A file is saved when it is closed after writing, or when another file is renamed onto it
# (editors write a temporary file and rename it); a folder appears, goes or is renamed.
FOLDER_EVENTS = (
    IN_CLOSE_WRITE
    | IN_MOVED_FROM
    | IN_MOVED_TO
    | IN_CREATE
    | IN_DELETE
    | IN_DELETE_SELF
    | IN_MOVE_SELF
    | IN_ONLYDIR
)

_HEADER = struct.Struct("iIII")  # wd, mask, cookie, len; then the name, NUL-padded


class Unavailable(OSError):
    """No inotify here (another system, or the limits on instances or watches reached)."""


@dataclass(frozen=True)
class Event:
    wd: int  # the watch it came from
    mask: int
    name: str  # the file or folder in the watched folder; "" for the folder itself


def _libc():
    if not sys.platform.startswith("linux"):
        raise Unavailable("inotify finns bara i Linux")
    lib = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    lib.inotify_init1.argtypes = [ctypes.c_int]
    lib.inotify_add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
    return lib


class Inotify:
    """An inotify instance: `add` folders, `select` on `fileno()`, then `read()` the events."""

    def __init__(self) -> None:
        try:
            self._lib = _libc()
        except (OSError, AttributeError) as e:  # no libc, or a libc without inotify
            raise Unavailable(str(e)) from None
        fd = self._lib.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        if fd < 0:
            err = ctypes.get_errno()
            raise Unavailable(err, os.strerror(err))
        self.fd = fd

    def fileno(self) -> int:
        return self.fd

    def add(self, folder: str, mask: int = FOLDER_EVENTS) -> int:
        """Watch a folder; its watch descriptor. Unavailable when the watch limit is reached,
        OSError when the folder is gone."""
        wd = self._lib.inotify_add_watch(self.fd, os.fsencode(folder), mask)
        if wd < 0:
            err = ctypes.get_errno()
            kind = Unavailable if err == 28 else OSError  # ENOSPC: fs.inotify.max_user_watches
            raise kind(err, os.strerror(err), folder)
        return wd

    def read(self) -> list[Event]:
        """The events waiting (none when there are none)."""
        try:
            data = os.read(self.fd, 64 * 1024)
        except BlockingIOError:
            return []
        events, at = [], 0
        while at + _HEADER.size <= len(data):
            wd, mask, _cookie, length = _HEADER.unpack_from(data, at)
            raw = data[at + _HEADER.size : at + _HEADER.size + length]
            events.append(Event(wd, mask, os.fsdecode(raw.rstrip(b"\0"))))
            at += _HEADER.size + length
        return events

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
