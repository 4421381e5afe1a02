"""Plain formatting of rates, percentages and durations for the pages (no Django imports)."""

from __future__ import annotations

from decimal import Decimal


def _trim(value: Decimal) -> str:
    """A decimal without trailing zeros, with thin-space thousands (`1 000.5`)."""
    text = f"{value:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\u202f")


def mbit_s(bps: int | None) -> str:
    """A rate in bit/s shown in Mbit/s, the unit contracts use (512000 → `0.512 Mbit/s`)."""
    if bps is None:
        return "—"
    mbps = (Decimal(bps) / Decimal(1_000_000)).quantize(Decimal("0.001"))
    return f"{_trim(mbps)} Mbit/s"


def speed(bps: int | None) -> str:
    """An interface speed in the largest unit that keeps it whole (`1 Gbit/s`, `100 Mbit/s`)."""
    if bps is None:
        return "—"
    for unit, size in (("Gbit/s", 10**9), ("Mbit/s", 10**6), ("kbit/s", 10**3)):
        if bps >= size:
            return f"{_trim((Decimal(bps) / size).quantize(Decimal('0.001')))} {unit}"
    return f"{bps} bit/s"


def percent(value: Decimal | float | str | None) -> str:
    """`99.900` → `99.9 %` (French typography puts a space before the sign)."""
    if value is None or value == "":
        return "—"
    return f"{_trim(Decimal(str(value)))}\u00a0%"


def minutes(value: int | None) -> str:
    """A guaranteed time in minutes as hours and minutes (`240` → `4 h`, `90` → `1 h 30 min`)."""
    if value is None:
        return "—"
    hours, rest = divmod(value, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" if not rest else f"{hours} h {rest:02d} min"


def euros(value: Decimal | None) -> str:
    """Money as `1 200 000.00 €`; Decimal all the way, never a float."""
    if value is None:
        return "—"
    text = f"{Decimal(value).quantize(Decimal('0.01')):,f}".replace(",", "\u202f")
    return f"{text}\u00a0€"


def duration(seconds: float | None) -> str:
    """An elapsed time as an operator reads it: `45 s`, `12 min`, `1 h 05 min`, `3 d 4 h`."""
    if seconds is None:
        return "—"
    total = max(0, int(seconds))
    if total < 60:
        return f"{total} s"
    days, rest = divmod(total // 60, 24 * 60)
    if days:
        hours = rest // 60
        return f"{days} d {hours} h" if hours else f"{days} d"
    return minutes(rest)
