"""Build the whole reference network in memory, deterministically from a seed."""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

from inventory.seed import catalogue
from inventory.seed.access import design_access
from inventory.seed.contacts import generate_contacts
from inventory.seed.devices import Inventory, build_cpes, build_pop_routers
from inventory.seed.establishments import generate_establishments
from inventory.seed.geography import Geography, load_geography
from inventory.seed.hardware import Serials
from inventory.seed.links import Circuits, access_links, backbone_links
from inventory.seed.plan import Findings, NetworkPlan
from inventory.seed.pops import generate_pops
from inventory.seed.snmp import snmp_profiles


def build_plan(seed: int, geography: Geography | None = None) -> NetworkPlan:
    """The reference network for `seed`: the same seed always gives the same plan."""
    geo = geography or load_geography()
    rng = random.Random(seed)
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
    fees: dict[str, Decimal] = defaultdict(Decimal)
    for link in plan.links:
        fees[link.contract] += link.monthly_fee_ht
    plan.operators = catalogue.operators()
    plan.contracts = catalogue.contracts(fees)
    plan.service_classes = list(catalogue.SERVICE_CLASSES)
    plan.contacts = generate_contacts(rng, generated.sites, plan.operators)
    plan.snmp_profiles = snmp_profiles(seed)
    plan.findings = Findings(
        dual_homed=tuple(d.code for d in designs if d.backup is not None),
        backup_same_pop=tuple(d.code for d in designs if d.finding == "same_pop"),
        backup_same_duct=tuple(d.code for d in designs if d.finding == "same_duct"),
    )
    return plan
