"""The follow-up's workbook for one department (XLSX, openpyxl): the form it fills in and
returns.

One row per measure the department answers for (number, title, Tidplan, last year's status and
comment), a status cell with a drop-down of the scale and a comment cell, both unlocked and
shaded; every other cell locked (the sheet is protected, without a password: the protection
keeps cells from being changed by mistake, and `läs` checks every row anyway). What the workbook
is, the document, year and department, stands in its first rows, in a hidden sheet with what was
sent, and in its properties, so that a workbook cannot be read into another document or year.
Swedish headings, column widths, rows as high as their text, printable on A4 landscape.
The same plan, year and answers give the same bytes.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from datetime import date, datetime
from math import ceil
from typing import TYPE_CHECKING

from styrdok import __version__
from styrdok.model.document import Document, Measure, plain
from styrdok.model.uppfoljning import FORM, SCALE, FollowUp, scale_words
from styrdok.writers.ooxml import deterministic_zip

if TYPE_CHECKING:  # openpyxl is imported when a workbook is written (the CLI starts faster)
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

TITLE_ROWS = 5  # the rows above the table that say what the workbook is
INPUT_FILL = "FFF2CC"  # the cells to fill in: light yellow, as forms in the city's offices
HEADER_FILL = "D9D9D9"
FONT = "Arial"  # the city's office typeface (Liberation Sans where Arial is missing)
LINE_HEIGHT = 13.0  # points, one line of 10 pt Arial


def file_name(doc: str, year: int, department: str) -> str:
    """The workbook's file name: document, year and the department in ASCII."""
    return f"{doc}-uppfoljning-{year}-{slug(department)}.xlsx"


