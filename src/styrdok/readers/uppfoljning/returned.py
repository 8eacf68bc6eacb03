"""A department's returned follow-up → its answers, every row checked against the plan.

The returned file is the workbook `utskick` wrote (XLSX, however Excel or LibreOffice saved it)
or a CSV that Excel saved of its sheet (`;` or `,`, Windows-1252 or UTF-8). Both are read into
one grid of texts and parsed by one function, so they are held to the same rules: the document,
year and department the file names must be the ones asked for, every row must be a row that
was sent (a number or title changed, a row added or deleted is refused), and every status must
be on the scale. Each problem names the file and the cell (`Uppföljning!F9`) and the fix.
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from styrdok.errors import StyrdokError
from styrdok.model.document import Document, plain
from styrdok.model.uppfoljning import FORM, Answer, departments, scale_words, status_of

OPENED_BY_EXCEL = "~$"  # the lock file Excel leaves beside an open workbook


@dataclass
class Returned:
    """What one returned file says, as read (before it is held against the plan)."""

    path: Path
    sheet: str  # the sheet's name in cell references ("" for a CSV, which has one sheet)
    grid: list[list[str]]
    meta: dict[str, str] = field(default_factory=dict)  # the hidden sheet's keys (XLSX)
    sent: list[tuple[str, str, str]] = field(default_factory=list)  # id, number, title

    def ref(self, row: int, col: int) -> str:
        """A cell as a person finds it: Uppföljning!F9 (1-based row and column)."""
        from openpyxl.utils import get_column_letter

        cell = f"{get_column_letter(col)}{row}"
        return f"{self.sheet}!{cell}" if self.sheet else cell

    def value(self, row: int, col: int) -> str:
        if row - 1 < len(self.grid) and col - 1 < len(self.grid[row - 1]):
            return self.grid[row - 1][col - 1]
        return ""

    def labelled(self, label: str) -> tuple[str, int] | None:
        """The value beside a label in column A above the table, and its row."""
        for row in range(1, FORM.header_row):
            if self.value(row, 1).strip().rstrip(":").lower() == label.lower():
                return self.value(row, 2).strip(), row
        return None


@dataclass(frozen=True)
class Answers:
    """A returned file's answers, and the plan's measures the department left unanswered."""

    path: Path
    department: str
    year: int
    answers: tuple[Answer, ...]
    unanswered: tuple[str, ...]  # measure ids


def read_returned(path: Path) -> Returned:
    """A returned file as a grid of texts; a StyrdokError for a file that is no such file."""
    name = path.name
    if name.startswith(OPENED_BY_EXCEL):
        raise StyrdokError(
            f"{path}: är Excels låsfil för en öppen arbetsbok, inte ett svar; stäng arbetsboken "
            "i Excel och läs in själva filen"
        )
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return _read_csv(path)
    kinds = {
        ".xls": "en arbetsbok i det gamla Excel-formatet (.xls)",
        ".ods": "en LibreOffice-arbetsbok (.ods)",
        ".numbers": "en Numbers-fil",
    }
    kind = kinds.get(suffix, f"en {suffix or 'fil utan ändelse'}-fil")
    raise StyrdokError(
        f"{path}: är {kind}; öppna den och spara den som Excel-arbetsbok (.xlsx), välj "
        "'Spara som' → 'Excel-arbetsbok', och läs in den på nytt"
    )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(path: Path) -> Returned:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        if isinstance(e, FileNotFoundError):
            raise StyrdokError(f"{path}: finns inte") from None
        raise StyrdokError(
            f"{path}: går inte att läsa som Excel-arbetsbok ({type(e).__name__}); öppna den "
            "i Excel eller LibreOffice, spara den som Excel-arbetsbok (.xlsx) och försök igen"
        ) from None
    if FORM.sheet not in wb.sheetnames:
        raise StyrdokError(
            f"{path}: bladet '{FORM.sheet}' saknas (arbetsboken har {', '.join(wb.sheetnames)}); "
            "läs in arbetsboken som 'styrdok uppfoljning utskick' skrev, med bladet kvar"
        )
    ws = wb[FORM.sheet]
    grid = [[_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    returned = Returned(path, FORM.sheet, grid)
    if FORM.meta_sheet in wb.sheetnames:
        rows = [[_text(v) for v in row] for row in wb[FORM.meta_sheet].iter_rows(values_only=True)]
        in_table = False
        for row in rows:
            if not row or not row[0]:
                continue
            if row[0] == "id":
                in_table = True
            elif in_table:
                padded = [*row, "", ""]
                returned.sent.append((padded[0], padded[1], padded[2]))
            else:
                returned.meta[row[0]] = row[1] if len(row) > 1 else ""
    return returned


def _read_csv(path: Path) -> Returned:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):  # Excel's "CSV UTF-8", then its default
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes all but five bytes
        raise StyrdokError(
            f"{path}: teckenkodningen går inte att läsa; spara filen som Excel-arbetsbok (.xlsx)"
        )
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    grid = [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    returned = Returned(path, "", grid)
    if returned.labelled(FORM.document_label) is None:
        raise StyrdokError(
            f"{path}: är ingen uppföljning från styrdok (raden '{FORM.document_label}' saknas "
            "överst); skicka tillbaka arbetsboken (.xlsx) som den kom, eller spara bladet "
            f"'{FORM.sheet}' som CSV med semikolon"
        )
    return returned


def identify(returned: Returned) -> tuple[str, str, str]:
    """(document, year, department) as the file states them; a StyrdokError when it does not."""
    found = []
    for label in (FORM.document_label, FORM.year_label, FORM.department_label):
        value = returned.labelled(label)
        if value is None or not value[0]:
            raise StyrdokError(
                f"{returned.path}: raden '{label}' saknas överst i bladet; läs in arbetsboken "
                "som 'styrdok uppfoljning utskick' skrev den"
            )
        found.append(value[0])
    return found[0], found[1], found[2]


def answers_of(returned: Returned, doc: Document, year: int, on: date) -> tuple[Answers, list[str]]:
    """The file's answers, held against the plan `doc` and the `year` asked for; every problem
    as 'file: cell: message and fix'."""
    problems: list[str] = []

    def add(row: int, col: int, message: str) -> None:
        problems.append(f"{returned.path}: {returned.ref(row, col)}: {message}")

    document, year_text, department = identify(returned)
    labels = {
        label: returned.labelled(label)[1]  # type: ignore[index]
        for label in (FORM.document_label, FORM.year_label, FORM.department_label)
    }
    if document != doc.name:
        add(
            labels[FORM.document_label],
            2,
            f"arbetsboken gäller dokumentet '{document}', inte '{doc.name}'; läs in den med "
            f"'styrdok uppfoljning läs {document}'",
        )
    if year_text != str(year):
        add(
            labels[FORM.year_label],
            2,
            f"arbetsboken gäller uppföljningen {year_text}, inte {year}; läs in den med "
            f"--år {year_text}, eller skicka ut årets arbetsbok",
        )
    owned = departments(doc)
    for key, label, shown in (
        ("dokument", FORM.document_label, document),
        ("år", FORM.year_label, year_text),
        ("förvaltning", FORM.department_label, department),
    ):
        sent = returned.meta.get(key)
        if sent is not None and sent != shown:
            add(
                labels[label],
                2,
                f"'{shown}' har skrivits in; arbetsboken skickades med '{sent}'. Skriv tillbaka "
                f"'{sent}'",
            )
    if department not in owned:
        close = difflib.get_close_matches(department, list(owned), n=1, cutoff=0.6)
        hint = f"; menade du '{close[0]}'?" if close else f"; förvaltningarna är {', '.join(owned)}"
        add(
            labels[FORM.department_label], 2, f"'{department}' ansvarar inte för någon åtgärd{hint}"
        )
    if problems:
        return Answers(returned.path, department, year, (), ()), problems

    expected = {m.id: (n, m) for n, m in owned[department]}
    col = {key: FORM.column(key) for key, _, _ in FORM.columns}
    header = _header_row(returned)
    if header is None:
        problems.append(
            f"{returned.path}: rubrikraden ('{FORM.number_label}', 'Åtgärd' …) saknas; läs in "
            "arbetsboken som 'styrdok uppfoljning utskick' skrev den"
        )
        return Answers(returned.path, department, year, (), ()), problems
    for key, _, _ in FORM.columns:
        if returned.value(header, col[key]).strip() != FORM.header(key, year):
            add(
                header,
                col[key],
                f"rubriken ska vara '{FORM.header(key, year)}'; kolumner får inte flyttas, läggas "
                "till eller tas bort. Gör om svaret i arbetsboken som skickades ut",
            )
            return Answers(returned.path, department, year, (), ()), problems

    seen: dict[str, int] = {}
    answers: list[Answer] = []
    unanswered: list[str] = []
    for row in range(header + 1, len(returned.grid) + 1):
        cells = {key: returned.value(row, col[key]).strip() for key in col}
        if not any(cells.values()):
            continue
        ident = cells["id"]
        if not ident:
            add(
                row,
                col["number"],
                "raden fanns inte i utskicket (den har ingen åtgärds-id); ta bort raden, "
                "nya åtgärder läggs till i planen, inte i uppföljningen",
            )
            continue
        if ident in seen:
            add(row, col["number"], f"raden är en kopia av rad {seen[ident]}; ta bort den ena")
            continue
        seen[ident] = row
        if ident not in expected:
            known = {m.id: n for n, _, m in doc.numbered_measures()}
            where = (
                f"åtgärd {known[ident]} är inte {department}s"
                if ident in known
                else f"planen har ingen åtgärd med id '{ident}'"
            )
            add(row, col["id"], f"{where}; ta bort raden eller gör ett nytt utskick")
            continue
        number, measure = expected[ident]
        title = " ".join(plain(measure.title).split())
        if cells["number"] != number:
            add(
                row,
                col["number"],
                f"numret är '{cells['number']}' men åtgärden har nummer {number} i planen; skriv "
                f"tillbaka {number} (eller gör ett nytt utskick om planen har ändrats)",
            )
        if " ".join(cells["title"].split()) != title:
            add(
                row,
                col["title"],
                f"rubriken har ändrats; den ska vara '{title}'. Skriv kommentarer i kolumnen "
                f"{FORM.header('comment', year)}, inte i rubriken",
            )
        raw = cells["status"]
        if not raw:
            if cells["comment"]:
                add(
                    row,
                    col["status"],
                    f"kommentar men ingen status för {number}; välj en status i listan "
                    f"({scale_words()})",
                )
            unanswered.append(ident)
            continue
        status = status_of(raw)
        if status is None:
            close = difflib.get_close_matches(
                raw.lower(), [s for s in scale_words().split(", ")], n=1, cutoff=0.5
            )
            hint = f" (menade du '{close[0]}'?)" if close else ""
            add(
                row,
                col["status"],
                f"'{raw}' finns inte i skalan{hint}; välj en av: {scale_words()}",
            )
            continue
        answers.append(Answer(ident, department, status.value, cells["comment"], on))
    for ident, (number, _) in expected.items():
        if ident not in seen:
            add(
                header,
                col["number"],
                f"raden för åtgärd {number} ({ident}) har tagits bort; lägg tillbaka den (kopiera "
                "den från utskicket) eller gör ett nytt utskick",
            )
    order = list(expected)
    answers.sort(key=lambda a: order.index(a.measure))
    return Answers(returned.path, department, year, tuple(answers), tuple(unanswered)), problems


def _header_row(returned: Returned) -> int | None:
    for row in range(1, min(len(returned.grid), FORM.header_row + 5) + 1):
        if returned.value(row, 1).strip() == FORM.number_label:
            return row
    return None
