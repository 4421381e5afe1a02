"""The typed session against real agents (Net-SNMP snmpd) and misbehaving UDP servers."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from poller.collectors.interfaces import HC_COLUMNS
from poller.snmp import oids
from poller.snmp.ber import COUNTER64, NO_SUCH_INSTANCE, NO_SUCH_OBJECT, TIMETICKS
from poller.snmp.client import SnmpClient
from poller.snmp.errors import AgentError, AuthError, MalformedReply, NoSuchName, Timeout
from poller.snmp.session import Reply
from poller.types import Credentials, Target
from tests.poller.conftest import V2C, V3, agent_target
from tests.poller.fault_servers import error_status, garbage, silent, udp_server
from tests.poller.snmpd import Snmpd


def _bulk(target: Target, *, fast: bool = True) -> Reply:
    async def go() -> Reply:
        async with SnmpClient(fast_v2c=fast) as client:
            session = await client.session(target)
            return await session.get_bulk([oids.SYS_UPTIME], list(HC_COLUMNS), 4)

    return asyncio.run(go())


def _shape(reply: Reply) -> list[tuple[tuple[int, ...], int]]:
    return [(name, tag) for name, tag, _ in reply.varbinds]


def test_fast_v2c_path_returns_what_pysnmp_returns(snmpd: Snmpd) -> None:
    target = agent_target(snmpd)
    fast, reference = _bulk(target), _bulk(target, fast=False)
    assert _shape(fast) == _shape(reference)
    assert len(fast.varbinds) == 1 + 4 * len(HC_COLUMNS)
    assert fast.varbinds[0][:2] == (oids.SYS_UPTIME_0, TIMETICKS)
    assert fast.varbinds[1][1] == COUNTER64
    oper = [v for n, _, v in fast.varbinds if n[:-1] == oids.IF_OPER_STATUS]
    assert oper == [v for n, _, v in reference.varbinds if n[:-1] == oids.IF_OPER_STATUS]


def test_snmpv3_authpriv_reads_the_same_columns(snmpd: Snmpd) -> None:
    reply = _bulk(agent_target(snmpd, V3))
    assert _shape(reply) == _shape(_bulk(agent_target(snmpd)))


def test_missing_objects_come_back_as_exception_values(snmpd: Snmpd) -> None:
    async def go() -> Reply:
        async with SnmpClient() as client:
            session = await client.session(agent_target(snmpd))
            return await session.get([(1, 3, 6, 1, 2, 1, 1, 3, 7), (1, 3, 6, 1, 2, 1, 99, 1, 0)])

    tags = [tag for _, tag, _ in asyncio.run(go()).varbinds]
    assert tags == [NO_SUCH_INSTANCE, NO_SUCH_OBJECT]


def test_wrong_community_is_a_timeout_that_names_the_community(snmpd: Snmpd) -> None:
    target = agent_target(snmpd, Credentials(community="not-the-community"), timeout_s=0.3)
    with pytest.raises(Timeout, match="wrong community"):
        _bulk(target)


@pytest.mark.parametrize(
    "credentials",
    [
        dataclasses.replace(V3, auth_key="wrong-auth-key"),
        dataclasses.replace(V3, username="nobody-here"),
    ],
    ids=["auth-key", "user"],
)
def test_wrong_v3_user_or_auth_key_is_an_auth_error(snmpd: Snmpd, credentials: Credentials) -> None:
    target = agent_target(snmpd, credentials, timeout_s=0.5)
    with pytest.raises(AuthError, match="rejected the credentials"):
        _bulk(target)


def test_wrong_v3_privacy_key_times_out_naming_the_credentials(snmpd: Snmpd) -> None:
    # snmpd cannot decrypt the request and stays silent: all a manager can see is no reply.
    target = agent_target(snmpd, dataclasses.replace(V3, priv_key="wrong-priv-key"), timeout_s=0.5)
    with pytest.raises(Timeout, match="wrong credentials"):
        _bulk(target)


def test_silent_agent_times_out_after_every_retry() -> None:
    with udp_server(silent) as (address, port):
        target = Target(1, "silent", address, V2C, port=port, timeout_s=0.2, retries=2)
        with pytest.raises(Timeout, match="3 attempt"):
            _bulk(target)


def test_address_nothing_listens_on_times_out() -> None:
    target = Target(1, "nobody", "127.0.0.254", V2C, port=9, timeout_s=0.2, retries=0)
    with pytest.raises(Timeout):
        _bulk(target)


def test_garbage_reply_is_a_malformed_reply_not_a_timeout() -> None:
    with udp_server(garbage) as (address, port):
        target = Target(1, "garbage", address, V2C, port=port, timeout_s=5.0, retries=0)
        with pytest.raises(MalformedReply, match="undecodable"):
            _bulk(target)


def test_error_status_becomes_an_agent_error() -> None:
    with udp_server(error_status(5)) as (address, port):
        target = Target(1, "generr", address, V2C, port=port, timeout_s=1.0, retries=0)
        with pytest.raises(AgentError, match="genErr"):
            _bulk(target)


def test_no_such_name_status_is_its_own_error() -> None:
    with udp_server(error_status(2)) as (address, port):
        target = Target(1, "nosuchname", address, V2C, port=port, timeout_s=1.0, retries=0)
        with pytest.raises(NoSuchName):
            _bulk(target)
