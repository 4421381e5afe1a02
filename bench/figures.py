"""A measured figure and how `make bench` prints it."""

from __future__ import annotations

import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    reference: float | None = None  # the same quantity for a reference measured in the same run
    reference_name: str = ""

    def line(self) -> str:
        text = f"{self.name}: {_fmt(self.value)} {self.unit}"
        if self.reference:
            ratio = self.value / self.reference
            text += f" (×{_fmt(ratio)} vs {self.reference_name or 'reference'})"
        return text


def _fmt(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value)}"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.4g}"


def median_and_p95(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, -(-95 * len(ordered) // 100) - 1)]
    return statistics.median(ordered), p95
