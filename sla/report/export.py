"""The report as CSV (one table) and XLSX (every table, one sheet each), in the report's language.

The XLSX holds numbers as numbers (amounts, percentages, rates with a number format carrying
their unit: `#,##0.00 "€ HT"`, `0.000 "%"`), durations as durations and local times as dates, so
staff can add them up; the spreadsheet groups digits in its reader's locale. The CSV follows the
language's spreadsheet dialect (`common.csv_dialects`): in French `;`, a decimal comma and a
byte-order mark, in English `,` and the decimal point; numbers are bare, their unit in the
header.
"""

from __future__ import annotations

import csv
import io

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from common.cells import neutralise
from common.csv_dialects import for_language
from common.quantities import (
    Duration,
    Quantity,
    Unit,
    csv_text,
    symbol,
    text,
    xlsx_format,
    xlsx_value,
)
from sla.report.tables import Table

SHEET_TITLE_MAX = 31  # Excel's limit


class UnknownTable(KeyError):
    """The requested table is not part of the report."""


def _french(lang: str) -> bool:
    return lang.startswith("fr")


def to_csv(tables: list[Table], key: str, lang: str = "en") -> bytes:
    """One table in the spreadsheet dialect of `lang`; a column mixing units (the summary's
    values) keeps each figure's unit, as the page writes it."""
    table = next((t for t in tables if t.key == key), None)
    if table is None:
        raise UnknownTable(key)
    dialect = for_language(lang)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=dialect.delimiter, lineterminator="\n")
    units = [_unit(table, index) for index in range(len(table.headers))]
    with translation.override(lang):
        writer.writerow([_header(h, u) for h, u in zip(table.headers, units, strict=True)])
        for row in table.rows:
            writer.writerow(
                [
                    neutralise(csv_text(v, dialect) if u is not MIXED else text(v))
                    for v, u in zip(row, units, strict=True)
                ]
            )
    return dialect.encode(out.getvalue())


MIXED = object()  # a column holding figures in different units (the summary's values)


def _unit(table: Table, index: int) -> object:
    """The unit of a column's figures: a Unit, Duration, None (no figure), or MIXED."""
    kinds = {
        v.unit if isinstance(v, Quantity) else Duration
        for v in (row[index] for row in table.rows)
        if isinstance(v, Quantity | Duration)
    }
    if not kinds:
        return None
    return kinds.pop() if len(kinds) == 1 else MIXED


def _header(header: str, unit: object) -> str:
    """A CSV column's header with the unit its bare numbers are in."""
    if unit is Duration:
        return f"{header} (h:mm:ss)"
    if isinstance(unit, Unit):
        return f"{header} ({symbol(unit)})"
    return header


def to_xlsx(tables: list[Table], title: str, lang: str = "en") -> bytes:
    book = Workbook()
    book.remove(book.worksheets[0])
    bold = Font(bold=True)
    french = _french(lang)
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.title, book.sheetnames))
        sheet.append(table.headers)
        for cell in sheet[1]:
            cell.font = bold
        for row in table.rows:
            sheet.append([xlsx_value(v) for v in row])
            for cell, value in zip(sheet[sheet.max_row], row, strict=True):
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text is never a formula, whatever it starts with
                number_format = xlsx_format(value, french)
                if number_format:
                    cell.number_format = number_format
        with translation.override(lang):
            for index, header in enumerate(table.headers, start=1):
                width = max(
                    [len(str(header))] + [len(text(r[index - 1])) for r in table.rows[:200]]
                )
                letter = get_column_letter(index)
                sheet.column_dimensions[letter].width = min(max(width + 2, 8), 60)
        sheet.freeze_panes = "A2"
    book.properties.title = title
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_name(title: str, taken: list[str]) -> str:
    name = " ".join("".join(ch for ch in title if ch not in "[]:*?/\\").split())
    name = name[:SHEET_TITLE_MAX]
    base, n = name, 2
    while name in taken:
        suffix = f" {n}"
        name = base[: SHEET_TITLE_MAX - len(suffix)] + suffix
        n += 1
    return name
