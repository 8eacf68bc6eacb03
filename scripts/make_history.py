"""Make an example git history of the plan: the decided 2018 version and a 2019 revision.

    .venv/bin/python scripts/make_history.py /tmp/historik
    cd /tmp/historik && styrdok diff handlingsplan-bostadssociala \\
        --from handlingsplan-bostadssociala/2018 --to main

The 2019 content is an illustrative revision made for trying styrdok, not the city's real 2019
plan: a moved timeline, a completed and removed measure, a new measure, a moved measure, a new
responsible party, prose edits and new metadata, as a September revision would bring.
"""

from __future__ import annotations

import re
import shutil
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import git

REPO = Path(__file__).resolve().parents[1]
DOC = "handlingsplan-bostadssociala"
AUTHOR_2018 = git.Actor("Socialförvaltningen", "styrdok@example.invalid")
AUTHOR_2019 = git.Actor("Styrgruppens sekreterare", "styrdok@example.invalid")

NEW_MEASURE = """## Bostadsförsörjningsprogram med sociala åtaganden {#sociala-ataganden .åtgärd}

Stadens bostadsförsörjningsprogram ska beskriva hur staden möter behoven hos hushåll som inte \
själva kan ordna en bostad. Ledningsgruppen tar fram underlag till programmet.

Ansvarig nämnd eller bolag
: Stadsledningsförvaltningen i samarbete med socialförvaltningen och fastighetsförvaltningen

Tidplan
: Klart juni 2020

Uppföljning
: Styrgruppen

"""


def _replace(text: str, old: str, new: str) -> str:
    if old not in text:
        raise SystemExit(f"make_history: hittar inte texten {old[:60]!r}")
    return text.replace(old, new, 1)


def _measure_block(text: str, ident: str) -> str:
    """The Markdown of one measure, from its heading to the next heading of level 1 or 2."""
    m = re.search(rf"^## [^\n]*\{{#{ident} \.åtgärd\}}\n.*?(?=^#{{1,2}} )", text, re.S | re.M)
    if not m:
        raise SystemExit(f"make_history: hittar inte åtgärden {ident}")
    return m.group(0)


def revise_2019(folder: Path) -> None:
    """Apply the illustrative September 2019 revision to a copy of the document."""
    meta = folder / "document.yaml"
    text = meta.read_text(encoding="utf-8")
    text = _replace(text, "datum: 2018-02-12", "datum: 2019-09-16")
    text = _replace(text, "giltighet: 2018-2019", "giltighet: 2019-2020")
    text = _replace(text, "beslutad 12 februari 2018", "reviderad 16 september 2019")
    meta.write_text(text, encoding="utf-8")

    body = folder / "document.md"
    text = body.read_text(encoding="utf-8")
    # 3:1 gets a new timeline; 3:2 a new responsible party.
    text = _replace(text, ": Klart juni 2018\n", ": Klart december 2019\n")
    text = _replace(
        text,
        "kartläggning.\n\nAnsvarig nämnd eller bolag\n: Socialförvaltningen\n",
        "kartläggning.\n\nAnsvarig nämnd eller bolag\n: Socialförvaltningen i samarbete med "
        "arbetsmarknadsförvaltningen\n",
    )
    # 3:3 is done and leaves the plan.
    text = text.replace(_measure_block(text, "kontraktsformer"), "", 1)
    # Bostad Först moves up to be the first measure.
    bostad_forst = _measure_block(text, "bostad-forst")
    text = text.replace(bostad_forst, "", 1)
    first = _measure_block(text, "bostadspolitiskt-program")
    text = text.replace(first, bostad_forst + first, 1)
    # A new measure at the end of section 3.
    text = _replace(text, "# Begrepp {#begrepp}", NEW_MEASURE + "# Begrepp {#begrepp}")
    # Prose edits.
    text = _replace(
        text,
        "Samarbetsgruppen träffas 4-5 gånger per halvår.",
        "Samarbetsgruppen träffas en gång i månaden.",
    )
    text = _replace(
        text,
        "revidering av planen som sker varje år i september.",
        "revidering av planen som sker varje år i september och redovisas för socialnämnden.",
    )
    body.write_text(text, encoding="utf-8")


def _commit(repo: git.Repo, message: str, who: git.Actor, when: tuple, utc_offset: int) -> None:
    stamp = datetime(*when, tzinfo=timezone(timedelta(hours=utc_offset)))
    repo.index.commit(message, author=who, committer=who, author_date=stamp, commit_date=stamp)


# The project's settings: releases go to an archive folder beside the repository.
SETTINGS = """\
[arkiv]
mapp = "../arkiv"

[metadata]
arkivbildare = "Helsingborgs stad (exempel)"
bevarande = "bevaras"
"""


def make_history(dest: Path) -> git.Repo:
    """A git repository at `dest`: the plan decided in 2018 (tagged) and its 2019 revision."""
    dest.mkdir(parents=True, exist_ok=False)
    shutil.copytree(REPO / "source" / DOC, dest / "source" / DOC)
    shutil.copytree(REPO / "templates", dest / "templates")
    (dest / ".gitignore").write_text("/build/\n", encoding="utf-8")
    (dest / "styrdok.toml").write_text(SETTINGS, encoding="utf-8")
    repo = git.Repo.init(dest, initial_branch="main")
    repo.index.add([".gitignore", "styrdok.toml", "source", "templates"])
    _commit(repo, "Handlingsplan 2018, beslutad av styrgruppen", AUTHOR_2018, (2018, 2, 12, 15), 1)
    repo.create_tag(f"{DOC}/2018", message="Beslutad 2018-02-12")
    revise_2019(dest / "source" / DOC)
    repo.index.add(["source"])
    message = "Revidering september 2019 (illustrativ exempelrevision, inte stadens verkliga plan)"
    _commit(repo, message, AUTHOR_2019, (2019, 9, 16, 10), 2)
    return repo


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit("användning: make_history.py MAPP")
    dest = Path(sys.argv[1]).resolve()
    make_history(dest)
    print(f"Exempelhistorik i {dest}. Jämför så här:")
    print(f"  cd {dest}")
    print(f"  styrdok diff {DOC} --from {DOC}/2018 --to main")
    print("och släpp den beslutade revisionen så här:")
    print(f"  styrdok release {DOC} --version 2019      # till {dest.parent / 'arkiv'}")


if __name__ == "__main__":
    main()
