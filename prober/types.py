"""The prober's plain values: what to probe, and what one slot of probing found."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Method(StrEnum):
    TWAMP = "twamp"  # TWAMP-Light (RFC 5357), UDP
    ICMP = "icmp"  # ICMP echo (RFC 792), raw socket


@dataclass(frozen=True, slots=True)
class ProbeTarget:
    """An access link's far end: the address that answers for the link."""

    link_id: int
    device_id: int
    name: str  # the device's, for messages
    address: str
    port: int
    method: Method = Method.TWAMP

    @property
    def endpoint(self) -> tuple[str, int]:
        """Where replies come from: (address, port) for TWAMP, (address, 0) for ICMP."""
        return (self.address, self.port if self.method == Method.TWAMP else 0)


@dataclass(frozen=True, slots=True)
class ProbeRun:
    """One run over every target: how many, how long, and the reasons probes were lost."""

    targets: int
    sent: int
    answered: int
    duration_s: float
    rtt_ms_median: float | None
    problems: dict[str, int] = field(default_factory=dict)  # reason → count, all targets
    icmp_socket: str | None = None  # "raw", "datagram" or "refused" when ICMP targets were probed
