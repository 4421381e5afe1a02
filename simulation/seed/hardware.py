"""Device models of the reference network and how each vendor names its ports.

Platforms are NAPALM driver names (ios, iosxr, junos, huawei_vrp).
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass

from inventory.choices import Platform


@dataclass(frozen=True)
class Family:
    """A vendor's naming scheme, for CPEs and for PoP routers alike."""

    vendor: str
    platform: str
    loopback: str
    management: str  # out-of-band management port of a PoP router
    card_ports: int  # 1 Gbit/s ports per line card of a PoP router

    def gig(self, slot: int, port: int) -> str:
        """A 1 Gbit/s port of line card `slot` of a PoP router."""
        if self.platform == Platform.IOSXR:
            return f"GigabitEthernet0/{slot}/0/{port}"
        if self.platform == Platform.JUNOS:
            return f"ge-{slot}/{port // 10}/{port % 10}"
        return f"GigabitEthernet{slot}/0/{port}"

    def ten_gig(self, slot: int, port: int) -> str:
        if self.platform == Platform.IOSXR:
            return f"TenGigE0/{slot}/0/{port}"
        if self.platform == Platform.JUNOS:
            return f"xe-{slot}/0/{port}"
        return f"XGigabitEthernet{slot}/0/{port}"


CISCO_XR = Family("Cisco", Platform.IOSXR, "Loopback0", "MgmtEth0/RSP0/CPU0/0", 40)
JUNIPER = Family("Juniper", Platform.JUNOS, "lo0", "fxp0", 40)
HUAWEI = Family("Huawei", Platform.HUAWEI_VRP, "LoopBack0", "GigabitEthernet0/0/0", 48)

CORE_MODELS = ((CISCO_XR, "ASR 9006"), (JUNIPER, "MX480"))
ACCESS_MODELS = ((HUAWEI, "NE40E-X8A"), (CISCO_XR, "ASR 9010"), (JUNIPER, "MX480"))


@dataclass(frozen=True)
class CpeModel:
    vendor: str
    platform: str
    model: str
    wan: str
    wan_backup: str
    dsl: str
    lte: str
    lan_prefix: str  # followed by the LAN port number
    lan_first: int
    loopback: str
    lan_ports: int  # LAN ports the model has (all listed, the unused ones shut)


CPE_MODELS = {
    "cisco_small": CpeModel(
        "Cisco",
        Platform.IOS,
        "C1111-4P",
        "GigabitEthernet0/0/0",
        "GigabitEthernet0/0/1",
        "Ethernet0/3/0",
        "Cellular0/2/0",
        "GigabitEthernet0/1/",
        0,
        "Loopback0",
        4,
    ),
    "cisco_large": CpeModel(
        "Cisco",
        Platform.IOS,
        "ISR4331",
        "GigabitEthernet0/0/0",
        "GigabitEthernet0/0/1",
        "Ethernet0/3/0",
        "Cellular0/2/0",
        "GigabitEthernet0/1/",
        0,
        "Loopback0",
        6,
    ),
    "juniper_small": CpeModel(
        "Juniper",
        Platform.JUNOS,
        "SRX300",
        "ge-0/0/0",
        "ge-0/0/1",
        "pt-1/0/0",
        "cl-1/0/0",
        "ge-0/0/",
        2,
        "lo0",
        4,
    ),
    "juniper_large": CpeModel(
        "Juniper",
        Platform.JUNOS,
        "SRX380",
        "ge-0/0/0",
        "ge-0/0/1",
        "pt-1/0/0",
        "cl-1/0/0",
        "ge-0/0/",
        2,
        "lo0",
        6,
    ),
    "huawei_small": CpeModel(
        "Huawei",
        Platform.HUAWEI_VRP,
        "AR161",
        "GigabitEthernet0/0/0",
        "GigabitEthernet0/0/1",
        "Atm0/0/0",
        "Cellular0/0/0",
        "Ethernet0/0/",
        0,
        "LoopBack0",
        4,
    ),
    "huawei_large": CpeModel(
        "Huawei",
        Platform.HUAWEI_VRP,
        "AR651",
        "GigabitEthernet0/0/0",
        "GigabitEthernet0/0/1",
        "Atm0/0/0",
        "Cellular0/0/0",
        "GigabitEthernet0/0/",
        2,
        "LoopBack0",
        6,
    ),
}
CPE_VENDORS = ("cisco", "huawei", "juniper")
CPE_VENDOR_WEIGHTS = (5, 3, 2)


def pick_cpe_model(rng: random.Random, large: bool) -> CpeModel:
    vendor = rng.choices(CPE_VENDORS, weights=CPE_VENDOR_WEIGHTS)[0]
    return CPE_MODELS[f"{vendor}_{'large' if large else 'small'}"]


class Serials:
    """Unique serial numbers in each vendor's format."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def next(self, vendor: str) -> str:
        while True:
            serial = self._draw(vendor)
            if serial not in self.used:
                self.used.add(serial)
                return serial

    def _draw(self, vendor: str) -> str:
        r = self.rng
        alnum = string.ascii_uppercase + string.digits
        if vendor == "Cisco":
            return f"FGL{r.randint(2000, 2599)}{''.join(r.choices(alnum, k=4))}"
        if vendor == "Juniper":
            return f"{r.choice(('CV', 'CW', 'JN'))}{r.randint(10**9, 10**10 - 1)}"
        return f"2102{r.randint(10**15, 10**16 - 1)}"
