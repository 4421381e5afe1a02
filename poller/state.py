"""What the runner remembers between cycles: the caller keeps one `PollState` and passes it back.

Plain data (no sockets, no ORM), so a Celery worker may keep it in memory or pickle it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from metrics.types import OperStatus
from poller.collectors.interfaces import InterfaceRow


@dataclass
class DeviceState:
    reachable: bool | None = None
    uptime_ticks: int | None = None
    high_capacity: bool = True
    rows: dict[int, InterfaceRow] = field(default_factory=dict)
    oper: dict[int, OperStatus] = field(default_factory=dict)


@dataclass
class PollState:
    devices: dict[int, DeviceState] = field(default_factory=dict)

    def device(self, device_id: int) -> DeviceState:
        return self.devices.setdefault(device_id, DeviceState())
