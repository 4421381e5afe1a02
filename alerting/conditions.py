"""Saturation and error-rate readings of one poll cycle, per link: pure functions of the cycle's
interface samples (no Django), so the thresholds are easy to test and to reason about.

A link is *saturated* in a slot when its rate in either direction is at or above `saturation_pct`
(its service class's `saturation_alert_pct` where set) of its committed rate in that direction.
It has an *error spike* when its two ends together count at least `errors_per_minute` input and
output errors per minute *and*, where the traffic is known, at least `error_ratio` errors per
octet carried: a busy 10 Gbit/s backbone link with a healthy bit error rate counts more errors a
minute than a failing 8 Mbit/s DSL line, and paging on it would be noise. Directions are seen
from the establishment (docs/sla.md, capacity): down = into the CPE's uplink (A end's
input), up = out of it; when the A end has no sample, the Z end's opposite direction stands
in. A link with no usable sample says nothing (UNKNOWN), never "fine".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from metrics.types import InterfaceSample


@dataclass(frozen=True)
class LinkPorts:
    key: str  # link:<id>
    a_interface: int | None  # the site's CPE uplink (or a backbone link's A end)
    z_interface: int | None
    down_bps: int | None  # committed rate into the site
    up_bps: int | None
    saturation_pct: float | None = None  # the link's service class's, else the default


@dataclass(frozen=True)
class ConditionParams:
    saturation_pct: float = 80.0
    errors_per_minute: float = 60.0
    error_ratio: float = 1e-6  # errors per octet: about one frame in a thousand at 1 kB


@dataclass(frozen=True)
class Reading:
    """One cycle's conditions: links over a threshold (with the worst value), links unknown."""

    saturated: Mapping[str, float]  # link key → utilisation of the committed rate, %
    erroring: Mapping[str, float]  # link key → errors per minute
    unknown_rate: frozenset[str]
    unknown_errors: frozenset[str]


def _rates(port: LinkPorts, by_iface: Mapping[int, InterfaceSample]) -> tuple[float | None, ...]:
    a = by_iface.get(port.a_interface) if port.a_interface is not None else None
    if a is not None and (a.in_bps is not None or a.out_bps is not None):
        return a.in_bps, a.out_bps
    z = by_iface.get(port.z_interface) if port.z_interface is not None else None
    if z is not None:
        return z.out_bps, z.in_bps
    return None, None


def utilisation(port: LinkPorts, by_iface: Mapping[int, InterfaceSample]) -> float | None:
    """The worst direction's rate as a percentage of its committed rate (None: no data)."""
    down, up = _rates(port, by_iface)
    shares = [
        100.0 * rate / committed
        for rate, committed in ((down, port.down_bps), (up, port.up_bps))
        if rate is not None and committed
    ]
    return max(shares) if shares else None


def errors_per_minute(port: LinkPorts, by_iface: Mapping[int, InterfaceSample]) -> float | None:
    """Input and output errors of both ends, per minute of the samples' interval."""
    total, seconds = 0, 0.0
    for iface in (port.a_interface, port.z_interface):
        sample = by_iface.get(iface) if iface is not None else None
        if sample is None or not sample.interval_s:
            continue
        counts = [c for c in (sample.in_errors, sample.out_errors) if c is not None]
        if not counts:
            continue
        total += sum(counts)
        seconds = max(seconds, sample.interval_s)
    return 60.0 * total / seconds if seconds else None


def errors_per_octet(port: LinkPorts, by_iface: Mapping[int, InterfaceSample]) -> float | None:
    """Both ends' errors over the octets they carried in the same interval (None: traffic
    unknown); no traffic at all with errors counts as an infinite ratio."""
    errors, octets = 0, 0.0
    for iface in (port.a_interface, port.z_interface):
        sample = by_iface.get(iface) if iface is not None else None
        if sample is None or not sample.interval_s:
            continue
        if sample.in_bps is None or sample.out_bps is None:
            return None
        errors += sum(c for c in (sample.in_errors, sample.out_errors) if c is not None)
        octets += (sample.in_bps + sample.out_bps) / 8 * sample.interval_s
    if octets == 0:
        return float("inf") if errors else None
    return errors / octets


def read_conditions(
    ports: Iterable[LinkPorts], samples: Iterable[InterfaceSample], params: ConditionParams
) -> Reading:
    by_iface = {s.interface_id: s for s in samples}
    saturated: dict[str, float] = {}
    erroring: dict[str, float] = {}
    unknown_rate: set[str] = set()
    unknown_errors: set[str] = set()
    for port in ports:
        if port.down_bps or port.up_bps:
            use = utilisation(port, by_iface)
            if use is None:
                unknown_rate.add(port.key)
            elif use >= (port.saturation_pct or params.saturation_pct):
                saturated[port.key] = use
        rate = errors_per_minute(port, by_iface)
        ratio = errors_per_octet(port, by_iface)
        if rate is None:
            unknown_errors.add(port.key)
        elif rate >= params.errors_per_minute and (ratio is None or ratio >= params.error_ratio):
            erroring[port.key] = rate
    return Reading(saturated, erroring, frozenset(unknown_rate), frozenset(unknown_errors))
