"""How often each device is polled: the cycle, and a multiple of it per device role.

`MENHIR_POLL_INTERVAL` is the cycle (one monitoring slot); `MENHIR_POLL_INTERVALS`, e.g.
`cpe=300,switch=120`, polls the devices of a role every N seconds instead, N a multiple of the
cycle. A role's polls fall on the cycles whose start is a multiple of its interval (aligned on the
epoch, like the slots), so every device of a role is polled in the same cycles, and every element
the alerting watches (a site, a PoP, a link) has a fixed grid of observations: the one of the
fastest device reporting on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from common.times import to_seconds
from inventory.choices import DeviceRole


class ScheduleError(ValueError):
    """A poll schedule that cannot work; the message names the setting and the value."""


@dataclass(frozen=True)
class PollSchedule:
    """The cycle in seconds, and the roles polled less often (`role → seconds`)."""

    cycle: int = 60
    by_role: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.cycle <= 0:
            raise ScheduleError(f"MENHIR_POLL_INTERVAL must be positive, not {self.cycle}")
        roles = set(DeviceRole.values)
        for role, seconds in self.by_role.items():
            if role not in roles:
                known = ", ".join(sorted(roles))
                raise ScheduleError(f"MENHIR_POLL_INTERVALS: unknown role {role!r} ({known})")
            if seconds <= 0 or seconds % self.cycle:
                raise ScheduleError(
                    f"MENHIR_POLL_INTERVALS: {role}={seconds} is not a positive multiple of"
                    f" the cycle (MENHIR_POLL_INTERVAL={self.cycle})"
                )

    @classmethod
    def parse(cls, cycle: int, text: str) -> PollSchedule:
        """From the settings' forms: `cpe=300, switch=120` (blank: every role each cycle)."""
        by_role: dict[str, int] = {}
        for item in text.replace(";", ",").split(","):
            if not item.strip():
                continue
            role, sep, value = item.partition("=")
            role = role.strip()
            try:
                seconds = int(value.strip()) if sep else -1
            except ValueError:
                seconds = -1
            if seconds < 0:
                raise ScheduleError(f"MENHIR_POLL_INTERVALS: {item.strip()!r} is not role=seconds")
            if role in by_role:
                raise ScheduleError(f"MENHIR_POLL_INTERVALS: {role} is given twice")
            by_role[role] = seconds
        return cls(cycle, {r: s for r, s in by_role.items() if s != cycle})

    @classmethod
    def from_settings(cls, cycle: int | None = None) -> PollSchedule:
        from django.conf import settings

        return cls.parse(cycle or settings.MENHIR_POLL_INTERVAL, settings.MENHIR_POLL_INTERVALS)

    @property
    def uniform(self) -> bool:
        """Every role polled each cycle (the default): nothing to hold between cycles."""
        return not self.by_role

    @property
    def longest(self) -> int:
        return max([self.cycle, *self.by_role.values()])

    def interval(self, role: str) -> int:
        return self.by_role.get(role, self.cycle)

    def due(self, role: str, slot_start: datetime | int) -> bool:
        """Whether a device of `role` is polled in the cycle starting at `slot_start`."""
        return _epoch(slot_start) % self.interval(role) == 0

    def last_due(self, role: str, slot_start: datetime | int) -> int:
        """The start (epoch seconds) of the latest cycle, this one included, polling `role`."""
        epoch = _epoch(slot_start)
        return epoch - epoch % self.interval(role)

    def idle_roles(self, slot_start: datetime | int) -> list[str]:
        """The roles not polled in this cycle: their last observations hold for it."""
        return sorted(role for role in self.by_role if not self.due(role, slot_start))

    def describe(self) -> str:
        slower = ", ".join(f"{role} every {s} s" for role, s in sorted(self.by_role.items()))
        return f"every {self.cycle} s" + (f"; {slower}" if slower else "")


def _epoch(value: datetime | int) -> int:
    return value if isinstance(value, int) else to_seconds(value)
