"""Amounts, percentages, rates and durations with their units, in the reader's locale.

One helper for every rendering of a figure (issue 17): the page and the PDF show
`1 390 000,00 € HT`, `99,791 %`, `2 h 05 min` in French and `1,390,000.00 € HT`, `99.791 %`,
`2 h 05 min` in English (Django's formats for the active language, `menhir/formats`); a CSV gets
the bare number in its dialect (`common.csv_dialects`), an XLSX the number and a number format
(`xlsx_format`). The unit sits after the number behind a no-break space, so it never wraps away.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext, pgettext

from common.csv_dialects import CsvDialect

NBSP = "\xa0"


class Unit(enum.Enum):
    EUR_HT = "eur_ht"
    PERCENT = "percent"
    MBPS = "mbps"
    DAYS = "days"
    MS = "ms"


@dataclass(frozen=True)
class Quantity:
    """A figure and its unit; `places` decimals shown (the value is never rounded here)."""

    value: Decimal
    unit: Unit
    places: int

    def __str__(self) -> str:
        return display(self)


@dataclass(frozen=True)
class Duration:
    """A length of time, exact to the second: shown as hours and minutes."""

    seconds: int

    def __str__(self) -> str:
        return duration(self.seconds)


def amount(value: Decimal | str | int) -> Quantity:
    """Money in euros excluding tax (`€ HT`), to the cent."""
    return Quantity(Decimal(value), Unit.EUR_HT, 2)


def percent(value: Decimal | str | None, places: int = 3) -> Quantity | None:
    """A percentage as the engine gives it (a string such as "99.791", already truncated)."""
    return None if value is None else Quantity(Decimal(value), Unit.PERCENT, places)


def mbps(bits_per_second: float | int | None) -> Quantity | None:
    if bits_per_second is None:
        return None
    value = (Decimal(bits_per_second) / 1_000_000).quantize(Decimal("0.01"))
    return Quantity(value, Unit.MBPS, 2)


def milliseconds(value: Decimal | str | None, places: int = 3) -> Quantity | None:
    """A round-trip time or a jitter in milliseconds, as the SLA engine gives it."""
    return None if value is None else Quantity(Decimal(value), Unit.MS, places)


def days(value: Decimal | int, places: int = 0) -> Quantity:
    return Quantity(Decimal(value), Unit.DAYS, places)


def number(value: Decimal | int | float, places: int | None = None) -> str:
    """A number in the active language, thousands grouped: `1 390 000,00` / `1,390,000.00`."""
    return formats.number_format(value, places, use_l10n=True, force_grouping=True)


def symbol(unit: Unit) -> str:
    """The unit as written after a number in the active language."""
    if unit is Unit.EUR_HT:
        return "€ HT"  # the contracts' own words, in both languages
    if unit is Unit.PERCENT:
        return "%"
    if unit is Unit.MBPS:
        return "Mbit/s"
    if unit is Unit.MS:
        return "ms"  # SI, the same in both languages
    return pgettext("unit: days", "d")  # Unit.DAYS


def display(quantity: Quantity) -> str:
    text = number(quantity.value, quantity.places)
    unit = symbol(quantity.unit)
    return f"{text}{NBSP}{unit}" if unit else text


def duration(seconds: int) -> str:
    """`2 h 05 min`, `15 min`, `4 h 00 min 30 s`: hours and minutes, seconds only when any."""
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{number(hours)}{NBSP}h {minutes:02d}{NBSP}min" if hours else f"{minutes}{NBSP}min"
    if secs:
        text += f" {secs:02d}{NBSP}s"  # SI symbols, the same in both languages
    return sign + text


def moment(value: datetime | date) -> str:
    """A date (and time, to the minute) in the active language: `05/12/2026 14:30`, in the
    zone the value carries (the caller converts it first)."""
    if isinstance(value, datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def text(value: object) -> str:
    """Any report cell as the page and the PDF show it ("—" for nothing)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime | date):
        return moment(value)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, int | Decimal):
        return number(value)
    return str(value)


def csv_text(value: object, dialect: CsvDialect) -> str:
    """A cell of a CSV in `dialect`: numbers bare (the unit is in the column's header), with the
    dialect's decimal mark; dates in the active language; durations as `h:mm:ss`."""
    if value is None:
        return ""
    if isinstance(value, Quantity):
        return dialect.number(value.value)
    if isinstance(value, Duration):
        hours, rest = divmod(value.seconds, 3600)
        return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
    if isinstance(value, datetime | date):
        return moment(value)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, Decimal):
        return dialect.number(value)
    return str(value)


def xlsx_value(value: object) -> object:
    """What an XLSX cell holds: numbers as numbers, durations as durations, local times as
    times (spreadsheets know no time zone: the wall-clock time the report shows)."""
    if isinstance(value, Quantity):
        return int(value.value) if value.places == 0 else float(value.value)
    if isinstance(value, Duration):
        return timedelta(seconds=value.seconds)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value)
    return value


def xlsx_format(value: object, french: bool) -> str | None:
    """The number format of an XLSX cell (the spreadsheet then groups and marks decimals in
    its reader's locale); None for the default."""
    if isinstance(value, Quantity):
        places = "0." + "0" * value.places if value.places else "0"
        grouped = "#,##" + places
        if value.unit is Unit.EUR_HT:
            return f'{grouped} "€ HT"'
        if value.unit is Unit.PERCENT:
            return f'{places} "%"'
        if value.unit is Unit.MBPS:
            return f'{grouped} "Mbit/s"'
        if value.unit is Unit.MS:
            return f'{grouped} "ms"'
        return f'{places} "{"j" if french else "d"}"'  # Unit.DAYS
    if isinstance(value, Duration):
        return '[h] "h" mm "min"'
    if isinstance(value, datetime):
        return "dd/mm/yyyy hh:mm" if french else "yyyy-mm-dd hh:mm"
    if isinstance(value, date):
        return "dd/mm/yyyy" if french else "yyyy-mm-dd"
    if isinstance(value, Decimal):
        return "0.00"
    return None
