"""The runner against an in-memory agent: the exact requests it sends and how it reads answers.

The fast tier beside `test_runner.py` (real snmpd and snmpsim): no socket and the agent's clock
in the test's hands, so rates come out exact and every PDU can be checked field by field.
"""

from __future__ import annotations

import asyncio

from metrics.types import OperStatus
from poller.collectors.interfaces import HC_COLUMNS, LEGACY_COLUMNS
from poller.runner import poll_many
from poller.snmp import oids
from poller.snmp.ber import OCTET_STRING
from poller.snmp.errors import Timeout
from poller.state import PollState
from poller.types import Credentials, InterfaceRef, Outcome, Target
from tests.poller.memory_agent import (
    MemoryAgent,
    MemoryClient,
    Request,
    interface_agent,
    put_counters,
)

ADDRESS = "127.0.0.1"
MBPS = 1_000_000


def _target(indexes: list[int], address: str = ADDRESS) -> Target:
    refs = {i: InterfaceRef(1000 + i, 100 * MBPS) for i in indexes}
    return Target(7, "cpe-test", address, Credentials(community="public"), interfaces=refs)


def _poll(agent: MemoryAgent, target: Target, state: PollState) -> Outcome:
    client = MemoryClient({target.address: agent})
    outcomes = asyncio.run(poll_many([target], state, client=client))  # type: ignore[arg-type]
    return outcomes[0]


def test_one_getbulk_carries_sysuptime_and_every_column_for_the_known_rows() -> None:
    agent = interface_agent({1: {}, 2: {}, 3: {}})
    outcome = _poll(agent, _target([1, 2, 3]), PollState())
    assert outcome.ok
    assert agent.requests == [Request("getbulk", (oids.SYS_UPTIME,), HC_COLUMNS, 3)]
    assert [s.interface_id for s in outcome.interfaces] == [1001, 1002, 1003]


def test_rates_over_the_agents_own_clock_are_exact() -> None:
    agent, target, state = interface_agent({1: {"in": 0, "out": 0}}), _target([1]), PollState()
    _poll(agent, target, state)
    agent.advance(60)
    put_counters(agent, 1, in_octets=7_500_000, out_octets=750_000)
    sample = _poll(agent, target, state).interfaces[0]
    assert (sample.interval_s, sample.in_bps, sample.out_bps) == (60.0, 1_000_000.0, 100_000.0)


def test_a_table_larger_than_a_response_continues_each_column_from_its_own_last_row() -> None:
    indexes = list(range(1, 41))
    agent = interface_agent({i: {} for i in indexes})
    agent.max_varbinds = 60  # a small agent truncates: 6 rows of 9 columns and a bit of a 7th
    outcome = _poll(agent, _target(indexes), PollState())
    assert outcome.ok
    assert [s.oper_status for s in outcome.interfaces] == [OperStatus.UP] * 40
    shapes = [(len(r.non_repeaters), len(r.repeaters), r.max_repetitions) for r in agent.requests]
    # sysUpTime once; then only the columns not past ifIndex 40, each from the last row it got
    assert shapes == [(1, 9, 11)] + [(0, 9, 11)] * 5 + [(0, 3, 33)]
    second = agent.requests[1].repeaters
    assert [c[:-1] for c in second] == list(HC_COLUMNS)
    assert [c[-1] for c in second] == [7] * 5 + [6] * 4  # the truncated 7th row: 5 columns
    assert [c[:-1] for c in agent.requests[-1].repeaters] == list(HC_COLUMNS[-3:])


def test_an_agent_without_ifxtable_is_asked_the_32_bit_columns_next_time() -> None:
    agent, target, state = (
        interface_agent({1: {}, 2: {}}, high_capacity=False),
        _target([1, 2]),
        PollState(),
    )
    _poll(agent, target, state)
    assert agent.requests[0].repeaters == HC_COLUMNS
    assert agent.requests[1] == Request(
        "getbulk", (), (oids.IF_IN_OCTETS, oids.IF_OUT_OCTETS, oids.IF_SPEED), 2
    )
    agent.requests.clear()
    agent.advance(60)
    put_counters(agent, 1, 600_000, 0, hc=False)
    sample = _poll(agent, target, state).interfaces[0]
    assert agent.requests == [Request("getbulk", (oids.SYS_UPTIME,), LEGACY_COLUMNS, 2)]
    assert sample.in_bps == 80_000.0


def test_a_reboot_leaves_the_interval_unknown_and_says_so_once() -> None:
    agent, target, state = interface_agent({1: {"in": 9_000_000}}), _target([1]), PollState()
    _poll(agent, target, state)
    agent.advance(60)
    agent.set(oids.SYS_UPTIME_0, 0x43, 500)  # sysUpTime went back
    put_counters(agent, 1, 1_000, 0)
    outcome = _poll(agent, target, state)
    assert outcome.interfaces[0].in_bps is None
    assert [e.kind for e in outcome.events] == ["reboot"]


def test_a_counter_of_the_wrong_type_reads_as_unknown_not_as_zero() -> None:
    agent, target, state = interface_agent({1: {"in": 1_000}}), _target([1]), PollState()
    _poll(agent, target, state)
    agent.advance(60)
    agent.set((*oids.IF_HC_IN_OCTETS, 1), OCTET_STRING, b"garbage")
    sample = _poll(agent, target, state).interfaces[0]
    assert sample.in_bps is None
    assert sample.out_bps == 0.0


def test_a_silent_agent_is_unreachable_once_and_reachable_again_once() -> None:
    agent, target, state = interface_agent({1: {}}), _target([1]), PollState()
    _poll(agent, target, state)
    agent.failure = Timeout("no response after 2 tries")
    kinds = [[e.kind for e in _poll(agent, target, state).events] for _ in range(2)]
    assert kinds == [["device_unreachable"], []]
    agent.failure = None
    outcome = _poll(agent, target, state)
    assert outcome.ok
    assert [e.kind for e in outcome.events] == ["device_reachable"]


def test_an_interface_that_goes_down_is_one_event_and_a_vanished_one_is_unknown() -> None:
    agent, target, state = interface_agent({1: {}, 2: {}}), _target([1, 2]), PollState()
    _poll(agent, target, state)
    agent.set((*oids.IF_OPER_STATUS, 1), 0x02, 2)
    for column in (*HC_COLUMNS, *LEGACY_COLUMNS):
        agent.mib.pop((*column, 2), None)
    outcome = _poll(agent, target, state)
    assert [(e.kind, e.interface_id) for e in outcome.events] == [("interface_down", 1001)]
    assert [s.oper_status for s in outcome.interfaces] == [OperStatus.DOWN, OperStatus.UNKNOWN]
