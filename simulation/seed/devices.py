"""Devices and their interfaces: one CPE per site, core and access routers in the PoPs.

Access routers are sized so that every access link ends on one of their ports, with the headroom
a PoP is provisioned with (the 2011 plan brought fibre to every priority site): between 50 and
200 interfaces each. Every PoP has at least two, and its sites alternate between them.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass, field

from inventory.choices import DeviceRole, InterfaceRole, InterfaceType, PopKind, Status
from simulation.seed import addressing
from simulation.seed.access import AccessDesign
from simulation.seed.hardware import (
    ACCESS_MODELS,
    CORE_MODELS,
    Family,
    Serials,
    pick_cpe_model,
)
from simulation.seed.offers import is_large
from simulation.seed.plan import DeviceSpec, InterfaceSpec, PopSpec

V2C, V3 = "reference-v2c", "reference-v3-authpriv"
GIG, TEN_GIG = 1_000_000_000, 10_000_000_000
MIN_ACCESS_ROUTERS = 2
MAX_LINKS_PER_ROUTER = 64
PORT_HEADROOM = 2.5
MAX_CARDS = 4
TEN_GIG_CARD_PORTS = 8

End = tuple[str, str]  # (device name, interface name)


@dataclass
class Inventory:
    devices: list[DeviceSpec] = field(default_factory=list)
    interfaces: list[InterfaceSpec] = field(default_factory=list)
    # (establishment code, "primary" | "backup") → CPE end and PoP end of the access link
    access_ends: dict[tuple[str, str], tuple[End, End]] = field(default_factory=dict)
    core: dict[str, str] = field(default_factory=dict)  # backbone PoP name → core router
    # access router → the uplink port, and the PoP it stands in
    uplinks: list[tuple[End, PopSpec]] = field(default_factory=list)
    families: dict[str, Family] = field(default_factory=dict)  # router → its naming scheme
    _if_counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    _ten_gig_used: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add_interface(
        self,
        device: str,
        name: str,
        kind: str,
        speed: int | None,
        role: str,
        enabled: bool = True,
        description: str = "",
    ) -> None:
        """Add the device's next interface; ifIndex counts from 1 in the order they are added."""
        self._if_counts[device] += 1
        self.interfaces.append(
            InterfaceSpec(
                device, name, self._if_counts[device], kind, speed, role, enabled, description[:200]
            )
        )

    def next_core_port(self, core: str) -> str:
        """The next free 10 Gbit/s port of a core router (ports 0 and 1 face the loop)."""
        n = self._ten_gig_used[core] + 2
        self._ten_gig_used[core] += 1
        return self.families[core].ten_gig(*divmod(n, TEN_GIG_CARD_PORTS))


def cpe_name(code: str) -> str:
    return f"cpe-{code.lower()}"


def build_cpes(
    rng: random.Random, designs: list[AccessDesign], serials: Serials, inv: Inventory
) -> dict[tuple[str, str], End]:
    """One CPE per site (in code order: its address follows the order). Returns the CPE ends."""
    ends: dict[tuple[str, str], End] = {}
    for index, design in enumerate(designs):
        site = design.site.spec
        model = pick_cpe_model(rng, is_large(design.primary))
        name = cpe_name(site.code)
        inv.devices.append(
            DeviceSpec(
                name=name,
                role=DeviceRole.CPE,
                platform=model.platform,
                vendor=model.vendor,
                model=model.model,
                serial=serials.next(model.vendor),
                management_address=addressing.cpe_address(index),
                snmp_profile=V2C,
                status=site.status,
                establishment=site.code,
            )
        )
        fibre = design.primary.technology == "ftto"
        uplink = model.wan if fibre else model.dsl
        inv.add_interface(
            name,
            uplink,
            InterfaceType.SFP_1G if fibre else InterfaceType.XDSL,
            design.primary.port_bps,
            InterfaceRole.UPLINK,
            description=f"WAN {design.primary.technology} to {design.primary_pop.name}",
        )
        ends[(site.code, "primary")] = (name, uplink)
        fixed = 2
        if design.backup is not None and design.backup_pop is not None:
            lte = design.backup.technology == "lte_backup"
            backup = model.lte if lte else model.wan_backup
            inv.add_interface(
                name,
                backup,
                InterfaceType.LTE if lte else InterfaceType.SFP_1G,
                design.backup.port_bps,
                InterfaceRole.BACKUP_UPLINK,
                description=f"Backup WAN to {design.backup_pop.name}",
            )
            ends[(site.code, "backup")] = (name, backup)
            fixed = 3
        lans = model.lan_ports - (fixed - 2 if model.lan_ports + fixed > 8 else 0)
        used = rng.randint(2, lans) if fibre else rng.randint(1, min(3, lans))
        for port in range(lans):
            inv.add_interface(
                name,
                f"{model.lan_prefix}{model.lan_first + port}",
                InterfaceType.ETH_1G,
                GIG,
                InterfaceRole.LAN,
                enabled=port < used,
                description=f"LAN {port + 1}" if port < used else "",
            )
        inv.add_interface(
            name,
            model.loopback,
            InterfaceType.VIRTUAL,
            None,
            InterfaceRole.MANAGEMENT,
            description="Management address",
        )
    return ends