def slug(text: str) -> str:
    """'Vård- och omsorgsförvaltningen' → 'vard-och-omsorgsforvaltningen'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "forvaltning"


def workbook_bytes(
    doc: Document,
    year: int,
    department: str,
    measures: list[tuple[str, Measure]],
    last: FollowUp | None,
    due: date | None = None,
) -> bytes:
    """The department's workbook as XLSX bytes."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.protection import WorkbookProtection
    from openpyxl.worksheet.datavalidation import DataValidation

    m = doc.metadata
    wb = Workbook()
    ws = _first_sheet(wb)
    ws.title = FORM.sheet
    wrap = Alignment(wrap_text=True, vertical="top")
    thin = Side(style="thin", color="A6A6A6")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)
    unlocked = Protection(locked=False)
    fill = PatternFill("solid", fgColor=INPUT_FILL)
    normal, bold = Font(name=FONT, size=10), Font(name=FONT, size=10, bold=True)

    ws["A1"] = f"Uppföljning {year}: {m.full_title}"
    ws["A1"].font = Font(name=FONT, bold=True, size=14)
    deadline = f" senast {due.isoformat()}" if due else ""
    rows: tuple[tuple[str, str | int, str], ...] = (
        (FORM.document_label, doc.name, f"{m.full_title}, DNR {m.dnr}, beslutad {m.datum_long}"),
        (FORM.year_label, year, ""),
        (FORM.department_label, department, ""),
        (
            "Så här",
            f"Välj en status för varje åtgärd i den gula kolumnen {FORM.header('status', year)} "
            f"och skriv en kommentar bredvid. Statusar: {scale_words()}. Spara filen som "
            f"Excel-arbetsbok (.xlsx) och skicka tillbaka den{deadline}.",
            "",
        ),
    )
    for i, (label, value, note) in enumerate(rows, 2):
        ws.cell(i, 1, label).font = bold
        ws.cell(i, 1).alignment = Alignment(vertical="top")
        ws.cell(i, 2, value).alignment = Alignment(horizontal="left", vertical="top")
        ws.cell(i, 2).font = normal
        if note:
            ws.cell(i, 3, note).font = normal
    ws.cell(5, 2).alignment = wrap
    ws.merge_cells(start_row=5, start_column=2, end_row=5, end_column=len(FORM.columns) - 1)
    ws.row_dimensions[5].height = LINE_HEIGHT * 2

    header = FORM.header_row
    for col, (key, _, width) in enumerate(FORM.columns, 1):
        cell = ws.cell(header, col, FORM.header(key, year))
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = wrap
        cell.border = grid
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.column_dimensions[get_column_letter(FORM.column("id"))].hidden = True

    previous = last.answers if last is not None else {}
    for row, (number, measure) in enumerate(measures, header + 1):
        before = previous.get(measure.id, {}).get(department)
        values = {
            "number": number,
            "title": " ".join(plain(measure.title).split()),
            "tidplan": plain(measure.fields.get("tidplan", ())),
            "last_status": before.status if before else "",
            "last_comment": before.comment if before else "",
            "status": None,
            "comment": None,
            "id": measure.id,
        }
        lines = 1
        for col, (key, _, width) in enumerate(FORM.columns, 1):
            cell = ws.cell(row, col, values[key] or None)
            cell.font = normal
            cell.alignment = wrap
            cell.border = grid
            if key in FORM.editable:
                cell.protection = unlocked
                cell.fill = fill
            elif key != "id":
                lines = max(lines, _lines(str(values[key] or ""), width))
        ws.row_dimensions[row].height = LINE_HEIGHT * max(lines, 2)

    first, last_row = header + 1, header + max(len(measures), 1)
    status_col = get_column_letter(FORM.column("status"))
    choices = DataValidation(
        type="list",
        formula1='"' + ",".join(s.value for s in SCALE) + '"',
        allow_blank=True,
        showDropDown=False,  # openpyxl's name for Excel's reversed flag: False shows the arrow
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="Okänd status",
        error=f"Välj en status i listan: {scale_words()}.",
        showInputMessage=True,
        promptTitle="Status",
        prompt="Välj i listan.",
    )
    choices.add(f"{status_col}{first}:{status_col}{last_row}")
    ws.add_data_validation(choices)

    ws.freeze_panes = ws.cell(header + 1, 3).coordinate
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widths and heights may be changed, nothing else
    ws.protection.formatRows = False
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    fit = ws.sheet_properties.pageSetUpPr
    header_item, footer_item = ws.oddHeader, ws.oddFooter
    # openpyxl makes all three with a new sheet; its stubs type them as possibly None
    assert fit is not None and header_item is not None and footer_item is not None
    fit.fitToPage = True
    ws.print_title_rows = f"{header}:{header}"
    last_col = get_column_letter(len(FORM.columns) - 1)
    ws.print_area = f"A1:{last_col}{last_row}"
    ws.page_margins.left = ws.page_margins.right = 0.5
    header_item.left.text = f"Uppföljning {year}: {doc.name}"
    header_item.right.text = department
    footer_item.center.text = "Sida &P av &N"

    meta = wb.create_sheet(FORM.meta_sheet)
    sent = (
        ("dokument", doc.name),
        ("år", str(year)),
        ("förvaltning", department),
        ("dnr", m.dnr),
        ("beslutad", m.datum.isoformat()),
        ("styrdok", __version__),
    )
    for i, (k, v) in enumerate(sent, 1):
        meta.cell(i, 1, k)
        meta.cell(i, 2, v)
    start = len(sent) + 2
    meta.cell(start, 1, "id")
    meta.cell(start, 2, "nummer")
    meta.cell(start, 3, "åtgärd")
    for i, (number, measure) in enumerate(measures, start + 1):
        meta.cell(i, 1, measure.id)
        meta.cell(i, 2, number)
        meta.cell(i, 3, " ".join(plain(measure.title).split()))
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    wb.security = WorkbookProtection(lockStructure=True)

    props = wb.properties
    props.title = f"Uppföljning {year}: {m.full_title}"
    props.subject = f"{department}, {doc.name}"
    props.creator = f"styrdok {__version__}"
    props.keywords = f"uppföljning; {doc.name}; {year}"
    props.language = "sv-SE"
    stamp = datetime(m.datum.year, m.datum.month, m.datum.day)
    props.created = props.modified = stamp
    for k, v in sent[:3]:
        # openpyxl ≥ 3.1 has custom_doc_props; types-openpyxl leaves the attribute out
        wb.custom_doc_props.append(  # type: ignore[attr-defined]
            StringProperty(name=f"styrdok-{k}", value=v)
        )

    out = io.BytesIO()
    wb.save(out)
    return _fixed(out.getvalue(), m.datum, stamp)


def _first_sheet(wb: Workbook) -> Worksheet:
    """The sheet a new workbook opens with (openpyxl's `active`, which its types leave open to
    be none, or a chart sheet)."""
    from openpyxl.worksheet.worksheet import Worksheet

    ws = wb.active
    if not isinstance(ws, Worksheet):
        raise TypeError(f"en ny arbetsbok ska börja med ett kalkylblad, inte {ws!r}")
    return ws


def _lines(text: str, width: float) -> int:
    """How many lines a text wraps to in a column `width` characters wide (an estimate)."""
    per_line = max(int(width * 1.1), 1)
    return sum(max(ceil(len(part) / per_line), 1) for part in text.split("\n"))


def _fixed(data: bytes, on: date, stamp: datetime) -> bytes:
    """The workbook with a fixed modification time and zip entries: the same bytes each time
    (openpyxl stamps the time of saving)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        core = z.read("docProps/core.xml").decode()
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    core = re.sub(
        r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rf"\g<1>{when}\g<2>", core
    )
    return deterministic_zip(data, on, replace={"docProps/core.xml": core.encode()})
