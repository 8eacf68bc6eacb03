"""The release command as a recipe: refuse, build from the committed tree, package, tag.

Nothing is written and no tag is made until every check has passed and every file of the
package has been rendered; the tag is made after the package is in place, and a failure to tag
removes the package again.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .build import Project, convert_to_pdf, pdf_title
from .compare import compare
from .errors import ReleaseError, SourceError
from .package import remove_package, write_package
from .render_docx import TEMPLATE_FILE, render_docx
from .revisions import document_path, load_revision, open_repo

if TYPE_CHECKING:
    import git

    from .office import Office

SAFE_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$")


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


def releases(root: Path, doc: str) -> list[Release]:
    """The released versions of a document, oldest first."""
    repo = open_repo(root)
    out = []
    for tag in repo.tags:
        if tag.name.startswith(f"{doc}/"):
            commit = tag.commit
            out.append(
                Release(
                    tag.name[len(doc) + 1 :],
                    tag.name,
                    commit.hexsha,
                    commit.committed_datetime.isoformat(),
                )
            )
    if not out and not (root / "source" / doc).is_dir():
        raise ReleaseError(
            f"source/{doc}: inget dokument med namnet '{doc}' och inga släppta versioner"
        )
    return sorted(out, key=lambda r: (r.date, r.version))


def release(
    root: Path,
    doc: str,
    version: str,
    archive: Path | None = None,
    office: Office | None = None,
) -> Path:
    """Release `version` of `doc` from HEAD: an archive package and an annotated tag."""
    if not SAFE_VERSION.match(version) or ".." in version:
        raise ReleaseError(
            f"versionen '{version}' är inget säkert namn; använd bokstäver, siffror, . _ - "
            "(till exempel 2019 eller 2019.1)"
        )
    project = Project(root)
    repo = open_repo(root)
    tag_name = f"{doc}/{version}"
    dest = (archive or project.build / "arkiv") / doc / version
    doc_path = document_path(repo, root, doc)
    template_path = _relative(repo, project.templates)
    _refuse_unclean(repo, [doc_path, template_path])
    if tag_name in [t.name for t in repo.tags]:
        raise ReleaseError(f"version {version} av {doc} är redan släppt (taggen {tag_name} finns)")
    if dest.exists():
        raise ReleaseError(f"{dest}: paketet finns redan; en släppt version skrivs aldrig över")
    try:
        document, revision = load_revision(root, doc, "HEAD")
    except SourceError as e:
        raise ReleaseError(
            f"dokumentet är inte giltigt och kan inte släppas:\n{e.message}"
        ) from None
    previous = releases(root, doc)
    head = repo.head.commit

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
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
        m = document.metadata
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
        write_package(dest, files, bag_info)
    try:
        repo.create_tag(
            tag_name,
            ref=head,
            message=f"{pdf_title(document)}, version {version}\n\n"
            f"Beslutsdatum: {m.datum.isoformat()}\nDNR: {m.dnr}\n",
        )
    except Exception:
        remove_package(dest)
        raise
    return dest


def _libreoffice_version() -> str:
    from .office import libreoffice_version

    return libreoffice_version()
