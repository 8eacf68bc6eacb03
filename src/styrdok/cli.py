"""The `styrdok` command line: parses options and calls the library, nothing more."""

from __future__ import annotations

from pathlib import Path

import click

from . import __version__
from .errors import StyrdokError
from .formats import BUILD, DIFF
from .project import Project

# Each command imports the library modules it runs when it runs: `styrdok diff` need not load
# the archive's PDF reader, nor `styrdok --version` anything.

ROOT = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="Projektmappen (med source/ och templates/).",
)


@click.group()
@click.version_option(__version__, prog_name="styrdok")
def main() -> None:
    """Bygger, jämför och arkiverar Helsingborgs stads styrdokument."""


@main.command()
@click.argument("docs", nargs=-1)
@ROOT
def check(docs: tuple[str, ...], root: Path) -> None:
    """Kontrollera källan för DOCS (standard: alla dokument)."""
    from .references import plain_references
    from .source import BODY_FILE, load_documents

    project = Project(root)
    loaded = load_documents(project.source, docs)
    for doc in loaded:
        for line, text, ident in plain_references(doc):
            path = project.source / doc.name / BODY_FILE
            click.echo(
                f"{path}:{line}: varning: '{text}' är ett nummer som ändras när åtgärderna "
                f"numreras om; skriv [{text}](#{ident}) så följer numret med",
                err=True,
            )
        click.echo(
            f"{doc.name}: ok ({len(doc.sections)} avsnitt, {len(doc.numbered_measures())} åtgärder)"
        )


@main.command()
@click.argument("docs", nargs=-1)
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*BUILD, "all"]),
    default="all",
    show_default=True,
    help="Vilket format som byggs.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Utmapp (standard: build/).",
)
@ROOT
def build(docs: tuple[str, ...], fmt: str, output: Path | None, root: Path) -> None:
    """Bygg DOCS (standard: alla dokument) till build/<dokument>/."""
    from .build import build_documents

    formats = BUILD if fmt == "all" else (fmt,)
    for path in build_documents(Project(root), docs, formats, output):
        click.echo(str(path))


def _safe(ref: str) -> str:
    return "".join(c if c.isalnum() or c in "-._" else "_" for c in ref)


@main.command()
@click.argument("doc")
@click.option(
    "--from", "from_ref", required=True, help="Den gamla revisionen (tagg, gren, commit)."
)
@click.option("--to", "to_ref", help="Den nya revisionen (standard: arbetskopian).")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), help="Utmapp.")
@click.option(
    "--format",
    "fmt",
    default=",".join(DIFF),
    show_default=True,
    help="Format, kommaseparerade.",
)
@ROOT
def diff(
    doc: str, from_ref: str, to_ref: str | None, output: Path | None, fmt: str, root: Path
) -> None:
    """Jämför DOC mellan två revisioner: ändringslista, ändringsrapport och redline."""
    from .compare import compare
    from .revisions import WORKING_TREE

    formats = tuple(f.strip() for f in fmt.split(",") if f.strip())
    name = f"diff-{_safe(from_ref)}..{_safe(to_ref or WORKING_TREE)}"
    out = output or Project(root).build / doc / name
    for path in compare(root, doc, from_ref, to_ref, out, formats):
        click.echo(str(path))


@main.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", help="Det nya dokumentets namn (standard: av filnamnet).")
@click.option("--into", help="Uppdatera detta befintliga dokument med ändringarna i Word-filen.")
@click.option(
    "--accept-changes",
    is_flag=True,
    help="Godkänn spårade ändringar och lämna kommentarer utanför i stället för att vägra.",
)
@ROOT
def import_command(
    file: Path, name: str | None, into: str | None, accept_changes: bool, root: Path
) -> None:
    """Importera ett styrdokument i Word (.docx) till källan source/<dokument>/."""
    from .importer import import_docx

    result = import_docx(Project(root), file, name, into, accept_changes)
    for line in result.report:
        click.echo(f"  {line}", err=True)
    written = ", ".join(result.changed) if result.changed else "inga ändringar"
    click.echo(f"{result.folder}: {written}")


@main.command(name="history")
@click.argument("doc")
@click.argument("ident", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "md", "json"]),
    default="text",
    show_default=True,
    help="Utdataformat.",
)
@ROOT
def history_command(doc: str, ident: str | None, fmt: str, root: Path) -> None:
    """Följ DOC:s åtgärder (eller åtgärden IDENT) genom alla släppta versioner."""
    from .history import render, versions

    click.echo(render(versions(root, doc), ident, fmt))


@main.command(name="log")
@click.argument("doc")
@ROOT
def log_command(doc: str, root: Path) -> None:
    """Visa DOC:s revisioner: taggar och commits som ändrade dokumentet."""
    from .revisions import log

    for e in log(root, doc):
        tags = f"  [{', '.join(e.tags)}]" if e.tags else ""
        click.echo(f"{e.date[:10]}  {e.commit[:8]}  {e.author}: {e.message}{tags}")


@main.command(name="release")
@click.argument("doc")
@click.option("--version", "version", required=True, help="Versionens namn, t.ex. 2019.")
@click.option(
    "--archive",
    type=click.Path(file_okay=False, path_type=Path),
    help="Arkivmapp (standard: build/arkiv/).",
)
@ROOT
def release_command(doc: str, version: str, archive: Path | None, root: Path) -> None:
    """Släpp en beslutad version av DOC: tagg och arkivpaket."""
    from .release import release

    click.echo(str(release(root, doc, version, archive)))


@main.command(name="verify")
@click.argument("path", type=click.Path(path_type=Path))
def verify_command(path: Path) -> None:
    """Kontrollera ett arkivpaket: kontrollsummor, filer och PDF/A."""
    from .package import verify_package

    problems = verify_package(path)
    if problems:
        raise StyrdokError("\n".join(problems))
    click.echo(f"{path}: ok")


@main.command(name="releases")
@click.argument("doc")
@ROOT
def releases_command(doc: str, root: Path) -> None:
    """Visa de släppta versionerna av DOC."""
    from .release import releases

    found = releases(root, doc)
    for r in found:
        click.echo(f"{r.version}\t{r.tag}\t{r.commit[:8]}\t{r.date}")
    if not found:
        click.echo(f"{doc}: inga släppta versioner ännu", err=True)


if __name__ == "__main__":
    main()
