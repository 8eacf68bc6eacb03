"""A real `styrdok serve` process on a copy of a project, for the tests and the benchmark: its
address, its state (/_styrdok/status), requests to it, and what it leaves behind."""

from __future__ import annotations

import http.client
import json
import re
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

STYRDOK = Path(sys.executable).with_name("styrdok")
REPO = Path(__file__).resolve().parents[2]


class Served:
    """`styrdok serve ARGS --root ROOT`, started; stop() ends it with a signal."""

    def __init__(self, root: Path, *args: str, start: float = 60.0) -> None:
        self.root = root
        self.proc = subprocess.Popen(
            [str(STYRDOK), "serve", *args, "--root", str(root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.err: list[str] = []  # what it says on stderr, read as it comes
        self.reader = threading.Thread(target=self._read_err, daemon=True)
        self.reader.start()
        assert self.proc.stdout is not None
        ready = select.select([self.proc.stdout], [], [], start)[0]
        line = self.proc.stdout.readline() if ready else ""
        found = re.search(r"http://\S+/", line)
        if not found:
            self.proc.kill()
            raise AssertionError(f"no address from serve: {line!r} {self.stderr}")
        self.url = found.group(0)
        parts = urlsplit(self.url)
        self.host, self.port = parts.hostname or "", parts.port or 0

    def _read_err(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.err.append(line)

    @property
    def stderr(self) -> str:
        return "".join(self.err)

    def get(self, path: str, method: str = "GET", headers: dict | None = None):
        """(status, headers, body) of a request for `path` as it is written (not normalised)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            sent = {"Host": f"{self.host}:{self.port}", **(headers or {})}
            for name, value in sent.items():
                conn.putheader(name, value)
            conn.endheaders()
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def status(self) -> dict:
        return json.loads(self.get("/_styrdok/status")[2])

    def wait(self, condition, seconds: float = 90.0, what: str = "") -> dict:
        """The state once `condition(state)` holds; an AssertionError after `seconds`."""
        deadline = time.monotonic() + seconds
        while True:
            state = self.status()
            if condition(state):
                return state
            if time.monotonic() > deadline:
                raise AssertionError(f"serve: {what or 'condition'} not met: {state}")
            time.sleep(0.02)

    def settled(self, builds: int = 1, seconds: float = 90.0) -> dict:
        """The state once `builds` rebuilds are done and no PDF is being made."""
        return self.wait(
            lambda s: s["builds"] >= builds and not s["busy"] and not s["pdf_pending"],
            seconds,
            f"{builds} rebuilds done",
        )

    def stop(self, sig: int = signal.SIGINT, seconds: float = 30.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            code = self.proc.wait(seconds)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise
        self.reader.join(5)
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                pipe.close()
        return code


def processes_of(pid: int) -> list[str]:
    """The command lines of the processes serve started that still run: LibreOffice on its
    profile, the LibreOffice worker and render workers it started (by their parent or their
    arguments)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            parent = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        ours = f"styrdok-lo-{pid}-" in cmdline or f"styrdok-{pid}-" in cmdline
        if ours or (parent == pid and int(proc.name) != pid):
            found.append(cmdline)
    return found


def leftovers(pid: int, *folders: Path) -> list[str]:
    """Everything a serve process with this id left: processes, LibreOffice profiles and pipe
    sockets, staging folders and part files."""
    found = processes_of(pid)
    tmp = Path(tempfile.gettempdir())
    found += [str(p) for p in tmp.glob(f"styrdok-lo-{pid}-*")]
    found += [str(p) for p in tmp.glob(f"OSL_PIPE_*_styrdok-{pid}-*")]
    for folder in folders:
        if folder.exists():
            found += [str(p) for p in folder.rglob(".styrdok-*")]
            found += [str(p) for p in folder.rglob("*.part")]
            found += [str(p) for p in folder.rglob("*.tidig")]
    return found


def cpu_seconds(pid: int) -> float:
    """The CPU time (user and system) a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os_ticks()


def tree_cpu_seconds(pid: int) -> float:
    """The CPU time of a process and every process under it (LibreOffice, its worker)."""
    children: dict[int, list[int]] = {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            parent = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(proc.name))
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            total += cpu_seconds(current)
        except (OSError, ValueError, IndexError):
            continue
        todo += children.get(current, [])
    return total


def os_ticks() -> int:
    import os

    return os.sysconf("SC_CLK_TCK")
