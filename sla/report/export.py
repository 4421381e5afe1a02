"""The report as CSV (one table) and XLSX (every table, one sheet each).

Numbers stay numbers in the XLSX (amounts as decimals with two places), so staff can add them
up; the CSV uses a dot decimal separator and UTF-8 with a BOM (spreadsheets then read accents).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from common.cells import neutralise
from sla.report.tables import Cell, Table

SHEET_TITLE_MAX = 31  # Excel's limit


class UnknownTable(KeyError):
    """The requested table is not part of the report."""


def to_csv(tables: list[Table], key: str) -> bytes:
    table = next((t for t in tables if t.key == key), None)
    if table is None:
        raise UnknownTable(key)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.headers)
    writer.writerows([_csv_cell(v) for v in row] for row in table.rows)
    return ("\ufeff" + out.getvalue()).encode()


def _csv_cell(value: Cell) -> str:
    return "" if value is None else neutralise(str(value))


def to_xlsx(tables: list[Table], title: str) -> bytes:
    book = Workbook()
    book.remove(book.worksheets[0])
    bold = Font(bold=True)
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.title, book.sheetnames))
        sheet.append(table.headers)
        for cell in sheet[1]:
            cell.font = bold
        for row in table.rows:
            sheet.append([_xlsx_cell(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text is never a formula, whatever it starts with
        for index, header in enumerate(table.headers, start=1):
            width = max(
                [len(str(header))] + [len(str(r[index - 1] or "")) for r in table.rows[:200]]
            )
            sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, float):
                    cell.number_format = "0.00"
        sheet.freeze_panes = "A2"
    book.properties.title = title
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(value: Cell) -> str | int | float | None:
    if isinstance(value, Decimal):
        return float(value)  # displayed with two decimals; the exact text is in the CSV
    return value


def _sheet_name(title: str, taken: list[str]) -> str:
    name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:SHEET_TITLE_MAX]
    base, n = name, 2
    while name in taken:
        suffix = f" {n}"
        name = base[: SHEET_TITLE_MAX - len(suffix)] + suffix
        n += 1
    return name
