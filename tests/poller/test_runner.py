"""poll_many against real snmpd: outcomes, rates across cycles, events, failures kept apart."""

from __future__ import annotations

import asyncio
import dataclasses
import time

import pytest

from metrics.types import OperStatus
from poller.runner import NonLoopbackTarget, poll_many
from poller.state import PollState
from poller.types import Credentials, Outcome, Target
from tests.poller.conftest import (
    CACHE_REFRESH_S,
    NO_HC_COMMUNITY,
    V2C,
    V3,
    agent_target,
    send_through,
)
from tests.poller.fault_servers import garbage, silent, udp_server
from tests.poller.netns import VethPair
from tests.poller.snmpd import Snmpd

LOOPBACK_IFINDEX = 1


def _poll(targets: list[Target], state: PollState, **kwargs: object) -> list[Outcome]:
    return asyncio.run(poll_many(targets, state, **kwargs))  # type: ignore[arg-type]


def test_first_cycle_has_status_but_no_rates(snmpd: Snmpd) -> None:
    target = agent_target(snmpd, interfaces={LOOPBACK_IFINDEX: 101})
    [outcome] = _poll([target], PollState())
    assert outcome.ok
    assert outcome.device.reachable
    assert outcome.device.uptime_s is not None
    [sample] = outcome.interfaces
    assert sample.interface_id == 101
    assert sample.oper_status == OperStatus.UP
    assert sample.admin_up is True
    assert (sample.in_bps, sample.out_bps, sample.interval_s) == (None, None, None)
    assert outcome.events == ()


@pytest.mark.parametrize("credentials", [V2C, V3], ids=["v2c", "v3-authpriv"])
def test_second_cycle_measures_the_octets_sent_over_the_real_interval(
    snmpd: Snmpd, veth: VethPair, credentials: Credentials
) -> None:
    target = agent_target(snmpd, credentials, interfaces={veth.if_index: 101})
    state = PollState()
    [first] = _poll([target], state)
    octets = send_through(veth, 300)
    time.sleep(CACHE_REFRESH_S)
    [second] = _poll([target], state)
    [before], [after] = first.interfaces, second.interfaces
    assert after.interval_s == pytest.approx((after.time - before.time).total_seconds())
    assert after.out_bps is not None
    assert after.interval_s is not None
    assert after.out_bps * after.interval_s / 8 == pytest.approx(octets, rel=0.02)
    assert (after.out_errors, after.out_discards) == (0, 0)


def test_one_dead_device_never_cancels_the_batch(snmpd: Snmpd) -> None:
    with udp_server(silent) as (address, port):
        dead = Target(2, "dead", address, V2C, port=port, timeout_s=0.3, retries=0)
        alive = [agent_target(snmpd, device_id=n, interfaces={1: n}) for n in (1, 3, 4)]
        outcomes = _poll([alive[0], dead, *alive[1:]], PollState())
    assert [o.target.device_id for o in outcomes] == [1, 2, 3, 4]
    assert [o.ok for o in outcomes] == [True, False, True, True]
    failed = outcomes[1]
    assert failed.device.reachable is False
    assert failed.error is not None
    assert "no reply" in failed.error
    assert [e.kind for e in failed.events] == ["device_unreachable"]


def test_broken_v3_agents_never_cancel_the_batch(snmpd: Snmpd) -> None:
    """Garbage, a forged wrong key and a silent agent on the SNMPv3 fast path: three failed
    outcomes with their reasons, the healthy v3 devices around them polled."""
    wrong_key = dataclasses.replace(V3, auth_key="not-the-auth-key")
    with udp_server(garbage) as (g_address, g_port), udp_server(silent) as (s_address, s_port):
        targets = [
            agent_target(snmpd, V3, device_id=1, interfaces={LOOPBACK_IFINDEX: 1}),
            Target(2, "garbage", g_address, V3, port=g_port, timeout_s=2.0, retries=0),
            agent_target(snmpd, wrong_key, device_id=3, timeout_s=0.5),
            Target(4, "silent", s_address, V3, port=s_port, timeout_s=0.3, retries=0),
            agent_target(snmpd, V3, device_id=5, interfaces={LOOPBACK_IFINDEX: 5}),
        ]
        outcomes = _poll(targets, PollState())
    assert [o.ok for o in outcomes] == [True, False, False, False, True]
    errors = [o.error or "" for o in outcomes]
    assert "undecodable" in errors[1]
    assert "rejected the credentials" in errors[2]
    assert "no reply" in errors[3]
    assert all(o.interfaces for o in (outcomes[0], outcomes[4]))


