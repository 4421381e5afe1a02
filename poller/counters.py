"""Rate maths on SNMP counters: wraps, resets and impossible rates, as pure functions.

An interval the counters cannot measure (agent rebooted, a 64-bit counter went back, a rate
above the interface speed, no time elapsed) is unknown: None, never zero and never a spike.
"""

from __future__ import annotations

from dataclasses import dataclass

COUNTER32_MODULO = 1 << 32
COUNTER64_MODULO = 1 << 64


@dataclass(frozen=True, slots=True)
class CounterReading:
    """A counter value, its width in bits, and when it was read (seconds, any common epoch)."""

    value: int
    bits: int
    at_s: float


def counter_delta(previous: int, current: int, bits: int) -> int | None:
    """How much a counter grew between two readings, or None when it cannot be known.

    Counter32 wraps at 2**32 (a decrease is one wrap). A Counter64 does not wrap in practice
    (centuries at 100 Gbit/s): a decrease is a reset, hence None.
    """
    if bits not in (32, 64):
        raise ValueError(f"counters are 32 or 64 bits wide, not {bits}")
    modulo = COUNTER32_MODULO if bits == 32 else COUNTER64_MODULO
    for value in (previous, current):
        if not 0 <= value < modulo:
            raise ValueError(f"{value} does not fit a {bits}-bit counter")
    if current >= previous:
        return current - previous
    if bits == 32:
        return current + COUNTER32_MODULO - previous
    return None


def rebooted(previous_uptime_ticks: int | None, current_uptime_ticks: int | None) -> bool:
    """sysUpTime went back: the agent restarted and its counters started again from zero.

    sysUpTime itself wraps after 497 days (2**32 hundredths); a value that went back by more than
    half the range is that wrap, not a reboot.
    """
    if previous_uptime_ticks is None or current_uptime_ticks is None:
        return False
    if current_uptime_ticks >= previous_uptime_ticks:
        return False
    return previous_uptime_ticks - current_uptime_ticks < COUNTER32_MODULO // 2


def octet_rate_bps(
    previous: CounterReading,
    current: CounterReading,
    *,
    speed_bps: int | None = None,
    reset: bool = False,
) -> float | None:
    """Bits per second over the real time between two readings of an octet counter.

    None when the interval is unknown: a reset (reboot, or a 64-bit counter that decreased),
    readings of different widths, no time elapsed, or a rate above `speed_bps`.
    """
    if reset or previous.bits != current.bits:
        return None
    elapsed = current.at_s - previous.at_s
    if elapsed <= 0:
        return None
    delta = counter_delta(previous.value, current.value, current.bits)
    if delta is None:
        return None
    rate = delta * 8 / elapsed
    if speed_bps and rate > speed_bps:
        return None
    return rate


def event_delta(
    previous: int | None, current: int | None, *, bits: int = 32, reset: bool = False
) -> int | None:
    """Growth of an event counter (errors, discards) over the interval, or None if unknown."""
    if reset or previous is None or current is None:
        return None
    return counter_delta(previous, current, bits)
