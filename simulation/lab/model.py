"""The lab's view of the network: plain frozen values built from the inventory (no Django)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SnmpCredentials:
    """What a manager must present: a v2c community, or a v3 user with its protocols and keys."""

    version: str  # "v2c" or "v3"
    community: str = ""
    username: str = ""
    auth_protocol: str = "none"  # none, md5, sha, sha256, sha512
    auth_key: str = ""
    priv_protocol: str = "none"  # none, aes128 (others are not served: see docs/lab.md)
    priv_key: str = ""


@dataclass(frozen=True, slots=True)
class Neighbour:
    """The far end of a link, as LLDP on this interface reports it."""

    device_name: str
    chassis_mac: bytes
    port_name: str
    port_description: str
    system_description: str


@dataclass(frozen=True, slots=True)
class Traffic:
    """How much an interface carries: bounded by the link's committed rates (bit/s)."""

    in_limit_bps: int
    out_limit_bps: int
    category: str  # an establishment category, "backbone" or "lan": picks volume and curve


@dataclass(frozen=True, slots=True)
class LabInterface:
    if_index: int
    name: str
    description: str
    if_type: int  # IANAifType
    speed_bps: int
    enabled: bool
    traffic: Traffic
    link_id: int | None = None
    neighbour: Neighbour | None = None


@dataclass(frozen=True, slots=True)
class LabDevice:
    name: str
    address: str
    port: int
    credentials: SnmpCredentials
    sys_descr: str
    sys_object_id: tuple[int, ...]
    sys_location: str
    chassis_mac: bytes
    interfaces: tuple[LabInterface, ...]
    establishment_code: str = ""
    pop_name: str = ""  # the PoP a PoP or core router stands in
    base_rtt_ms: float = 0.5  # the round trip its TWAMP-Light reflector simulates (its link's)


@dataclass(frozen=True, slots=True)
class LabLink:
    """A link between two interfaces; an end whose device has no agent has an empty name."""

    id: int
    a_device: str
    a_if_index: int | None
    z_device: str
    z_if_index: int | None


@dataclass(frozen=True, slots=True)
class LabPop:
    name: str
    slug: str
    parent: str = ""  # the backbone PoP a secondary PoP hangs off


@dataclass(frozen=True, slots=True)
class LabNetwork:
    devices: tuple[LabDevice, ...]
    links: tuple[LabLink, ...] = ()
    pops: tuple[LabPop, ...] = ()
