"""The links: each site's access links (its subscriptions), the backbone loop, the spurs to the
secondary PoPs and the cross-connects inside the backbone PoPs."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from inventory.choices import LinkRole, PopKind, Status
from simulation.seed.access import AccessDesign
from simulation.seed.catalogue import (
    BACKBONE_OP,
    BACKBONE_RING,
    BACKBONE_SPUR,
    CONTRACT_START,
    CONTRACTS,
    CROSS_CONNECT,
    Offer,
)
from simulation.seed.devices import Inventory
from simulation.seed.plan import LinkSpec, PopSpec

PARIS = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")
# Fixed, so that a seed always gives the same network: the "recent" starts are mid-month in the
# three months before it.
REFERENCE_MONTH = date(2026, 11, 1)
RECENT_SHARE = 0.04
CIRCUIT_PREFIX = {
    "ftto": "ART-FO",
    "sdsl": "ART-SD",
    "adsl": "ART-AD",
    "lte_backup": "KM-4G",
}
DIVERSE_PREFIX = "IRF"
OPERATOR_OF = {reference: operator for reference, operator, _, _ in CONTRACTS}


class Circuits:
    """Circuit ids per prefix, in increasing, irregular order (like an operator's numbering)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.last: dict[str, int] = {}

    def next(self, prefix: str) -> str:
        last = self.last.get(prefix) or self.rng.randint(100_000, 400_000)
        self.last[prefix] = last + self.rng.randint(1, 7)
        return f"{prefix}-{self.last[prefix]:07d}"


def _local(day: date, hour: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS).astimezone(UTC)


def _start(rng: random.Random, first: date, last: date) -> datetime:
    if rng.random() < RECENT_SHARE:
        month = REFERENCE_MONTH
        for _ in range(rng.randint(1, 3)):
            month = (month - timedelta(days=1)).replace(day=1)
        return _local(month.replace(day=rng.randint(8, 22)), hour=rng.choice((9, 10, 14, 15)))
    return _local(first + timedelta(days=rng.randint(0, (last - first).days)))


def access_links(
    rng: random.Random, designs: list[AccessDesign], inv: Inventory, circuits: Circuits
) -> list[LinkSpec]:
    links = []
    ducts: dict[str, int] = {}

    def duct(pop: PopSpec) -> str:
        ducts[pop.name] = ducts.get(pop.name, 0) + 1
        return f"{pop.slug.upper()}-D{ducts[pop.name]:04d}"

    for d in designs:
        site = d.site.spec
        planned = site.status == Status.PLANNED
        cpe_end, pop_end = inv.access_ends[(d.code, "primary")]
        primary_duct = duct(d.primary_pop) if d.primary.technology == "ftto" else ""
        links.append(
            _link(
                d.primary,
                circuits.next(CIRCUIT_PREFIX[d.primary.technology]),
                LinkRole.PRIMARY,
                site.code,
                cpe_end,
                pop_end,
                primary_duct,
                site.status,
                None if planned else _start(rng, date(2021, 9, 1), date(2023, 6, 30)),
            )
        )
        if d.backup is None or d.backup_pop is None:
            continue
        cpe_end, pop_end = inv.access_ends[(d.code, "backup")]
        lte = d.backup.technology == "lte_backup"
        backup_duct = (
            "" if lte else primary_duct if d.finding == "same_duct" else duct(d.backup_pop)
        )
        prefix = CIRCUIT_PREFIX["lte_backup"] if lte else DIVERSE_PREFIX
        links.append(
            _link(
                d.backup,
                circuits.next(prefix),
                LinkRole.BACKUP,
                site.code,
                cpe_end,
                pop_end,
                backup_duct,
                site.status,
                _start(rng, date(2022, 1, 1), date(2024, 6, 30)),
            )
        )
    return links


def backbone_links(pops: list[PopSpec], inv: Inventory) -> list[LinkSpec]:
    """The loop in order (back to Rennes), a spur per secondary access router to its parent's core
    router, and a cross-connect per access router of a backbone PoP to its core router."""
    links = []
    start = _local(CONTRACT_START)
    ring = [p for p in pops if p.kind == PopKind.BACKBONE]
    for i, pop in enumerate(ring):
        nxt = ring[(i + 1) % len(ring)]
        a, z = inv.core[pop.name], inv.core[nxt.name]
        circuit = f"OCE-BB-{pop.slug.upper()}-{nxt.slug.upper()}"
        links.append(
            _link(
                BACKBONE_RING,
                circuit,
                LinkRole.BACKBONE,
                None,
                (a, inv.families[a].ten_gig(0, 0)),
                (z, inv.families[z].ten_gig(0, 1)),
                f"BB-{pop.slug.upper()}-{nxt.slug.upper()}",
                Status.ACTIVE,
                start,
            )
        )
    by_name = {p.name: p for p in pops}
    cross_connects: dict[str, int] = {}
    for uplink, pop in inv.uplinks:
        if pop.kind == PopKind.BACKBONE:
            core = inv.core[pop.name]
            cross_connects[pop.name] = cross_connects.get(pop.name, 0) + 1
            circuit = f"OCE-XC-{pop.slug.upper()}-{cross_connects[pop.name]:02d}"
            offer, duct = CROSS_CONNECT, ""
        else:
            parent = by_name[pop.parent or ""]
            core = inv.core[parent.name]
            circuit = f"OCE-BB-{parent.slug.upper()}-{uplink[0].upper()}"
            offer, duct = BACKBONE_SPUR, f"BB-{parent.slug.upper()}-{pop.slug.upper()}"
        links.append(
            _link(
                offer,
                circuit,
                LinkRole.BACKBONE,
                None,
                uplink,
                (core, inv.next_core_port(core)),
                duct,
                Status.ACTIVE,
                start,
            )
        )
    return links


def _link(
    offer: Offer,
    circuit: str,
    role: str,
    establishment: str | None,
    a_end: tuple[str, str],
    z_end: tuple[str, str],
    duct: str,
    status: str,
    start: datetime | None,
) -> LinkSpec:
    return LinkSpec(
        operator=OPERATOR_OF.get(offer.contract, BACKBONE_OP),
        circuit_id=circuit,
        technology=offer.technology,
        role=role,
        status=status,
        establishment=establishment,
        a_end=a_end,
        z_end=z_end,
        committed_down_bps=offer.down_bps,
        committed_up_bps=offer.up_bps,
        port_speed_bps=offer.port_bps,
        contract=offer.contract,
        service_class=offer.service_class,
        monthly_fee_ht=offer.fee,
        service_start=start,
        duct=duct,
    )
