"""The `styrdok` command line: parses options and calls the library, nothing more."""

from __future__ import annotations

from pathlib import Path

import click

from . import __version__
from .build import FORMATS, Project, build_documents
from .source import load_documents

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
    loaded = load_documents(Project(root).source, docs)
    for doc in loaded:
        click.echo(
            f"{doc.name}: ok ({len(doc.sections)} avsnitt, {len(doc.numbered_measures())} åtgärder)"
        )


@main.command()
@click.argument("docs", nargs=-1)
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*FORMATS, "all"]),
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
    formats = FORMATS if fmt == "all" else (fmt,)
    for path in build_documents(Project(root), docs, formats, output):
        click.echo(str(path))
