"""Run by the system Python (which has `uno`): open a follow-up workbook in a running
LibreOffice Calc, fill in status and comment cells as a department does, and save it as Excel
2007–365 (.xlsx), as Calc writes it.

    /usr/bin/python3 lofill.py CONNECTION FILE OUT ANSWERS_JSON

ANSWERS_JSON maps a measure's number (column A) to [status, comment].
"""

import json
import sys

import uno
from unodoc import open_document, prop

SHEET = "Uppföljning"
STATUS, COMMENT = 5, 6  # columns F and G, 0-based


def main(connection, path, out, answers):
    _, doc = open_document(connection, path)
    try:
        wanted = json.loads(answers)
        sheet = doc.getSheets().getByName(SHEET)
        row = 7  # 0-based: the first measure row, 8
        while sheet.getCellByPosition(0, row).getString():
            number = sheet.getCellByPosition(0, row).getString()
            if number in wanted:
                status, comment = wanted[number]
                sheet.getCellByPosition(STATUS, row).setString(status)
                sheet.getCellByPosition(COMMENT, row).setString(comment)
            row += 1
        xlsx = (prop("FilterName", "Calc MS Excel 2007 XML"),)
        doc.storeToURL(uno.systemPathToFileUrl(out), xlsx)
    finally:
        doc.close(True)


if __name__ == "__main__":
    main(*sys.argv[1:5])
