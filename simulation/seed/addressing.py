"""The management address plan: one loopback address per device, all inside 127.0.0.0/8.

    127.0.0.0/16   left alone (127.0.0.1 and the machine's own services)
    127.1.0.0/24   core routers of the backbone PoPs      127.1.0.1 …
    127.1.1.0/24   access routers of all PoPs             127.1.1.1 …
    127.2.0.0/16   CPEs, in establishment-code order      127.2.0.1 … 127.2.0.254, 127.2.1.1 …

Host numbers run from .1 to .254 in every /24, so no address ends in .0 or .255.

With `menhir inventory seed --scale N`, region r (1 … N) has its core routers in 127.1.(2r-2).0/24
and its access routers in 127.1.(2r-1).0/24 (region 1: the blocks above), and its CPEs follow the
previous regions' in 127.2.0.0/16.
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


def _index(block: ipaddress.IPv4Network, address: str) -> int:
    """The inverse of nth_address."""
    subnet, host = divmod(int(ipaddress.IPv4Address(address)) - int(block.network_address), 256)
    return subnet * HOSTS_PER_24 + host - 1


def regional_address(address: str, region: int, cpe_offset: int) -> str:
    """Region `region`'s address for a device at `address` in the reference (region 1) plan;
    `cpe_offset` counts the CPEs of the regions before it."""
    ip = ipaddress.IPv4Address(address)
    if ip in CORE_BLOCK or ip in ACCESS_BLOCK:
        block = CORE_BLOCK if ip in CORE_BLOCK else ACCESS_BLOCK
        third = 2 * (region - 1) + (block is ACCESS_BLOCK)
        if third > 255:
            raise AddressPlanFull(f"no router block for region {region}")
        regional = ipaddress.IPv4Network(f"127.1.{third}.0/24")
        return nth_address(regional, _index(block, address))
    if ip in CPE_BLOCK:
        return cpe_address(cpe_offset + _index(CPE_BLOCK, address))
    raise AddressPlanFull(f"{address} is outside the address plan")


def core_address(index: int) -> str:
    return nth_address(CORE_BLOCK, index)


def access_address(index: int) -> str:
    return nth_address(ACCESS_BLOCK, index)


def cpe_address(index: int) -> str:
    return nth_address(CPE_BLOCK, index)
