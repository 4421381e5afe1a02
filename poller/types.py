"""What the poller works on and what it returns: plain frozen values, no Django.

A target is everything needed to poll one device (address, credentials, the interfaces the
inventory knows); an outcome is what one poll of it produced, or the error that stopped it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from common.snmp_protocols import AuthProtocol as AuthProtocol  # one definition, re-exported
from common.snmp_protocols import PrivProtocol as PrivProtocol
from metrics.types import DeviceSample, InterfaceSample, StatusEvent


class SnmpVersion(StrEnum):
    V2C = "v2c"
    V3 = "v3"


@dataclass(frozen=True, slots=True)
class Credentials:
    """SNMP credentials: a community for v2c, a USM user (authPriv or less) for v3."""

    version: SnmpVersion = SnmpVersion.V2C
    community: str = ""
    username: str = ""
    auth_protocol: AuthProtocol = AuthProtocol.NONE
    auth_key: str = field(default="", repr=False)
    priv_protocol: PrivProtocol = PrivProtocol.NONE
    priv_key: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        if self.version == SnmpVersion.V2C and not self.community:
            raise ValueError("SNMPv2c credentials need a community")
        if self.version == SnmpVersion.V3:
            if not self.username:
                raise ValueError("SNMPv3 credentials need a user name")
            if self.auth_protocol != AuthProtocol.NONE and len(self.auth_key) < 8:
                raise ValueError("an SNMPv3 authentication key has at least 8 characters")
            if self.priv_protocol != PrivProtocol.NONE:
                if self.auth_protocol == AuthProtocol.NONE:
                    raise ValueError("SNMPv3 privacy needs authentication (authPriv)")
                if len(self.priv_key) < 8:
                    raise ValueError("an SNMPv3 privacy key has at least 8 characters")


@dataclass(frozen=True, slots=True)
class InterfaceRef:
    """An interface the inventory knows on a device: its id and nominal speed."""

    interface_id: int
    speed_bps: int | None = None


@dataclass(frozen=True, slots=True)
class Target:
    """One device to poll. `interfaces` maps ifIndex to the inventory interface."""

    device_id: int
    name: str
    address: str
    credentials: Credentials
    port: int = 161
    timeout_s: float = 2.0
    retries: int = 1
    interfaces: dict[int, InterfaceRef] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 0 < self.port < 65536:
            raise ValueError(f"{self.name}: port {self.port} is not a UDP port")
        if self.timeout_s <= 0:
            raise ValueError(f"{self.name}: the timeout must be positive")
        if self.retries < 0:
            raise ValueError(f"{self.name}: retries cannot be negative")

    def __hash__(self) -> int:
        return hash((self.device_id, self.address, self.port))


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of polling one target: samples and events, or the error that stopped it.

    A failed poll still carries a DeviceSample (reachable=False) and possibly an
    unreachable event, so the store records the gap.
    """

    target: Target
    ok: bool
    device: DeviceSample
    interfaces: tuple[InterfaceSample, ...] = ()
    events: tuple[StatusEvent, ...] = ()
    error: str | None = None
