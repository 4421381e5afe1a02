"""How exact figures are shown (R12): percentages truncated to 3 decimals, never overstated."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from sla.calc.money import CENT


def pct_truncated(ratio: Fraction | None) -> str | None:
    """A ratio in [0, 1] as a percentage with 3 decimals, truncated: 479/480 → "99.791"."""
    if ratio is None:
        return None
    thousandths = (ratio * 100_000).__floor__()
    return f"{thousandths // 1000}.{thousandths % 1000:03d}"


def fraction_text(ratio: Fraction | None) -> str | None:
    """The exact value a rounded figure links to: a reduced "n/d"."""
    if ratio is None:
        return None
    return f"{ratio.numerator}/{ratio.denominator}"


def money_text(amount: Decimal) -> str:
    return str(amount.quantize(CENT))


def rate_text(rate: Decimal | None) -> str | None:
    return None if rate is None else str(rate)


def decimal_ceiling(value: Fraction | None, places: int = 3) -> str | None:
    """A measured quality figure with `places` decimals, rounded up: never understated, so a
    missed target never displays as met (R15: 0.50001 % against 0.5 shows "0.501")."""
    if value is None:
        return None
    scale = 10**places
    units = -((-value * scale).__floor__())
    return f"{units // scale}.{units % scale:0{places}d}"
