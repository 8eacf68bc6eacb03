"""One warm LibreOffice: reused, restarted when it dies or hangs, never left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from styrdok.commands.build import build_documents
from styrdok.convert.office import (
    Office,
    OfficeError,
    libreoffice_version,
    setup_version,
)
from styrdok.convert.office_worker import single_instance_pipe
from styrdok.errors import SourceError
from styrdok.writers import register


def alive(pid: int | None) -> bool:
    if pid is None or not Path(f"/proc/{pid}").exists():
        return False
    state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    return state != "Z"


def group_alive(pgid: int) -> bool:
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().split(")")[-1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def test_many_documents_share_one_libreoffice(office, example_build, tmp_path):
    pids = []
    for n in range(3):
        office.convert(example_build, tmp_path / f"{n}.pdf", title="t")
        pids.append(office.pid)
    assert len(set(pids)) == 1 and pids[0] is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.pdf", "1.pdf", "2.pdf"]


def test_missing_input_names_the_file(office, tmp_path):
    with pytest.raises(OfficeError, match=r"finns-inte\.docx: filen finns inte"):
        office.convert(tmp_path / "finns-inte.docx", tmp_path / "x.pdf", title="t")
    assert list(tmp_path.iterdir()) == []


def test_unreadable_input_is_a_clear_error_and_leaves_nothing(office, tmp_path):
    bad = tmp_path / "trasig.docx"
    bad.write_bytes(b"PK\x03\x04 inte en riktig docx")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(OfficeError, match=r"trasig\.docx") as refused:
        office.convert(bad, out / "trasig.pdf", title="t")
    assert list(out.iterdir()) == []
    # in words, without the exception's name (issue 22)
    assert str(refused.value).endswith(
        "trasig.docx: LibreOffice kunde inte öppna filen; den är skadad eller inte ett "
        "Word-dokument. Bygg den igen med styrdok"
    )
    assert "Error" not in str(refused.value)


def test_killed_libreoffice_is_restarted_and_nothing_is_left(example_build, tmp_path):
    with Office() as office:
        office.convert(example_build, tmp_path / "a.pdf", title="t")
        first = office.pid
        os.killpg(first, signal.SIGKILL)
        office.convert(example_build, tmp_path / "b.pdf", title="t")
        second = office.pid
        assert second != first
    assert not alive(first) and not group_alive(second)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "b.pdf"]


def test_hung_libreoffice_is_restarted_after_the_timeout(example_build, tmp_path):
    with Office(timeout=4) as office:
        office.convert(example_build, tmp_path / "a.pdf", title="t")
        hung = office.pid
        os.killpg(hung, signal.SIGSTOP)
        office.convert(example_build, tmp_path / "b.pdf", title="t")
        assert office.pid != hung
    assert not group_alive(hung)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "b.pdf"]


def test_libreoffice_that_never_answers_gives_clear_error(example_build, tmp_path, monkeypatch):
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "soffice").write_text("#!/bin/sh\nexec sleep 300\n")
    (fake / "soffice").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{os.environ['PATH']}")
    out = tmp_path / "out"
    out.mkdir()
    office = Office(start_timeout=2)
    with (
        pytest.raises(OfficeError, match="startade inte inom 2 s; också efter en omstart"),
        office,
    ):
        office.convert(example_build, out / "x.pdf", title="t")
    assert list(out.iterdir()) == []
    sleepers = subprocess.run(["pgrep", "-f", f"{fake}/soffice"], capture_output=True, text=True)
    assert sleepers.stdout == ""


@pytest.mark.parametrize(
    ("sig", "status"), [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGINT, -signal.SIGINT)]
)
def test_sigterm_or_ctrl_c_leaves_no_libreoffice(example_build, tmp_path, sig, status):
    script = (
        "import sys, time\n"
        "from styrdok.convert.office import Office\n"
        "with Office() as o:\n"
        f"    o.convert({str(example_build)!r}, {str(tmp_path / 'a.pdf')!r}, title='t')\n"
        "    print(o.pid, o.profile, flush=True)\n"
        "    time.sleep(60)\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as proc:
        pid, profile = proc.stdout.readline().split()
        assert alive(int(pid)) and Path(profile).is_dir()
        proc.send_signal(sig)
        assert proc.wait(30) == status
    deadline = time.monotonic() + 10
    while group_alive(int(pid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not group_alive(int(pid))
    assert not Path(profile).exists()


def test_profile_is_seeded_with_the_installed_version():
    # LibreOffice skips its first-start self-tests only when the profile names its own version;
    # a version we failed to read would silently cost a second a command.
    installed = libreoffice_version().split()[1]  # "LibreOffice 7.4.7.2 …"
    assert setup_version() is not None
    assert installed.startswith(setup_version() + ".")


def test_a_failed_pdf_build_leaves_the_shared_libreoffice_ready(project, office, tmp_path):
    # the good document is already with LibreOffice when the bad one fails to load
    (project.source / "zz-trasig").mkdir()
    (project.source / "zz-trasig" / "document.yaml").write_text("typ: plan\n", encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(SourceError) as failed:
        build_documents(project, (), ("pdf",), out, office)
    assert failed.value.done == [out / "liten" / "liten.pdf"]  # the valid one, built
    (pdf,) = build_documents(project, ("liten",), ("pdf",), out, office, force=True)
    assert pdf == out / "liten" / "liten.pdf" and pdf.read_bytes().startswith(b"%PDF")
    made = [".bygge.json", "liten", "liten.pdf", *register.FILES]
    assert sorted(p.name for p in out.rglob("*")) == sorted(made)


def test_an_answer_waiting_with_the_ready_line_is_read_at_once(example_build, tmp_path):
    """The worker's "ready" and its first answer can arrive together; both are read from the
    pipe itself, so the second is not left in a buffer while select() waits a minute."""
    with Office(timeout=20) as office:
        office.start()
        job = office.submit(example_build, tmp_path / "a.pdf", title="t")
        time.sleep(6)  # LibreOffice starts and converts meanwhile: two lines wait in the pipe
        started = time.monotonic()
        office.finish(job)
        assert time.monotonic() - started < 5


def test_no_pipe_socket_is_left_in_tmp(example_build, tmp_path):
    with Office() as office:
        office.convert(example_build, tmp_path / "a.pdf", title="t")
        assert office.profile is not None and office.connection is not None
        pipe = office.connection.split("name=", 1)[1].split(";", 1)[0]
        names = [pipe, single_instance_pipe(office.profile)]
        sockets = [p for n in names for p in Path(tempfile.gettempdir()).glob(f"OSL_PIPE_*_{n}")]
        assert len(sockets) == 2  # both pipes LibreOffice listens on, found by name
    assert not [p for p in sockets if p.exists()]
