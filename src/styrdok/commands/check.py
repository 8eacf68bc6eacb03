"""The check stage: everything `styrdok check` reports about a project, gathered before any of it
is shown (mkdocs' `Config.validate()` returns every error): the settings' unfilled values, and
for each document its errors (records, follow-up, remiss rounds) and its warnings (the rules,
the follow-up's late and unreported measures, unanswered remiss comments).

A document whose source cannot be read is kept as the SourceError that names its problems
(every document that could be read is still checked); `cli.check` prints what this returns and
ends with that error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from styrdok.errors import Problem, SourceError
from styrdok.model.document import Document
from styrdok.project.layout import Project
from styrdok.project.names import META_FILE, SETTINGS_FILE, TEMPLATE_FILE
from styrdok.project.records import problems as records_problems
from styrdok.readers.markdown.source import iter_documents
from styrdok.readers.remiss.rounds import round_problems, unanswered
from styrdok.readers.rules import warnings
from styrdok.readers.uppfoljning.check import follow_up_problems


@dataclass(frozen=True)
class DocumentCheck:
    """One document's findings: errors make the check fail, warnings only with --strict."""

    name: str
    errors: list[Problem]
    warnings: list[Problem]
    sections: int
    measures: int


@dataclass
class Findings:
    settings: list[Problem] = field(default_factory=list)  # <saknas> in styrdok.toml
    # the project's own warnings: a template whose header does not name the city
    project_warnings: list[Problem] = field(default_factory=list)
    documents: list[DocumentCheck] = field(default_factory=list)
    no_documents: Path | None = None  # source/ exists and holds no document yet
    unreadable: SourceError | None = None  # the documents whose source could not be read

    @property
    def broken(self) -> list[str]:
        """What has errors: styrdok.toml and the documents, by name."""
        names = [d.name for d in self.documents if d.errors]
        return ([self.settings[0].path.name] if self.settings else []) + names

    @property
    def warned(self) -> list[str]:
        own = [self.project_warnings[0].path.name] if self.project_warnings else []
        return own + [d.name for d in self.documents if d.warnings]


def check(project: Project, names: list[str]) -> Findings:
    """The findings for the named documents (all when none is named)."""
    found = Findings(
        settings=sorted(project.settings.unfilled.values()),
        project_warnings=_template_city(project),
    )
    if not names and not project.known_documents() and project.source.is_dir():
        found.no_documents = project.source
    try:
        for doc in iter_documents(project.source, names):
            found.documents.append(_document(project, doc))
    except SourceError as e:
        found.unreadable = e
    return found


def _template_city(project: Project) -> list[Problem]:
    """The DOCX header comes from the template, the web page's from styrdok.toml's [stad]: a
    warning when the template's header does not hold [stad] sidhuvud (the city renamed in one
    place only)."""
    from styrdok.writers.ooxml.city import header_texts

    template = project.templates / TEMPLATE_FILE
    header = project.settings.city.header
    try:
        texts = header_texts(template.read_bytes())
    except Exception:  # a template that cannot be read: build names it with the fix
        return []
    if not texts or any(header in text for text in texts):
        return []
    settings = project.settings
    line = settings.lines.get("stad.sidhuvud") or settings.lines.get("stad.namn") or 1
    return [
        Problem(
            settings.path or project.root / SETTINGS_FILE,
            line,
            f"varning: mallens sidhuvud ({template}) börjar med {texts[0]!r}, men [stad] "
            f"sidhuvud är {header!r}: Word-filerna och webbsidorna skulle nämna olika namn. "
            "Ändra sidhuvudet i mallen i Word, eller sidhuvud i styrdok.toml",
        )
    ]


def _document(project: Project, doc: Document) -> DocumentCheck:
    folder = project.source / doc.name
    meta = folder / META_FILE
    follow_errors, follow_warnings = follow_up_problems(doc, folder)
    errors = records_problems(project, doc.metadata, meta, meta.read_text("utf-8"))
    errors += follow_errors + round_problems(folder)
    warned = warnings(doc, folder) + follow_warnings + unanswered(folder)
    measures = len(doc.numbered_measures())
    return DocumentCheck(doc.name, errors, warned, len(doc.sections), measures)
