"""The reference network: its shape, its determinism and a seeding that never writes twice.

Seeding the whole network takes seconds: it is done once per test session (per xdist worker) by
the `seeded` fixture, and the tests read it inside their own rolled-back transactions.
"""

from __future__ import annotations

import ipaddress
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count, F, Q

from core.models import ObjectChange
from inventory import models as m
from inventory.choices import (
    AuthProtocol,
    Criticality,
    DeviceRole,
    LinkRole,
    PopKind,
    PrivProtocol,
    Schedule,
    SNMPVersion,
)
from simulation.seed import SeedConflict, SeedSummary, build_plan, seed_reference_network
from simulation.seed.geography import GeographyError, load_communes
from simulation.seed.landmarks import BACKBONE_TOWNS

SEED = 1
# Category shares of the data README (2,026 sites), each within ±10 % (at least ±3 sites).
EXPECTED_CATEGORIES = {
    "local_authority": 740,
    "ecole": 420,
    "college": 330,
    "lycee": 238,
    "health": 60,
    "higher_education": 60,
    "culture": 70,
    "tourism": 60,
    "training": 20,
    "chamber_of_commerce": 28,
}
# ~20,000 interfaces (the network's scale, docs/development/architecture.md): 2,026 CPEs of 6–8
# interfaces (4–5 LAN ports as the models have them, WAN, backup WAN, management) ≈ 13,400,
# plus ~63 PoP routers of 50–200 ports ≈ 7,300. ±10 % around 20,000 leaves room for the access
# mix while catching a lost device family (the PoPs alone are a third) or a runaway generator.
INTERFACE_BAND = (18_000, 22_000)
SEEDED_MODELS = (
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
)


# Module scope: the seeded network is removed before any other test module runs on this worker
# (other tests expect an empty inventory); the xdist group keeps these tests on one worker, in a
# row, so the network is seeded once.
pytestmark = pytest.mark.xdist_group("reference-network")


