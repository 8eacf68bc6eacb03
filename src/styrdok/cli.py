"""The `styrdok` command line: parses options and calls the library, nothing more."""

from __future__ import annotations

import contextlib
import re
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import click

from styrdok import __version__
from styrdok.errors import SourceError, StyrdokError, interruption, os_message
from styrdok.project.formats import BUILD, BUILD_FORMATS, DIFF, DIFF_FORMATS
from styrdok.project.layout import Project

# Each command imports the library modules it runs when it runs: `styrdok diff` need not load
# the archive's PDF reader, nor `styrdok --version` anything.

ROOT = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="Projektmappen (med source/ och templates/).",
)


# click's usage errors in Swedish, like every other message (click has no Swedish catalogue).
USAGE_MESSAGES = (
    (r"Missing argument '(.+)'\.", "argumentet {0} saknas"),
    (r"Missing option '(.+)'\.", "flaggan {0} saknas"),
    (
        r"No such option:? '?([^'\s]+?)'?\.?(?:\s+\(?Did you mean (?:one of: )?(.+?)\?\)?)?$",
        "okänd flagga",
    ),
    (r"No such command '(.+)'\.", "okänt kommando '{0}'"),
    (r"Got unexpected extra arguments? \((.+)\)", "oväntat argument: {0}"),
    (r"Option '(.+)' requires an argument\.", "flaggan {0} behöver ett värde"),
    (r"Invalid value for '?(.+?)'?: '(.*)' is not one of (.+)\.", "{0}: '{1}' är inget av {2}"),
    (r"Invalid value for '?(.+?)'?: .*does not exist\.", "{0}: finns inte"),
    (r"Invalid value for '?(.+?)'?: .*is a directory\.", "{0}: är en mapp, inte en fil"),
    (r"Invalid value for '?(.+?)'?: .*is a file\.", "{0}: är en fil, inte en mapp"),
    (
        r"Invalid value for '?(.+?)'?: '?(.*?)'? is not in the range x>=(\d+)\.",
        "{0}: '{1}' är för litet; ange ett heltal, minst {2}",
    ),
    (
        r"Invalid value for '?(.+?)'?: '?(.*?)'? is not a valid integer.*",
        "{0}: '{1}' är inget heltal; ange ett heltal",
    ),
    (r"Invalid value for '?(.+?)'?: (.*)", "ogiltigt värde för {0}: {1}"),
)


def _swedish(message: str) -> str:
    for pattern, swedish in USAGE_MESSAGES:
        found = re.match(pattern, message, flags=re.S)
        if found:
            groups = tuple(g.replace("'", "") if g else g for g in found.groups())
            if swedish == "okänd flagga":  # click may have a suggestion
                return f"okänd flagga {groups[0]}" + (
                    f" (menade du {groups[1]}?)" if groups[1] else ""
                )
            return swedish.format(*groups)
    return message


def _swedish_help(option: click.Option | None) -> click.Option | None:
    if option is not None:
        option.help = "Visa den här hjälpen och avsluta."
    return option


class _Command(click.Command):
    """A command whose --help option speaks Swedish too."""

    def get_help_option(self, ctx: click.Context):
        return _swedish_help(super().get_help_option(ctx))


class _Styrdok(click.Group):
    """The command group: every failure ends as one Swedish message and a non-zero exit."""

    command_class = _Command

    def get_help_option(self, ctx: click.Context):
        return _swedish_help(super().get_help_option(ctx))

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except OSError as e:  # disk full, read-only, no permission … while writing or reading
            raise StyrdokError(os_message(e)) from None

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        # SIGTERM ends a command as Ctrl-C does: through the same clean-up (staging, LibreOffice).
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):  # terminal closed, too
            signal.signal(sig, _terminate)
        try:
            super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as e:
            command = e.ctx.command_path if e.ctx else "styrdok"
            click.echo(f"styrdok: {_swedish(e.format_message())}", err=True)
            click.echo(f"Se '{command} --help'.", err=True)
            sys.exit(2)
        except click.ClickException as e:
            e.show()
            sys.exit(e.exit_code)
        except (click.Abort, KeyboardInterrupt):
            click.echo("styrdok: avbrutet", err=True)
            sys.exit(130)
        except Exception as e:  # Ctrl-C or SIGTERM turned into another error by a clean-up
            found = interruption(e)
            if isinstance(found, SystemExit):
                raise found from None
            if found is None:
                raise
            click.echo("styrdok: avbrutet", err=True)
            sys.exit(130)
        sys.exit(0)


