"""Availability tiers (R10): exact comparison, never on the rounded display."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from sla.calc.model import Tier

NO_TIER = Decimal(0)


def tier_rate(availability: Fraction | None, tiers: Sequence[Tier]) -> Decimal | None:
    """The rate of the first tier (highest threshold first) whose threshold A meets (A ≥ it).

    None when A is N/A; 0 when A is under every threshold (a contract whose last tier is not 0).
    """
    if availability is None:
        return None
    for tier in tiers:
        if availability * 100 >= Fraction(tier.threshold_pct):
            return tier.rate_pct
    return NO_TIER
