"""A small reference-shaped network built through the inventory models, for the lab's tests.

Two backbone PoPs (Rennes, Brest) linked together, a secondary PoP (Vitré) hanging off Rennes,
and a few establishments with CPEs on access links: v2c and v3 (authPriv SHA + AES-128) profiles.
Addresses are loopback addresses in a /16 picked per test process, on a high UDP port.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from decimal import Decimal

from inventory.models import (
    Commune,
    Contract,
    Department,
    Device,
    Establishment,
    Interface,
    Link,
    Operator,
    Pop,
    SNMPProfile,
)

COMMUNITY = "lab-public"
V3_USER = "menhir"
V3_AUTH = "auth-secret-1"
V3_PRIV = "priv-secret-1"


@dataclass(frozen=True)
class SmallNetwork:
    port: int
    prefix: str  # "127.a.b."

    def address(self, host: int) -> str:
        return f"{self.prefix}{host}"


# Lab ports are drawn below the kernel's ephemeral range (32768-60999 here): a UDP client socket
# any process binds on 0.0.0.0:<ephemeral> would make binding 127.x.y.z on that port fail; and
# above the fixed ranges other suites use (26xxx, 27xxx).
LAB_PORTS = range(28_000, 32_700)


def lab_port(rng: random.Random | None = None) -> int:
    """A UDP port for a test's lab agents (with loopback addresses of its own)."""
    return (rng or random.Random()).randrange(LAB_PORTS.start, LAB_PORTS.stop)


def pick_addresses() -> SmallNetwork:
    """A /16-ish corner of 127/8 and a port that no other test process uses."""
    rng = random.Random(os.getpid() * 7919 + random.randrange(1 << 30))
    return SmallNetwork(
        port=lab_port(rng),
        prefix=f"127.{rng.randrange(60, 250)}.{rng.randrange(1, 250)}.",
    )


def build(net: SmallNetwork) -> None:
    """Create the network in the database (call inside a transaction or a db test)."""
    department = Department.objects.create(code="35", name="Ille-et-Vilaine")
    rennes_c = Commune.objects.create(
        insee="35238", name="Rennes", department=department, latitude=48.11, longitude=-1.68
    )
    brest_c = Commune.objects.create(
        insee="29019", name="Brest", department=department, latitude=48.39, longitude=-4.49
    )
    vitre_c = Commune.objects.create(
        insee="35360", name="Vitré", department=department, latitude=48.12, longitude=-1.21
    )
    operator = Operator.objects.create(name="Fibre Ouest", slug="fibre-ouest")
    contract = Contract.objects.create(
        reference="M-2024-01",
        operator=operator,
        title="Lot 1",
        start_date="2024-01-01",
        amount_total_ht=Decimal("100000.00"),
    )
    v2c = SNMPProfile.objects.create(name="v2c", version="v2c", community=COMMUNITY, port=net.port)
    v3 = SNMPProfile.objects.create(
        name="v3",
        version="v3",
        username=V3_USER,
        auth_protocol="sha",
        auth_key=V3_AUTH,
        priv_protocol="aes128",
        priv_key=V3_PRIV,
        port=net.port,
    )
    rennes = Pop.objects.create(name="Rennes", slug="rennes", commune=rennes_c)
    brest = Pop.objects.create(name="Brest", slug="brest", commune=brest_c)
    vitre = Pop.objects.create(
        name="Vitré", slug="vitre", commune=vitre_c, kind="secondary", parent=rennes
    )
    host = iter(range(1, 250))

    def router(name: str, pop: Pop, ports: int) -> Device:
        device = Device.objects.create(
            name=name,
            role="pop_router",
            vendor="Juniper",
            model="MX204",
            pop=pop,
            management_address=net.address(next(host)),
            snmp_profile=v2c,
        )
        for i in range(1, ports + 1):
            Interface.objects.create(
                device=device,
                name=f"xe-0/0/{i}",
                if_index=500 + i,
                type="10gbase-x-sfpp",
                speed_bps=10_000_000_000,
                role="access",
                description=f"{name} port {i}",
            )
        return device

    routers = {
        "rennes": router("pop-rennes-1", rennes, 6),
        "brest": router("pop-brest-1", brest, 4),
        "vitre": router("pop-vitre-1", vitre, 4),
    }
    free = {key: list(dev.interfaces.order_by("if_index")) for key, dev in routers.items()}

    def link(a: Interface, z: Interface, down: int, up: int, establishment=None, role="primary"):
        return Link.objects.create(
            operator=operator,
            circuit_id=f"C-{a.pk}-{z.pk}",
            technology="ftto",
            role=role,
            establishment=establishment,
            a_interface=a,
            z_interface=z,
            committed_down_bps=down,
            committed_up_bps=up,
            contract=contract,
        )

    link(free["rennes"].pop(), free["brest"].pop(), 10**10, 10**10, role="backbone")
    link(free["vitre"].pop(), free["rennes"].pop(), 10**9, 10**9, role="backbone")
    sites = [
        ("0350001A", "Lycée Chateaubriand", "lycee", rennes_c, "rennes", v2c, 100_000_000),
        ("0350002B", "Mairie de Rennes", "local_authority", rennes_c, "rennes", v3, 20_000_000),
        ("0290001C", "CHU de Brest", "health", brest_c, "brest", v2c, 1_000_000_000),
        ("0350003D", "École de Vitré", "ecole", vitre_c, "vitre", v2c, 8_000_000),
    ]
    for code, name, category, commune, pop_key, profile, rate in sites:
        site = Establishment.objects.create(
            code=code, name=name, category=category, commune=commune
        )
        cpe = Device.objects.create(
            name=f"cpe-{code.lower()}",
            role="cpe",
            vendor="Cisco",
            model="ISR1111",
            establishment=site,
            management_address=net.address(next(host)),
            snmp_profile=profile,
        )
        wan = Interface.objects.create(
            device=cpe,
            name="Gi0/0/0",
            if_index=1,
            type="1000base-t",
            speed_bps=10**9,
            role="uplink",
            description="WAN",
        )
        for i, port_name in enumerate(("Gi0/1/0", "Gi0/1/1", "Gi0/1/2"), start=2):
            Interface.objects.create(
                device=cpe,
                name=port_name,
                if_index=i,
                type="1000base-t",
                speed_bps=10**9,
                role="lan",
                enabled=port_name != "Gi0/1/2",
                description="LAN",
            )
        link(wan, free[pop_key].pop(), rate, rate // 2, establishment=site)
