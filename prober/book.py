"""What every sender keeps between a probe leaving and its reply: the probes in flight by
sequence number, and the reasons replies could not count, per target.

Shared by the TWAMP-Light and ICMP senders so that both match, expire and explain replies alike.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass

WRONG_SEQUENCE = "wrong sequence"
DUPLICATE = "duplicate reply"
LATE = "late reply"
SEND_FAILED = "send failed"


@dataclass(slots=True)
class Pending:
    address: tuple[str, int]
    sent_mono: float
    future: asyncio.Future[float | None]


class ProbeBook:
    """Probes in flight, keyed by a sequence number unique among them (it wraps at `modulus`)."""

    def __init__(self, modulus: int) -> None:
        self.pending: dict[int, Pending] = {}
        self.answered: set[int] = set()
        self.expired: set[int] = set()
        self.problems: dict[tuple[str, int], Counter[str]] = {}
        self._sequence = 0
        self._modulus = modulus

    def problem(self, address: tuple[str, int], reason: str) -> None:
        self.problems.setdefault(address, Counter())[reason] += 1

    def register(self, address: tuple[str, int]) -> tuple[int, asyncio.Future[float | None]]:
        """A new probe to `address`, leaving now: its sequence number and the future of its RTT."""
        future: asyncio.Future[float | None] = asyncio.get_running_loop().create_future()
        sequence = self._sequence
        self._sequence = (self._sequence + 1) % self._modulus
        self.pending[sequence] = Pending(address, time.monotonic(), future)
        return sequence, future

    def forget(self, sequence: int) -> None:
        """The probe's deadline passed: a late reply is then a wrong sequence, not an answer."""
        if self.pending.pop(sequence, None) is not None:
            self.expired.add(sequence)

    def match(self, address: tuple[str, int], sequence: int) -> Pending | None:
        """The probe a reply from `address` answers, or None with the reason counted."""
        pending = self.pending.get(sequence)
        if pending is None or pending.address != address:
            reason = WRONG_SEQUENCE
            if sequence in self.answered:
                reason = DUPLICATE
            elif sequence in self.expired:
                reason = LATE
            self.problem(address, reason)
            return None
        if pending.future.done():
            return None
        return pending

    def resolve(self, sequence: int, round_trip: float) -> None:
        pending = self.pending.pop(sequence)
        self.answered.add(sequence)
        pending.future.set_result(round_trip)

    def cancel_all(self) -> None:
        for pending in self.pending.values():
            pending.future.cancel()
