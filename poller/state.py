"""What the runner remembers between cycles: the caller keeps one `PollState` and passes it back.

Plain data (no sockets, no ORM): `menhir poll` keeps it in memory; Celery workers store each
device's part as JSON in the database (poller.models.CounterState), since the next cycle of a
shard may run on another worker.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

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


def device_state_to_json(state: DeviceState) -> dict[str, Any]:
    """A DeviceState as JSON-ready data, so another worker can pick the device up next cycle."""
    return {
        "reachable": state.reachable,
        "uptime_ticks": state.uptime_ticks,
        "high_capacity": state.high_capacity,
        "rows": [_row_to_json(row) for row in state.rows.values()],
        "oper": {str(k): v.value for k, v in state.oper.items()},
    }


def device_state_from_json(data: dict[str, Any]) -> DeviceState:
    """The inverse of device_state_to_json; ValueError/KeyError on damaged data."""
    rows = [_row_from_json(item) for item in data.get("rows", [])]
    return DeviceState(
        reachable=data.get("reachable"),
        uptime_ticks=data.get("uptime_ticks"),
        high_capacity=bool(data.get("high_capacity", True)),
        rows={row.if_index: row for row in rows},
        oper={int(k): OperStatus(v) for k, v in data.get("oper", {}).items()},
    )


_ROW_FIELDS = tuple(f.name for f in fields(InterfaceRow))


def _row_to_json(row: InterfaceRow) -> list[Any]:
    return [row.received.isoformat() if f == "received" else getattr(row, f) for f in _ROW_FIELDS]


def _row_from_json(values: list[Any]) -> InterfaceRow:
    if len(values) != len(_ROW_FIELDS):
        raise ValueError(f"an interface row has {len(_ROW_FIELDS)} fields, not {len(values)}")
    data = dict(zip(_ROW_FIELDS, values, strict=True))
    received = datetime.fromisoformat(data.pop("received"))
    if received.tzinfo is None:
        raise ValueError("an interface row's time must be aware")
    return InterfaceRow(received=received, **data)
