"""The verify command as a recipe: a package's own checks (package.py: layout, fixity, PDF/A),
then the anchor outside it: the SHA-256 in its release tag's message (release.py).

A package whose files and manifests were all replaced still passes its own checks; only the
tag, kept in git where the package cannot change it, tells it apart from the one released.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import git

from styrdok.archive.package import ANCHOR, anchor, read_record, tag_anchor, verify_package
from styrdok.errors import StyrdokError
from styrdok.project.publish import PREFIX
from styrdok.readers.revisions import open_repo


@dataclass(frozen=True)
class Verdict:
    """What verify found for one package: its problems, and how it relates to its tag."""

    path: Path
    problems: list[str]
    tag: str  # what the comparison with the tag found (or why there was none)


def _tag_name(path: Path) -> str | None:
    """The release tag a package names in bag-info.txt (External-Identifier)."""
    try:
        text = (path / "bag-info.txt").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() == "External-Identifier":
            return value.strip()
    return None


def _repository(repo_root: Path | None) -> git.Repo | None:
    """The repository asked for (--repo), else the one around the current folder, if any."""
    if repo_root is not None:
        return open_repo(repo_root)
    try:
        return git.Repo(Path.cwd(), search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None


def against_tag(path: Path, repo: git.Repo | None, required: bool) -> tuple[list[str], str]:
    """The package against its tag: the SHA-256 in the tag's message must be the package's
    (`package.anchor`), and the commit the tag names the one the package was built from.
    Without a repository, or with one that lacks the tag, there is nothing to compare, which
    is a problem only when a repository was named (`required`)."""
    tag_name = _tag_name(path)
    if tag_name is None:
        return [f"{path / 'bag-info.txt'}: External-Identifier (taggen) saknas"], ""
    where = repo.working_tree_dir if repo is not None else None
    try:
        tag = repo.tags[tag_name] if repo is not None else None
    except IndexError:
        tag = None
    if tag is None:
        if required:
            return [
                f"{path}: taggen {tag_name} finns inte i {where}; hämta den (git fetch --tags) "
                "eller ange förrådet där versionen släpptes"
            ], ""
        return [], "inte jämfört med taggen; ange --repo FÖRRÅD"
    expected = tag_anchor(tag.tag.message) if tag.tag is not None else None
    if expected is None:
        return [], f"taggen {tag_name} har ingen {ANCHOR} (släppt före styrdok 0.2); inte jämfört"
    problems: list[str] = []
    if not (path / "tagmanifest-sha256.txt").is_file():
        return problems, ""  # the package's own checks name it
    if anchor(path) != expected:
        problems.append(
            f"{path}: paketet är inte det som släpptes: taggen {tag_name} anger {ANCHOR} "
            f"{expected[:12]}…, paketets tagmanifest-sha256.txt har {anchor(path)[:12]}… "
            "(filer och manifest har bytts ut)"
        )
    commit = read_record(path).get("commit")
    if commit and commit != tag.commit.hexsha:
        problems.append(
            f"{path}: paketet är byggt ur commit {commit[:8]} men taggen {tag_name} pekar på "
            f"{tag.commit.hexsha[:8]}"
        )
    return problems, f"stämmer med taggen {tag_name}" if not problems else ""


def verify(path: Path, repo_root: Path | None = None) -> Verdict:
    """One package: its own checks, then its tag."""
    problems = verify_package(path)
    if problems and not (path / "bagit.txt").is_file():
        return Verdict(path, problems, "")
    found, tag = against_tag(path, _repository(repo_root), repo_root is not None)
    return Verdict(path, sorted(set(problems + found)), tag)


def find_packages(folder: Path) -> list[Path]:
    """Every package (a folder with bagit.txt) under `folder`; not inside a package, nor in a
    release's staging folder."""
    if not folder.is_dir():
        raise StyrdokError(f"{folder}: finns inte eller är ingen mapp; ange arkivmappen")
    found = []
    for current, dirs, files in os.walk(folder):
        if "bagit.txt" in files:
            found.append(Path(current))
            dirs.clear()
        else:
            dirs[:] = sorted(d for d in dirs if not d.startswith(PREFIX))
    return sorted(found)


def verify_all(folder: Path, repo_root: Path | None = None) -> list[Verdict]:
    """Every package under an archive folder, each as `verify` sees it."""
    packages = find_packages(folder)
    if not packages:
        raise StyrdokError(f"{folder}: inga arkivpaket (mappar med bagit.txt) här")
    repo = _repository(repo_root)
    verdicts = []
    for path in packages:
        problems = verify_package(path)
        found, tag = against_tag(path, repo, repo_root is not None)
        verdicts.append(Verdict(path, sorted(set(problems + found)), tag))
    return verdicts
