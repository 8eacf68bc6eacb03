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
from styrdok.project.names import META_FILE
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
        return [d.name for d in self.documents if d.warnings]


def check(project: Project, names: list[str]) -> Findings:
    """The findings for the named documents (all when none is named)."""
    found = Findings(settings=sorted(project.settings.unfilled.values()))
    if not names and not project.known_documents() and project.source.is_dir():
        found.no_documents = project.source
    try:
        for doc in iter_documents(project.source, names):
            found.documents.append(_document(project, doc))
    except SourceError as e:
        found.unreadable = e
    return found


def _document(project: Project, doc: Document) -> DocumentCheck:
    folder = project.source / doc.name
    meta = folder / META_FILE
    follow_errors, follow_warnings = follow_up_problems(doc, folder)
    errors = records_problems(project, doc.metadata, meta, meta.read_text("utf-8"))
    errors += follow_errors + round_problems(folder)
    warned = warnings(doc, folder) + follow_warnings + unanswered(folder)
    measures = len(doc.numbered_measures())
    return DocumentCheck(doc.name, errors, warned, len(doc.sections), measures)
