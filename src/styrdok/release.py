"""The release command as a recipe: refuse, build from the committed tree, package, tag.

Nothing is written and no tag is made until every check has passed and every file of the
package has been rendered; the package's rename into place and the tag then belong together
(see `release`).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, publish
from .build import convert_to_pdf, pdf_title
from .compare import compare
from .errors import ReleaseError, RevisionError, SourceError
from .package import stage_package, verify_package
from .project import TEMPLATE_DIR, Project, version_name
from .render_docx import TEMPLATE_FILE, render_docx
from .revisions import commit_tags, document_path, load_revision, open_repo

if TYPE_CHECKING:
    import git

    from .office import Office


@dataclass(frozen=True)
class Release:
    version: str
    tag: str
    commit: str
    date: str


def _relative(repo: git.Repo, path: Path) -> str:
    return path.resolve().relative_to(Path(repo.working_tree_dir).resolve()).as_posix()


def _refuse_unclean(repo: git.Repo, paths: list[str]) -> None:
    changed = sorted(
        {d.a_path for d in repo.index.diff(None)} | {d.a_path for d in repo.index.diff("HEAD")}
    )
    untracked = repo.untracked_files
    dirty = [p for p in changed + untracked if any(p == x or p.startswith(x + "/") for x in paths)]
    if dirty:
        listed = "\n".join(f"  {p}" for p in dirty)
        raise ReleaseError(
            f"arbetskopian har ändringar som inte är incheckade; checka in eller ta bort dem "
            f"först:\n{listed}"
        )


def all_releases(root: Path) -> dict[str, list[Release]]:
    """Every document's released versions, oldest first, in one pass over the tags: a tag
    `DOC/VERSION` on a commit that holds the document (a tag elsewhere is no version of it)."""
    repo = open_repo(root)
    try:
        base = document_path(repo, root, "")  # source/ inside the repository
    except RevisionError:
        base = "source"
    found: dict[str, list[Release]] = {}
    for tag, commit in commit_tags(repo):
        doc, _, version = tag.name.partition("/")
        if not version:
            continue
        try:
            commit.tree / f"{base}/{doc}/document.yaml"
        except KeyError:
            continue
        date = commit.committed_datetime.isoformat()
        found.setdefault(doc, []).append(Release(version, tag.name, commit.hexsha, date))
    return {doc: sorted(rs, key=lambda r: (r.date, r.version)) for doc, rs in found.items()}


def releases(root: Path, doc: str) -> list[Release]:
    """The released versions of a document, oldest first."""
    found = all_releases(root).get(doc, [])
    if not found and not (root / "source" / doc).is_dir():
        raise ReleaseError(
            f"source/{doc}: inget dokument med namnet '{doc}' och inga släppta versioner"
        )
    return found


def release(
    root: Path,
    doc: str,
    version: str,
    archive: Path | None = None,
    office: Office | None = None,
    say: Callable[[str], None] = lambda _: None,
) -> Path:
    """Release `version` of `doc` from HEAD: an archive package and an annotated tag.

    All or nothing, and a retry after any interruption works: one release at a time per
    repository (a lock that dies with its process); the package is made in a staging folder, and
    its rename into place and the tag are made together with Ctrl-C and SIGTERM held back. Only
    SIGKILL can fall between them: a package without its tag is then recognised by the next
    run and completed (same commit, package verifies), or else refused with the way out."""
    version_name(version)
    project = Project(root)
    repo = open_repo(root)
    tag_name = f"{doc}/{version}"
    dest = (archive or project.build / "arkiv") / doc / version
    with _lock(repo):
        doc_path = document_path(repo, root, doc)
        if not (project.own_templates / TEMPLATE_FILE).is_file():
            raise ReleaseError(
                f"{project.own_templates / TEMPLATE_FILE}: projektet har ingen egen mall; ett "
                "släpp byggs ur mallen i git, så att det går att bygga om ur taggen. Kopiera "
                f"mappen {TEMPLATE_DIR.parent} till {root}/templates och checka in den"
            )
        template_path = _relative(repo, project.own_templates)
        _refuse_unclean(repo, [doc_path, template_path])
        project.output(dest, "--archive")
        _tagger(repo)
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
            head.tree / f"{template_path}/{TEMPLATE_FILE}"
        except KeyError:
            raise ReleaseError(
                f"{project.own_templates / TEMPLATE_FILE}: mallen är inte incheckad i git (står "
                "den i .gitignore?); ett släpp byggs ur git, så checka in den: git add -f "
                f"{template_path}/{TEMPLATE_FILE} && git commit"
            ) from None
        if dest.exists() and _complete(repo, dest, tag_name, head, say):
            return dest  # a release interrupted after its package, now with its tag
        try:
            document, revision = load_revision(root, doc, "HEAD")
        except SourceError as e:
            raise ReleaseError(
                f"dokumentet är inte giltigt och kan inte släppas:\n{e.message}"
            ) from None
        files = _package_files(root, repo, doc, doc_path, template_path, document, office)
        m = document.metadata
        previous = releases(root, doc)
        info = {
            "document": doc,
            "version": version,
            "tag": tag_name,
            "commit": head.hexsha,
            "commit_date": revision.date,
            "previous_release": previous[-1].tag if previous else None,
            "metadata": {
                k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in vars(m).items()
            },
            "styrdok": __version__,
            "libreoffice": _libreoffice_version(),
        }
        files["metadata.json"] = (json.dumps(info, ensure_ascii=False, indent=2) + "\n").encode()
        bag_info = {
            "Source-Organization": "Helsingborgs stad",
            "External-Identifier": tag_name,
            "External-Description": f"{pdf_title(document)}, version {version}",
            "Bagging-Date": revision.date[:10],
            "Bag-Software-Agent": f"styrdok {__version__}",
        }
        made = [p for p in (*dest.parent.parents, dest.parent) if not p.exists()]
        try:
            staged = stage_package(dest.parent, files, bag_info)
        except BaseException:
            publish.remove_empty(made)
            raise
        message = _tag_message(pdf_title(document), version, m.datum.isoformat(), m.dnr)
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
    return dest


def _package_files(root, repo, doc, doc_path, template_path, document, office) -> dict:
    """Every file of the package but metadata.json, built from the committed tree."""
    head = repo.head.commit
    previous = releases(root, doc)
    # named after this process, so what a killed release leaves is swept by the next command
    with publish.staging(Path(tempfile.gettempdir()), "release-") as tmp_path:
        templates = tmp_path / "templates"
        templates.mkdir()
        blob = head.tree / f"{template_path}/{TEMPLATE_FILE}"
        (templates / TEMPLATE_FILE).write_bytes(blob.data_stream.read())
        docx = render_docx(document, templates)
        (tmp_path / f"{doc}.docx").write_bytes(docx)
        (pdf,) = convert_to_pdf([(document, tmp_path / f"{doc}.docx")], office)
        files = {
            f"{doc}.docx": docx,
            f"{doc}.pdf": pdf.read_bytes(),
            "source/document.yaml": (head.tree / f"{doc_path}/document.yaml").data_stream.read(),
            "source/document.md": (head.tree / f"{doc_path}/document.md").data_stream.read(),
        }
        if previous:
            report = compare(
                root, doc, previous[-1].tag, "HEAD", tmp_path / "report", ("md", "pdf"), office
            )
            for path in report:
                if path.name.startswith("changes."):
                    files[path.name] = path.read_bytes()
    return files


def _tagger(repo: git.Repo) -> None:
    """A release signs its tag with the user's git identity: asked before anything is built."""
    try:
        repo.git.var("GIT_COMMITTER_IDENT")
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
    try:
        info = json.loads((dest / "data" / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        info = {}
    problems = verify_package(dest)
    if info.get("commit") == head.hexsha and info.get("tag") == tag_name and not problems:
        m = info.get("metadata", {})
        title = m.get("titel", "") + (f" – {m['undertitel']}" if m.get("undertitel") else "")
        message = _tag_message(title, info["version"], m.get("datum"), m.get("dnr"))
        with publish.held_signals():
            repo.create_tag(tag_name, ref=head, message=message)
        say(f"{dest}: slutförde ett avbrutet släpp (paketet fanns, taggen saknades)")
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


def _tag_message(title: str, version: str, datum: str | None, dnr: str | None) -> str:
    return f"{title}, version {version}\n\nBeslutsdatum: {datum}\nDNR: {dnr}\n"


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
    from .office import libreoffice_version

    return libreoffice_version()