def test_device_coming_back_emits_reachable_once(snmpd: Snmpd) -> None:
    state = PollState()
    with udp_server(silent) as (address, port):
        gone = Target(1, "dev", address, V2C, port=port, timeout_s=0.2, retries=0)
        _poll([gone], state)
        [again] = _poll([gone], state)
    assert again.events == ()  # still down: no second unreachable event
    back = agent_target(snmpd)
    [outcome] = _poll([back], state)
    assert [e.kind for e in outcome.events] == ["device_reachable"]
    [steady] = _poll([back], state)
    assert steady.events == ()


def test_agent_without_hc_counters_falls_back_to_counter32(snmpd: Snmpd, veth: VethPair) -> None:
    community = Credentials(community=NO_HC_COMMUNITY)
    target = agent_target(snmpd, community, interfaces={veth.if_index: 101})
    state = PollState()
    [first] = _poll([target], state)
    assert first.ok
    assert state.devices[1].high_capacity is False
    assert state.devices[1].rows[veth.if_index].counter_bits == 32
    octets = send_through(veth, 200)
    time.sleep(CACHE_REFRESH_S)
    [second] = _poll([target], state)
    [sample] = second.interfaces
    assert sample.out_bps is not None
    assert sample.interval_s is not None
    assert sample.out_bps * sample.interval_s / 8 == pytest.approx(octets, rel=0.02)


def test_interface_missing_on_the_agent_is_unknown_not_down(snmpd: Snmpd) -> None:
    target = agent_target(snmpd, interfaces={LOOPBACK_IFINDEX: 101, 9999: 999})
    [outcome] = _poll([target], PollState())
    by_id = {s.interface_id: s for s in outcome.interfaces}
    assert by_id[999].oper_status == OperStatus.UNKNOWN
    assert by_id[101].oper_status == OperStatus.UP


def test_non_loopback_targets_are_refused_before_anything_is_sent() -> None:
    target = Target(1, "remote", "192.0.2.10", V2C)
    with pytest.raises(NonLoopbackTarget, match=r"remote \(192\.0\.2\.10\)"):
        _poll([target], PollState())


def test_host_names_are_refused_as_targets() -> None:
    target = Target(1, "named", "router.example", V2C)
    with pytest.raises(NonLoopbackTarget, match="not an IP address"):
        _poll([target], PollState(), allow_non_loopback=True)


def test_concurrency_must_be_positive(snmpd: Snmpd) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        _poll([agent_target(snmpd)], PollState(), concurrency=0)


def test_many_devices_poll_with_bounded_concurrency(snmpd: Snmpd) -> None:
    targets = [agent_target(snmpd, device_id=n, interfaces={1: n}) for n in range(1, 101)]
    outcomes = _poll(targets, PollState(), concurrency=16)
    assert all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok][:3]
    assert len({o.target.device_id for o in outcomes}) == 100


def _previous_row_shifted(state: PollState, octets: int) -> None:
    row = state.devices[1].rows[LOOPBACK_IFINDEX]
    assert row.in_octets is not None
    state.devices[1].rows[LOOPBACK_IFINDEX] = dataclasses.replace(
        row, in_octets=(row.in_octets + octets) % (1 << 64)
    )


def test_counter64_that_went_back_leaves_the_interval_unknown(snmpd: Snmpd) -> None:
    target = agent_target(snmpd, interfaces={LOOPBACK_IFINDEX: 101})
    state = PollState()
    _poll([target], state)
    _previous_row_shifted(state, 10**12)  # as if the counter had been far higher before
    [outcome] = _poll([target], state)
    [sample] = outcome.interfaces
    assert sample.in_bps is None
    assert sample.out_bps is not None  # the other direction is still measured


def test_rate_above_the_interface_speed_is_rejected(snmpd: Snmpd) -> None:
    target = agent_target(snmpd, interfaces={LOOPBACK_IFINDEX: 101})
    state = PollState()
    _poll([target], state)
    _previous_row_shifted(state, -(10**9))  # 8 Gbit in well under a second on a 10 Mbit/s lo
    [outcome] = _poll([target], state)
    [sample] = outcome.interfaces
    assert sample.speed_bps == 10_000_000
    assert sample.in_bps is None
