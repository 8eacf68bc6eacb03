"""E-ARK checks the tests share: the package inside a bag, and eark-validator's findings (run in
its own environment, .venv/eark, with support/eark_validate.py)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def sip(package: Path) -> Path:
    """The E-ARK package inside a bag: data/<OBJID>/."""
    (inner,) = (package / "data").iterdir()
    return inner


def eark_findings(package: Path) -> list[dict]:
    """eark-validator's errors and warnings for an E-ARK package (its own environment)."""
    python = REPO / ".venv" / "eark" / "bin" / "python"
    assert python.is_file(), "make build installs eark-validator into .venv/eark"
    result = subprocess.run(
        [str(python), str(Path(__file__).with_name("eark_validate.py")), str(package)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[-1] == {"structure": "StructureStatus.WELLFORMED"}
    return lines[:-1]


# SIP14 asks the creator agent's note for a NOTETYPE attribute without a namespace, which the
# METS schema forbids, while CSIP15/16 ask the same note for csip:NOTETYPE="SOFTWARE VERSION":
# no package can pass both, so SIP14 is the one rule left out.
CONTRADICTORY = {"SIP14"}