@pytest.fixture(scope="module")
def seeded(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> Iterator[SeedSummary]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        summary = seed_reference_network(seed=SEED)
    yield summary
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        # Raw deletes: no per-object signals (and change-log entries) for 30,000 objects.
        m.Pop.objects.update(parent=None)
        for model in SEEDED_MODELS:
            query = model.objects.all()
            query._raw_delete(query.db)
        ObjectChange.objects.filter(source="seed").delete()


@pytest.fixture
def network(seeded: SeedSummary, db: None) -> SeedSummary:
    return seeded


# --- the plan, in memory -----------------------------------------------------------------------


def test_same_seed_gives_the_same_network() -> None:
    assert build_plan(7) == build_plan(7)


def test_another_seed_gives_another_network() -> None:
    one, two = build_plan(1), build_plan(2)
    assert {e.code for e in one.establishments} != {e.code for e in two.establishments}
    assert [d.serial for d in one.devices] != [d.serial for d in two.devices]
    assert one.snmp_profiles != two.snmp_profiles
    # …while the facts of the public record stay: same counts, same backbone.
    assert len(two.establishments) == 2026
    assert [p.name for p in two.pops[:7]] == list(BACKBONE_TOWNS)


def test_a_malformed_commune_file_is_refused_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "communes.csv"
    bad.write_text(
        "insee,name,department,lat,lon,population\n"
        "29197,Plouhinec,29,48.0,-4.4,3932\n"
        "56169,Plouhinec,56,north,-3.2,5354\n",
        encoding="utf-8",
    )
    with pytest.raises(GeographyError, match=r"line 3"):
        load_communes(bad)


def test_a_commune_outside_brittany_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "communes.csv"
    bad.write_text(
        "insee,name,department,lat,lon,population\n75056,Paris,75,48.85,2.35,2100000\n",
        encoding="utf-8",
    )
    with pytest.raises(GeographyError, match="not a Breton commune"):
        load_communes(bad)


# --- what the database holds after seeding -----------------------------------------------------


def test_geography_holds_the_four_departments_and_all_communes(network: SeedSummary) -> None:
    assert sorted(m.Department.objects.values_list("code", flat=True)) == ["22", "29", "35", "56"]
    assert m.Commune.objects.count() == 1206
    # Names repeat across departments: the INSEE code tells them apart.
    plouhinec = m.Commune.objects.filter(name="Plouhinec")
    assert sorted(plouhinec.values_list("insee", flat=True)) == ["29197", "56169"]


def test_exactly_2026_establishments_in_the_readme_proportions(network: SeedSummary) -> None:
    assert m.Establishment.objects.count() == 2026
    counts = Counter(m.Establishment.objects.values_list("category", flat=True))
    for category, expected in EXPECTED_CATEGORIES.items():
        assert abs(counts[category] - expected) <= max(3, expected // 10), category


def test_establishment_codes_are_unique_while_names_repeat(network: SeedSummary) -> None:
    codes = list(m.Establishment.objects.values_list("code", flat=True))
    assert len(set(codes)) == len(codes)
    repeated = (
        m.Establishment.objects.values("name").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    assert repeated > 0


def test_big_sites_are_in_their_real_towns(network: SeedSummary) -> None:
    chu = m.Establishment.objects.filter(name__startswith="CHU de")
    assert set(chu.values_list("commune__name", flat=True)) == {"Rennes", "Brest"}
    assert set(chu.values_list("criticality", flat=True)) == {Criticality.CRITICAL}
    university_towns = set(
        m.Establishment.objects.filter(tenant__name__startswith="Université").values_list(
            "commune__name", flat=True
        )
    )
    assert {"Rennes", "Brest", "Lorient", "Vannes", "Quimper", "Saint-Brieuc", "Lannion"} <= (
        university_towns
    )
    lycee_tenants = set(
        m.Establishment.objects.filter(category="lycee").values_list("tenant__name", flat=True)
    )
    assert lycee_tenants == {"Région Bretagne"}
    college_tenants = set(
        m.Establishment.objects.filter(category="college").values_list("tenant__name", flat=True)
    )
    assert len(college_tenants) == 4
    assert all(t.startswith("Conseil départemental") for t in college_tenants)


def test_backbone_pops_are_the_seven_loop_cities_and_secondaries_hang_off_them(
    network: SeedSummary,
) -> None:
    backbone = m.Pop.objects.filter(kind=PopKind.BACKBONE)
    assert sorted(backbone.values_list("name", flat=True)) == sorted(BACKBONE_TOWNS)
    assert all(p.commune.name == p.name for p in backbone.select_related("commune"))
    secondary = m.Pop.objects.filter(kind=PopKind.SECONDARY)
    assert secondary.count() == 18
    assert not secondary.filter(Q(parent__isnull=True) | ~Q(parent__kind=PopKind.BACKBONE))


def test_every_establishment_has_one_cpe_and_a_primary_link_to_a_pop(
    network: SeedSummary,
) -> None:
    cpes = m.Device.objects.filter(role=DeviceRole.CPE)
    assert cpes.count() == 2026
    assert cpes.values("establishment").distinct().count() == 2026
    reaching_a_pop = m.Link.objects.filter(
        role=LinkRole.PRIMARY,
        a_interface__device__role=DeviceRole.CPE,
        a_interface__device__establishment=models_f("establishment"),
        z_interface__device__pop__isnull=False,
    )
    assert reaching_a_pop.values("establishment").distinct().count() == 2026
    assert m.Link.objects.filter(role=LinkRole.PRIMARY).count() == 2026


def models_f(name: str) -> F:
    return F(name)


def test_interfaces_number_about_twenty_thousand_within_device_bounds(
    network: SeedSummary,
) -> None:
    total = m.Interface.objects.count()
    assert INTERFACE_BAND[0] <= total <= INTERFACE_BAND[1]
    per_device = m.Device.objects.annotate(n=Count("interfaces"))
    cpe = per_device.filter(role=DeviceRole.CPE)
    routers = per_device.exclude(role=DeviceRole.CPE)
    assert not cpe.filter(Q(n__lt=4) | Q(n__gt=8)).exists()
    assert routers.count() >= 25 + 7
    assert not routers.filter(Q(n__lt=50) | Q(n__gt=200)).exists()


def test_management_addresses_are_unique_loopback_and_never_127_0_0_1(
    network: SeedSummary,
) -> None:
    addresses = list(m.Device.objects.values_list("management_address", flat=True))
    assert len(addresses) == m.Device.objects.count() == len(set(addresses))
    loopback = ipaddress.ip_network("127.0.0.0/8")
    parsed = [ipaddress.ip_address(a or "") for a in addresses]
    assert all(a in loopback for a in parsed)
    assert ipaddress.ip_address("127.0.0.1") not in parsed


def test_routers_use_snmpv3_authpriv_and_cpes_v2c(network: SeedSummary) -> None:
    routers = m.Device.objects.exclude(role=DeviceRole.CPE).values_list(
        "snmp_profile__version", "snmp_profile__auth_protocol", "snmp_profile__priv_protocol"
    )
    assert set(routers) == {(SNMPVersion.V3, AuthProtocol.SHA, PrivProtocol.AES128)}
    cpes = m.Device.objects.filter(role=DeviceRole.CPE).values_list(
        "snmp_profile__version", flat=True
    )
    assert set(cpes) == {SNMPVersion.V2C}
    for profile in m.SNMPProfile.objects.all():
        profile.full_clean()


def test_backbone_links_follow_the_loop_then_reach_each_secondary_pop(
    network: SeedSummary,
) -> None:
    ring = {
        (str(link.a_interface.device.pop), str(link.z_interface.device.pop))  # type: ignore[union-attr]
        for link in m.Link.objects.filter(
            role=LinkRole.BACKBONE,
            a_interface__device__role=DeviceRole.CORE_ROUTER,
            z_interface__device__role=DeviceRole.CORE_ROUTER,
        ).select_related("a_interface__device__pop", "z_interface__device__pop")
    }
    loop = list(BACKBONE_TOWNS)
    assert ring == {(loop[i], loop[(i + 1) % len(loop)]) for i in range(len(loop))}
    for pop in m.Pop.objects.filter(kind=PopKind.SECONDARY).select_related("parent"):
        assert m.Link.objects.filter(
            role=LinkRole.BACKBONE,
            a_interface__device__pop=pop,
            z_interface__device__pop=pop.parent,
        ).exists(), pop.name


def test_dual_homed_sites_have_a_backup_and_a_few_share_a_pop_or_a_duct(
    network: SeedSummary,
) -> None:
    critical = m.Establishment.objects.filter(criticality=Criticality.CRITICAL)
    assert critical.exists()
    assert not critical.exclude(links__role=LinkRole.BACKUP).exists()
    dual = m.Establishment.objects.filter(links__role=LinkRole.BACKUP).distinct().count()
    assert 0.04 * 2026 <= dual <= 0.06 * 2026
    same_pop = same_duct = 0
    for backup in m.Link.objects.filter(role=LinkRole.BACKUP).select_related("z_interface__device"):
        primary = m.Link.objects.select_related("z_interface__device").get(
            establishment=backup.establishment, role=LinkRole.PRIMARY
        )
        assert primary.z_interface is not None
        assert backup.z_interface is not None
        same_pop += primary.z_interface.device.pop_id == backup.z_interface.device.pop_id
        same_duct += bool(primary.duct) and primary.duct == backup.duct
    assert (same_pop, same_duct) == (3, 3)
    assert network.findings.backup_same_pop
    assert network.findings.backup_same_duct


def test_access_links_carry_their_subscription_terms(network: SeedSummary) -> None:
    access = m.Link.objects.exclude(role=LinkRole.BACKBONE)
    assert not access.filter(
        Q(contract__isnull=True)
        | Q(service_class__isnull=True)
        | Q(monthly_fee_ht__isnull=True)
        | Q(committed_down_bps__isnull=True)
        | Q(port_speed_bps__isnull=True)
    ).exists()
    for link in access.select_related("contract", "service_class").order_by("?")[:40]:
        link.full_clean()
    gigabit = access.filter(committed_down_bps=1_000_000_000, role=LinkRole.PRIMARY)
    assert gigabit.filter(establishment__name__startswith="CHU").count() == 4
    adsl = access.filter(technology="adsl")
    assert not adsl.filter(Q(committed_down_bps__lt=500_000) | Q(committed_down_bps__gt=20_000_000))
    paris = ZoneInfo("Europe/Paris")
    starts = access.filter(service_start__gte=datetime(2026, 8, 1, tzinfo=UTC))
    recent = [s.astimezone(paris) for s in starts.values_list("service_start", flat=True) if s]
    assert recent
    assert all(8 <= s.day <= 22 and s.date() < date(2026, 11, 1) for s in recent)


def test_contracts_and_service_levels_follow_the_readme(network: SeedSummary) -> None:
    assert m.Operator.objects.count() >= 3
    for contract in m.Contract.objects.all():
        assert contract.penalty_cap_contract_pct == 10
        assert contract.exemption_threshold_ht == 1000
        assert contract.amount_total_ht > 0
    classes = {sc.slug: sc for sc in m.ServiceClass.objects.all()}
    fibre = classes["fibre-pro"]
    assert (fibre.availability_target_pct, fibre.gtr_minutes, fibre.gtr_clock) == (
        Decimal("99.9"),
        240,
        Schedule.ALWAYS,
    )
    assert (classes["sdsl"].gtr_minutes, classes["sdsl"].gtr_clock) == (240, Schedule.BUSINESS)
    assert classes["adsl"].availability_target_pct is None
    assert (classes["backbone"].availability_target_pct or 0) >= Decimal("99.95")
    assert classes["4g-backup"].gtr_minutes is None
    for sc in classes.values():
        sc.full_clean()


# --- idempotence and the change log ------------------------------------------------------------


def test_a_seeding_run_writes_one_bulk_change_log_entry(network: SeedSummary) -> None:
    entries = ObjectChange.objects.filter(source="seed")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.action == "bulk"
    assert "2,026 establishments" in entry.message
    assert (entry.postchange_data or {})["seed"] == SEED


def test_seeding_again_creates_nothing_logs_nothing_in_few_queries(
    network: SeedSummary, django_assert_max_num_queries: pytest.FixtureRequest
) -> None:
    before = ObjectChange.objects.count()
    with django_assert_max_num_queries(25):  # type: ignore[operator]
        again = seed_reference_network(seed=SEED)
    assert not again.changed
    assert set(again.created.values()) == {0}
    assert ObjectChange.objects.count() == before
    assert "nothing to do" in again.describe()


def test_seeding_completes_what_is_missing(network: SeedSummary) -> None:
    site = m.Establishment.objects.get(code=network.findings.backup_same_pop[0])
    m.Link.objects.filter(establishment=site).delete()
    m.Device.objects.filter(establishment=site).delete()
    again = seed_reference_network(seed=SEED)
    assert again.created["devices"] == 1
    assert again.created["links"] == 2
    assert again.created["establishments"] == 0
    assert (
        again.created["interfaces"]
        == m.Interface.objects.filter(device__establishment=site).count()
    )
    assert ObjectChange.objects.filter(source="seed").count() == 2


def test_another_seed_on_a_seeded_database_is_refused_and_changes_nothing(
    network: SeedSummary,
) -> None:
    before = (m.Establishment.objects.count(), ObjectChange.objects.count())
    with pytest.raises(SeedConflict, match="seed 1"):
        seed_reference_network(seed=2)
    assert (m.Establishment.objects.count(), ObjectChange.objects.count()) == before


def test_a_clashing_object_is_reported_and_nothing_is_written(network: SeedSummary) -> None:
    site = m.Establishment.objects.get(code=network.findings.backup_same_duct[0])
    cpe = m.Device.objects.get(establishment=site)
    address = cpe.management_address
    m.Link.objects.filter(establishment=site).delete()
    cpe.delete()
    m.Device.objects.create(name="intruder", role=DeviceRole.SWITCH, management_address=address)
    before = (m.Interface.objects.count(), m.Link.objects.count(), ObjectChange.objects.count())
    with pytest.raises(SeedConflict, match="nothing was written"):
        seed_reference_network(seed=SEED)
    after = (m.Interface.objects.count(), m.Link.objects.count(), ObjectChange.objects.count())
    assert after == before


def test_progress_bar_shows_each_section(
    network: SeedSummary, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_reference_network(seed=SEED, progress=True)
    out = capsys.readouterr().out
    assert "establishments" in out
    assert "interfaces" in out
    assert "2026/2026" in out


def test_the_database_holds_exactly_the_plan_of_its_seed(network: SeedSummary) -> None:
    plan = build_plan(SEED)
    assert set(m.Establishment.objects.values_list("code", flat=True)) == {
        e.code for e in plan.establishments
    }
    assert set(m.Device.objects.values_list("name", "management_address", "serial")) == {
        (d.name, d.management_address, d.serial) for d in plan.devices
    }
    assert set(m.Link.objects.values_list("circuit_id", flat=True)) == {
        link.circuit_id for link in plan.links
    }


def test_seeded_objects_pass_model_validation(network: SeedSummary) -> None:
    for pop in m.Pop.objects.all():
        pop.full_clean()
    devices = m.Device.objects.order_by("?")
    for device in list(devices.filter(role=DeviceRole.CPE)[:30]) + list(
        devices.exclude(role=DeviceRole.CPE)
    ):
        device.full_clean()
    for site in m.Establishment.objects.order_by("?")[:30]:
        site.full_clean()


def test_summary_names_what_was_created(network: SeedSummary) -> None:
    text = network.describe()
    assert "seed 1" in text
    assert "2,026 establishments" in text
    assert "3 with the backup on the primary's PoP" in text
