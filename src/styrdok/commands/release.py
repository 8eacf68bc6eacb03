"""The release command as a recipe: refuse, build from the committed tree, package, tag.

Nothing is written and no tag is made until every check has passed and every file of the
package has been rendered; the package's rename into place and the tag then belong together
(see `release`).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from styrdok import __version__
from styrdok.archive import eark
from styrdok.archive.package import anchor, read_record, stage_package, tag_message, verify_package
from styrdok.commands.release_contents import dublin_core, package_contents
from styrdok.errors import ReleaseError, SourceError
from styrdok.model.document import RECORDS_LABELS
from styrdok.project import publish
from styrdok.project.layout import Project
from styrdok.project.names import (
    META_FILE,
    SETTINGS_FILE,
    TEMPLATE_DIR,
    TEMPLATE_FILE,
    version_name,
)
from styrdok.project.records import problems as records_problems
from styrdok.project.records import records as document_records
from styrdok.readers.revisions import Release, all_releases, document_path, load_revision, open_repo

if TYPE_CHECKING:
    import git

    from styrdok.convert.office import Office


def _relative(repo: git.Repo, path: Path) -> str:
    return path.resolve().relative_to(Path(repo.working_tree_dir or "").resolve()).as_posix()


def _refuse_unclean(repo: git.Repo, paths: list[str]) -> None:
    changed = sorted(
        {d.a_path or d.b_path or "" for d in repo.index.diff(None)}
        | {d.a_path or d.b_path or "" for d in repo.index.diff("HEAD")}
    )
    untracked = repo.untracked_files
    dirty = [p for p in changed + untracked if any(p == x or p.startswith(x + "/") for x in paths)]
    if dirty:
        listed = "\n".join(f"  {p}" for p in dirty)
        raise ReleaseError(
            f"arbetskopian har ändringar som inte är incheckade; checka in eller ta bort dem "
            f"först:\n{listed}"
        )


def releases(root: Path, doc: str) -> list[Release]:
    """The released versions of a document, oldest first."""
    found = all_releases(root).get(doc, [])
    if not found and not (root / "source" / doc).is_dir():
        raise ReleaseError(
            f"source/{doc}: inget dokument med namnet '{doc}' och inga släppta versioner"
        )
    return found


@dataclass(frozen=True)
class Listed:
    """A released version as `releases DOC` shows it."""

    version: str
    decided: str  # the decision date (datum) at the tag, '' if unreadable
    dnr: str
    tag: str
    commit: str
    package: Path | None  # in the archive folder, when it is known and holds the package


def listed_releases(root: Path, doc: str, archive: Path | None = None) -> list[Listed]:
    """The released versions of a document with their decision date and DNR (read from
    document.yaml at each tag) and where their packages are (--archive or styrdok.toml)."""
    import yaml

    repo = open_repo(root)
    folder = archive or Project(root).settings.archive
    doc_path = document_path(repo, root, doc)
    out = []
    for r in releases(root, doc):
        try:
            blob = repo.commit(r.commit).tree / f"{doc_path}/{META_FILE}"
            meta = yaml.load(blob.data_stream.read().decode(), Loader=yaml.BaseLoader)
        except (KeyError, ValueError, yaml.YAMLError):
            meta = {}
        meta = meta if isinstance(meta, dict) else {}
        package = folder / doc / r.version if folder is not None else None
        found = package if package is not None and (package / "bagit.txt").is_file() else None
        out.append(
            Listed(
                r.version,
                str(meta.get("datum", "")),
                str(meta.get("dnr", "")),
                r.tag,
                r.commit,
                found,
            )
        )
    return out


def release(
    root: Path,
    doc: str,
    version: str,
    archive: Path | None = None,
    office: Office | None = None,
    say: Callable[[str], None] = lambda _: None,
    force_same_content: bool = False,
    force: bool = False,
) -> Path:
    """Release `version` of `doc` from HEAD: an archive package and an annotated tag whose
    message carries the package's SHA-256 (`package.anchor`).

    All or nothing, and a retry after any interruption works: one release at a time per
    repository (a lock that dies with its process); the package is made in a staging folder, and
    its rename into place and the tag are made together with Ctrl-C and SIGTERM held back. Only
    SIGKILL can fall between them: a package without its tag is then recognised by the next
    run and completed (same commit, package verifies), or else refused with the way out."""
    version_name(version)
    project = Project(root)
    repo = open_repo(root)
    tag_name = f"{doc}/{version}"
    dest = project.archive(archive) / doc / version
    unfilled = [str(p) for key, p in project.settings.unfilled.items() if key != "arkiv.mapp"]
    if unfilled:
        raise ReleaseError(
            f"{SETTINGS_FILE} är inte ifylld; fyll i (eller ta bort) raderna:\n"
            + "\n".join(sorted(unfilled))
        )
    with _lock(repo):
        doc_path = document_path(repo, root, doc)
        if not (project.own_templates / TEMPLATE_FILE).is_file():
            raise ReleaseError(
                f"{project.own_templates / TEMPLATE_FILE}: projektet har ingen egen mall; ett "
                "släpp byggs ur mallen i git, så att det går att bygga om ur taggen. Kopiera "
                f"mappen {TEMPLATE_DIR} till {project.own_templates} och checka in den"
            )
        template_path = _relative(repo, project.own_templates)
        _refuse_unclean(repo, [doc_path, template_path])
        releaser = _releaser(repo)
        if doc in [t.name for t in repo.tags]:
            raise ReleaseError(
                f"det finns en tagg som heter '{doc}', och git kan då inte göra taggar "
                f"'{doc}/<version>'; byt namn på den (git tag -m … NYTT {doc} && git tag -d {doc})"
            )
        if tag_name in [t.name for t in repo.tags]:
            raise ReleaseError(
                f"version {version} av {doc} är redan släppt (taggen {tag_name} finns)"
            )
        head = repo.head.commit
        try:
            template_blob = head.tree / f"{template_path}/{TEMPLATE_FILE}"
        except KeyError:
            raise ReleaseError(
                f"{project.own_templates / TEMPLATE_FILE}: mallen är inte incheckad i git (står "
                "den i .gitignore?); ett släpp byggs ur git, så checka in den: git add -f "
                f"{template_path}/{TEMPLATE_FILE} && git commit"
            ) from None
        if dest.exists() and _complete(repo, dest, tag_name, head, say):
            return dest  # a release interrupted after its package, now with its tag
        previous = releases(root, doc)
        if not force_same_content:
            _refuse_same_content(repo, doc, doc_path, head, previous)
        if not force:
            _refuse_unanswered(root, doc, previous)
        try:
            document, revision = load_revision(root, doc, "HEAD")
        except SourceError as e:
            raise ReleaseError(
                f"dokumentet är inte giltigt och kan inte släppas:\n{e.message}"
            ) from None
        yaml_text = (head.tree / f"{doc_path}/{META_FILE}").data_stream.read().decode()
        m = document.metadata
        refused = records_problems(
            project, m, project.source / doc / META_FILE, yaml_text, release=True
        )
        if refused:
            raise ReleaseError(
                "dokumentet kan inte släppas:\n" + "\n".join(str(p) for p in sorted(refused))
            )
        records = document_records(project, m)
        created = _now()
        objid = f"{doc}_{version}"
        info = {
            "document": doc,
            "version": version,
            "tag": tag_name,
            "commit": head.hexsha,
            "commit_date": revision.date,
            "previous_release": previous[-1].tag if previous else None,
            "released_at": created,
            "released_by": releaser,
            "metadata": {
                k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in vars(m).items()
            },
            "records": records,
            "template": {
                "path": f"{template_path}/{TEMPLATE_FILE}",
                "git_blob": template_blob.hexsha,
                "sha256": hashlib.sha256(template_blob.data_stream.read()).hexdigest(),
            },
            "styrdok": __version__,
            "libreoffice": _libreoffice_version(),
        }
        with _one_office(office) as shared:  # the document and its change report
            contents = package_contents(
                root, repo, doc, doc_path, template_path, document, shared, info, project.settings
            )
        title = document.metadata.full_title
        facts = eark.Release(
            objid=objid,
            label=f"{title}, version {version}",
            created=created,
            software="styrdok",
            software_version=__version__,
            releaser=releaser,
            detail=f"Släpp av version {version} ({tag_name}) från commit {head.hexsha}",
            archivist=records["arkivbildare"],
            reference=records["klassificering"],
            dublin_core=dublin_core(m, records, title, tag_name),
        )
        record = (json.dumps(info, ensure_ascii=False, indent=2) + "\n").encode()
        files = {f"{objid}/{p}": d for p, d in eark.package(facts, contents, record).items()}
        bag_info = {
            "Source-Organization": records["arkivbildare"],
            "External-Identifier": tag_name,
            "External-Description": f"{title}, version {version}",
            "Internal-Sender-Identifier": m.dnr,
            "Bagging-Date": created[:10],
            "Bag-Software-Agent": f"styrdok {__version__}",
            "Diarienummer": m.dnr,
            "Beslutsdatum": m.datum.isoformat(),
            "Beslutsinstans": m.beslutat_av,
            **{RECORDS_LABELS[k]: v for k, v in records.items()},
            "Släppt-av": releaser,
            "Släppt": created,
        }
        made = [p for p in (*dest.parent.parents, dest.parent) if not p.exists()]
        try:
            staged = stage_package(dest.parent, files, bag_info)
        except BaseException:
            publish.remove_empty(made)
            raise
        message = tag_message(title, version, m.datum.isoformat(), m.dnr, anchor(staged))
        try:
            with publish.held_signals():
                os.rename(staged, dest)
                try:
                    repo.create_tag(tag_name, ref=head, message=message)
                except Exception as e:
                    publish.remove_tree(dest)
                    raise ReleaseError(f"taggen {tag_name} kunde inte göras ({e})") from None
        finally:
            publish.remove_tree(staged)
    say(_next_step(tag_name))
    return dest


@contextlib.contextmanager
def _one_office(office: Office | None) -> Iterator[Office]:
    """The LibreOffice given, or one started for this release (not one per conversion)."""
    if office is not None:
        yield office
        return
    from styrdok.convert.office import Office

    with Office() as own:
        yield own


def _next_step(tag_name: str) -> str:
    return (
        f"nästa steg: dela taggen, så att släppet finns i det gemensamma förrådet: "
        f"git push origin {tag_name}"
    )


def _now() -> str:
    """The release's time in UTC; SOURCE_DATE_EPOCH (reproducible builds) when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _refuse_same_content(repo, doc: str, doc_path: str, head, previous: list[Release]) -> None:
    """The same source tree as an earlier release of the document is no new version."""
    try:
        tree = (head.tree / doc_path).hexsha
    except KeyError:
        return  # not committed: load_revision says so in its own words
    for earlier in reversed(previous):
        try:
            same = (repo.commit(earlier.commit).tree / doc_path).hexsha == tree
        except (KeyError, ValueError):
            continue
        if same:
            raise ReleaseError(
                f"source/{doc} är oförändrat sedan version {earlier.version} (taggen "
                f"{earlier.tag}); ett släpp ska ha nytt innehåll. Ändra dokumentet och checka "
                "in, eller ange --force-same-content om samma text ska släppas igen under ett "
                "nytt versionsnamn"
            )


