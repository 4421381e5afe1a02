"""Real agents for the poller's wire tests: Net-SNMP snmpd and snmpsim, one per xdist worker."""

from __future__ import annotations

import itertools
import socket
import time
from collections.abc import Iterator

import pytest

from poller.types import (
    AuthProtocol,
    Credentials,
    InterfaceRef,
    PrivProtocol,
    SnmpVersion,
    Target,
)
from tests.poller.netns import VethPair, unique_tag
from tests.poller.snmpd import COMMUNITY, V3_AUTH_KEY, V3_PRIV_KEY, V3_USER, Snmpd, worker_index
from tests.poller.snmpsim import Snmpsim

NO_HC_COMMUNITY = "menhir-nohc"
NO_HC_VIEW = (
    "view nohc included .1\n"
    "view nohc excluded .1.3.6.1.2.1.31\n"
    f"rocommunity {NO_HC_COMMUNITY} 127.0.0.0/8 -V nohc\n"
)
#: More SNMPv3 users on the test snmpd, one per protocol pair the fast path must speak with it.
V3_USERS = {
    "md5-aes": (AuthProtocol.MD5, PrivProtocol.AES128),
    "sha256-aes": (AuthProtocol.SHA256, PrivProtocol.AES128),
    "sha512-aes": (AuthProtocol.SHA512, PrivProtocol.AES128),
    "sha256-none": (AuthProtocol.SHA256, PrivProtocol.NONE),
}
_NET_SNMP_NAMES = {
    AuthProtocol.MD5: "MD5",
    AuthProtocol.SHA256: "SHA-256",
    AuthProtocol.SHA512: "SHA-512",
    PrivProtocol.AES128: "AES",
}
V3_USERS_CONFIG = "".join(
    f'createUser menhir-{name} {_NET_SNMP_NAMES[auth]} "{V3_AUTH_KEY}"'
    + (f' {_NET_SNMP_NAMES[priv]} "{V3_PRIV_KEY}"\n' if priv != PrivProtocol.NONE else "\n")
    + f"rouser menhir-{name} {'priv' if priv != PrivProtocol.NONE else 'auth'}\n"
    for name, (auth, priv) in V3_USERS.items()
)
V2C = Credentials(community=COMMUNITY)
V3 = Credentials(
    version=SnmpVersion.V3,
    username=V3_USER,
    auth_protocol=AuthProtocol.SHA,
    auth_key=V3_AUTH_KEY,
    priv_protocol=PrivProtocol.AES128,
    priv_key=V3_PRIV_KEY,
)


@pytest.fixture(scope="session")
def snmpd_address() -> tuple[str, int]:
    n = worker_index()
    return f"127.0.0.{50 + n}", 26161 + n


@pytest.fixture(scope="session")
def snmpd(snmpd_address: tuple[str, int]) -> Iterator[Snmpd]:
    agent = Snmpd(
        [snmpd_address[0]], snmpd_address[1], extra_config=NO_HC_VIEW + V3_USERS_CONFIG
    ).start()
    yield agent
    agent.stop()


@pytest.fixture(scope="session")
def snmpsim() -> Iterator[Snmpsim]:
    n = worker_index()
    agent = Snmpsim(f"127.0.0.{90 + n}", 26300 + n).start()
    yield agent
    agent.stop()


def agent_target(
    snmpd: Snmpd,
    credentials: Credentials = V2C,
    *,
    device_id: int = 1,
    interfaces: dict[int, int] | None = None,
    timeout_s: float = 1.0,
    retries: int = 0,
) -> Target:
    """A target on the test snmpd; `interfaces` maps ifIndex -> interface id."""
    refs = {i: InterfaceRef(iid) for i, iid in (interfaces or {}).items()}
    return Target(
        device_id=device_id,
        name=f"dev{device_id}",
        address=snmpd.addresses[0],
        port=snmpd.port,
        credentials=credentials,
        timeout_s=timeout_s,
        retries=retries,
        interfaces=refs,
    )


def v3_user(name: str) -> Credentials:
    """The credentials of one of V3_USERS."""
    auth, priv = V3_USERS[name]
    return Credentials(
        version=SnmpVersion.V3,
        username=f"menhir-{name}",
        auth_protocol=auth,
        auth_key=V3_AUTH_KEY,
        priv_protocol=priv,
        priv_key=V3_PRIV_KEY if priv != PrivProtocol.NONE else "",
    )


CACHE_REFRESH_S = 3.5  # snmpd reloads interface counters at most every 3 s
FRAME_OVERHEAD = 8 + 20 + 14  # UDP, IPv4 and Ethernet headers, as the interface counts them
_veth_numbers = itertools.count()


@pytest.fixture
def veth() -> Iterator[VethPair]:
    """A fresh veth pair (far end in a private namespace) that snmpd already lists."""
    n = next(_veth_numbers)
    pair = VethPair(unique_tag(worker_index() * 100 + n), subnet_index=worker_index() * 8 + n % 8)
    pair.create()
    time.sleep(CACHE_REFRESH_S)
    yield pair
    pair.remove()


def send_through(pair: VethPair, frames: int, payload: int = 1000) -> int:
    """Send `frames` UDP datagrams out of the near end; the octets its counter will add."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for _ in range(frames):
        sock.sendto(b"p" * payload, (pair.far_address, 9))
    sock.close()
    return frames * (payload + FRAME_OVERHEAD)
