"""Build the whole reference network in memory, deterministically from a seed."""

from __future__ import annotations

import dataclasses
import random
from collections import defaultdict
from decimal import Decimal

from simulation.seed import catalogue
from simulation.seed.access import design_access
from simulation.seed.contacts import generate_contacts
from simulation.seed.devices import Inventory, build_cpes, build_pop_routers
from simulation.seed.establishments import generate_establishments
from simulation.seed.federation import MAX_SCALE, add_region
from simulation.seed.geography import Geography, load_geography
from simulation.seed.hardware import Serials
from simulation.seed.links import Circuits, access_links, backbone_links
from simulation.seed.plan import ContractSpec, Findings, LinkSpec, NetworkPlan
from simulation.seed.pops import generate_pops
from simulation.seed.snmp import snmp_profiles


def build_plan(seed: int, geography: Geography | None = None, scale: int = 1) -> NetworkPlan:
    """The reference network for `seed`: the same seed always gives the same plan. With `scale`
    N > 1, a federation of N regions of that shape (`federation.py`); region 1 is scale 1's plan."""
    if not 1 <= scale <= MAX_SCALE:
        raise ValueError(f"the scale runs from 1 to {MAX_SCALE}, not {scale}")
    geo = geography or load_geography()
    plan = _region_plan(seed, random.Random(seed), geo)
    if scale > 1:
        region = dataclasses.replace(plan)  # a snapshot of region 1's lists
        for number in range(2, scale + 1):
            add_region(plan, region, number)
        plan.contracts = _contracts(plan.links)
    return plan


def _contracts(links: list[LinkSpec]) -> list[ContractSpec]:
    fees: dict[str, Decimal] = defaultdict(Decimal)
    for link in links:
        fees[link.contract] += link.monthly_fee_ht
    return catalogue.contracts(fees)


def _region_plan(seed: int, rng: random.Random, geo: Geography) -> NetworkPlan:
    plan = NetworkPlan(seed=seed, departments=list(geo.departments), communes=list(geo.communes))
    plan.pops = generate_pops(rng, geo)
    generated = generate_establishments(rng, geo)
    plan.tenants = generated.tenants
    designs = design_access(rng, generated.sites, plan.pops)
    plan.establishments = [d.site.spec for d in designs]
    serials, inv = Serials(rng), Inventory()
    cpe_ends = build_cpes(rng, designs, serials, inv)
    build_pop_routers(rng, plan.pops, designs, cpe_ends, serials, inv)
    plan.devices, plan.interfaces = inv.devices, inv.interfaces
    circuits = Circuits(rng)
    plan.links = access_links(rng, designs, inv, circuits) + backbone_links(plan.pops, inv)
    plan.operators = catalogue.operators()
    plan.contracts = _contracts(plan.links)
    plan.service_classes = list(catalogue.SERVICE_CLASSES)
    plan.contacts = generate_contacts(rng, generated.sites, plan.operators)
    plan.snmp_profiles = snmp_profiles(seed)
    plan.findings = Findings(
        dual_homed=tuple(d.code for d in designs if d.backup is not None),
        backup_same_pop=tuple(d.code for d in designs if d.finding == "same_pop"),
        backup_same_duct=tuple(d.code for d in designs if d.finding == "same_duct"),
    )
    return plan
