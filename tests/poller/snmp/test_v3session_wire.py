"""The SNMPv3 fast path against Net-SNMP's snmpd: a real agent nobody here wrote.

Users for SHA/AES, MD5/AES, SHA-256/AES, SHA-512/AES and SHA-256 authNoPriv; wrong keys, an
unknown user, a stale engine ID (a replaced agent) and a clock outside the time window.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import string
import subprocess

import pytest

from poller.collectors.interfaces import HC_COLUMNS
from poller.snmp import oids
from poller.snmp.ber import (
    COUNTER32,
    GET_REQUEST,
    OBJECT_IDENTIFIER,
    REPORT,
    SEQUENCE,
    encode_oid,
    encode_pdu,
    tlv,
)
from poller.snmp.client import SnmpClient
from poller.snmp.errors import AuthError
from poller.snmp.pysnmp_session import PysnmpSession
from poller.snmp.session import Reply
from poller.snmp.v3message import encode_message, parse_message, scoped_pdu
from poller.snmp.v3session import (
    KNOWN_ENGINES,
    NOT_IN_TIME_WINDOW,
    UNKNOWN_ENGINE_ID,
    UNKNOWN_USER_NAME,
    EngineClock,
    V3Session,
)
from poller.types import Credentials, PrivProtocol, Target
from tests.poller.conftest import V3, V3_USERS, agent_target, v3_user
from tests.poller.fault_servers import Answer, udp_server
from tests.poller.snmpd import V3_AUTH_KEY, V3_PRIV_KEY, V3_USER, Snmpd

SNMP_ENGINE_ID = (1, 3, 6, 1, 6, 3, 10, 2, 1, 1, 0)
SNMP_ENGINE_BOOTS = (1, 3, 6, 1, 6, 3, 10, 2, 1, 2, 0)
# Columns whose values do not move between two polls (counters and sysUpTime do).
STATIC = {oids.IF_OPER_STATUS, oids.IF_ADMIN_STATUS, oids.IF_HIGH_SPEED}


def _poll(target: Target, *, fast: bool = True) -> Reply:
    async def go() -> Reply:
        async with SnmpClient(fast_v3=fast) as client:
            session = await client.session(target)
            assert isinstance(session, V3Session if fast else PysnmpSession)
            return await session.get_bulk([oids.SYS_UPTIME], list(HC_COLUMNS), 4)

    return asyncio.run(go())


def _static(reply: Reply) -> list[tuple[tuple[int, ...], int, object]]:
    return [vb for vb in reply.varbinds if vb[0][:-1] in STATIC]


@pytest.mark.parametrize("user", ["sha-aes", *V3_USERS])
def test_fast_v3_reads_what_pysnmp_reads(snmpd: Snmpd, user: str) -> None:
    credentials = V3 if user == "sha-aes" else v3_user(user)
    fast = _poll(agent_target(snmpd, credentials))
    reference = _poll(agent_target(snmpd, credentials), fast=False)
    assert [(n, t) for n, t, _ in fast.varbinds] == [(n, t) for n, t, _ in reference.varbinds]
    assert len(fast.varbinds) == 1 + 4 * len(HC_COLUMNS)
    assert _static(fast) == _static(reference)


def _net_snmp_engine_id(snmpd: Snmpd) -> bytes:
    """snmpEngineID.0 as Net-SNMP's own snmpget reads it (the independent witness)."""
    result = subprocess.run(
        [
            "snmpget",
            "-v3",
            "-l",
            "authPriv",
            "-u",
            V3_USER,
            "-a",
            "SHA",
            "-A",
            V3_AUTH_KEY,
            "-x",
            "AES",
            "-X",
            V3_PRIV_KEY,
            "-On",
            "-Ox",
            "-Oq",
            "-t",
            "2",
            "-r",
            "1",
            f"udp:{snmpd.addresses[0]}:{snmpd.port}",
            ".1.3.6.1.6.3.10.2.1.1.0",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "MIBS": ""},
    )
    value = result.stdout.split(None, 1)[1]  # e.g. "80 00 1F 88 80 …" (quoted or not)
    return bytes.fromhex("".join(c for c in value if c in string.hexdigits))


def test_discovery_learns_the_agents_engine_id_and_clock(snmpd: Snmpd) -> None:
    async def go() -> tuple[Reply, EngineClock]:
        async with SnmpClient() as client:
            target = agent_target(snmpd, V3)
            session = await client.session(target)
            # Concurrent first requests share one discovery.
            replies = await asyncio.gather(
                *(session.get([SNMP_ENGINE_ID, SNMP_ENGINE_BOOTS]) for _ in range(8))
            )
            endpoint = await client.v3_endpoint()
            return replies[0], endpoint.engines[(target.address, target.port)]

    reply, clock = asyncio.run(go())
    engine_id, boots = reply.varbinds[0][2], reply.varbinds[1][2]
    assert clock.engine_id == engine_id == _net_snmp_engine_id(snmpd)
    assert clock.boots == boots