def output_format(*choices: str):
    """The --format option of a command that prints (the first choice is the default)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=choices[0],
        show_default=True,
        help="Utdataformat.",
    )


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


@click.group(cls=_Styrdok)
@click.version_option(__version__, prog_name="styrdok", help="Visa versionen och avsluta.")
def main() -> None:
    """Bygger, jämför och arkiverar styrdokument (Helsingborgs stads layout om inget annat
    anges; 'styrdok init --stad' gör ett projekt för en annan kommun)."""


@main.command()
@click.argument("docs", nargs=-1)
@click.option("--strict", is_flag=True, help="Varningar räknas som fel (exit 1).")
@ROOT
def check(docs: tuple[str, ...], strict: bool, root: Path) -> None:
    """Kontrollera källan för DOCS (standard: alla dokument): varje dokument ok eller dess fel."""
    from styrdok.commands.check import check as check_project

    project = Project(root)
    found = check_project(project, [project.document_name(d) for d in docs])
    for problem in found.settings + found.project_warnings:
        click.echo(str(problem), err=True)
    if found.no_documents:
        click.echo(
            f"{found.no_documents}: inga dokument ännu; skapa ett med "
            'styrdok new NAMN --typ plan --titel "…" eller styrdok import dokument.docx',
            err=True,
        )
    for doc in found.documents:
        for problem in doc.errors + doc.warnings:
            click.echo(str(problem), err=True)
        if not doc.errors:
            click.echo(f"{doc.name}: ok ({doc.sections} avsnitt, {doc.measures} åtgärder)")
    if found.unreadable:
        raise found.unreadable
    if found.broken:
        raise StyrdokError(f"fel i {', '.join(found.broken)}")
    if strict and found.warned:
        raise StyrdokError(f"varningar i {', '.join(found.warned)} (--strict)")


@main.command()
@click.argument("docs", nargs=-1)
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*BUILD, "all"]),
    default="all",
    show_default=True,
    help="Vilket format som byggs: "
    + ", ".join(f"{f.name} ({f.label})" for f in BUILD_FORMATS)
    + " eller all (alla).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Utmapp (standard: build/).",
)
@click.option("--force", is_flag=True, help="Bygg om även dokument som är aktuella.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Så många dokument som görs samtidigt: LibreOffice-processer för PDF och, från 2, "
    "processer som läser och renderar dokumenten (standard: en per kärna).",
)
@click.option("-q", "--quiet", is_flag=True, help="Ingen förloppsindikator och ingen summering.")
@ROOT
def build(
    docs: tuple[str, ...],
    fmt: str,
    output: Path | None,
    force: bool,
    jobs: int | None,
    quiet: bool,
    root: Path,
) -> None:
    """Bygg DOCS (standard: alla dokument) till build/<dokument>/; det som är aktuellt hoppas
    över (--force bygger om)."""
    formats = BUILD if fmt == "all" else (fmt,)
    project = _project(root)
    names = tuple(project.document_name(d) for d in docs)
    if 0 < len(names) <= 4:  # a few named documents: pandoc reads them while the build imports
        from styrdok.project.names import BODY_FILE
        from styrdok.readers.markdown.pandoc import SOURCE_FORMAT, read_early

        read_early([project.source / n / BODY_FILE for n in names], SOURCE_FORMAT)
    from styrdok.commands.build import build_documents

    try:
        with _progress_bar(quiet) as (progress, echo):

            def say(message: str) -> None:
                summary = message.startswith("styrdok: ") and "oförändrade" in message
                if not (quiet and summary):
                    echo(message)

            written = build_documents(
                project, names, formats, output, say=say, force=force, progress=progress, jobs=jobs
            )
    except SourceError as e:
        for path in e.done:
            click.echo(str(path))
        if e.done:
            raise StyrdokError(f"{e.message}\n{_broken(e)}") from None
        raise
    for path in written:
        click.echo(str(path))


@main.command(name="serve")
@click.argument("docs", nargs=-1)
@click.option(
    "--port",
    type=click.IntRange(min=0, max=65535),
    default=0,
    help="Porten (standard: en ledig port, som skrivs ut med adressen).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Adressen att lyssna på; en annan än den här datorns egen ger en varning.",
)
@click.option(
    "--poll",
    is_flag=True,
    help="Titta efter ändringar en gång i sekunden i stället för att fråga systemet (inotify).",
)
@ROOT
def serve_command(docs: tuple[str, ...], port: int, host: str, poll: bool, root: Path) -> None:
    """Visa registret och DOCS (standard: alla dokument) i webbläsaren. Det som sparas byggs om
    och sidorna laddas om av sig själva; Ctrl-C avslutar."""
    from styrdok.commands.serve import serve

    project = _project(root)
    names = tuple(project.document_name(d) for d in docs)
    serve(
        project,
        names,
        host,
        port,
        say=lambda m: click.echo(m, err=True),
        show=click.echo,
        poll=poll,
    )


@contextlib.contextmanager
def _progress_bar(quiet: bool):
    """A progress bar on stderr while documents build: the document, done/total and the time
    left (rich). Nothing when quiet or when stderr is no terminal, so CI logs stay clean.
    Yields the step function and the way to print a message meanwhile."""
    if quiet or not sys.stderr.isatty():
        yield (lambda name, total: None), (lambda message: click.echo(message, err=True))
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskID,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task: TaskID | None = None

        def step(name: str, total: int) -> None:
            nonlocal task
            if task is None:
                task = bar.add_task(name, total=total)
            else:
                bar.advance(task)
            bar.update(task, description=name)

        # messages go through the bar's console, on lines of their own above it
        yield step, (lambda message: bar.console.print(message, markup=False, highlight=False))


def _project(root: Path) -> Project:
    """The project, with a word on stderr when it has no template of its own."""
    project = Project(root)
    if not project.own_templates.is_dir():
        click.echo(
            f"styrdok: obs: {project.own_templates} saknas; använder styrdoks inbyggda mall "
            f"({project.templates}). Kopiera den till projektet för att kunna släppa versioner.",
            err=True,
        )
    return project


def _broken(e: SourceError) -> str:
    names = ", ".join(e.documents)
    return f"styrdok: byggde inte {names} (fel ovan; den tidigare utdatan ligger kvar)"


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
    help="Format, kommaseparerade: "
    + ", ".join(f"{f.name} ({f.label})" for f in DIFF_FORMATS)
    + ".",
)
@ROOT
def diff(
    doc: str, from_ref: str, to_ref: str | None, output: Path | None, fmt: str, root: Path
) -> None:
    """Jämför DOC mellan två revisioner: ändringslista, ändringsrapport och redline."""
    from styrdok.commands.compare import compare, diff_folder

    project = _project(root)
    doc = project.document_name(doc)
    formats = tuple(f.strip() for f in fmt.split(",") if f.strip())
    out = output or diff_folder(project, doc, from_ref, to_ref)
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
    from styrdok.commands.importer import import_docx

    project = Project(root)
    into = project.document_name(into) if into is not None else None
    result = import_docx(project, file, name, into, accept_changes)
    for line in result.report:
        click.echo(f"  {line}", err=True)
    written = ", ".join(result.changed) if result.changed else "inga ändringar"
    click.echo(f"{result.folder}: {written}")


@main.command(name="init")
@click.argument(
    "folder", required=False, default=".", type=click.Path(path_type=Path), metavar="[MAPP]"
)
@click.option(
    "--stad",
    help='Stadens eller kommunens namn, t.ex. "Lunds kommun" (standard: Helsingborgs stad).',
)
def init_command(folder: Path, stad: str | None) -> None:
    """Skapa ett nytt dokumentprojekt i MAPP (standard: den aktuella mappen): styrdok.toml,
    mallen, source/, .gitignore och CI för GitLab och GitHub. Skriver aldrig över något."""
    from styrdok.commands.init import init_project, report

    for line in report(init_project(folder, stad)):
        click.echo(line)


@main.command(name="new")
@click.argument("doc")
@click.option(
    "--typ",
    required=True,
    type=click.Choice(["program", "plan", "policy", "riktlinjer"], case_sensitive=False),
    help="Dokumenttypen.",
)
@click.option("--titel", required=True, help="Dokumentets titel.")
@ROOT
def new_command(doc: str, typ: str, titel: str, root: Path) -> None:
    """Skapa ett nytt dokument source/DOC/ att fylla i (kör sedan 'styrdok check')."""
    from styrdok.commands.importer import new_document

    project = Project(root)
    folder = new_document(project, project.document_name(doc), typ, titel)
    click.echo(f"{folder}: skapat; fyll i det som står som <saknas> och kör 'styrdok check {doc}'")


@main.command(name="status")
@output_format("table", "json", "csv")
@click.option(
    "--datum",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Läget den dagen (standard: i dag), ÅÅÅÅ-MM-DD.",
)
@ROOT
def status_command(fmt: str, on, root: Path) -> None:
    """Visa varje dokuments läge: gäller, ska aktualitetsprövas, försenad eller utgången.
    Avslutas med 1 när något är försenat eller utgånget."""
    from datetime import date

    from styrdok.writers.status import OVERDUE, render, statuses

    rows = statuses(Project(root), on.date() if on else date.today())
    click.echo(render(rows, fmt))
    late = [r.dokument for r in rows if r.läge in OVERDUE]
    if late:
        raise StyrdokError(f"försenade eller utgångna: {', '.join(late)}")


@main.command(name="history")
@click.argument("doc")
@click.argument("ident", required=False)
@output_format("text", "md", "json")
@ROOT
def history_command(doc: str, ident: str | None, fmt: str, root: Path) -> None:
    """Följ DOC:s åtgärder (eller åtgärden IDENT, med varje års uppföljning) genom alla
    släppta versioner."""
    from styrdok.compare.history import follow_ups, render, versions

    doc = Project(root).document_name(doc)
    click.echo(render(versions(root, doc), ident, fmt, follow_ups(root, doc)))


@main.command(name="log")
@click.argument("doc")
@ROOT
def log_command(doc: str, root: Path) -> None:
    """Visa DOC:s revisioner: taggar och commits som ändrade dokumentet."""
    from styrdok.readers.revisions import log

    for e in log(root, Project(root).document_name(doc)):
        tags = f"  [{', '.join(e.tags)}]" if e.tags else ""
        click.echo(f"{e.date[:10]}  {e.commit[:8]}  {e.author}: {e.message}{tags}")


class _Group(click.Group):
    """A group of subcommands with Swedish help, some also under an ASCII name (`las`)."""

    command_class = _Command
    aliases: ClassVar[dict[str, str]] = {"las": "läs"}

    def get_help_option(self, ctx: click.Context):
        return _swedish_help(super().get_help_option(ctx))

    def get_command(self, ctx: click.Context, cmd_name: str):
        return super().get_command(ctx, self.aliases.get(cmd_name, cmd_name))


YEAR = click.option("--år", "year", type=int, required=True, help="Uppföljningens år, t.ex. 2026.")


@main.group(name="uppfoljning", cls=_Group)
def uppfoljning_group() -> None:
    """Den årliga uppföljningen av planens åtgärder: utskick, läs, rapport."""


@uppfoljning_group.command(name="utskick")
@click.argument("doc")
@YEAR
@click.option(
    "--senast",
    "due",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Sista dag att svara, ÅÅÅÅ-MM-DD (står i arbetsboken).",
)
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), help="Utmapp.")
@ROOT
def uppfoljning_utskick(doc: str, year: int, due, output: Path | None, root: Path) -> None:
    """Skriv en arbetsbok (XLSX) per ansvarig förvaltning att fylla i (standard:
    build/DOC/uppfoljning-ÅR/)."""
    from styrdok.commands.uppfoljning import send_out

    project = Project(root)
    for path in send_out(
        project, project.document_name(doc), year, output, due.date() if due else None
    ):
        click.echo(str(path))


@uppfoljning_group.command(name="läs")
@click.argument("doc")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--år", "year", type=int, help="Uppföljningens år (standard: arbetsböckernas).")
@click.option("--ersätt", "replace", is_flag=True, help="Ersätt svar som redan är inlästa.")
@click.option(
    "--datum",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Dagen svaren räknas som rapporterade, ÅÅÅÅ-MM-DD (standard: i dag).",
)
@ROOT
def uppfoljning_las(
    doc: str, files: tuple[Path, ...], year: int | None, replace: bool, on, root: Path
) -> None:
    """Läs in förvaltningarnas ifyllda arbetsböcker (eller Excels CSV av dem) i
    source/DOC/uppfoljning/ÅR.yaml. Kan också skrivas 'las'."""
    from styrdok.commands.uppfoljning import read_in

    project = Project(root)
    result = read_in(
        project, project.document_name(doc), list(files), year, replace, on.date() if on else None
    )
    for c in result.replaced:
        click.echo(
            f"  ersatt: {c.after.department}, åtgärd {c.number}: {c.before.status} → "
            f"{c.after.status}",
            err=True,
        )
    written = "skriven" if result.written else "oförändrad"
    click.echo(
        f"{result.path}: {written} ({len(result.added)} nya svar, {len(result.replaced)} "
        f"ersatta, {len(result.unchanged)} oförändrade)"
    )
    if result.silent:
        click.echo(f"Har inte svarat: {', '.join(result.silent)}")
    for department, numbers in result.missing.items():
        if department not in result.silent:
            click.echo(f"Obesvarade åtgärder, {department}: {', '.join(numbers)}")
    if not result.missing:
        click.echo("Alla förvaltningar har svarat för alla sina åtgärder.")


@uppfoljning_group.command(name="rapport")
@click.argument("doc")
@YEAR
@click.option(
    "--format",
    "fmt",
    default="pdf,docx,html",
    show_default=True,
    help="Format, kommaseparerade: pdf, docx, html.",
)
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), help="Utmapp.")
@ROOT
def uppfoljning_rapport(doc: str, year: int, fmt: str, output: Path | None, root: Path) -> None:
    """Skriv uppföljningsrapporten för styrgruppen (standard: build/DOC/uppfoljning-ÅR/)."""
    from styrdok.commands.uppfoljning import report

    project = _project(root)
    formats = tuple(f.strip() for f in fmt.split(",") if f.strip())
    for path in report(project, project.document_name(doc), year, formats, output):
        click.echo(str(path))


ARCHIVE = click.option(
    "--archive",
    type=click.Path(file_okay=False, path_type=Path),
    help="Arkivmappen (standard: [arkiv] mapp i styrdok.toml).",
)


@main.command(name="release")
@click.argument("doc")
@click.option("--version", "version", required=True, help="Versionens namn, t.ex. 2019.")
@ARCHIVE
@click.option(
    "--force-same-content",
    is_flag=True,
    help="Släpp även om källan är oförändrad sedan en tidigare version.",
)
@click.option(
    "--force", is_flag=True, help="Släpp även om synpunkter från en remiss är obesvarade."
)
@ROOT
def release_command(
    doc: str,
    version: str,
    archive: Path | None,
    force_same_content: bool,
    force: bool,
    root: Path,
) -> None:
    """Släpp en beslutad version av DOC: tagg och arkivpaket (E-ARK i BagIt)."""
    from styrdok.commands.release import release

    doc = Project(root).document_name(doc)
    path = release(
        root,
        doc,
        version,
        archive,
        say=lambda m: click.echo(m, err=True),
        force_same_content=force_same_content,
        force=force,
    )
    click.echo(str(path))


@main.command(name="verify")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--repo",
    type=click.Path(file_okay=False, path_type=Path),
    help="Git-förrådet med släppets tagg (standard: förrådet kring den aktuella mappen).",
)
@click.option("--all", "every", is_flag=True, help="PATH är en arkivmapp: kontrollera alla paket.")
def verify_command(path: Path, repo: Path | None, every: bool) -> None:
    """Kontrollera ett arkivpaket: filer, kontrollsummor, PDF/A och taggens kontrollsumma.
    Med --all: varje paket under arkivmappen PATH, en rad vardera."""
    from styrdok.commands.verify import verify, verify_all

    if not every:
        verdict = verify(path, repo)
        if verdict.problems:
            raise StyrdokError("\n".join(verdict.problems))
        click.echo(f"{path}: ok" + (f" ({verdict.tag})" if verdict.tag else ""))
        return
    failed = 0
    for v in verify_all(path, repo):
        if v.problems:
            failed += 1
            more = f" (och {len(v.problems) - 1} till)" if len(v.problems) > 1 else ""
            click.echo(f"{v.path}: FEL: {v.problems[0]}{more}")
        else:
            click.echo(f"{v.path}: ok" + (f" ({v.tag})" if v.tag else ""))
    if failed:
        raise StyrdokError(f"{failed} paket verifieras inte; kör 'styrdok verify' på vart och ett")


@main.command(name="releases")
@click.argument("doc")
@ARCHIVE
@ROOT
def releases_command(doc: str, archive: Path | None, root: Path) -> None:
    """Visa de släppta versionerna av DOC: version, beslutsdatum, DNR, tagg, commit, paket."""
    from styrdok.commands.release import listed_releases

    doc = Project(root).document_name(doc)
    found = listed_releases(root, doc, archive)
    for r in found:
        package = str(r.package) if r.package else "-"
        click.echo(
            f"{r.version}\t{r.decided or '-'}\t{r.dnr or '-'}\t{r.tag}\t{r.commit[:8]}\t{package}"
        )
    if not found:
        click.echo(f"{doc}: inga släppta versioner ännu", err=True)


class _DefaultGroup(click.Group):
    """A command group whose first subcommand is run when none is named: `styrdok remiss DOC
    …` is `styrdok remiss skicka DOC …` (a group cannot take a document and subcommands)."""

    command_class = _Command

    def get_help_option(self, ctx: click.Context):
        return _swedish_help(super().get_help_option(ctx))

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = [next(iter(self.commands)), *args]
        return super().parse_args(ctx, args)


ROUND = click.option(
    "--omgång", "--omgang", "omgang", required=True, help="Remissomgången, t.ex. 2026-1."
)
OUTPUT = click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Utmapp (standard: build/DOC/remiss-OMGÅNG/).",
)


@main.group(name="remiss", cls=_DefaultGroup)
def remiss_group() -> None:
    """Remiss: skicka DOC på remiss, läs in svaren och gör remissammanställningen.

    'styrdok remiss DOC --omgång …' är 'styrdok remiss skicka DOC --omgång …'."""


@remiss_group.command(name="skicka")
@click.argument("doc")
@ROUND
@click.option(
    "--instanser",
    required=True,
    multiple=True,
    help='Remissinstanserna, kommaseparerade: "Socialnämnden, Fastighetsnämnden".',
)
@click.option(
    "--sista-svarsdag",
    "deadline",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Sista dag att svara, ÅÅÅÅ-MM-DD.",
)
@click.option(
    "--datum",
    "sent",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Dagen remissen skickas (standard: i dag), ÅÅÅÅ-MM-DD.",
)
@click.option("--svar-till", default="", help="Vart svaren skickas (standard: dokumentansvarig).")
@click.option(
    "--format",
    "fmt",
    default="docx,pdf",
    show_default=True,
    help="Remissversionens format, kommaseparerade: docx, pdf.",
)
@OUTPUT
@ROOT
def remiss_send(
    doc: str,
    omgang: str,
    instanser: tuple[str, ...],
    deadline,
    sent,
    svar_till: str,
    fmt: str,
    output: Path | None,
    root: Path,
) -> None:
    """Skicka DOC på remiss: remissversionen (DOCX och PDF, med radnummer och missiv) och
    svarsformuläret; omgången sparas i source/DOC/remiss/OMGÅNG/."""
    from styrdok.commands.remiss import send

    project = _project(root)
    doc = project.document_name(doc)
    formats = tuple(f.strip() for f in fmt.split(",") if f.strip())
    for path in send(
        root,
        doc,
        omgang,
        list(instanser),
        deadline.date(),
        sent.date() if sent else None,
        svar_till,
        output,
        formats,
    ):
        click.echo(str(path))
    click.echo(
        f"nästa steg: checka in omgången (git add source/{doc}/remiss/{omgang} && git commit) "
        "och skicka remissversionen och svarsformuläret till instanserna",
        err=True,
    )


def _new_remarks(n: int) -> str:
    """'1 ny synpunkt', '3 nya synpunkter'."""
    return f"{n} ny synpunkt" if n == 1 else f"{n} nya synpunkter"


@remiss_group.command(name="läs")
@click.argument("doc")
@ROUND
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--instans", help="Instansen som har svarat (standard: av filen eller formuläret).")
@ROOT
def remiss_read(
    doc: str, omgang: str, files: tuple[Path, ...], instans: str | None, root: Path
) -> None:
    """Läs in remissvar (FILER: .docx med kommentarer och spårade ändringar, svarsformuläret,
    brev som .docx eller .pdf) till source/DOC/remiss/OMGÅNG/synpunkter.yaml."""
    from styrdok.commands.remiss import read

    doc = Project(root).document_name(doc)
    ask = None
    if sys.stdin.isatty() and instans is None:

        def ask(path: Path, bodies: tuple[str, ...]) -> str:
            click.echo(f"{path}: vilken instans har svarat? ({', '.join(bodies)})", err=True)
            return click.prompt("Instans", err=True)

    total = 0
    for r in read(root, doc, omgang, list(files), instans, ask):
        if r.already:
            click.echo(f"{r.path}: redan inläst (som {r.already}, {r.body}); inget nytt")
            continue
        parts = [_new_remarks(r.new)]
        parts += [f"{r.known} redan inlästa"] if r.known else []
        parts += [f"{r.updated} med nya repliker"] if r.updated else []
        parts += [f"{r.unknown} med placering okänd"] if r.unknown else []
        note = " (inte bland remissinstanserna)" if r.unasked else ""
        click.echo(f"{r.path}: {r.body}{note}, {r.kind}: {', '.join(parts)} → {r.kept}")
        total += r.new
    click.echo(
        f"styrdok: {_new_remarks(total)} i source/{doc}/remiss/{omgang}/synpunkter.yaml; "
        "fyll i ställningstagande och motivering där",
        err=True,
    )


@remiss_group.command(name="sammanställning")
@click.argument("doc")
@ROUND
@click.option(
    "--format",
    "fmt",
    default="pdf,docx,html",
    show_default=True,
    help="Format, kommaseparerade: pdf, docx, html.",
)
@OUTPUT
@ROOT
def remiss_summary(doc: str, omgang: str, fmt: str, output: Path | None, root: Path) -> None:
    """Gör remissammanställningen av omgången: varje synpunkt med ställningstagande, per
    avsnitt och åtgärd, och remissvaren i sin helhet."""
    from styrdok.commands.remiss import summary

    project = _project(root)
    doc = project.document_name(doc)
    formats = tuple(f.strip() for f in fmt.split(",") if f.strip())
    for path in summary(root, doc, omgang, formats, output):
        click.echo(str(path))


def run() -> None:
    """The `styrdok` command: the CLI, then the process ends."""
    try:
        main()
    finally:
        # Python's last collections at exit would look through every object the command made
        # and every module it imported (about 30 ms of a one-document build); nothing is left
        # to collect, so they are told to skip them.
        import gc

        gc.freeze()


if __name__ == "__main__":
    run()
