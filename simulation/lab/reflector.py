"""A device's TWAMP-Light reflector: the link's round-trip time, and latency and loss faults.

Pure (no sockets, no Django): the worker feeds it test packets and sends what it returns after
the delay it returns. The delay is the link's simulated round trip, applied by the lab rather
than by the kernel (this machine has no `netem`). So that the sender's RTT formula
(T4 − T1) − (T3 − T2) sees that delay, half of it is counted as the way in (T2 = arrival + d/2)
and half as the way back (T3 = departure − d/2): the reflector's own residence time stays ~0.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from common import twamp

# Round-trip ranges per link technology (ms): the near end for a site next to its PoP, the far end
# from FAR_KM on. Orders of magnitude of real access lines: DSL interleaving dominates, fibre is
# mostly distance and equipment.
TECHNOLOGY_RTT_MS: dict[str, tuple[float, float]] = {
    "ftto": (1.0, 5.0),
    "ftth_pro": (2.0, 6.0),
    "sdsl": (8.0, 15.0),
    "adsl": (20.0, 40.0),
    "lte_backup": (30.0, 60.0),
    "backbone": (0.5, 3.0),
}
DEFAULT_RTT_MS = 0.5  # a device without links (the PoP's own LAN)
FAR_KM = 80.0
NATURAL_VARIATION = 0.1  # ±10 % of the base per probe, so jitter is never exactly zero


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def base_rtt_ms(technology: str, km: float | None) -> float:
    """A link's simulated round trip: its technology's range, placed by distance (unknown: mid)."""
    low, high = TECHNOLOGY_RTT_MS.get(technology, TECHNOLOGY_RTT_MS["ftto"])
    share = 0.5 if km is None else min(1.0, max(0.0, km / FAR_KM))
    return round(low + (high - low) * share, 3)


@dataclass(frozen=True, slots=True)
class Accepted:
    """A test packet to reflect after `delay_s`."""

    request: twamp.SenderPacket
    delay_s: float


class Reflector:
    def __init__(self, name: str, base_ms: float) -> None:
        self.name = name
        self.base_ms = base_ms
        self.latency_ms = 0.0
        self.jitter_ms = 0.0
        self.loss_pct = 0.0
        self.sequence = 0
        self.malformed = 0
        self._variation = random.Random(f"{name}/variation")
        self._jitter = random.Random(0)
        self._loss = random.Random(0)

    def set_latency(self, ms: float, jitter_ms: float = 0.0, seed: int = 0) -> None:
        self.latency_ms, self.jitter_ms = ms, jitter_ms
        self._jitter = random.Random(seed)

    def set_loss(self, pct: float, seed: int = 0) -> None:
        """Drop `pct` % of test packets: one draw of `random.Random(seed)` per packet received."""
        self.loss_pct = pct
        self._loss = random.Random(seed)

    def clear(self) -> None:
        self.latency_ms = self.jitter_ms = self.loss_pct = 0.0

    def faults(self) -> list[str]:
        active = (("latency", self.latency_ms > 0), ("loss", self.loss_pct > 0))
        return [name for name, on in active if on]

    def accept(self, data: bytes) -> Accepted | None:
        """The packet to reflect and when, or None (malformed, or lost by the `loss` fault)."""
        try:
            request = twamp.decode_sender(data)
        except twamp.TwampFormatError:
            self.malformed += 1  # RFC 5357: a reflector discards what it cannot read
            return None
        if self.loss_pct > 0 and self._loss.random() * 100 < self.loss_pct:
            return None
        ms = self.base_ms * (1 + self._variation.uniform(-NATURAL_VARIATION, NATURAL_VARIATION))
        if self.latency_ms > 0:
            ms += self.latency_ms
            if self.jitter_ms > 0:
                ms += self._jitter.uniform(-self.jitter_ms, self.jitter_ms)
        return Accepted(request, max(0.0, ms) / 1000)

    def reflect(self, accepted: Accepted, received: float, departing: float, ttl: int) -> bytes:
        """The reflected packet's bytes, stamped as if the delay were spent on the wire."""
        half = accepted.delay_s / 2
        self.sequence += 1
        packet = twamp.reflect(
            accepted.request, self.sequence - 1, received + half, departing - half, ttl
        )
        return twamp.encode_reflected(packet)