def _with_clock(snmpd: Snmpd, tamper: str) -> tuple[Reply, EngineClock, EngineClock, int]:
    """A poll, then the remembered clock tampered with, then a poll that must recover.

    Also returns how many datagrams the recovering poll sent.
    """

    async def go() -> tuple[Reply, EngineClock, EngineClock, int]:
        async with SnmpClient() as client:
            target = agent_target(snmpd, V3, timeout_s=2.0)
            session = await client.session(target)
            await session.get([oids.SYS_UPTIME_0])
            endpoint = await client.v3_endpoint()
            address = (target.address, target.port)
            good = dataclasses.replace(endpoint.engines[address])
            if tamper == "engine":
                endpoint.engines[address] = EngineClock(b"\x80\x00\x1f\x88\x04stale", 7, 700)
            elif tamper == "time":  # a clock 20 minutes ahead: outside the 150 s window
                endpoint.engines[address].sync(good.boots, good.time + 1200)
            else:  # the agent rebooted since we last heard it: boots moved on
                endpoint.engines[address].sync(good.boots - 1, good.time)
            sent = endpoint.sent
            reply = await session.get([oids.SYS_UPTIME_0])
            return reply, good, endpoint.engines[address], endpoint.sent - sent

    return asyncio.run(go())


def _reporting_agent(oid: tuple[int, ...]) -> Answer:
    """A fake agent whose every answer is an unauthenticated Report of `oid` (a stubborn or
    forged agent: no independent reference needed, the client only has to give up cleanly)."""

    def answer(request: bytes) -> bytes:
        msg_id = parse_message(request).msg_id
        empty = encode_pdu(GET_REQUEST, msg_id, [])  # short form: 2-octet header, "30 00" tail
        varbind = tlv(SEQUENCE, tlv(OBJECT_IDENTIFIER, encode_oid(oid)) + tlv(COUNTER32, b"\x01"))
        body = empty[2:-2] + tlv(SEQUENCE, varbind)  # request-id, 0, 0, one varbind
        message, _ = encode_message(
            msg_id=msg_id,
            flags=0,
            engine_id=FAKE_ENGINE,
            boots=3,
            time=300,
            user=b"",
            digest_size=0,
            priv_params=b"",
            data=scoped_pdu(FAKE_ENGINE, b"", tlv(REPORT, body)),
        )
        return bytes(message)

    return answer


FAKE_ENGINE = b"\x80\x00\x1f\x88\x04fake-agent"


@pytest.mark.parametrize(
    ("oid", "cause", "sent"),
    [
        (UNKNOWN_ENGINE_ID, "unknown engine ID", 4),  # discovery, request, discovery, request
        (NOT_IN_TIME_WINDOW, "not in time window", 2),  # unauthenticated: never trusted
        (UNKNOWN_USER_NAME, "unknown user name", 2),
    ],
)
def test_a_stubborn_report_ends_in_an_auth_error(
    oid: tuple[int, ...], cause: str, sent: int
) -> None:
    async def go() -> int:
        with udp_server(_reporting_agent(oid)) as (address, port):
            KNOWN_ENGINES.pop((address, port), None)  # a port an earlier test's agent had
            async with SnmpClient() as client:
                target = Target(1, "stubborn", address, V3, port=port, timeout_s=2.0, retries=0)
                session = await client.session(target)
                with pytest.raises(AuthError, match=cause):
                    await session.get([oids.SYS_UPTIME_0])
                return (await client.v3_endpoint()).sent

    assert asyncio.run(go()) == sent


def test_the_next_cycles_client_needs_no_discovery(snmpd: Snmpd) -> None:
    """`menhir poll` opens a client per cycle: what one learnt of an engine serves the next."""

    async def one_cycle() -> int:
        async with SnmpClient() as client:
            session = await client.session(agent_target(snmpd, V3))
            await session.get([oids.SYS_UPTIME_0])
            return (await client.v3_endpoint()).sent

    asyncio.run(one_cycle())
    assert asyncio.run(one_cycle()) == 1


def test_unknown_engine_id_is_rediscovered(snmpd: Snmpd) -> None:
    reply, good, after, sent = _with_clock(snmpd, "engine")
    assert reply.varbinds[0][0] == oids.SYS_UPTIME_0
    assert after.engine_id == good.engine_id
    assert sent == 3  # refused (unknownEngineID report), discovery, the request again


@pytest.mark.parametrize("tamper", ["time", "boots"])
def test_clock_outside_the_time_window_is_resynchronised(snmpd: Snmpd, tamper: str) -> None:
    reply, good, after, sent = _with_clock(snmpd, tamper)
    assert reply.varbinds[0][0] == oids.SYS_UPTIME_0
    assert sent == 2  # refused (authenticated notInTimeWindow report), then accepted
    assert after.boots == good.boots
    assert good.time <= after.time < good.time + 1200


@pytest.mark.parametrize(
    "credentials",
    [
        dataclasses.replace(V3, auth_key="wrong-auth-key"),
        dataclasses.replace(v3_user("sha256-aes"), auth_key="wrong-auth-key"),
        dataclasses.replace(V3, username="nobody-here"),
        dataclasses.replace(
            v3_user("sha256-none"), priv_protocol=PrivProtocol.AES128, priv_key="p" * 8
        ),
    ],
    ids=["auth-key", "sha256-auth-key", "user", "level-above-the-users"],
)
def test_rejected_credentials_are_an_auth_error(snmpd: Snmpd, credentials: Credentials) -> None:
    with pytest.raises(AuthError, match="rejected the credentials"):
        _poll(agent_target(snmpd, credentials, timeout_s=0.5))


# A wrong privacy key (snmpd stays silent) is test_session_wire.py's, which takes this path too;
# garbage and silent v3 agents are test_runner.py's, inside a poll batch.
