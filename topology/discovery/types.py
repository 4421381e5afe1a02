"""Discovered facts, as plain values whatever the source (SNMP LLDP-MIB or NAPALM)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Neighbour:
    """One LLDP adjacency seen from `local_device`'s port `local_port`."""

    local_device: str
    local_port: str
    remote_system: str  # the neighbour's system name (sysName / LLDP system name)
    remote_port: str  # the neighbour's port id or description, as it names its port
    remote_chassis: str = ""
    source: str = "lldp-snmp"  # lldp-snmp | napalm


def normalise_system_name(name: str) -> str:
    """LLDP system names often carry the domain (`quimper-rtr1.net.example`): keep the host."""
    return name.strip().split(".")[0].lower()
