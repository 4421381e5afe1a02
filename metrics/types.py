"""What the poller hands to the store: plain, frozen values (no Django, no SQL).

Rates are already computed by the poller (wrap/reset handled); an interval the poller could not
measure (counter reset, gap, rate above the interface speed) carries None, never zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class OperStatus(StrEnum):
    UP = "up"
    DOWN = "down"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class InterfaceSample:
    """One poll of one interface. `time` is the poll's aware UTC time; rates cover
    (previous poll, this poll] over `interval_s` seconds of real elapsed time."""

    time: datetime
    device_id: int
    interface_id: int
    interval_s: float | None
    in_bps: float | None
    out_bps: float | None
    in_errors: int | None
    out_errors: int | None
    in_discards: int | None
    out_discards: int | None
    oper_status: OperStatus
    admin_up: bool | None
    speed_bps: int | None


@dataclass(frozen=True, slots=True)
class DeviceSample:
    """One poll of one device: reachable or not, its uptime, how long the poll took."""

    time: datetime
    device_id: int
    reachable: bool
    uptime_s: float | None
    rtt_ms: float | None
    error: str | None


@dataclass(frozen=True, slots=True)
class StatusEvent:
    """A change the poller saw: a device became (un)reachable, an interface went up/down."""

    time: datetime
    device_id: int
    interface_id: int | None
    # device_unreachable, device_reachable, interface_down, interface_up, reboot
    kind: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class LinkProbe:
    """One slot of active measurement of one access link (the prober's result, as stored).

    `time` is the slot's start. RTTs and jitter cover the answered probes only and are None when
    none answered; `error` says why probes were lost when the prober knows (e.g. short replies).
    """

    time: datetime
    link_id: int
    device_id: int
    method: str  # "twamp" (TWAMP-Light) or "icmp"
    sent: int
    lost: int
    rtt_min_ms: float | None
    rtt_median_ms: float | None
    rtt_max_ms: float | None
    jitter_ms: float | None
    error: str | None = None
