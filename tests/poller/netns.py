"""A veth pair whose far end lives in a network namespace the test creates (and removes).

Traffic sent to the far address leaves through the near end in the root namespace, where snmpd
counts it; nothing leaves the machine.
"""

from __future__ import annotations

import ipaddress
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


@dataclass
class VethPair:
    tag: str  # short and unique per test process
    subnet_index: int

    @property
    def namespace(self) -> str:
        return f"menhir-{self.tag}"

    @property
    def near(self) -> str:
        return f"mv{self.tag}a"

    @property
    def far(self) -> str:
        return f"mv{self.tag}b"

    @property
    def subnet(self) -> ipaddress.IPv4Network:
        """A /30 in 198.18.0.0/15 (RFC 2544 benchmarking space), one per subnet_index."""
        base = int(ipaddress.IPv4Address("198.18.0.0"))
        return ipaddress.IPv4Network((base + 4 * self.subnet_index, 30))

    @property
    def near_address(self) -> str:
        return str(self.subnet.network_address + 1)

    @property
    def far_address(self) -> str:
        return str(self.subnet.network_address + 2)

    @property
    def if_index(self) -> int:
        return int(Path(f"/sys/class/net/{self.near}/ifindex").read_text())

    def tx_bytes(self) -> int:
        return int(Path(f"/sys/class/net/{self.near}/statistics/tx_bytes").read_text())

    def create(self) -> VethPair:
        self.remove()
        _refuse_overlap(self.subnet)
        _ip("netns", "add", self.namespace)
        _ip("link", "add", self.near, "type", "veth", "peer", "name", self.far)
        Path(f"/proc/sys/net/ipv6/conf/{self.near}/disable_ipv6").write_text("1")
        _ip("link", "set", self.far, "netns", self.namespace)
        _ip("-n", self.namespace, "link", "set", "lo", "up")
        _ip("-n", self.namespace, "addr", "add", f"{self.far_address}/30", "dev", self.far)
        _ip("-n", self.namespace, "link", "set", self.far, "up")
        _ip("addr", "add", f"{self.near_address}/30", "dev", self.near)
        self.set_up(True)
        return self

    def set_up(self, up: bool) -> None:
        _ip("link", "set", self.near, "up" if up else "down")

    def remove(self) -> None:
        subprocess.run(["ip", "link", "del", self.near], capture_output=True, check=False)
        subprocess.run(["ip", "netns", "del", self.namespace], capture_output=True, check=False)


def _refuse_overlap(subnet: ipaddress.IPv4Network) -> None:
    """Never shadow a network this machine already reaches (its own LAN, its gateway)."""
    routes = subprocess.run(
        ["ip", "-4", "route", "show", "table", "all"], capture_output=True, text=True, check=True
    ).stdout
    for line in routes.splitlines():
        word = line.split()[0] if line.split() else ""
        if word in ("local", "broadcast", "unreachable"):
            word = line.split()[1]
        try:
            network = ipaddress.IPv4Network(word, strict=False)
        except ValueError:
            continue  # "default" and other keywords
        if network.prefixlen > 0 and network.overlaps(subnet) and network != subnet:
            raise RuntimeError(f"{subnet} would overlap the route {line!r}; pick another range")


def unique_tag(n: int) -> str:
    return f"{os.getpid() % 10000}{n}"
