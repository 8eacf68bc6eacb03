"""One broken document does not block the others, and the governance rules by type warn."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from styrdok.cli import main

REPO = Path(__file__).resolve().parents[2]
PLAN_BODY = (REPO / "tests" / "roots" / "good" / "source" / "liten" / "document.md").read_text(
    encoding="utf-8"
)
NO_MEASURES = "# Syfte {#syfte}\n\nPolicyn anger hur staden ska agera.\n"


def project(tmp_path: Path, docs: dict[str, tuple[str, str]]) -> Path:
    """A project with documents name → (typ, body), metadata from the 'good' fixture."""
    root = tmp_path / "p"
    meta = (REPO / "tests" / "roots" / "good" / "source" / "liten" / "document.yaml").read_text(
        encoding="utf-8"
    )
    for name, (typ, body) in docs.items():
        folder = root / "source" / name
        folder.mkdir(parents=True)
        (folder / "document.yaml").write_text(meta.replace("typ: plan", f"typ: {typ}"), "utf-8")
        (folder / "document.md").write_text(body, encoding="utf-8")
    shutil.copytree(REPO / "templates", root / "templates")
    return root


def cli(root: Path, *args: str):
    return CliRunner().invoke(main, [*args, "--root", str(root)])


def test_check_reports_every_document_ok_or_its_problems(tmp_path):
    root = project(
        tmp_path,
        {
            "a-plan": ("plan", PLAN_BODY),
            "b-trasig": ("plan", "# Utan id\n"),
            "c-plan": ("plan", PLAN_BODY),
        },
    )
    result = cli(root, "check")
    assert result.exit_code == 1
    assert "a-plan: ok (2 avsnitt, 1 åtgärder)" in result.output
    assert "c-plan: ok" in result.output
    assert "b-trasig/document.md:1: avsnittet saknar id" in result.output


def test_build_builds_the_valid_documents_and_keeps_the_broken_ones_output(tmp_path):
    root = project(tmp_path, {"a-plan": ("plan", PLAN_BODY), "b-plan": ("plan", PLAN_BODY)})
    assert cli(root, "build", "--format", "docx").exit_code == 0
    old = (root / "build" / "b-plan" / "b-plan.docx").read_bytes()
    (root / "source" / "b-plan" / "document.md").write_text("# Utan id\n", encoding="utf-8")
    (root / "source" / "a-plan" / "document.md").write_text(
        PLAN_BODY.replace("Vad åtgärden gör.", "Vad åtgärden nu gör."), encoding="utf-8"
    )
    result = cli(root, "build", "--format", "docx")
    assert result.exit_code == 1
    assert f"{root}/build/a-plan/a-plan.docx" in result.output
    assert "byggde inte b-plan" in result.output and "avsnittet saknar id" in result.output
    assert (root / "build" / "b-plan" / "b-plan.docx").read_bytes() == old
    from docx import Document

    texts = [p.text for p in Document(str(root / "build" / "a-plan" / "a-plan.docx")).paragraphs]
    assert "Vad åtgärden nu gör." in texts


def test_governance_rules_warn_and_strict_fails(tmp_path):
    root = project(
        tmp_path,
        {
            "plan-utan": ("plan", NO_MEASURES),
            "policy-med": ("policy", PLAN_BODY),
            "policy-utan": ("policy", NO_MEASURES),
            "program-med": ("program", PLAN_BODY),
        },
    )
    result = cli(root, "check")
    assert result.exit_code == 0, result.output
    assert "plan-utan/document.md:1: varning: en plan har normalt åtgärder" in result.output
    assert "policy-med/document.md:7: varning: en policy har normalt inga åtgärder" in result.output
    assert "policy-utan/document.md" not in result.output
    assert "program-med/document.md" not in result.output
    assert all(f"{n}: ok" in result.output for n in ("plan-utan", "policy-med", "policy-utan"))
    strict = cli(root, "check", "--strict")
    assert strict.exit_code == 1 and "varningar i plan-utan, policy-med (--strict)" in strict.output
    built = cli(root, "build", "--format", "docx")
    assert built.exit_code == 0 and "varning: en plan har normalt åtgärder" in built.output


def test_new_writes_a_skeleton_that_check_guides_to_a_built_document(tmp_path):
    root = tmp_path / "ny"
    shutil.copytree(REPO / "templates", root / "templates")
    values = {
        "datum": "2026-12-01",
        "dnr": "KS 2026/1",
        "beslutat_av": "Kommunfullmäktige",
        "revideras_av": "Kommunstyrelsen",
        "giltighet": "2027-2030",
        "gäller_för": "Alla nämnder",
        "dokumentansvarig": "Stadsledningsförvaltningen",
    }
    for typ in ("PLAN", "program", "policy", "riktlinjer"):
        name = f"ny-{typ.lower()}"
        made = cli(root, "new", name, "--typ", typ, "--titel", f"Ny {typ.lower()} för test")
        assert made.exit_code == 0, made.output
        again = cli(root, "new", name, "--typ", typ, "--titel", "x")
        assert again.exit_code == 1 and "finns redan" in again.output
        checked = cli(root, "check", name)
        assert checked.exit_code == 1
        assert "document.yaml:4: 'datum' är inte ifyllt ännu (<saknas>)" in checked.output
        meta = root / "source" / name / "document.yaml"
        text = meta.read_text(encoding="utf-8")
        for key, value in values.items():
            text = text.replace(f'{key}: "<saknas>"', f"{key}: {value}")
        meta.write_text(text, encoding="utf-8")
        body = root / "source" / name / "document.md"
        body.write_text(body.read_text(encoding="utf-8").replace("\\<saknas>", "Styrgruppen"))
        checked = cli(root, "check", "--strict", name)
        assert checked.exit_code == 0, checked.output
        assert cli(root, "build", name, "--format", "docx").exit_code == 0
    wrong = cli(root, "new", "x", "--typ", "strategi", "--titel", "x")
    assert wrong.exit_code == 2 and "'strategi' är inget av" in wrong.output
