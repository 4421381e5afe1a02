"""Availability (R8) as exact fractions of seconds."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from sla.calc.intervals import IntervalSet

COVERAGE_FLOOR = Fraction(95, 100)


@dataclass(frozen=True)
class Availability:
    scheduled_s: int
    downtime_s: int  # D = |R ∩ Sched \ X|
    excluded_s: int  # D_excl = |R ∩ Sched ∩ X|
    unknown_s: int  # U = |UNKNOWN ∩ Sched \ R|
    required_s: int  # T_req = |Sched| − D_excl

    @property
    def exact(self) -> Fraction | None:
        """Contractual availability (T_req − D) / T_req; None (N/A) when T_req = 0."""
        if self.required_s == 0:
            return None
        return Fraction(self.required_s - self.downtime_s, self.required_s)

    @property
    def observed(self) -> Fraction | None:
        measured = self.required_s - self.unknown_s
        if measured <= 0:
            return None
        return Fraction(measured - self.downtime_s, measured)

    @property
    def coverage(self) -> Fraction | None:
        if self.scheduled_s == 0:
            return None
        return 1 - Fraction(self.unknown_s, self.scheduled_s)

    @property
    def insufficiently_measured(self) -> bool:
        return self.coverage is not None and self.coverage < COVERAGE_FLOOR


def measure_availability(
    scheduled: IntervalSet, evidence: IntervalSet, excluded: IntervalSet, unknown: IntervalSet
) -> Availability:
    down = evidence & scheduled
    d_excl = (down & excluded).measure
    sched_s = scheduled.measure
    return Availability(
        scheduled_s=sched_s,
        downtime_s=down.measure - d_excl,
        excluded_s=d_excl,
        unknown_s=((unknown & scheduled) - evidence).measure,
        required_s=sched_s - d_excl,
    )
