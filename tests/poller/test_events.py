"""Status events from real state changes: a link going down and up, an agent rebooting."""

from __future__ import annotations

import asyncio
import time

from metrics.types import OperStatus
from poller.runner import poll_many
from poller.state import PollState
from poller.types import Outcome, Target
from tests.poller.conftest import CACHE_REFRESH_S, agent_target
from tests.poller.netns import VethPair
from tests.poller.snmpd import Snmpd, worker_index


def _cycle(target: Target, state: PollState) -> Outcome:
    [outcome] = asyncio.run(poll_many([target], state))
    assert outcome.ok, outcome.error
    return outcome


def test_link_going_down_then_up_emits_one_event_each(snmpd: Snmpd, veth: VethPair) -> None:
    target = agent_target(snmpd, interfaces={veth.if_index: 55})
    state = PollState()
    first = _cycle(target, state)
    assert first.interfaces[0].oper_status == OperStatus.UP
    veth.set_up(False)
    time.sleep(CACHE_REFRESH_S)
    down = _cycle(target, state)
    assert [(e.kind, e.interface_id) for e in down.events] == [("interface_down", 55)]
    assert down.interfaces[0].oper_status == OperStatus.DOWN
    assert down.interfaces[0].admin_up is False
    assert _cycle(target, state).events == ()
    veth.set_up(True)
    time.sleep(CACHE_REFRESH_S)
    up = _cycle(target, state)
    assert [(e.kind, e.interface_id) for e in up.events] == [("interface_up", 55)]


def test_agent_reboot_emits_reboot_and_leaves_the_interval_unknown() -> None:
    n = worker_index()
    agent = Snmpd([f"127.0.0.{150 + n}"], 27161 + n).start()
    try:
        target = agent_target(agent, interfaces={1: 1})
        state = PollState()
        time.sleep(2.0)  # uptime well above what the restarted agent will report
        _cycle(target, state)
        agent.stop()
        agent = Snmpd([f"127.0.0.{150 + n}"], 27161 + n).start()
        after = _cycle(target, state)
    finally:
        agent.stop()
    assert [e.kind for e in after.events] == ["reboot"]
    [sample] = after.interfaces
    assert sample.interval_s is not None
    assert (sample.in_bps, sample.out_bps, sample.in_errors) == (None, None, None)
