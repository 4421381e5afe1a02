"""The management address plan: one loopback address per device, all inside 127.0.0.0/8.

    127.0.0.0/16   left alone (127.0.0.1 and the machine's own services)
    127.1.0.0/24   core routers of the backbone PoPs      127.1.0.1 …
    127.1.1.0/24   access routers of all PoPs             127.1.1.1 …
    127.2.0.0/16   CPEs, in establishment-code order      127.2.0.1 … 127.2.0.254, 127.2.1.1 …

Host numbers run from .1 to .254 in every /24, so no address ends in .0 or .255.
"""

from __future__ import annotations

import ipaddress

CORE_BLOCK = ipaddress.IPv4Network("127.1.0.0/24")
ACCESS_BLOCK = ipaddress.IPv4Network("127.1.1.0/24")
CPE_BLOCK = ipaddress.IPv4Network("127.2.0.0/16")
HOSTS_PER_24 = 254


class AddressPlanFull(ValueError):
    """More devices than a block of the plan holds."""


def nth_address(block: ipaddress.IPv4Network, index: int) -> str:
    """The index-th (from 0) usable host address of `block`, skipping .0 and .255."""
    subnet, host = divmod(index, HOSTS_PER_24)
    offset = subnet * 256 + host + 1
    if index < 0 or offset >= block.num_addresses:
        raise AddressPlanFull(f"{block} has no address number {index}")
    return str(block.network_address + offset)


def core_address(index: int) -> str:
    return nth_address(CORE_BLOCK, index)


def access_address(index: int) -> str:
    return nth_address(ACCESS_BLOCK, index)


def cpe_address(index: int) -> str:
    return nth_address(CPE_BLOCK, index)
