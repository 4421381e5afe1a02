"""One row of an operator's export, read cell by cell; each problem is recorded with its line and
column and the reading goes on, so one pass reports every error of the file."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from inventory.importers.errors import Location, RowError
from inventory.importers.readers import RawRow

FRENCH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
SEPARATORS = re.compile(r"[\s,|]+")


def parse_time(raw: str, tz: ZoneInfo | None) -> datetime:
    """ISO 8601 with an offset; without one (or as dd/mm/yyyy hh:mm), only when the import
    names the export's time zone. Raises ValueError with the reason."""
    value = raw.strip()
    match = FRENCH.match(value)
    if match:
        day, month, year, hour, minute, second = match.groups()
        parts = (int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
        parsed = datetime(*parts)  # noqa: DTZ001  # naive: the zone is applied below
    else:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(
                f"expected a date and time such as 2026-03-04T11:20:00+01:00, not {value!r}"
            ) from None
    if parsed.tzinfo is None:
        if tz is None:
            raise ValueError(
                f"{value!r} has no offset: add one (+01:00) or name the export's time zone"
            )
        local = parsed.replace(tzinfo=tz)
        if local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != parsed:
            raise ValueError(f"{value!r} does not exist in {tz.key} (clocks moved forward)")
        parsed = local
    return parsed.astimezone(UTC)


class Cells:
    """Typed access to one row's cells; errors go to the shared list."""

    def __init__(self, row: RawRow, errors: list[RowError], tz: ZoneInfo | None) -> None:
        self.row, self.errors, self.tz = row, errors, tz
        self.failed = False

    @property
    def location(self) -> Location:
        return self.row.location

    def has(self, column: str) -> bool:
        return column in self.row.values

    def fail(self, column: str | None, message: str) -> None:
        self.failed = True
        self.errors.append(RowError(self.row.location, column, message))

    def text(self, column: str, *, required: bool = False, max_length: int = 300) -> str:
        value = (self.row.values.get(column) or "").strip()
        if required and not value:
            self.fail(column, "required: this cell is empty")
        elif len(value) > max_length:
            self.fail(column, f"at most {max_length} characters ({len(value)} given)")
        return value

    def time(self, column: str, *, required: bool = False) -> datetime | None:
        raw = self.text(column, required=required)
        if not raw:
            return None
        try:
            return parse_time(raw, self.tz)
        except ValueError as exc:
            self.fail(column, str(exc))
            return None

    def choice(self, column: str, allowed: Iterable[str], default: str) -> str:
        value = self.text(column).lower().replace(" ", "_").replace("-", "_") or default
        options = list(allowed)
        if value not in options:
            self.fail(column, f"invalid value {value!r}; expected one of: {', '.join(options)}")
        return value

    def boolean(self, column: str) -> bool:
        value = self.text(column).lower()
        if value in ("", "0", "no", "non", "false", "n"):
            return False
        if value in ("1", "yes", "oui", "true", "y", "o"):
            return True
        self.fail(column, f"expected yes or no, not {value!r}")
        return False

    def keys(self, column: str) -> list[str]:
        return [k for k in SEPARATORS.split(self.text(column, max_length=10_000)) if k]

    def intervals(self, column: str, *, open_end: bool) -> list[tuple[datetime, datetime | None]]:
        """`start/end` pairs separated by `;` (ISO 8601 intervals); `start/` when `open_end`."""
        result: list[tuple[datetime, datetime | None]] = []
        for part in filter(
            None, (p.strip() for p in self.text(column, max_length=10_000).split(";"))
        ):
            start_raw, slash, end_raw = part.partition("/")
            if not slash or (not end_raw.strip() and not open_end):
                shape = "start/end" if not open_end else "start/end or start/"
                self.fail(column, f"{part!r}: expected {shape}")
                continue
            try:
                start = parse_time(start_raw, self.tz)
                end = parse_time(end_raw, self.tz) if end_raw.strip() else None
            except ValueError as exc:
                self.fail(column, f"{part!r}: {exc}")
                continue
            if end is not None and end <= start:
                self.fail(column, f"{part!r}: the end must come after the start")
                continue
            result.append((start, end))
        return result