def _refuse_unanswered(root: Path, doc: str, previous: list[Release]) -> None:
    """A version decided after a remiss answers every comment of it first (city routines)."""
    from styrdok.commands.remiss import unanswered_since

    problems = unanswered_since(root, doc, previous[-1].commit if previous else None)
    if problems:
        raise ReleaseError(
            "synpunkter från remissen är obesvarade; fyll i ställningstagande och motivering "
            "(kör 'styrdok check' för alla), eller släpp ändå med --force:\n"
            + "\n".join(str(p) for p in problems)
        )


def _releaser(repo: git.Repo) -> str:
    """Who releases: the git identity 'Name <email>' (without git's timestamp), which also
    signs the tag; asked before anything is built."""
    try:
        return repo.git.var("GIT_COMMITTER_IDENT").rsplit(" ", 2)[0]
    except Exception:
        raise ReleaseError(
            "git vet inte vem du är, och taggen ska visa vem som släppte versionen; kör "
            'git config user.name "Förnamn Efternamn" och '
            'git config user.email "namn@helsingborg.se"'
        ) from None


def _complete(repo, dest: Path, tag_name: str, head, say) -> bool:
    """A package at `dest` without its tag is a release stopped between the two (SIGKILL), or
    one made in another clone whose tag has not come here. If it is of this commit and verifies,
    make the tag and return True; otherwise refuse: a package is never removed or replaced."""
    info = read_record(dest)
    problems = verify_package(dest)
    if info.get("commit") == head.hexsha and info.get("tag") == tag_name and not problems:
        m = info.get("metadata", {})
        title = m.get("titel", "") + (f" – {m['undertitel']}" if m.get("undertitel") else "")
        message = tag_message(title, info["version"], m.get("datum"), m.get("dnr"), anchor(dest))
        with publish.held_signals():
            repo.create_tag(tag_name, ref=head, message=message)
        say(f"{dest}: slutförde ett avbrutet släpp (paketet fanns, taggen saknades)")
        say(_next_step(tag_name))
        return True
    if problems or not info:
        why = "men verifieras inte (kör 'styrdok verify' på det)"
    else:
        why = (
            f"från commit {str(info.get('commit'))[:8]}, men taggen {tag_name} finns inte här; "
            "hämta taggen (git fetch --tags) om versionen släpptes i en annan klon"
        )
    raise ReleaseError(
        f"{dest}: paketet finns redan {why}. En släppt version skrivs aldrig över; välj ett "
        "annat versionsnamn eller flytta paketet om det inte hör till något släpp"
    )


@contextlib.contextmanager
def _lock(repo: git.Repo) -> Iterator[None]:
    """One release at a time in a repository; the lock goes with its process, however it ends."""
    path = Path(repo.git_dir) / "styrdok-release.lock"
    with path.open("a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReleaseError(
                "ett annat släpp pågår i det här förrådet; vänta tills det är klart och försök "
                "sedan igen"
            ) from None
        yield


def _libreoffice_version() -> str:
    from styrdok.convert.office import libreoffice_version

    return libreoffice_version()
