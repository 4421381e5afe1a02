"""Raw cell values (CSV text, YAML scalars) → Python values for one model field.

Empty means "no value" (`BLANK`); the loader decides what that means for the field. Errors are
`CellError` with a message for the user.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime

BLANK: Any = object()
TRUE = {"true", "yes", "1", "y", "t"}
FALSE = {"false", "no", "0", "n", "f"}


class CellError(Exception):
    pass


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def text(raw: Any) -> str:
    """A scalar as the text a user meant (YAML may have read `29232` as an integer)."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, dict | list):
        raise CellError("expected a single value, not a list or a mapping")
    return str(raw).strip()


def convert(field: models.Field[Any, Any], raw: Any) -> Any:
    """The field's value for `raw`, checked by the field's own validators (length, range…)."""
    if is_blank(raw):
        return BLANK
    value = _parse(field, raw)
    try:
        field.run_validators(value)
    except ValidationError as exc:
        raise CellError(" ".join(exc.messages)) from None
    return value


def _parse(field: models.Field[Any, Any], raw: Any) -> Any:
    if field.choices:
        value = text(raw)
        allowed = _choices(field)
        if value not in allowed:
            shown = ", ".join(a for a in allowed if a)
            raise CellError(f"invalid choice {value!r}; expected one of: {shown}")
        return value
    if isinstance(field, models.BooleanField):
        return _boolean(raw)
    if isinstance(field, models.DateTimeField):
        return _datetime(raw)
    if isinstance(field, models.DateField):
        return _date(raw)
    if isinstance(field, models.DecimalField):
        return _decimal(raw)
    if isinstance(field, models.IntegerField):
        return _integer(raw)
    if isinstance(field, models.FloatField):
        return _float(raw)
    try:
        return field.to_python(text(raw))
    except ValidationError as exc:
        raise CellError(" ".join(exc.messages)) from None


@functools.cache
def _choices(field: models.Field[Any, Any]) -> list[str]:
    return [str(choice) for choice, _ in field.flatchoices]


def _boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    value = text(raw).lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise CellError(f"expected true or false, not {text(raw)!r}")


def _integer(raw: Any) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    value = text(raw).replace("_", "")
    try:
        return int(value)
    except ValueError:
        raise CellError(f"expected a whole number, not {text(raw)!r}") from None


def _decimal_point(value: str) -> str:
    """A French spreadsheet's decimal comma read as a point (`12,5` → `12.5`); a comma beside
    a point is no decimal mark and is left for the number's own error."""
    return value.replace(",", ".") if value.count(",") == 1 and "." not in value else value


def _float(raw: Any) -> float:
    try:
        return float(raw if isinstance(raw, int | float) else _decimal_point(text(raw)))
    except ValueError:
        raise CellError(f"expected a number, not {text(raw)!r}") from None


def _decimal(raw: Any) -> Decimal:
    try:
        value = Decimal(_decimal_point(text(raw)))
    except InvalidOperation:
        raise CellError(f"expected a decimal number such as 450.00, not {text(raw)!r}") from None
    if not value.is_finite():
        raise CellError(f"expected a decimal number such as 450.00, not {text(raw)!r}")
    return value


def _date(raw: Any) -> dt.date:
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    try:
        value = parse_date(text(raw))
    except ValueError:
        value = None
    if value is None:
        raise CellError(f"expected a date such as 2024-01-31, not {text(raw)!r}")
    return value


def _datetime(raw: Any) -> dt.datetime:
    if isinstance(raw, dt.datetime):
        value: dt.datetime | None = raw
    else:
        try:
            value = parse_datetime(text(raw))
        except ValueError:
            value = None
    if value is None:
        raise CellError(
            f"expected a date and time such as 2024-01-31T08:00:00+00:00, not {text(raw)!r}"
        )
    if value.tzinfo is None:
        raise CellError(f"{text(raw)!r} has no time zone: add one, e.g. +00:00 for UTC")
    return value.astimezone(dt.UTC)
