"""What a release's package holds, built from the committed tree: the content files (PDF/A,
DOCX, the source with its template, documentation, schema) and the Dublin Core description.
release.py assembles them into the E-ARK package (eark.py) inside its bag (package.py)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from styrdok import __version__
from styrdok.archive import eark
from styrdok.archive.docs import metadata_schema, readme
from styrdok.commands.compare import compare
from styrdok.convert.render_pool import built
from styrdok.model.document import Document, Metadata
from styrdok.project import publish
from styrdok.project.names import BODY_FILE, META_FILE, SETTINGS_FILE, TEMPLATE_FILE, TEMPLATES
from styrdok.project.settings import Settings, project_part

if TYPE_CHECKING:
    import git

    from styrdok.convert.office import Office

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def package_contents(
    root: Path,
    repo: git.Repo,
    doc: str,
    doc_path: str,
    template_path: str,
    document: Document,
    office: Office,
    info: dict,
    settings: Settings,
) -> list[eark.Content]:
    """Every content file of the package, built from the committed tree: the PDF/A, the DOCX,
    the source with the template as a project that rebuilds the DOCX (with the project's
    [stad] and [mall] in a styrdok.toml when they are not styrdok's defaults), and the
    documentation."""
    head = repo.head.commit
    previous = info["previous_release"]  # its tag, or None for a first release
    template = (head.tree / f"{template_path}/{TEMPLATE_FILE}").data_stream.read()
    source = "representations/kalla/data"
    # named after this process, so what a killed release leaves is swept by the next command
    with publish.staging(Path(tempfile.gettempdir()), "release-") as tmp_path:
        templates = tmp_path / "templates"
        templates.mkdir()
        (templates / TEMPLATE_FILE).write_bytes(template)
        # as `styrdok build` of the tagged commit makes them: the DOCX with its page numbers
        docx, pdf = built(document, templates, tmp_path, office)
        office_name = info["libreoffice"].split("(")[0].strip()
        contents = [
            eark.Content(
                "Representations/pdfa",
                f"representations/pdfa/data/{doc}.pdf",
                pdf.read_bytes(),
                "application/pdf",
                "PDF/A-2b",
                office_name,
            ),
            eark.Content(
                "Representations/docx",
                f"representations/docx/data/{doc}.docx",
                docx,
                DOCX_TYPE,
                "Office Open XML (DOCX)",
                f"styrdok {__version__}",
            ),
            eark.Content(
                "Representations/kalla",
                f"{source}/source/{doc}/{META_FILE}",
                (head.tree / f"{doc_path}/{META_FILE}").data_stream.read(),
                "application/yaml",
                "YAML",
            ),
            eark.Content(
                "Representations/kalla",
                f"{source}/source/{doc}/{BODY_FILE}",
                (head.tree / f"{doc_path}/{BODY_FILE}").data_stream.read(),
                "text/markdown",
                "Markdown (CommonMark)",
            ),
            eark.Content(
                "Representations/kalla",
                f"{source}/{TEMPLATES}/{settings.template}/{TEMPLATE_FILE}",
                template,
                DOCX_TYPE,
                "Office Open XML (DOCX), mall",
            ),
            eark.Content(
                "Documentation",
                "documentation/LASMIG.txt",
                readme(doc, info["version"], f"{doc}_{info['version']}", info["tag"], __version__),
                "text/plain",
                "Text (UTF-8)",
            ),
        ]
        own = project_part(settings)
        if own:
            contents.append(
                eark.Content(
                    "Representations/kalla",
                    f"{source}/{SETTINGS_FILE}",
                    own.encode(),
                    "application/toml",
                    "TOML",
                )
            )
        if previous:
            report = compare(
                root, doc, previous, "HEAD", tmp_path / "report", ("md", "pdf"), office
            )
            for path in sorted(report):
                if path.name.startswith("changes."):
                    is_pdf = path.suffix == ".pdf"
                    contents.append(
                        eark.Content(
                            "Documentation",
                            f"documentation/{path.name}",
                            path.read_bytes(),
                            "application/pdf" if is_pdf else "text/markdown",
                            "PDF/A-2b" if is_pdf else "Markdown (CommonMark)",
                            office_name if is_pdf else f"styrdok {__version__}",
                        )
                    )
        contents += _follow_ups(root, repo, doc_path, document, previous, office, tmp_path)
        contents += _remiss_rounds(root, repo, doc_path, document, previous, office, tmp_path)
    contents.append(
        eark.Content(
            "Schemas",
            "schemas/metadata.schema.json",
            metadata_schema(),
            "application/schema+json",
            "JSON Schema 2020-12",
        )
    )
    return contents


def _follow_ups(root, repo, doc_path, document, previous, office, work: Path) -> list:
    """The follow-ups since the last release and their reports, as documentation."""
    from styrdok.commands.uppfoljning import archived_follow_ups

    templates = work / "templates"
    kinds = {
        "yaml": ("application/yaml", "YAML", f"styrdok {__version__}"),
        "pdf": ("application/pdf", "PDF/A-2b", "LibreOffice"),
    }
    return [
        eark.Content("Documentation", f"documentation/{name}", data, *kinds[kind])
        for name, data, kind in archived_follow_ups(
            root, repo, doc_path, document, previous, templates, office, work
        )
    ]


def _remiss_rounds(root, repo, doc_path, document, previous, office, work: Path) -> list:
    """The remiss rounds since the last release: their files, every response as it came, and
    the remissammanställning, as documentation."""
    from styrdok.commands.remiss import archived_rounds

    made = {"PDF/A-2b": "LibreOffice", "YAML": f"styrdok {__version__}"}
    return [
        eark.Content(
            "Documentation", f"documentation/{name}", data, mimetype, fmt, made.get(fmt, "")
        )
        for name, data, (mimetype, fmt) in archived_rounds(
            root, repo, doc_path, document, previous, work / "templates", office, work
        )
    ]


def dublin_core(
    m: Metadata, records: dict[str, str], title: str, tag: str
) -> tuple[tuple[str, str], ...]:
    """The Dublin Core elements of a release, in order (empty values are left out)."""
    decided = (m.beslutat_av, m.datum.isoformat(), records["protokollsparagraf"])
    retention = records["bevarande"]
    if records["gallringsbeslut"]:
        retention += f" ({records['gallringsbeslut']})"
    ersatter, klass = records["ersätter"], records["informationsklass"]
    return (
        ("title", title),
        ("creator", records["arkivbildare"]),
        ("subject", records["klassificering"]),
        ("description", f"{m.typ_label}, beslutad av {' '.join(x for x in decided if x)}"),
        ("publisher", m.beslutat_av),
        ("date", m.datum.isoformat()),
        ("type", m.typ_label),
        ("format", "application/pdf"),
        ("identifier", m.dnr),
        ("identifier", tag),
        ("language", "sv"),
        ("relation", f"Ersätter {ersatter}" if ersatter else ""),
        ("coverage", m.gäller_för),
        ("rights", f"Informationsklass: {klass}" if klass else ""),
        ("rights", f"Bevarande: {retention}" if retention else ""),
    )
