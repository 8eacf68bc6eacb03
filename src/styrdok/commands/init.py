"""The init command: a new documents project, for a city that keeps its styrdokument in a
repository of its own and installs styrdok as a tool.

`init_project` writes, from the skeleton in styrdok's package data (styrdok.data/project):
styrdok.toml (the city's name, the template's folder, and the archive and records values to
fill in, written as `<saknas>` so that `check` names each one), templates/<name>/template.docx (a
copy of styrdok's own template, in the city's name), source/ with a read-me line, .gitignore
(build/), and the CI definitions for GitLab CI and GitHub Actions.

A folder that already holds a project (styrdok.toml or source/) is refused with nothing
written; an existing file is never overwritten (it is left as it is and named); a failure
midway removes what this run made.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from styrdok import __version__
from styrdok.errors import StyrdokError
from styrdok.model.metadata import PLACEHOLDER
from styrdok.project.names import (
    DEFAULT_TEMPLATE,
    SETTINGS_FILE,
    TEMPLATE_DIR,
    TEMPLATE_FILE,
    TEMPLATES,
    name_problem,
)
from styrdok.project.settings import DEFAULT_CITY, LONGEST, City, toml_string
from styrdok.writers.ooxml.city import renamed

SKELETON = files("styrdok.data").joinpath("project")
SOURCE = "source"
GITIGNORE = ".gitignore"
# Each file of a new project (beside its template) and the skeleton file it is made from.
FILES = (
    (SETTINGS_FILE, "styrdok.toml"),
    (f"{SOURCE}/README.md", "source-README.md"),
    (GITIGNORE, "gitignore"),
    (".gitlab-ci.yml", "gitlab-ci.yml"),
    (".github/workflows/styrdok.yml", "github-styrdok.yml"),
)


@dataclass
class Initialised:
    """What `init_project` did: the files it made and those it found and left alone."""

    root: Path
    city: City
    template: str
    made: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def init_project(root: Path, city_name: str | None = None) -> Initialised:
    """Make a documents project in `root` (made if missing) for the city `city_name` (default:
    Helsingborgs stad, styrdok's own); a StyrdokError, with nothing written, for a folder that
    already has a project or a name that cannot be used."""
    city = _city(city_name)
    template = template_name(city)
    if root.exists() and not root.is_dir():
        raise StyrdokError(f"{root}: är en fil; ange en mapp för det nya projektet")
    found = [p for p in (root / SETTINGS_FILE, root / SOURCE) if p.exists()]
    if found:
        names = " och ".join(p.name + ("/" if p.is_dir() else "") for p in found)
        raise StyrdokError(
            f"{root}: har redan ett styrdok-projekt ({names} finns); init skriver aldrig över. "
            "Arbeta vidare där (styrdok new, styrdok check), eller ange en ny mapp: "
            "styrdok init MAPP"
        )
    contents: dict[str, str | bytes] = {
        target: _filled(SKELETON.joinpath(skeleton).read_text("utf-8"), city, template)
        for target, skeleton in FILES
    }
    base = (TEMPLATE_DIR / TEMPLATE_FILE).read_bytes()
    if city != DEFAULT_CITY:
        base, _ = renamed(base, DEFAULT_CITY, city)
    contents[f"{TEMPLATES}/{template}/{TEMPLATE_FILE}"] = base
    done = Initialised(root, city, template)
    made_folders: set[Path] = set()  # the folders this run makes (root too, if it is new)
    try:
        for relative, content in contents.items():
            path = root / relative
            made_folders.update(p for p in path.parents if not p.exists())
            path.parent.mkdir(parents=True, exist_ok=True)
            data = content.encode("utf-8") if isinstance(content, str) else content
            try:
                out = path.open("xb")  # never over a file that is there
            except FileExistsError:
                done.kept.append(path)
                continue
            done.made.append(path)
            with out:
                out.write(data)
    except BaseException:  # a full disk, Ctrl-C: what this run made goes again
        for path in done.made:
            path.unlink(missing_ok=True)
        for folder in sorted(made_folders, key=lambda p: len(p.parts), reverse=True):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    return done


def _city(name: str | None) -> City:
    """The city of `--stad`: its name as given, and its name in capitals at the top of the web
    pages (Helsingborg's own word when it is styrdok's default)."""
    if name is None:
        return DEFAULT_CITY
    name = name.strip()
    longest = LONGEST["stad.namn"]
    if not name or any(c < " " or c == "\x7f" for c in name) or len(name) > longest:
        raise StyrdokError(
            f"--stad: skriv stadens eller kommunens namn på en rad (högst {longest} tecken), "
            't.ex. --stad "Lunds kommun"'
        )
    if name == DEFAULT_CITY.name:
        return DEFAULT_CITY
    return City(name, name.upper()[: LONGEST["stad.sidhuvud"]].strip())


def template_name(city: City) -> str:
    """The template's folder for a city: 'helsingborg' for styrdok's own, else the name in
    a–z, digits and dashes ('Lunds kommun' → 'lunds-kommun')."""
    if city == DEFAULT_CITY:
        return DEFAULT_TEMPLATE
    spelled: dict[str, str | int | None] = {"æ": "ae", "ø": "o", "ß": "ss"}  # NFKD keeps them
    folded = city.name.lower().translate(str.maketrans(spelled))
    plain = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60].strip("-")
    return name if name and name_problem(name) is None else "mall"


def _filled(text: str, city: City, template: str) -> str:
    """A skeleton file with the city's values put in (@NAME@ marks)."""
    values = {
        "@STAD@": toml_string(city.name),
        "@SIDHUVUD@": toml_string(city.header),
        "@MALL@": toml_string(template),
        "@STAD_PLAIN@": city.name,
        "@MALL_PLAIN@": template,
        "@VERSION@": __version__,
    }
    for mark, value in values.items():
        text = text.replace(mark, value)
    return text


def report(done: Initialised) -> list[str]:
    """What init made and what to do next, in Swedish, line by line."""
    root = done.root
    lines = [f"styrdok: nytt projekt i {root} för {done.city.name}"]
    lines += [f"  skapade {p.relative_to(root)}" for p in done.made]
    for path in done.kept:
        hint = " (lägg till raden /build/ i den)" if path.name == GITIGNORE else ""
        lines.append(f"  fanns redan och lämnades orörd: {path.relative_to(root)}{hint}")
    in_git = any((p / ".git").exists() for p in (root.resolve(), *root.resolve().parents))
    steps = [] if root.resolve() == Path.cwd().resolve() else [f"cd {root}"]
    if not in_git:
        steps.append("git init")
    steps += [
        f"fyll i det som står som {PLACEHOLDER} i {SETTINGS_FILE} ('styrdok check' visar var)",
        'styrdok new NAMN --typ plan --titel "…"   (eller: styrdok import dokument.docx)',
        "fyll i dokumentet, sedan: styrdok check && styrdok build",
        'git add . && git commit -m "Styrdokumenten i styrdok"',
        "behåll den CI-fil ni använder (.gitlab-ci.yml eller .github/workflows/styrdok.yml) "
        "och ta bort den andra",
    ]
    if done.city != DEFAULT_CITY:
        steps.append(
            f"öppna {TEMPLATES}/{done.template}/{TEMPLATE_FILE} i Word och gör mallen till "
            f"{done.city.genitive} (logotyp, färger)"
        )
    lines.append("Nästa steg:")
    lines += [f"  {n}. {step}" for n, step in enumerate(steps, 1)]
    return lines
