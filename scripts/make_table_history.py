"""Make an example git history of the policy's responsibility table: a cell edited, a row added,
a row removed (the redline of a table; README and docs/images/redline-tabell.png).

    .venv/bin/python scripts/make_table_history.py /tmp/tabell
    cd /tmp/tabell && styrdok diff policy-informationssakerhet --from HEAD~1 --to HEAD
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import git

REPO = Path(__file__).resolve().parents[1]
DOC = "policy-informationssakerhet"
AUTHOR = git.Actor("Styrdokumentsamordnaren", "styrdok@example.invalid")
DATES = ("2025-11-20T10:00:00", "2026-11-19T14:30:00")  # fixed: the same history every time
EDITS = (
    (
        "| Nämnd och styrelse | Ansvarar för informationssäkerheten i sin verksamhet och sina "
        "system | Kommunstyrelsen |\n",
        "| Nämnd och styrelse | Ansvarar för informationssäkerheten i sin verksamhet, sina system "
        "och sina leverantörer | Kommunstyrelsen |\n"
        "| Förvaltningschef | Utser en informationssäkerhetssamordnare | Nämnden |\n",
    ),
    (
        "| Säkerhetsfunktionen | Tar emot incidentrapporter och stödjer förvaltningarna | "
        "Kommunstyrelsen |\n",
        "",
    ),
)


def main(root: Path) -> None:
    if root.exists():
        raise SystemExit(f"make_table_history: {root} finns redan; ange en ny mapp")
    shutil.copytree(REPO / "source" / DOC, root / "source" / DOC)
    shutil.copytree(REPO / "templates", root / "templates")
    repo = git.Repo.init(root)
    repo.index.add(["source", "templates"])
    repo.index.commit(
        "Policyn som den beslutades",
        author=AUTHOR,
        committer=AUTHOR,
        author_date=DATES[0],
        commit_date=DATES[0],
    )
    body = root / "source" / DOC / "document.md"
    text = body.read_text(encoding="utf-8")
    for old, new in EDITS:
        if old not in text:
            raise SystemExit(f"make_table_history: hittar inte raden {old[:60]!r}")
        text = text.replace(old, new, 1)
    body.write_text(text, encoding="utf-8")
    repo.index.add(["source"])
    repo.index.commit(
        "Ansvarstabellen reviderad",
        author=AUTHOR,
        committer=AUTHOR,
        author_date=DATES[1],
        commit_date=DATES[1],
    )
    print(root)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
