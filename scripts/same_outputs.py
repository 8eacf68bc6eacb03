"""Proof that a change to styrdok's code changed none of its outputs: the SHA-256 of every file
that styrdok makes from the comparison set, recorded before the change and checked after it.

    .venv/bin/python scripts/same_outputs.py record /tmp/before.json
    ... change the code ...
    .venv/bin/python scripts/same_outputs.py check /tmp/before.json

The comparison set, all made through the command line (so it holds across any move of modules):
- the four examples built as DOCX (with page numbers from LibreOffice) and HTML, and the register;
- the same built as drafts (`--format docx`, `--format html`: no LibreOffice);
- generated documents: every example with each measure, section and table reordered and edited
  (seeded revisions, committed as a history) and their change lists, change reports and
  redlines (`diff --format json,md,docx,html`);
- the example history (scripts/make_history.py) and the table history
  (scripts/make_table_history.py), diffed the same way.
PDFs are left out: LibreOffice writes a creation time into them. Their text and pages are checked
by the test suite.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
STYRDOK = str(BIN / "styrdok")
DIFF_FORMATS = "json,md,docx,html"
CACHES = (".bygge.json", ".register.json")  # the incremental build's keys: they hash the code


def run(args: list[str], cwd: Path) -> None:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} i {cwd}: {done.stderr or done.stdout}")


def digests(folder: Path, label: str) -> dict[str, str]:
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix != ".pdf" and path.name not in CACHES:
            out[f"{label}/{path.relative_to(folder)}"] = hashlib.sha256(
                path.read_bytes()
            ).hexdigest()
    return out


def git_history(dest: Path, script: str) -> Path:
    run([sys.executable, str(REPO / "scripts" / script), str(dest)], REPO)
    return dest


SEEDS = (1, 2, 3)


def revise(text: str, seed: int) -> str:
    """A seeded revision of a source text by its blocks: two blocks swapped, one removed, words
    changed in some paragraphs and one paragraph added, as an owner's yearly edit does."""
    rng = random.Random(seed)
    blocks = text.rstrip("\n").split("\n\n")
    movable = [i for i, b in enumerate(blocks) if i and b[:1].isalpha() and "\n:" not in b]
    if len(movable) >= 3:
        a, b = rng.sample(movable, 2)
        blocks[a], blocks[b] = blocks[b], blocks[a]
        del blocks[rng.choice([i for i in movable if "[^" not in blocks[i]] or [a])]
    movable = [i for i, b in enumerate(blocks) if i and b[:1].isalpha() and "\n:" not in b]
    for i, block in enumerate(blocks):
        words = block.split(" ")
        if i in movable and len(words) > 6 and rng.random() < 0.3:
            words[rng.randrange(1, len(words) - 1)] = rng.choice(("ny", "reviderad", "2027"))
            blocks[i] = " ".join(words)
    headings = [i for i, b in enumerate(blocks) if i - 1 in movable and b.startswith("#")]
    blocks.insert(rng.choice(headings), f"Ett nytt stycke av revision {seed}.")
    return "\n\n".join(blocks) + "\n"


def generated_history(dest: Path) -> Path:
    """Each example, then seeded revisions of it, one commit each."""
    import git

    shutil.copytree(REPO / "source", dest / "source")
    repo = git.Repo.init(dest)
    who = git.Actor("Jämförelse", "styrdok@example.invalid")
    when = "2026-01-01T12:00:00"
    repo.index.add(["source"])
    repo.index.commit("före", author=who, committer=who, author_date=when, commit_date=when)
    originals = {p: p.read_text(encoding="utf-8") for p in (dest / "source").glob("*/document.md")}
    for seed in SEEDS:
        for body, text in sorted(originals.items()):
            body.write_text(revise(text, seed), encoding="utf-8")
        repo.index.add(["source"])
        repo.index.commit(
            f"revision {seed}", author=who, committer=who, author_date=when, commit_date=when
        )
    return dest


def outputs(work: Path) -> dict[str, str]:
    result: dict[str, str] = {}
    examples = sorted(p.name for p in (REPO / "source").iterdir() if p.is_dir())
    project = work / "examples"
    shutil.copytree(REPO / "source", project / "source")
    if (REPO / "styrdok.toml").exists():
        shutil.copy(REPO / "styrdok.toml", project / "styrdok.toml")
    for fmt in ("docx", "html"):
        run([STYRDOK, "build", "--force", "--format", fmt, "-o", f"drafts-{fmt}"], project)
        result |= digests(project / f"drafts-{fmt}", f"drafts-{fmt}")
    run([STYRDOK, "build", "--force", "-o", "built"], project)
    result |= digests(project / "built", "built")
    histories = {
        "historik": (
            git_history(work / "historik", "make_history.py"),
            [("handlingsplan-bostadssociala", "handlingsplan-bostadssociala/2018", "main")],
        ),
        "tabell": (
            git_history(work / "tabell", "make_table_history.py"),
            [("policy-informationssakerhet", "HEAD~1", "HEAD")],
        ),
        "genererade": (
            generated_history(work / "genererade"),
            [
                (doc, "HEAD~" + str(len(SEEDS)), f"HEAD~{len(SEEDS) - n}")
                for doc in examples
                for n in range(1, len(SEEDS) + 1)
            ],
        ),
    }
    for label, (repo, diffs) in histories.items():
        for doc, old, new in diffs:
            out = f"diff-{doc}-{new.replace('/', '-')}"
            run(
                [
                    STYRDOK,
                    "diff",
                    doc,
                    "--from",
                    old,
                    "--to",
                    new,
                    "--format",
                    DIFF_FORMATS,
                    "-o",
                    out,
                ],
                repo,
            )
            result |= digests(repo / out, f"{label}/{out}")
    return result


def main() -> None:
    if len(sys.argv) != 3 or sys.argv[1] not in ("record", "check"):
        sys.exit(__doc__)
    mode, file = sys.argv[1], Path(sys.argv[2])
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    with tempfile.TemporaryDirectory(prefix="styrdok-same-") as tmp:
        now = outputs(Path(tmp))
    if mode == "record":
        file.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"{len(now)} filer registrerade i {file}")
        return
    before = json.loads(file.read_text(encoding="utf-8"))
    before = {k: v for k, v in before.items() if Path(k).name not in CACHES}
    differ = sorted(k for k in before.keys() | now.keys() if before.get(k) != now.get(k))
    for key in differ:
        print(f"skiljer: {key}")
    print(f"{len(now)} filer, {len(differ)} skiljer")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
