"""Convert stage: DOCX → PDF/A-2b and PDF/UA-1 through one warm LibreOffice per command.

`Office` starts LibreOffice on demand (headless, a private profile, its own process group) and a
worker under the system Python that has the `uno` bridge (office_worker.py); every conversion of
the command goes through them. A hung or dead LibreOffice is killed and restarted once; a second
failure is an OfficeError. Output is written under a temporary name and renamed into place.
Each PDF is finished as PDF/UA-1 too (pdf_conform.py) before it is moved into place.
Closing (also on errors, Ctrl-C and SIGTERM) leaves no process and no profile behind.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import os
import re
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from styrdok.convert.office_worker import stop_profile
from styrdok.errors import BuildError, office_message

WORKER = Path(__file__).with_name("office_worker.py")
SYSTEM_PYTHON = "/usr/bin/python3"
START_TIMEOUT = 60.0


class OfficeError(BuildError):
    """LibreOffice is missing, failed or did not answer."""


def soffice_binary() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise OfficeError(
            "LibreOffice saknas (soffice); installera det, på Debian: sudo apt-get install "
            "libreoffice-writer-nogui python3-uno fonts-liberation2 (i styrdoks eget förråd: "
            "make build)"
        )
    return found


@functools.cache
def libreoffice_version() -> str:
    """The installed LibreOffice's version line, e.g. 'LibreOffice 7.4.7.2 40(Build:2)'."""
    out = subprocess.run(
        [soffice_binary(), "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    return out.stdout.strip() or "okänd"


@functools.cache
def setup_version() -> str | None:
    """The installation's major.minor version ('7.4') from its registry, or None if not found."""
    program = Path(os.path.realpath(soffice_binary())).parent
    try:
        data = (program.parent / "share" / "registry" / "main.xcd").read_bytes()
    except OSError:
        return None
    found = re.search(rb'oor:name="ooSetupVersion">\s*<value>([^<]+)</value>', data)
    return found.group(1).decode() if found else None


def _seed_profile(profile: Path) -> None:
    """Settings of a new profile:

    - no lock files (`.~lock.<file>#`) beside the documents: a LibreOffice killed mid-job
      would leave one, and the restarted one would then refuse the file;
    - marked as already used by this version: LibreOffice otherwise treats every start on a
      fresh profile as the first after an update and runs its graphics self-tests first, which
      is most of its start-up time (about 1.2 of 1.5 s here)."""
    misc = '<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="{}" oor:op="fuse">'
    items = [
        misc.format(name) + "<value>false</value></prop></item>"
        for name in ("UseDocumentOOoLockFile", "UseDocumentSystemFileLocking")
    ]
    version = setup_version()
    if version is not None:
        items.append(
            '<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion"'
            f' oor:op="fuse"><value>{version}</value></prop></item>'
        )
    (profile / "user").mkdir()
    (profile / "user" / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry">\n'
        + "\n".join(items)
        + "\n</oor:items>\n",
        encoding="utf-8",
    )


PROFILE_PREFIX = "styrdok-lo-"


def sweep_profiles() -> None:
    """Remove the profiles of styrdok processes that are gone, and stop any LibreOffice still
    running on one (left when both styrdok and its worker were killed)."""
    from styrdok.project.publish import sweep

    sweep(Path(tempfile.gettempdir()), PROFILE_PREFIX, stop_profile)


def _kill_group(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 3.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


class Office:
    """One LibreOffice for many conversions; use as a context manager."""

    def __init__(self, timeout: float = 60.0, start_timeout: float = START_TIMEOUT):
        self.timeout, self.start_timeout = timeout, start_timeout
        self.soffice: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.profile: Path | None = None
        self.connection: str | None = None  # where the running LibreOffice listens (UNO URL)
        self._old_sigterm: Callable[[int, FrameType | None], Any] | int | None = None
        self._starting = False
        self._unread = b""  # what the worker wrote that is not yet read as answers

    def __enter__(self) -> Office:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        """The running LibreOffice's process id (None before the first conversion)."""
        return self.soffice.pid if self.soffice and self.soffice.poll() is None else None

    def start(self) -> None:
        """Start LibreOffice now, without waiting for it; the first job waits until it is up."""
        if self.worker is None or self.worker.poll() is not None or self.pid is None:
            self._stop()
            self._start()

    def convert(self, src: Path, dst: Path, title: str) -> Path:
        """Convert one DOCX to a PDF/A-2b at `dst`; retried once on a fresh LibreOffice."""
        return self.finish(self.submit(src, dst, title))

    def submit(self, src: Path, dst: Path, title: str) -> Job:
        """Hand a conversion to LibreOffice and return at once (one job in flight at a time);
        `finish` waits for it. The caller can render the next document meanwhile."""
        src, dst = Path(src).resolve(), Path(dst).resolve()
        if not src.is_file():
            raise OfficeError(f"{src}: filen finns inte; kan inte göra PDF av den")
        job = Job(src, dst, dst.with_name(f".{dst.name}.{uuid.uuid4().hex[:8]}.part"), title)
        try:
            self._send(job)
        except _Unresponsive:
            job.failed = True
        return job

    def finish(self, job: Job, conform: bool = True) -> Path:
        """Wait for a submitted conversion and move the PDF into place, made PDF/UA-1 as well
        (pdf_conform) unless `conform` is False: the caller does that (render_pool)."""
        try:
            for attempt in (1, 2):
                try:
                    if job.failed:
                        job.failed = False
                        self._send(job)
                    self._receive(job)
                    break
                except _Unresponsive as e:
                    self._stop()
                    job.failed = True
                    if attempt == 2:
                        raise OfficeError(
                            f"{job.name}: PDF:en kunde inte göras: {e}; också efter en omstart"
                        ) from None
            if conform:
                from styrdok.convert.pdf_conform import (
                    make_accessible,  # pikepdf: imported once a PDF is made
                )

                make_accessible(job.part, job.src)  # PDF/A-2b and PDF/UA-1, dated as the DOCX
            os.replace(job.part, job.dst)
        finally:
            job.part.unlink(missing_ok=True)
        return job.dst

    def _send(self, job: Job) -> None:
        self.start()
        assert self.worker is not None and self.worker.stdin is not None
        message = {"src": str(job.src), "dst": str(job.part), "title": job.title}
        # its time runs from now (after LibreOffice's start, when it is starting)
        job.deadline = time.monotonic() + self.timeout + (self.start_timeout * self._starting)
        try:
            self.worker.stdin.write(json.dumps(message) + "\n")
            self.worker.stdin.flush()
        except BrokenPipeError:
            raise _Unresponsive("LibreOffice avslutades oväntat") from None

    def _receive(self, job: Job) -> None:
        if self._starting:
            start = time.monotonic() + self.start_timeout
            self._read(start, f"LibreOffice startade inte inom {self.start_timeout:.0f} s")
            self._starting = False
            job.deadline = min(job.deadline, time.monotonic() + self.timeout)
        answer = self._read(job.deadline, f"LibreOffice svarade inte inom {self.timeout:.0f} s")
        # A LibreOffice that died mid-job: the bridge to it is gone (its launcher may live on).
        lost = "DisposedException" in answer.get("error", "") or self.pid is None
        if not answer.get("ok") and lost:
            raise _Unresponsive("LibreOffice avslutades oväntat")
        if not answer.get("ok"):
            error = office_message(answer.get("error", "okänt fel"), job.dst.parent)
            raise OfficeError(f"{job.name}: {error}")

    def done(self, job: Job) -> bool:
        """Whether `finish(job)` would return without waiting: its answer is in, LibreOffice
        is gone, or its time is up. For a caller that keeps several LibreOffices busy."""
        if self.worker is None or self.worker.stdout is None:
            return True
        fd = self.worker.stdout.fileno()
        if select.select([fd], [], [], 0)[0]:
            chunk = os.read(fd, 65536)
            if not chunk:
                return True  # the worker is gone
            self._unread += chunk
        if self._unread.count(b"\n") >= 1 + self._starting:  # "ready" first, when starting
            return True
        return self.pid is None or time.monotonic() > job.deadline

    def fileno(self) -> int:
        """The worker's answers (for select), or -1 when no worker runs."""
        worker = self.worker
        return worker.stdout.fileno() if worker is not None and worker.stdout else -1

    def _read(self, deadline: float, message: str) -> dict:
        """The worker's next answer; a LibreOffice that dies meanwhile (also while starting,
        when the worker would go on trying to connect) is noticed within a quarter second."""
        assert self.worker is not None and self.worker.stdout is not None
        # Read the pipe itself, not through Python's buffer: a buffered readline could take two
        # answers at once and leave select() waiting for one it already has.
        fd = self.worker.stdout.fileno()
        line = b""
        while b"\n" not in self._unread and time.monotonic() < deadline and self.pid is not None:
            wait = min(0.25, max(0.0, deadline - time.monotonic()))
            if select.select([fd], [], [], wait)[0]:
                chunk = os.read(fd, 65536)
                if not chunk:
                    break  # the worker is gone
                self._unread += chunk
        if b"\n" in self._unread:
            line, self._unread = self._unread.split(b"\n", 1)
        if not line:
            dead = self.pid is None or self.worker.poll() is not None
            raise _Unresponsive("LibreOffice avslutades oväntat" if dead else message)
        return json.loads(line)

    def _start(self) -> None:
        sweep_profiles()
        self.profile = Path(tempfile.mkdtemp(prefix=f"{PROFILE_PREFIX}{os.getpid()}-"))
        _seed_profile(self.profile)
        scratch = self.profile / "tmp"  # LibreOffice's own temporary files (lu*.tmp) go here
        scratch.mkdir()
        pipe = f"styrdok-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.connection = f"pipe,name={pipe};urp;StarOffice.ComponentContext"
        # no signals held here: the children would inherit the mask. A signal between the two
        # starts is covered by the worker's watch and by stop_profile in _stop.
        self._spawn(pipe, scratch)
        atexit.register(self.close)
        if threading.current_thread() is threading.main_thread() and self._old_sigterm is None:
            self._old_sigterm = signal.signal(signal.SIGTERM, _sigterm_to_exit)
        self._starting = True  # the worker says "ready" once it has connected

    def _spawn(self, pipe: str, scratch: Path) -> None:
        # The worker starts first and watches this process: once it is gone, even by SIGKILL,
        # the worker stops every LibreOffice on the profile and removes the profile.
        assert self.connection is not None and self.profile is not None  # set by start()
        self.worker = subprocess.Popen(
            [SYSTEM_PYTHON, str(WORKER), self.connection, str(os.getpid()), str(self.profile)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        self.soffice = subprocess.Popen(
            [
                soffice_binary(),
                "--headless",
                "--invisible",
                "--nologo",
                "--norestore",
                "--nodefault",
                "--nolockcheck",
                f"-env:UserInstallation={self.profile.as_uri()}",
                f"--accept=pipe,name={pipe};urp;",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, "TMPDIR": str(scratch)},
        )

    def _stop(self) -> None:
        if self.worker is not None and self.worker.stdin is not None:
            with contextlib.suppress(OSError):
                self.worker.stdin.close()
        _kill_group(self.soffice)
        _kill_group(self.worker)
        if self.worker is not None and self.worker.stdout is not None:
            self.worker.stdout.close()
        self.soffice = self.worker = None
        self._unread = b""
        if self.connection is not None:  # the pipe's socket file LibreOffice leaves in /tmp
            pipe = self.connection.split("name=", 1)[1].split(";", 1)[0]
            for socket in Path(tempfile.gettempdir()).glob(f"OSL_PIPE_*_{pipe}"):
                socket.unlink(missing_ok=True)
        if self.profile is not None:  # also any LibreOffice a signal kept us from knowing of
            stop_profile(self.profile)  # and its single-instance pipe's socket
            self.profile = None

    def close(self) -> None:
        """Stop LibreOffice and the worker; safe to call more than once."""
        self._stop()
        atexit.unregister(self.close)
        if self._old_sigterm is not None:
            signal.signal(signal.SIGTERM, self._old_sigterm)
            self._old_sigterm = None


@dataclass
class Job:
    """A conversion handed to LibreOffice."""

    src: Path
    dst: Path
    part: Path
    title: str
    failed: bool = False
    deadline: float = 0.0  # when LibreOffice has taken too long over it (set as it is sent)

    @property
    def name(self) -> str:
        """What the user knows the job by: the document's file name, not a staging path."""
        return self.src.name


class _Unresponsive(Exception):
    """LibreOffice hung or died; the caller restarts it once."""


def _sigterm_to_exit(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)
