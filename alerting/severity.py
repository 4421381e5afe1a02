"""How bad an incident is, from who it cuts off: criticality first, then numbers."""

from __future__ import annotations

from collections.abc import Iterable

from alerting.models import Severity


def severity_of(isolated_criticalities: Iterable[str], degraded: int) -> str:
    """critical: a critical site cut off, or 100+ sites; major: a high-criticality site or 10+;
    minor: any site cut off; warning: only redundancy lost."""
    levels = list(isolated_criticalities)
    if "critical" in levels or len(levels) >= 100:
        return Severity.CRITICAL
    if "high" in levels or len(levels) >= 10:
        return Severity.MAJOR
    if levels:
        return Severity.MINOR
    return Severity.WARNING if degraded else Severity.MINOR
