"""One direction of an interface's octet counter: closed-form value at any time, with overrides.

Normally the value is `peak × (S(t) − S(boot)) + offset` (see `traffic`). A fault can pin the rate
(0 while the interface is down, ~100 % of the committed rate while saturated) from a given time;
lifting it folds the difference into `offset`, so the counter stays continuous and monotonic.
"""

from __future__ import annotations

from simulation.lab.traffic import Curve


class OctetCounter:
    __slots__ = ("_boot_integral", "curve", "offset", "override", "peak", "since", "start_value")

    def __init__(self, curve: Curve, peak_bytes_per_s: float, boot: float) -> None:
        self.curve = curve
        self.peak = peak_bytes_per_s
        self._boot_integral = curve.integral(boot)
        self.offset = 0.0
        self.override: float | None = None  # a pinned rate (bytes/s), or None
        self.since = 0.0
        self.start_value = 0.0

    def exact(self, t: float) -> float:
        if self.override is not None:
            return self.start_value + self.override * max(0.0, t - self.since)
        return self.peak * (self.curve.integral(t) - self._boot_integral) + self.offset

    def value(self, t: float) -> int:
        return int(self.exact(t))

    def pin(self, t: float, rate: float | None) -> None:
        """From `t` on, count at `rate` bytes/s (None: back to the traffic profile)."""
        current = self.exact(t)
        self.override = rate
        if rate is None:
            self.offset = 0.0
            self.offset = current - self.exact(t)
        else:
            self.since = t
            self.start_value = current

    def reset(self, boot: float) -> None:
        """A reboot: zero at `boot`, keeping a pinned rate pinned."""
        self._boot_integral = self.curve.integral(boot)
        self.offset = 0.0
        if self.override is not None:
            self.since = boot
            self.start_value = 0.0
