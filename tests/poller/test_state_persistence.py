"""Counter state through JSON and the database: a cycle resumed from the stored state computes
the same kind of rates as one that kept it in memory; damaged records are refused, not trusted."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime

import pytest

from poller.models import CounterState
from poller.persistence import load_state, save_state_orm
from poller.runner import poll_many
from poller.state import DeviceState, PollState, device_state_from_json, device_state_to_json
from tests.poller.conftest import agent_target
from tests.poller.snmpd import Snmpd


def test_a_cycle_resumed_from_stored_json_has_rates(snmpd: Snmpd) -> None:
    target = agent_target(snmpd, interfaces={1: 11, 2: 12})
    first_state = PollState()
    [first] = asyncio.run(poll_many([target], first_state))
    assert first.ok, first.error
    stored = json.loads(json.dumps(device_state_to_json(first_state.device(1))))
    resumed = PollState({1: device_state_from_json(stored)})
    assert resumed.devices[1] == first_state.devices[1]
    [second] = asyncio.run(poll_many([target], resumed))
    assert second.ok, second.error
    assert all(s.interval_s is not None and s.interval_s > 0 for s in second.interfaces)
    assert all(s.in_bps is not None for s in second.interfaces)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: d["rows"][0].pop(), "fields"),
        (lambda d: d["rows"][0].__setitem__(1, "2026-01-01T00:00:00"), "aware"),
        (lambda d: d["oper"].__setitem__("1", "sideways"), "sideways"),
    ],
)
def test_damaged_state_is_refused(damage: object, message: str) -> None:
    state = DeviceState(reachable=True, uptime_ticks=5)
    from poller.collectors.interfaces import InterfaceRow

    received = datetime.fromisoformat("2026-01-01T00:00:00+00:00")
    state.rows[1] = InterfaceRow(1, received, 64, 1, 2, 0, 0, 0, 0, 1, 1, 10**9)
    from metrics.types import OperStatus

    state.oper[1] = OperStatus.UP
    data = device_state_to_json(state)
    assert device_state_from_json(data) == state
    damage(data)  # type: ignore[operator]
    with pytest.raises(ValueError, match=message):
        device_state_from_json(data)


@pytest.mark.django_db
def test_a_damaged_record_is_dropped_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    state = PollState({7: DeviceState(reachable=True, uptime_ticks=100)})
    save_state_orm(state, [7])
    assert load_state([7]).devices[7] == state.devices[7]
    CounterState.objects.filter(device_id=7).update(state={"rows": [[1, 2]]})
    with caplog.at_level(logging.WARNING, logger="poller.persistence"):
        assert load_state([7]).devices == {}
    assert "counter state of device 7 damaged" in caplog.text
