"""Quality KPIs (R15): counted slots, the month's measured values against a class's targets.

The metrics store aggregates the probes over the *counted slots* and writes them in the file
(`kpi_measurements`); the engine recounts those slots from the file's own data (the same
`counted_time`, so the database side and the engine cannot count differently) and refuses a
mismatch. A slot is the epoch-aligned `[t, t + slot_seconds)` of the poller and the prober; it is
counted when its start `t` lies in the scheduled active time, outside every DOWN or UNKNOWN
monitoring run and every conforming maintenance window (and before `as_of`, when given).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from sla.calc.exclusions import maintenance_exclusion
from sla.calc.intervals import IntervalSet
from sla.calc.model import KpiMeasurements, KpiTargets, Maintenance, MonitoringRunInput
from sla.calc.money import pct_of


def counted_time(
    scheduled: IntervalSet,
    runs: Sequence[MonitoringRunInput],
    windows: Sequence[Maintenance],
    notice_days: int,
    known_until: int | None,
) -> IntervalSet:
    """The time whose slots count for R15: scheduled, active, monitored UP, not in maintenance."""
    counted = scheduled - IntervalSet((r.start, r.end) for r in runs)
    counted -= maintenance_exclusion(windows, notice_days)
    if known_until is not None and counted:
        counted = counted.clip(counted.pairs[0][0], known_until)
    return counted


def slot_starts(span: IntervalSet, slot_seconds: int) -> list[tuple[int, int]]:
    """The epoch-aligned slot starts inside `span`, as ranges `[first, stop)` of starts."""
    ranges = []
    for start, end in span:
        first = -(-start // slot_seconds) * slot_seconds
        stop = -(-end // slot_seconds) * slot_seconds
        if first < stop:
            ranges.append((first, stop))
    return ranges


def count_starts(ranges: Sequence[tuple[int, int]], slot_seconds: int) -> int:
    return sum((stop - first) // slot_seconds for first, stop in ranges)


def count_slots(span: IntervalSet, slot_seconds: int) -> int:
    return count_starts(slot_starts(span, slot_seconds), slot_seconds)


@dataclass(frozen=True)
class KpiResult:
    kpi: str  # rtt_ms | loss_pct | jitter_ms
    measured: Fraction | None  # None: N/A (coverage) or nothing to measure (no answer)
    target: Decimal
    met: bool | None  # measured ≤ target, exactly; None when `measured` is None
    coverage: Fraction | None  # probed slots ÷ counted slots; None without counted slots
    sufficient: bool  # coverage at or over the class's minimum


def _measured(m: KpiMeasurements) -> dict[str, Fraction | None]:
    return {
        "rtt_ms": None if m.rtt_ms_p95 is None else Fraction(m.rtt_ms_p95),
        "loss_pct": Fraction(100 * m.lost, m.sent) if m.sent else None,
        "jitter_ms": None if m.jitter_ms_mean is None else Fraction(m.jitter_ms_mean),
    }


def assess(targets: KpiTargets | None, m: KpiMeasurements | None) -> tuple[KpiResult, ...]:
    """Each target of the class against the month's measurements; all N/A under coverage."""
    if targets is None or m is None:
        return ()
    coverage = Fraction(m.probed_slots, m.slots) if m.slots else None
    sufficient = coverage is not None and coverage * 100 >= Fraction(targets.min_coverage_pct)
    measured = _measured(m)
    results = []
    for name, target in targets.targets().items():
        value = measured[name] if sufficient else None
        met = None if value is None else value <= Fraction(target)
        results.append(KpiResult(name, value, target, met, coverage, sufficient))
    return tuple(results)


def missed_amounts(
    results: Sequence[KpiResult], targets: KpiTargets | None, fee: Fraction
) -> list[tuple[str, Decimal]]:
    """One amount per KPI missed: `penalty_pct` of the (prorated) fee (R11, R15)."""
    if targets is None:
        return []
    return [(r.kpi, pct_of(fee, targets.penalty_pct)) for r in results if r.met is False]
