"""verify's check of the remiss rounds a package documents (documentation/remiss/<omgång>/):
the round's files read as `check` reads them in a project, every response listed in svar.yaml
kept beside them with the checksum it was read with, every comment from a listed response, and
the remissammanställning there. Fixity proves the files are the ones released; this proves the
round is whole: nothing the sammanställning answers was left out of the package."""

from __future__ import annotations

from pathlib import Path

from styrdok.archive.checksum import file_sha256
from styrdok.readers.remiss.rounds import REMISS_DIR, ROUND_FILE, read_round

SUMMARY = "remissammanstallning.pdf"


def round_problems(package: Path) -> list[str]:
    """Every problem with the remiss rounds of a package (an empty list when it has none)."""
    problems: list[str] = []
    for documentation in sorted((package / "data").glob("*/documentation")):
        for round_file in sorted(documentation.glob(f"{REMISS_DIR}/*/{ROUND_FILE}")):
            folder = round_file.parent
            data, found = read_round(documentation, folder.name)
            problems += [str(p) for p in found]
            if data is None:
                continue
            listed = set()
            for response in data.responses:
                listed.add(response.file)
                kept = folder / response.file
                if not kept.is_file():
                    problems.append(
                        f"{kept}: svaret från {response.body} saknas i paketet "
                        f"(svar.yaml listar det)"
                    )
                elif file_sha256(kept) != response.sha256:
                    problems.append(
                        f"{kept}: svaret från {response.body} är inte det som lästes in "
                        f"(SHA-256 skiljer sig från svar.yaml)"
                    )
            for remark in data.remarks:
                if remark.file not in listed:
                    problems.append(
                        f"{folder / 'synpunkter.yaml'}:{remark.line}: synpunkten {remark.id} "
                        f"kommer från {remark.file}, som inte finns i svar.yaml"
                    )
            if not (folder / SUMMARY).is_file():
                problems.append(f"{folder / SUMMARY}: remissammanställningen saknas i paketet")
    return problems
