"""A large Word file that another program wrote (Apache POI's bug65649.docx: Cyrillic contract
text, 12,000 paragraphs and a table of 680,000 XML nodes) imports and builds as a DOCX in
seconds. The build took four minutes while lxml moved that table between documents at once
(writers/ooxml/template.py). Behind the `slow` marker (make test-all): about 15 s."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from styrdok.cli import main

FILE = Path(__file__).parents[2] / "data" / "large" / "poi-bug65649.docx"
VALUES = {
    "typ": "plan",
    "datum": "2024-01-01",
    "dnr": "KS 2024/1",
    "beslutat_av": "Kommunstyrelsen",
    "revideras_av": "Kommunstyrelsen",
    "giltighet": "Tills vidare",
    "gäller_för": "Alla",
    "dokumentansvarig": "Anna Andersson",
}


@pytest.mark.slow
def test_a_large_real_world_file_imports_and_builds_in_seconds(tmp_path, repo):
    shutil.copytree(repo / "templates", tmp_path / "templates")
    (tmp_path / "source").mkdir()
    start = time.perf_counter()
    result = CliRunner().invoke(
        main, ["import", str(FILE), "--name", "avtal", "--root", str(tmp_path)]
    )
    imported = time.perf_counter() - start
    assert result.exit_code == 0, result.output
    meta = tmp_path / "source" / "avtal" / "document.yaml"
    text = meta.read_text(encoding="utf-8")
    for key, value in VALUES.items():
        text = re.sub(rf'^{key}: "<saknas>"', f'{key}: "{value}"', text, flags=re.M)
    meta.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    result = CliRunner().invoke(
        main, ["build", "avtal", "--format", "docx", "--root", str(tmp_path)]
    )
    built = time.perf_counter() - start
    assert result.exit_code == 0, result.output
    assert (tmp_path / "build" / "avtal" / "avtal.docx").stat().st_size > 100_000
    assert imported < 30 and built < 30, (imported, built)
