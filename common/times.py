"""Time conversions, once for every app: aware datetimes ⇄ UNIX seconds, and a contract month's
bounds. Framework-free (the pure cores use it).

The rules: a naive datetime is refused (Menhir stores UTC and never guesses a zone); seconds are
whole (a datetime's fraction is dropped, or refused where the SLA engine needs exact input); a
month runs from local midnight on the 1st to local midnight on the next 1st, in the contract's
zone (docs/sla.md R1), so a Paris month is 30 Sep 22:00 → 31 Oct 23:00 UTC in October.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def to_seconds(moment: datetime, *, exact: bool = False) -> int:
    """UNIX seconds of an aware datetime; `exact` refuses a fraction instead of dropping it."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("time without a UTC offset")
    if exact and moment.microsecond:
        raise ValueError("fractional seconds are not supported")
    return int(moment.timestamp())


def from_seconds(seconds: float) -> datetime:
    """The UTC datetime of UNIX seconds."""
    return datetime.fromtimestamp(seconds, tz=UTC)


def month_bounds(year: int, month: int, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """`[local midnight on the 1st, local midnight on the next 1st)` of a month, in UTC."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, not {month}")
    nxt = (year + 1, 1) if month == 12 else (year, month + 1)
    start = datetime(year, month, 1, tzinfo=zone)
    end = datetime(nxt[0], nxt[1], 1, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def month_seconds(year: int, month: int, zone: ZoneInfo) -> tuple[int, int]:
    """The same bounds in UNIX seconds, as the SLA engine counts."""
    start, end = month_bounds(year, month, zone)
    return to_seconds(start), to_seconds(end)
