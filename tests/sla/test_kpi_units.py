"""R15's pure pieces: which slots count, how a measured figure is shown, when a KPI is met."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from alerting.detector import SlotState
from sla.calc.display import decimal_ceiling
from sla.calc.intervals import IntervalSet
from sla.calc.kpis import assess, count_slots, counted_time, slot_starts
from sla.calc.model import KpiMeasurements, KpiTargets, Maintenance, MonitoringRunInput

H = 3600


def test_a_slot_counts_by_its_start() -> None:
    # [0, 1 h) of one-minute slots; a conforming window from 00:10:30 to 00:20:30 removes the
    # slots starting at 00:11 … 00:20 (10), not the one starting at 00:10.
    window = Maintenance(("P",), -30 * 86400, 630, 1230, curative=False)
    counted = counted_time(IntervalSet.span(0, H), [], [window], 10, None)
    assert count_slots(counted, 60) == 50
    assert slot_starts(counted, 60) == [(0, 660), (1260, H)]


def test_runs_windows_and_as_of_take_their_slots_out() -> None:
    runs = [MonitoringRunInput("P", 600, 900, SlotState.UNKNOWN, None)]
    late = Maintenance(("P",), 0, 1200, 1800, curative=False)  # notice too short: counts
    counted = counted_time(IntervalSet.span(0, H), runs, [late], 10, known_until=3000)
    assert count_slots(counted, 60) == (3000 - 300) // 60


def test_measured_figures_are_never_understated() -> None:
    assert decimal_ceiling(Fraction(1, 200000)) == "0.001"
    assert decimal_ceiling(Fraction(1, 2)) == "0.500"
    assert decimal_ceiling(Fraction(50001, 100000)) == "0.501"
    assert decimal_ceiling(None) is None


def test_met_is_at_or_under_the_target_exactly() -> None:
    targets = KpiTargets(None, Decimal("0.5"), None, Decimal("5"), Decimal("90"))
    at_target = KpiMeasurements(100, 100, 1000, 5, Decimal("1"), None)  # exactly 0.5 %
    assert [r.met for r in assess(targets, at_target)] == [True]
    just_over = KpiMeasurements(100, 100, 100000, 501, Decimal("1"), None)  # 0.501 %
    assert [r.met for r in assess(targets, just_over)] == [False]
    thin = KpiMeasurements(100, 89, 445, 400, Decimal("1"), None)  # 89 % coverage
    assert [(r.measured, r.met, r.sufficient) for r in assess(targets, thin)] == [
        (None, None, False)
    ]
