"""The contract calendar (R1, R2): month bounds and business hours in the contract's time zone.

Local times are turned into UTC seconds through `zoneinfo`, so a month or a business day across a
daylight-saving change has its real elapsed length (March 743 h, October 745 h in Paris).
Public holidays come from the `holidays` package (France, no subdivision: the metropolitan
national list, Whit Monday included).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from sla.calc.intervals import IntervalSet

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class BusinessHours:
    days: frozenset[int]  # 0 = Monday … 6 = Sunday
    start: time
    end: time


def local_seconds(day: date, at: time, zone: ZoneInfo) -> int:
    """UTC seconds of a local wall-clock time (fold 0 on an ambiguous or skipped time)."""
    return int(datetime.combine(day, at, tzinfo=zone).timestamp())


def local_month(instant: int, zone: ZoneInfo) -> tuple[int, int]:
    moment = datetime.fromtimestamp(instant, tz=zone)
    return moment.year, moment.month


@lru_cache(maxsize=64)
def _holiday_dates(country: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, years=year).keys())


def is_public_holiday(day: date, country: str) -> bool:
    return day in _holiday_dates(country, day.year)


@lru_cache(maxsize=4096)
def _business_day(day: date, hours: BusinessHours, zone_key: str, country: str) -> IntervalSet:
    if day.weekday() not in hours.days or is_public_holiday(day, country):
        return IntervalSet()
    zone = ZoneInfo(zone_key)
    return IntervalSet.span(
        local_seconds(day, hours.start, zone), local_seconds(day, hours.end, zone)
    )


@lru_cache(maxsize=256)
def business_schedule(
    start: int, end: int, hours: BusinessHours, zone_key: str, country: str
) -> IntervalSet:
    """The business hours inside `[start, end)`, holidays excluded, as UTC seconds."""
    zone = ZoneInfo(zone_key)
    first = datetime.fromtimestamp(start, tz=zone).date() - timedelta(days=1)
    last = datetime.fromtimestamp(end, tz=zone).date() + timedelta(days=1)
    pairs: list[tuple[int, int]] = []
    day = first
    while day <= last:
        pairs.extend(_business_day(day, hours, zone_key, country).pairs)
        day += timedelta(days=1)
    return IntervalSet(pairs).clip(start, end)
