"""Small pure pieces of the SLA maths: calendar, rounding, tiers, restoration, display."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from common.times import month_seconds
from sla.calc.calendar import BusinessHours, business_schedule, is_public_holiday
from sla.calc.display import fraction_text, pct_truncated
from sla.calc.intervals import IntervalSet
from sla.calc.model import Tier
from sla.calc.money import contract_totals, pct_of, to_cents
from sla.calc.tickets import restoration
from sla.calc.tiers import tier_rate

PARIS = ZoneInfo("Europe/Paris")
HOURS = BusinessHours(frozenset(range(5)), time(8), time(18))


def test_months_have_their_real_length_across_dst() -> None:
    start, end = month_seconds(2025, 3, PARIS)
    assert end - start == 743 * 3600
    start, end = month_seconds(2025, 10, PARIS)
    assert end - start == 745 * 3600
    start, end = month_seconds(2025, 12, PARIS)
    assert end - start == 31 * 86400


def test_french_holidays_include_whit_monday_and_not_regional_ones() -> None:
    assert is_public_holiday(date(2025, 6, 9), "FR")  # Whit Monday
    assert is_public_holiday(date(2025, 5, 8), "FR")
    assert not is_public_holiday(date(2025, 12, 26), "FR")  # Alsace-Moselle only


def test_business_schedule_skips_weekends_and_holidays() -> None:
    start, end = month_seconds(2025, 5, PARIS)
    assert business_schedule(start, end, HOURS, "Europe/Paris", "FR").measure == 19 * 36000


def test_rounding_is_half_up_to_the_cent() -> None:
    assert to_cents(Fraction(1, 200)) == Decimal("0.01")  # 0.005 -> 0.01
    assert to_cents(Fraction(1, 201)) == Decimal("0.00")
    assert pct_of(Fraction(Decimal("33.33")), Decimal("10")) == Decimal("3.33")  # 3.333
    assert pct_of(Fraction(Decimal("33.35")), Decimal("10")) == Decimal("3.34")  # 3.335


def test_contract_cap_clips_to_what_is_left_and_reports_it() -> None:
    totals = contract_totals(
        [Decimal("30.00"), Decimal("30.00")],
        Decimal("1000.00"),
        Decimal("10"),
        Decimal("50.00"),
        Decimal("1000.00"),
    )
    assert totals.total_ht == Decimal("50.00")
    assert totals.cap_reached
    assert totals.exemption_applies


def test_tier_is_chosen_on_the_exact_value_not_the_display() -> None:
    tiers = [Tier(Decimal("99.9"), Decimal("0")), Tier(Decimal("99.5"), Decimal("10"))]
    just_below = Fraction(999, 1000) - Fraction(1, 10**9)
    assert pct_truncated(just_below) == "99.899"
    assert tier_rate(just_below, tiers) == Decimal("10")
    assert tier_rate(Fraction(999, 1000), tiers) == Decimal("0")
    assert tier_rate(Fraction(99, 100), tiers) == Decimal("0")  # under every tier: none applies
    assert tier_rate(None, tiers) is None


def test_restoration_uses_evidence_end_declared_time_within_skew_or_falls_back() -> None:
    evidence = IntervalSet([(100, 500)])
    assert restoration(150, 600, evidence, 120) == (500, False)  # monitoring restored earlier
    assert restoration(150, 450, evidence, 120) == (450, False)  # end within skew after declared
    assert restoration(150, 300, evidence, 120) == (500, False)  # still down well after declared
    assert restoration(600, 700, evidence, 120) == (700, True)  # no evidence: a discrepancy
    assert restoration(50, 60, IntervalSet([(200, 300)]), 120) == (60, True)  # starts too late


def test_truncated_display_never_overstates() -> None:
    assert pct_truncated(Fraction(479, 480)) == "99.791"
    assert pct_truncated(Fraction(1)) == "100.000"
    assert pct_truncated(Fraction(0)) == "0.000"
    assert fraction_text(Fraction(5400, 5400)) == "1/1"
