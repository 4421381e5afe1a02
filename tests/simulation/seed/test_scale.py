"""`menhir inventory seed --scale N`: N regions of the reference network's shape.

Scale 1 must stay the reference network byte for byte; scale 2 doubles every count, keeps every
natural key and management address unique, and every site still reaches the backbone core.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections import Counter
from collections.abc import Hashable, Iterator, Sequence

import pytest
from typer.testing import CliRunner

from core.models import ObjectChange
from inventory import models as m
from menhir.cli import app
from simulation.seed import SeedSummary, build_plan, seed_reference_network
from simulation.seed.addressing import AddressPlanFull, regional_address
from simulation.seed.federation import MAX_SCALE
from simulation.seed.plan import PLAN_SECTIONS, NetworkPlan
from topology.analysis import Network, baseline_isolated
from topology.graph import DeviceRow, LinkRow, PopRow, SiteRow, build_graph

# sha256 over the repr of every spec of build_plan(1), section by section, then the findings:
# the reference network as it was before --scale existed. A deliberate change to the generator
# updates it (print `_digest(build_plan(1))`); an accidental one fails here. Updated when the
# service classes gained their R15 quality targets (issue 19).
REFERENCE_DIGEST = "b9d46bc6d094677404fe03450de8598ec2ce7fe2029f7d15fa5a573f88da3c24"
SHARED = ("departments", "communes", "operators", "contracts", "service_classes", "snmp_profiles")

pytestmark = pytest.mark.xdist_group("reference-network")


def _digest(plan: NetworkPlan) -> str:
    h = hashlib.sha256()
    for section in PLAN_SECTIONS:
        for spec in getattr(plan, section):
            h.update(repr(spec).encode())
    h.update(repr(plan.findings).encode())
    return h.hexdigest()


@pytest.fixture(scope="module")
def one() -> NetworkPlan:
    return build_plan(1)


@pytest.fixture(scope="module")
def two() -> NetworkPlan:
    return build_plan(1, scale=2)


def test_scale_one_is_the_reference_network_unchanged(one: NetworkPlan) -> None:
    assert _digest(one) == REFERENCE_DIGEST
    assert build_plan(1, scale=1) == one


def test_scale_two_is_deterministic(two: NetworkPlan) -> None:
    assert _digest(build_plan(1, scale=2)) == _digest(two)


def test_scale_two_doubles_every_count(one: NetworkPlan, two: NetworkPlan) -> None:
    for section in PLAN_SECTIONS:
        expected = len(getattr(one, section))
        if section == "contacts":  # the operators' NOCs appear once
            expected = 2 * expected - len(one.operators)
        elif section not in SHARED:
            expected *= 2
        assert len(getattr(two, section)) == expected, section
    assert len(two.establishments) == 4052
    assert len(two.findings.dual_homed) == 2 * len(one.findings.dual_homed)
    assert len(two.findings.backup_same_pop) == 2 * len(one.findings.backup_same_pop)


def test_region_one_of_scale_two_is_the_reference_network(
    one: NetworkPlan, two: NetworkPlan
) -> None:
    for section in set(PLAN_SECTIONS) - set(SHARED):
        assert getattr(two, section)[: len(getattr(one, section))] == getattr(one, section)
    # The contracts are sized on what the whole federation buys.
    assert [c.reference for c in two.contracts] == [c.reference for c in one.contracts]
    assert all(
        b.amount_total_ht > a.amount_total_ht
        for a, b in zip(one.contracts, two.contracts, strict=True)
    )


def _unique(values: Sequence[Hashable]) -> None:
    repeated = [v for v, n in Counter(values).items() if n > 1]
    assert not repeated, repeated[:5]


def test_scale_two_keys_and_addresses_are_unique(two: NetworkPlan) -> None:
    _unique([e.code for e in two.establishments])
    _unique([t.name for t in two.tenants])
    _unique([t.slug for t in two.tenants])
    _unique([p.name for p in two.pops])
    _unique([p.slug for p in two.pops])
    _unique([d.name for d in two.devices])
    _unique([(i.device, i.name) for i in two.interfaces])
    _unique([(i.device, i.if_index) for i in two.interfaces])
    _unique([(link.operator, link.circuit_id) for link in two.links])
    _unique([(c.establishment, c.operator, c.name, c.role) for c in two.contacts])
    addresses = [d.management_address for d in two.devices]
    _unique(addresses)
    for address in addresses:
        ip = ipaddress.IPv4Address(address)
        assert ip in ipaddress.IPv4Network("127.0.0.0/8")
        assert ip not in ipaddress.IPv4Network("127.0.0.0/16")
        assert address.split(".")[-1] not in ("0", "255")
    assert all(len(e.code) <= 20 for e in two.establishments)
    assert all(len(i.description) <= 200 for i in two.interfaces)


def test_scale_two_references_resolve_within_the_plan(two: NetworkPlan) -> None:
    codes = {e.code for e in two.establishments}
    pops = {p.name for p in two.pops}
    devices = {d.name for d in two.devices}
    ports = {(i.device, i.name) for i in two.interfaces}
    assert {e.tenant for e in two.establishments} <= {t.name for t in two.tenants} | {None}
    assert {p.parent for p in two.pops} <= pops | {None}
    assert {d.establishment for d in two.devices} <= codes | {None}
    assert {d.pop for d in two.devices} <= pops | {None}
    assert {i.device for i in two.interfaces} <= devices
    assert {link.a_end for link in two.links} | {link.z_end for link in two.links} <= ports
    assert {link.establishment for link in two.links} <= codes | {None}
    assert {c.establishment for c in two.contacts} <= codes | {None}
    # Region 2's router ports name region 2's sites.
    described = [i.description for i in two.interfaces if i.description.endswith("(primary)")]
    assert sum(d.split(" ", 1)[0].endswith("-R2") for d in described) == len(described) // 2


def _graph_of(plan: NetworkPlan) -> Network:
    pop_ids = {p.name: n for n, p in enumerate(plan.pops, 1)}
    site_ids = {e.code: n for n, e in enumerate(plan.establishments, 1)}
    device_ids = {d.name: n for n, d in enumerate(plan.devices, 1)}
    pops = [PopRow(pop_ids[p.name], p.name, p.kind, pop_ids.get(p.parent or "")) for p in plan.pops]
    sites = [SiteRow(site_ids[e.code], e.code, e.name) for e in plan.establishments]
    devices = [
        DeviceRow(
            device_ids[d.name],
            d.name,
            d.role,
            pop_ids.get(d.pop or ""),
            site_ids.get(d.establishment or ""),
        )
        for d in plan.devices
    ]
    links = [
        LinkRow(n, device_ids[link.a_end[0]], device_ids[link.z_end[0]], link.role)
        for n, link in enumerate(plan.links, 1)
    ]
    return Network(build_graph(pops, devices, sites, links))


def test_every_site_of_scale_two_reaches_the_backbone(two: NetworkPlan) -> None:
    net = _graph_of(two)
    assert len(net.sites) == 4052
    assert baseline_isolated(net) == frozenset()


def test_scale_is_bounded_by_the_address_plan() -> None:
    with pytest.raises(ValueError, match="scale"):
        build_plan(1, scale=0)
    with pytest.raises(ValueError, match="scale"):
        build_plan(1, scale=MAX_SCALE + 1)
    # The last region's blocks exist: routers in 127.1.62-63, CPEs up to the CPE block's end.
    assert regional_address("127.1.0.7", MAX_SCALE, 0) == "127.1.62.7"
    assert regional_address("127.1.1.1", MAX_SCALE, 0) == "127.1.63.1"
    assert regional_address("127.2.7.249", MAX_SCALE, (MAX_SCALE - 1) * 2026).startswith("127.2.")
    with pytest.raises(AddressPlanFull):
        regional_address("127.2.7.249", 33, 32 * 2026)


def test_the_command_refuses_a_scale_outside_the_address_plan() -> None:
    runner = CliRunner()
    for scale in ("0", str(MAX_SCALE + 1)):
        result = runner.invoke(app, ["inventory", "seed", "--scale", scale])
        assert result.exit_code == 2, result.output  # refused before Django starts
        assert "--scale" in result.output


# --- in the database ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded_twice(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> Iterator[SeedSummary]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        summary = seed_reference_network(seed=1, scale=2)
    yield summary
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        m.Pop.objects.update(parent=None)
        for model in (
            m.Link,
            m.Interface,
            m.Device,
            m.Contact,
            m.Establishment,
            m.Tenant,
            m.Pop,
            m.SNMPProfile,
            m.ServiceClass,
            m.Contract,
            m.Operator,
            m.Commune,
            m.Department,
        ):
            query = model.objects.all()
            query._raw_delete(query.db)
        ObjectChange.objects.filter(source="seed").delete()


def test_scale_two_is_written_whole_and_a_rerun_writes_nothing(
    seeded_twice: SeedSummary, two: NetworkPlan, db: None
) -> None:
    assert seeded_twice.created == two.counts()
    assert m.Interface.objects.count() == len(two.interfaces)
    assert m.Establishment.objects.filter(code__endswith="-R2").count() == 2026
    assert not seed_reference_network(seed=1, scale=2).changed
    # Scale 1 on the federation is already there: nothing to do either.
    assert not seed_reference_network(seed=1).changed
