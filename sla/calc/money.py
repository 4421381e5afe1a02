"""Penalty amounts (R11): exact until one half-up rounding to the cent per line; caps; exemption."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

CENT = Decimal("0.01")


def to_cents(amount: Fraction) -> Decimal:
    """Round a non-negative exact amount half-up to the cent."""
    cents = (amount * 100 + Fraction(1, 2)).__floor__()
    return (Decimal(cents) / 100).quantize(CENT)


def prorated_fee(fee: Decimal, active_s: int, month_s: int) -> Fraction:
    """The fee times the share of the month's seconds the subscription was active (R1)."""
    return Fraction(fee) * Fraction(active_s, month_s)


def pct_of(base: Fraction, pct: Decimal, times: int = 1) -> Decimal:
    return to_cents(base * Fraction(pct) / 100 * times)


def capped(lines: Iterable[Decimal], cap: Decimal) -> Decimal:
    return min(sum(lines, Decimal("0.00")), cap).quantize(CENT)


@dataclass(frozen=True)
class ContractTotals:
    total_ht: Decimal
    cap_reached: bool
    exemption_applies: bool


def contract_totals(
    sub_totals: Iterable[Decimal],
    amount_total_ht: Decimal,
    cap_pct: Decimal,
    to_date: Decimal,
    exemption_threshold: Decimal,
) -> ContractTotals:
    """Clip this file's sum to what the contract cap leaves after the penalties to date."""
    cap = to_cents(Fraction(amount_total_ht) * Fraction(cap_pct) / 100)
    raw = sum(sub_totals, Decimal("0.00"))
    left = max(cap - to_date, Decimal("0.00"))
    total = min(raw, left).quantize(CENT)
    return ContractTotals(
        total_ht=total,
        cap_reached=to_date + raw >= cap,
        exemption_applies=to_date + total <= exemption_threshold,
    )
