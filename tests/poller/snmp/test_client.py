"""The session factory: the SNMPv3 fast path for the protocols it implements, pysnmp otherwise."""

from __future__ import annotations

import asyncio

import pytest

from poller.snmp.client import SnmpClient
from poller.snmp.pysnmp_session import PysnmpSession
from poller.snmp.session import Session
from poller.snmp.udp import V2cSession
from poller.snmp.v3session import V3Session
from poller.types import AuthProtocol, Credentials, PrivProtocol, SnmpVersion, Target

A, P = AuthProtocol, PrivProtocol


def _session(credentials: Credentials, **options: bool) -> Session:
    async def go() -> Session:
        async with SnmpClient(**options) as client:
            return await client.session(Target(1, "d", "127.0.0.1", credentials))

    return asyncio.run(go())


def _v3(auth: AuthProtocol, priv: PrivProtocol) -> Credentials:
    return Credentials(
        version=SnmpVersion.V3,
        username="u",
        auth_protocol=auth,
        auth_key="a" * 8 if auth != A.NONE else "",
        priv_protocol=priv,
        priv_key="p" * 8 if priv != P.NONE else "",
    )


@pytest.mark.parametrize(
    ("auth", "priv", "kind"),
    [
        (A.NONE, P.NONE, V3Session),
        (A.MD5, P.NONE, V3Session),
        (A.SHA, P.AES128, V3Session),
        (A.SHA256, P.AES128, V3Session),
        (A.SHA512, P.AES128, V3Session),
        (A.MD5, P.DES, PysnmpSession),
        (A.SHA, P.AES256, PysnmpSession),
    ],
)
def test_v3_protocols_pick_their_path(auth: AuthProtocol, priv: PrivProtocol, kind: type) -> None:
    assert isinstance(_session(_v3(auth, priv)), kind)


def test_each_fast_path_can_be_turned_off() -> None:
    assert isinstance(_session(_v3(A.SHA, P.AES128), fast_v3=False), PysnmpSession)
    assert isinstance(_session(Credentials(community="c")), V2cSession)
    assert isinstance(_session(Credentials(community="c"), fast_v2c=False), PysnmpSession)
