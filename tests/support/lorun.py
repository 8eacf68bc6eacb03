"""Run one of the tests' UNO scripts (system Python, which has `uno`) against a LibreOffice."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from styrdok.convert.office import SYSTEM_PYTHON


def run_script(office, script: str, *args: str) -> subprocess.CompletedProcess:
    """The script's run on `office`. LibreOffice 7.4 has crashed (SIGSEGV, taking the script
    with it) once in many hundred runs, not again on the same file: one retry on a fresh
    LibreOffice; a second crash is returned as it is, for the caller to fail on."""
    for attempt in (1, 2):
        office.start()
        out = subprocess.run(
            [SYSTEM_PYTHON, str(Path(__file__).with_name(script)), office.connection, *args],
            capture_output=True,
            text=True,
            timeout=120,
        )
        if out.returncode == 0 or attempt == 2:
            break
        office.close()
    return out


def libreoffice_edit(office, docx: Path, out: Path, edits: list) -> Path:
    """The document edited in LibreOffice as a user would (loedit.py: replace, add, delete,
    bold), saved as DOCX at `out`."""
    done = run_script(office, "loedit.py", str(docx), str(out), json.dumps(edits))
    assert done.returncode == 0, done.stderr
    return out
