"""What a device says about itself through NAPALM getters: hostname, interfaces, LLDP neighbours.

Works with any NAPALM driver; vendor routers cannot run here, so the tests use NAPALM's own mock
driver fed with getter outputs shaped exactly as NAPALM documents them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from topology.discovery.types import Neighbour


class NapalmDevice(Protocol):
    """The part of a NAPALM NetworkDriver discovery uses."""

    def get_facts(self) -> dict[str, Any]: ...

    def get_interfaces(self) -> dict[str, dict[str, Any]]: ...

    def get_lldp_neighbors_detail(self, interface: str = "") -> dict[str, list[dict[str, Any]]]: ...


@dataclass(frozen=True)
class DeviceReport:
    device: str  # the inventory's name
    hostname: str  # what the device calls itself
    interfaces: frozenset[str]
    neighbours: tuple[Neighbour, ...]


def napalm_report(device_name: str, driver: NapalmDevice) -> DeviceReport:
    """Read one device through its driver (already opened)."""
    facts = driver.get_facts()
    interfaces = frozenset(driver.get_interfaces())
    neighbours = []
    for local_port, entries in sorted(driver.get_lldp_neighbors_detail().items()):
        for entry in entries:
            port = entry.get("remote_port") or entry.get("remote_port_description") or ""
            neighbours.append(
                Neighbour(
                    local_device=device_name,
                    local_port=local_port,
                    remote_system=str(entry.get("remote_system_name", "")),
                    remote_port=str(port),
                    remote_chassis=str(entry.get("remote_chassis_id", "")),
                    source="napalm",
                )
            )
    return DeviceReport(device_name, str(facts.get("hostname", "")), interfaces, tuple(neighbours))


def open_driver(platform: str, hostname: str, **optional_args: Any) -> Any:
    """Open a NAPALM driver for `platform` (a NAPALM driver name, or `mock` with a `path`)."""
    from napalm import get_network_driver

    driver_class = get_network_driver(platform)
    driver = driver_class(hostname, "", "", optional_args=optional_args)
    driver.open()
    return driver
