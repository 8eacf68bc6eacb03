"""Page images of the follow-up for docs/images/ (`make images`): a department's workbook as
LibreOffice Calc prints it, and the uppföljningsrapport's summary and per-department pages, made
from the tests' plan (tests/roots/uppfoljning) with follow-ups of 2025 and 2026.

    .venv/bin/python scripts/uppfoljning_images.py OUT_DIR
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

DOC = "trygg-bostad"
LAST = """\
år: 2025
åtgärder:
  bostad-forst:
    Socialförvaltningen:
      status: påbörjad
      kommentar: "Fyra hushåll har fått eget kontrakt."
  sociala-kontrakt:
    Fastighetsförvaltningen:
      status: påbörjad
    Socialförvaltningen:
      status: ej påbörjad
  oversyn-bestand:
    Fastighetsförvaltningen:
      status: påbörjad
  vrakningsforebyggande:
    Socialförvaltningen:
      status: pågår enligt plan
"""
NOW = """\
år: 2026
åtgärder:
  bostad-forst:
    Socialförvaltningen:
      status: genomförd
      kommentar: "Tolv hushåll har fått eget kontrakt; målet för planperioden är nått."
      rapporterad: 2026-09-12
  sociala-kontrakt:
    Fastighetsförvaltningen:
      status: genomförd
      kommentar: "Riktlinjerna är klara från vår sida."
      rapporterad: 2026-09-14
    Socialförvaltningen:
      status: påbörjad
      kommentar: "Förslaget går till nämnden i oktober."
      rapporterad: 2026-09-12
  oversyn-bestand:
    Fastighetsförvaltningen:
      status: försenad
      kommentar: "Inventeringen tog längre tid; rapporten lämnas i december."
      rapporterad: 2026-09-14
  boendestod:
    Vård- och omsorgsförvaltningen:
      status: pågår enligt plan
      kommentar: "Åtta personer har fått boendestöd i år."
      rapporterad: 2026-09-15
  vrakningsforebyggande:
    Socialförvaltningen:
      status: pågår enligt plan
      kommentar: "Teamet har arbetat med 31 hushåll; inga vräkningar av barnfamiljer."
      rapporterad: 2026-09-12
"""


def main(out: Path) -> None:
    from openpyxl import load_workbook

    from styrdok.commands.uppfoljning import report, send_out
    from styrdok.project.layout import Project

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "projekt"
        shutil.copytree(REPO / "tests" / "roots" / "uppfoljning", root)
        shutil.copytree(REPO / "templates", root / "templates")
        folder = root / "source" / DOC / "uppfoljning"
        folder.mkdir()
        (folder / "2025.yaml").write_text(LAST, encoding="utf-8")
        project = Project(root)
        books = send_out(project, DOC, 2026, Path(tmp) / "utskick")
        (book,) = [b for b in books if b.name.endswith("socialforvaltningen.xlsx")]
        wb = load_workbook(book)  # half filled in, as a department is while it answers
        ws = wb["Uppföljning"]
        ws["F8"], ws["G8"] = "genomförd", "Tolv hushåll har fått eget kontrakt."
        ws["F9"], ws["G9"] = "påbörjad", "Förslaget går till nämnden i oktober."
        wb.save(book)
        pdf_dir = Path(tmp) / "pdf"
        profile = (Path(tmp) / "profil").as_uri()
        subprocess.run(
            ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(pdf_dir), str(book)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        pdf = pdf_dir / book.with_suffix(".pdf").name
        shot(
            pdf,
            1,
            out / "uppfoljning-arbetsbok",
            ["-r", "100", "-x", "0", "-y", "0", "-W", "1169", "-H", "330"],
        )  # the filled part
        (folder / "2026.yaml").write_text(NOW, encoding="utf-8")
        made = report(project, DOC, 2026, ("pdf",), Path(tmp) / "rapport")
        shot(made[0], 1, out / "uppfoljning-rapport-sida-1")
        shot(made[0], 2, out / "uppfoljning-rapport-sida-2")
        for name in ("uppfoljning-arbetsbok", "uppfoljning-rapport-sida-1"):
            print(out / f"{name}.png")
        print(out / "uppfoljning-rapport-sida-2.png")


def shot(pdf: Path, page: int, stem: Path, size: list[str] | None = None) -> None:
    subprocess.run(
        ["pdftoppm", *(size or ["-r", "60"]), "-png", "-f", str(page), "-l", str(page),
         "-singlefile", str(pdf), str(stem)],
        check=True,
    )  # fmt: skip


if __name__ == "__main__":
    main(Path(sys.argv[1]))
