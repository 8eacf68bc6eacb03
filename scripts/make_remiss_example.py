"""An example remiss round, made with styrdok's commands as an owner makes one: the example plan
sent to four nämnder, three answers back (comments and a tracked change in the Word file, the
answer form, a letter), the comments read, answered, the plan revised, and the
remissammanställning written. `make images` draws the README's remiss pages from it.

    .venv/bin/python scripts/make_remiss_example.py /tmp/remiss

The answers are written as Word writes them (tests/support/wordresponse.py, python-docx for the
form and the letter); the texts are illustrative, not the city's.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
DOC = "handlingsplan-bostadssociala"
ROUND = "2026-1"
STYRDOK = str(Path(sys.executable).with_name("styrdok"))
ENV = os.environ | {
    "GIT_AUTHOR_NAME": "Anna Andersson",
    "GIT_AUTHOR_EMAIL": "anna@example.invalid",
    "GIT_COMMITTER_NAME": "Anna Andersson",
    "GIT_COMMITTER_EMAIL": "anna@example.invalid",
}
ANSWERS = {
    "Kartläggningen bör göras": (
        "tillgodoses",
        "Kriminalvården och frivården deltar i kartläggningen; texten är ändrad.",
    ),
    "Ange vilka hyresvärdar": ("tillgodoses delvis", "De allmännyttiga nämns; övriga i avtalen."),
    "Klart till juni 2019": ("tillgodoses inte", "Kartläggningen ska vara klar till december."),
    "Metoden bör": ("tillgodoses", "Åtgärden omfattar nu fler målgrupper."),
    "Fastighetsnämnden tillstyrker": ("noteras", ""),
    "Lägg till ett mål": ("tillgodoses inte", "Antalet beror på bostadsmarknaden."),
    "Arbetsmarknadsnämnden tillstyrker": ("noteras", "Nämnden deltar i arbetet."),
}


def run(*args: str, cwd: Path) -> str:
    return subprocess.run(
        [*args], cwd=cwd, env=ENV, check=True, capture_output=True, text=True
    ).stdout


def main(dest: Path) -> None:
    import docx
    from support.wordresponse import WordResponse

    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(REPO / "source" / DOC, dest / "source" / DOC)
    shutil.copytree(REPO / "templates", dest / "templates")
    (dest / ".gitignore").write_text("/build/\n/svar/\n", encoding="utf-8")
    run("git", "init", "-q", "-b", "main", cwd=dest)
    run("git", "add", ".", cwd=dest)
    run("git", "commit", "-qm", "Förslag till reviderad plan", cwd=dest)
    bodies = "Socialnämnden, Fastighetsnämnden, Arbetsmarknadsnämnden, Vård- och omsorgsnämnden"
    run(STYRDOK, "remiss", DOC, "--omgång", ROUND, "--instanser", bodies,
        "--sista-svarsdag", "2026-10-31", "--datum", "2026-09-01", cwd=dest)  # fmt: skip
    run("git", "add", ".", cwd=dest)
    run("git", "commit", "-qm", "Remiss 2026-1", cwd=dest)
    out = dest / "build" / DOC / f"remiss-{ROUND}"
    answers = dest / "svar"
    answers.mkdir()

    # Socialnämnden: comments, a reply and a tracked change in the remiss version
    word = WordResponse((out / f"{DOC}-remissversion.docx").read_bytes())
    first = word.comment(
        "Arbeta med framtagna strategier",
        "Kartläggningen bör göras tillsammans med kriminalvården och frivården.",
    )
    word.reply(first, "Instämmer; frivården har uppgifterna.", author="Per Holm")
    word.comment("Bostad Först har sedan 2010", "Metoden bör omfatta unga vuxna.")
    word.comment("samverkansavtal med flera hyresvärdar", "Ange vilka hyresvärdar avtalen gäller.")
    word.replace("Klart till december 2018", "Klart till juni 2019")
    (answers / "Socialnämnden remissvar.docx").write_bytes(word.save())

    # Fastighetsnämnden: the answer form
    form = docx.Document(str(out / "svarsformular.docx"))
    form.tables[0].rows[1].cells[0].text = "Fastighetsnämnden"
    form.tables[0].rows[1].cells[1].text = "Eva Lund"
    rows = [
        ("Allmänt", "Fastighetsnämnden tillstyrker förslaget.", ""),
        ("3:6", "Lägg till ett mål för antalet flyttkedjor.", "Minst 20 flyttkedjor per år."),
    ]
    for row, values in zip(form.tables[1].rows[1:], rows, strict=False):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    form.save(str(answers / "formular-fastighet.docx"))

    # Arbetsmarknadsnämnden: a letter
    letter = docx.Document()
    for text in (
        "Remissvar: Handlingsplan – Bostadssociala programmet",
        "Arbetsmarknadsnämnden tillstyrker förslaget och ser fram emot arbetet med "
        "flyttkedjor och boendestöd.",
    ):
        letter.add_paragraph(text)
    letter.save(str(answers / "Arbetsmarknadsnämnden yttrande.docx"))

    run(STYRDOK, "remiss", "läs", DOC, "--omgång", ROUND,
        *sorted(str(p) for p in answers.iterdir()), cwd=dest)  # fmt: skip

    # the owner answers every comment and revises the plan
    path = dest / "source" / DOC / "remiss" / ROUND / "synpunkter.yaml"
    head, *entries = re.split(r"(?m)^(?=- id: )", path.read_text(encoding="utf-8"))
    for i, entry in enumerate(entries):
        for key, (position, reason) in ANSWERS.items():
            if key in entry:
                entry = entry.replace("ställningstagande:\n", f"ställningstagande: {position}\n")
                entry = entry.replace("motivering:\n", f"motivering: {reason}\n" if reason else
                                      "motivering:\n")  # fmt: skip
        entries[i] = entry
    path.write_text(head + "".join(entries), encoding="utf-8")
    body = dest / "source" / DOC / "document.md"
    text = body.read_text(encoding="utf-8")
    text = text.replace(
        "behöver vi göra en kartläggning.",
        "behöver vi göra en kartläggning tillsammans med kriminalvården och frivården.",
    )
    text = text.replace(
        "bredda metoden för fler målgrupper", "bredda metoden för fler målgrupper, även unga vuxna"
    )
    body.write_text(text, encoding="utf-8")
    run("git", "add", ".", cwd=dest)
    run("git", "commit", "-qm", "Svar på remissen och revidering", cwd=dest)
    print(run(STYRDOK, "remiss", "sammanställning", DOC, "--omgång", ROUND, cwd=dest), end="")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve())
