"""Traffic profiles: how many octets an interface has counted since boot, in O(1) per read.

A rate is `peak × shape(t)`, where the shape (0…1) follows the working day in Europe/Paris and the
peak is a share of the committed rate that depends on the establishment's category. A counter is
the rate's integral since boot, computed in closed form from cumulative day tables, so any read at
any time is consistent with every other read: there is no per-tick loop.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
DAY = 86_400
HOUR = 3_600
ANCHOR_DAY = 18_262  # 2020-01-01, days since the Unix epoch: counters integrate from here

# Share of the peak, hour by hour of local time (value at the start of the hour; linear between).
OFFICE_WEEKDAY = (
    0.04,
    0.03,
    0.03,
    0.03,
    0.03,
    0.05,
    0.10,
    0.30,
    0.70,
    0.95,
    1.00,
    0.95,
    0.60,
    0.75,
    0.95,
    1.00,
    0.90,
    0.70,
    0.40,
    0.20,
    0.12,
    0.08,
    0.06,
    0.05,
)
OFFICE_WEEKEND = (
    0.04,
    0.03,
    0.03,
    0.03,
    0.03,
    0.03,
    0.04,
    0.05,
    0.07,
    0.09,
    0.10,
    0.10,
    0.09,
    0.09,
    0.10,
    0.10,
    0.09,
    0.08,
    0.07,
    0.06,
    0.06,
    0.05,
    0.05,
    0.04,
)
CONTINUOUS_WEEKDAY = (
    0.35,
    0.30,
    0.28,
    0.28,
    0.30,
    0.35,
    0.50,
    0.70,
    0.90,
    1.00,
    1.00,
    0.95,
    0.85,
    0.90,
    1.00,
    1.00,
    0.95,
    0.85,
    0.70,
    0.60,
    0.55,
    0.50,
    0.45,
    0.40,
)
CONTINUOUS_WEEKEND = tuple(round(v * 0.7, 3) for v in CONTINUOUS_WEEKDAY)

CURVES: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "office": (OFFICE_WEEKDAY, OFFICE_WEEKEND),
    "continuous": (CONTINUOUS_WEEKDAY, CONTINUOUS_WEEKEND),
}

# Category → (curve, peak share of the committed rate). Shares stay ≤ 1: never above the contract.
CATEGORY_PROFILE: dict[str, tuple[str, float]] = {
    "higher_education": ("office", 0.70),
    "health": ("continuous", 0.60),
    "local_authority": ("office", 0.40),
    "lycee": ("office", 0.65),
    "college": ("office", 0.50),
    "ecole": ("office", 0.30),
    "culture": ("office", 0.25),
    "tourism": ("office", 0.25),
    "chamber_of_commerce": ("office", 0.35),
    "training": ("office", 0.45),
    "backbone": ("continuous", 0.45),
    "lan": ("office", 0.05),
}
DEFAULT_PROFILE = ("office", 0.30)
SATURATION = 0.985  # a saturated link runs at 98.5 % of its committed rate


def profile_for(category: str) -> tuple[str, float]:
    return CATEGORY_PROFILE.get(category, DEFAULT_PROFILE)


def jitter(key: str, low: float = 0.6, high: float = 1.0) -> float:
    """A stable per-object factor in [low, high], so that sites of one category differ."""
    digest = hashlib.blake2s(key.encode(), digest_size=4).digest()
    return low + (high - low) * int.from_bytes(digest, "big") / 0xFFFFFFFF


def _hours(curve: str, day: int) -> tuple[tuple[float, float], ...]:
    """(shape at the start, shape at the end) of each UTC hour of `day` (days since the epoch).

    The day's UTC offset is Paris's at noon UTC: a DST change shifts the curve at the next UTC
    midnight, which keeps the integral continuous and monotonic.
    """
    noon = datetime.fromtimestamp(day * DAY + 12 * HOUR, tz=UTC)
    offset = noon.astimezone(PARIS).utcoffset() or timedelta()
    return _hours_for(curve, noon.weekday(), int(offset.total_seconds()) // HOUR)


@lru_cache(maxsize=64)
def _hours_for(curve: str, weekday: int, offset_h: int) -> tuple[tuple[float, float], ...]:
    """The hours of a UTC day that is `weekday` (0 = Monday), `offset_h` hours behind Paris."""
    weekday_curve, weekend_curve = CURVES[curve]
    hours = []
    for hour in range(24):
        local_hour = hour + offset_h
        local_day = (weekday + local_hour // 24) % 7
        start = (weekend_curve if local_day >= 5 else weekday_curve)[local_hour % 24]
        next_hour = local_hour + 1
        next_day = (weekday + next_hour // 24) % 7
        end = (weekend_curve if next_day >= 5 else weekday_curve)[next_hour % 24]
        hours.append((start, end))
    return tuple(hours)


@lru_cache(maxsize=4096)
def _day_table(curve: str, day: int) -> tuple[float, ...]:
    """Cumulative full-peak seconds at each UTC hour 0…24 of `day` (trapezoids)."""
    table = [0.0]
    for start, end in _hours(curve, day):
        table.append(table[-1] + (start + end) / 2 * HOUR)
    return tuple(table)


class Curve:
    """S(t): full-peak seconds accumulated since the anchor for one curve, memoised by day."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._cumulative: dict[int, float] = {ANCHOR_DAY: 0.0}
        self._last_day = ANCHOR_DAY
        self._last: tuple[float, float] = (-1.0, 0.0)

    def _day_start(self, day: int) -> float:
        found = self._cumulative.get(day)
        if found is not None:
            return found
        if day < ANCHOR_DAY:
            raise ValueError("time before the traffic anchor (2020-01-01)")
        d = self._last_day
        total = self._cumulative[d]
        while d < day:
            total += _day_table(self.name, d)[24]
            d += 1
            self._cumulative[d] = total
        self._last_day = d
        return total

    def shape(self, t: float) -> float:
        """The curve's value (0…1) at time t: the rate is peak × shape."""
        day, rest = divmod(t, DAY)
        hour, sec = divmod(rest, HOUR)
        a, b = _hours(self.name, int(day))[int(hour)]
        return a + (b - a) * sec / HOUR

    def integral(self, t: float) -> float:
        """Full-peak seconds accumulated from the anchor to t (seconds since the epoch)."""
        last_t, last_value = self._last
        if last_t == t:
            return last_value
        day_f, rest = divmod(t, DAY)
        day = int(day_f)
        hour_f, sec = divmod(rest, HOUR)
        h = int(hour_f)
        a, b = _hours(self.name, day)[h]
        value = (
            self._day_start(day)
            + _day_table(self.name, day)[h]
            + a * sec
            + (b - a) * sec * sec / (2 * HOUR)
        )
        self._last = (t, value)
        return value


_CURVES: dict[str, Curve] = {}


def curve(name: str) -> Curve:
    if name not in _CURVES:
        _CURVES[name] = Curve(name)
    return _CURVES[name]