def build_pop_routers(
    rng: random.Random,
    pops: list[PopSpec],
    designs: list[AccessDesign],
    cpe_ends: dict[tuple[str, str], End],
    serials: Serials,
    inv: Inventory,
) -> None:
    """Core routers in the backbone PoPs, access routers wherever access links end."""
    terminations: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for d in designs:
        terminations[d.primary_pop.name].append((d.code, "primary", d.site.spec.name))
        if d.backup_pop is not None:
            terminations[d.backup_pop.name].append((d.code, "backup", d.site.spec.name))
    access_index = 0
    core_index = 0
    for pop in pops:
        if pop.kind == PopKind.BACKBONE:
            family, model = rng.choice(CORE_MODELS)
            name = f"cr1-{pop.slug}"
            downlinks = sum(
                _router_count(len(terminations[p.name]))
                for p in pops
                if p.name == pop.name or p.parent == pop.name
            )
            _core_router(inv, serials, pop, name, family, model, core_index, downlinks)
            inv.core[pop.name] = name
            core_index += 1
        terms = sorted(terminations[pop.name])
        routers = _router_count(len(terms))
        family, model = rng.choice(ACCESS_MODELS)
        for r in range(routers):
            mine = terms[r::routers]
            name = f"ar{r + 1}-{pop.slug}"
            _access_router(inv, serials, pop, name, family, model, access_index, mine, cpe_ends)
            access_index += 1


def _router_count(terminations: int) -> int:
    return max(MIN_ACCESS_ROUTERS, math.ceil(terminations / MAX_LINKS_PER_ROUTER))


def _router(
    inv: Inventory,
    serials: Serials,
    pop: PopSpec,
    name: str,
    role: str,
    family: Family,
    model: str,
    address: str,
) -> None:
    inv.devices.append(
        DeviceSpec(
            name=name,
            role=role,
            platform=family.platform,
            vendor=family.vendor,
            model=model,
            serial=serials.next(family.vendor),
            management_address=address,
            snmp_profile=V3,
            status=Status.ACTIVE,
            pop=pop.name,
        )
    )
    inv.families[name] = family
    inv.add_interface(
        name,
        family.loopback,
        InterfaceType.VIRTUAL,
        None,
        InterfaceRole.MANAGEMENT,
        description="Management address",
    )
    inv.add_interface(
        name,
        family.management,
        InterfaceType.ETH_1G,
        GIG,
        InterfaceRole.MANAGEMENT,
        description="Out-of-band management",
    )


def _core_router(
    inv: Inventory,
    serials: Serials,
    pop: PopSpec,
    name: str,
    family: Family,
    model: str,
    index: int,
    downlinks: int,
) -> None:
    _router(
        inv,
        serials,
        pop,
        name,
        DeviceRole.CORE_ROUTER,
        family,
        model,
        addressing.core_address(index),
    )
    ten_gig = 2 + downlinks + 2  # the loop's two sides, the downlinks, two spare
    cards = math.ceil(ten_gig / TEN_GIG_CARD_PORTS)
    for n in range(cards * TEN_GIG_CARD_PORTS):
        slot, port = divmod(n, TEN_GIG_CARD_PORTS)
        inv.add_interface(
            name,
            family.ten_gig(slot, port),
            InterfaceType.SFP_10G,
            TEN_GIG,
            InterfaceRole.BACKBONE,
            enabled=n < ten_gig - 2,
        )
    for port in range(family.card_ports):  # Internet and streaming hand-offs, spare
        inv.add_interface(
            name,
            family.gig(cards, port),
            InterfaceType.SFP_1G,
            GIG,
            InterfaceRole.ACCESS,
            enabled=False,
        )


def _access_router(
    inv: Inventory,
    serials: Serials,
    pop: PopSpec,
    name: str,
    family: Family,
    model: str,
    index: int,
    terms: list[tuple[str, str, str]],
    cpe_ends: dict[tuple[str, str], End],
) -> None:
    _router(
        inv,
        serials,
        pop,
        name,
        DeviceRole.POP_ROUTER,
        family,
        model,
        addressing.access_address(index),
    )
    for port in range(2):
        inv.add_interface(
            name,
            family.ten_gig(0, port),
            InterfaceType.SFP_10G,
            TEN_GIG,
            InterfaceRole.BACKBONE,
            enabled=port == 0,
            description="Uplink" if port == 0 else "",
        )
    inv.uplinks.append(((name, family.ten_gig(0, 0)), pop))
    min_cards = math.ceil(50 / family.card_ports)
    cards = min(
        MAX_CARDS, max(min_cards, math.ceil(len(terms) * PORT_HEADROOM / family.card_ports))
    )
    if len(terms) > cards * family.card_ports:
        raise ValueError(f"{name}: {len(terms)} access links do not fit its ports")
    for n in range(cards * family.card_ports):
        slot, port = divmod(n, family.card_ports)
        port_name = family.gig(slot + 1, port)
        if n < len(terms):
            code, role, site_name = terms[n]
            inv.add_interface(
                name,
                port_name,
                InterfaceType.SFP_1G,
                GIG,
                InterfaceRole.ACCESS,
                description=f"{code} {site_name} ({role})",
            )
            inv.access_ends[(code, role)] = (cpe_ends[(code, role)], (name, port_name))
        else:
            inv.add_interface(
                name, port_name, InterfaceType.SFP_1G, GIG, InterfaceRole.ACCESS, enabled=False
            )
