"""Probe readings of one slot, per access link: pure functions of the prober's results (no
Django), like `alerting.conditions` for the SNMP samples.

Two things come out of them. *Reachability*, the second signal: the devices some of whose
probes were answered in their latest probed slot are up, whatever their SNMP agent says
(`answering`). *Quality*: a link whose slot median RTT, loss (% of probes sent) or jitter is
above its service class's R15 target (docs/sla.md R15) is over that target in the slot
(`read_quality`); a link without a probe result, or whose probes were all lost (no RTT, no
jitter), says nothing of the KPIs it cannot measure (UNKNOWN), never "fine".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from metrics.types import LinkProbe
from topology.graph import link_key

#: The quality families: incident kind, and the KPI each reads from a slot's probes.
KPIS = ("latency", "loss", "jitter")


@dataclass(frozen=True)
class KpiTargets:
    """A link's service class's R15 targets (None: the class sets none for that KPI)."""

    key: str  # link:<id>
    rtt_ms: float | None = None
    loss_pct: float | None = None
    jitter_ms: float | None = None

    def target(self, kpi: str) -> float | None:
        return {"latency": self.rtt_ms, "loss": self.loss_pct, "jitter": self.jitter_ms}[kpi]


@dataclass(frozen=True)
class QualityReading:
    """One slot's links over a target, per KPI (with the measured value), and links unknown."""

    over: Mapping[str, Mapping[str, float]]  # kpi → link key → value (ms or %)
    unknown: Mapping[str, frozenset[str]]  # kpi → link keys without a measurement


def answering(probes: Iterable[LinkProbe]) -> frozenset[int]:
    """The devices some of whose probes were answered in their latest probed slot (probes
    with nothing sent are no data); both silent stays down."""
    latest: dict[int, list[LinkProbe]] = {}
    for probe in probes:
        if probe.sent <= 0:
            continue
        kept = latest.get(probe.device_id)
        if kept is None or probe.time > kept[0].time:
            latest[probe.device_id] = [probe]
        elif probe.time == kept[0].time:
            kept.append(probe)
    return frozenset(d for d, rows in latest.items() if any(p.sent > p.lost for p in rows))


def measure(probe: LinkProbe, kpi: str) -> float | None:
    """A slot's KPI: median RTT (ms), loss (% of probes sent) or jitter (ms); None unmeasured."""
    if kpi == "latency":
        return probe.rtt_median_ms
    if kpi == "jitter":
        return probe.jitter_ms
    return 100.0 * probe.lost / probe.sent if probe.sent > 0 else None


def latest_per_link(probes: Iterable[LinkProbe]) -> dict[int, LinkProbe]:
    """Each link's latest probed slot (probes with nothing sent are no data)."""
    latest: dict[int, LinkProbe] = {}
    for probe in probes:
        kept = latest.get(probe.link_id)
        if probe.sent > 0 and (kept is None or probe.time > kept.time):
            latest[probe.link_id] = probe
    return latest


def read_quality(targets: Iterable[KpiTargets], probes: Iterable[LinkProbe]) -> QualityReading:
    """Which links are above their class's targets in their latest probed slot."""
    latest = {link_key(link): probe for link, probe in latest_per_link(probes).items()}
    over: dict[str, dict[str, float]] = {kpi: {} for kpi in KPIS}
    unknown: dict[str, set[str]] = {kpi: set() for kpi in KPIS}
    for link in targets:
        probe = latest.get(link.key)
        for kpi in KPIS:
            target = link.target(kpi)
            if target is None:
                continue
            value = measure(probe, kpi) if probe is not None else None
            if value is None:
                unknown[kpi].add(link.key)
            elif value > target:
                over[kpi][link.key] = value
    return QualityReading(over, {kpi: frozenset(keys) for kpi, keys in unknown.items()})
