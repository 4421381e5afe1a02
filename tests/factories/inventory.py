"""Factories for inventory objects: small valid networks for tests (the seed builds the big one)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from factory.django import DjangoModelFactory

from inventory import choices as c
from inventory import models as m


class DepartmentFactory(DjangoModelFactory[m.Department]):
    class Meta:
        model = m.Department
        django_get_or_create = ("code",)

    code = "29"
    name = "Finistère"


class CommuneFactory(DjangoModelFactory[m.Commune]):
    class Meta:
        model = m.Commune
        django_get_or_create = ("insee",)

    insee = factory.Sequence(lambda n: f"29{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    department = factory.SubFactory(DepartmentFactory)
    latitude = 48.0
    longitude = -4.1
    population = 1000


class TenantFactory(DjangoModelFactory[m.Tenant]):
    class Meta:
        model = m.Tenant

    name = factory.Sequence(lambda n: f"Tenant {n}")
    slug = factory.Sequence(lambda n: f"tenant-{n}")


class EstablishmentFactory(DjangoModelFactory[m.Establishment]):
    class Meta:
        model = m.Establishment

    code = factory.Sequence(lambda n: f"ETB{n:05d}")
    name = factory.Sequence(lambda n: f"Mairie {n}")
    category = c.EstablishmentCategory.LOCAL_AUTHORITY
    commune = factory.SubFactory(CommuneFactory)
    status = c.Status.ACTIVE


class OperatorFactory(DjangoModelFactory[m.Operator]):
    class Meta:
        model = m.Operator
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Operator {n}")
    slug = factory.Sequence(lambda n: f"operator-{n}")
    noc_email = "noc@operator.example"


class ContractFactory(DjangoModelFactory[m.Contract]):
    class Meta:
        model = m.Contract

    reference = factory.Sequence(lambda n: f"LOT-{n}")
    operator = factory.SubFactory(OperatorFactory)
    title = "Access links"
    start_date = dt.date(2024, 1, 1)
    amount_total_ht = Decimal("1200000.00")


class ServiceClassFactory(DjangoModelFactory[m.ServiceClass]):
    class Meta:
        model = m.ServiceClass

    contract = factory.SubFactory(ContractFactory)
    name = "Premium fibre"
    slug = factory.Sequence(lambda n: f"premium-{n}")
    effective_from = dt.date(2024, 1, 1)
    availability_target_pct = Decimal("99.900")
    availability_tiers = [["99.9", "0"], ["99.5", "10"], ["99.0", "25"], ["0", "50"]]
    gtr_minutes = 240


class PopFactory(DjangoModelFactory[m.Pop]):
    class Meta:
        model = m.Pop

    name = factory.Sequence(lambda n: f"PoP {n}")
    slug = factory.Sequence(lambda n: f"pop-{n}")
    kind = c.PopKind.BACKBONE
    commune = factory.SubFactory(CommuneFactory)


class SNMPProfileFactory(DjangoModelFactory[m.SNMPProfile]):
    class Meta:
        model = m.SNMPProfile

    name = factory.Sequence(lambda n: f"snmp-{n}")
    version = c.SNMPVersion.V2C
    community = "test-community"


class DeviceFactory(DjangoModelFactory[m.Device]):
    class Meta:
        model = m.Device

    name = factory.Sequence(lambda n: f"cpe-{n}")
    role = c.DeviceRole.CPE
    establishment = factory.SubFactory(EstablishmentFactory)
    management_address = factory.Sequence(lambda n: f"127.9.{n // 250}.{n % 250 + 1}")
    snmp_profile = factory.SubFactory(SNMPProfileFactory)


class PopRouterFactory(DeviceFactory):
    name = factory.Sequence(lambda n: f"pop-rtr-{n}")
    role = c.DeviceRole.POP_ROUTER
    establishment: Any = None
    pop = factory.SubFactory(PopFactory)


class InterfaceFactory(DjangoModelFactory[m.Interface]):
    class Meta:
        model = m.Interface

    device = factory.SubFactory(DeviceFactory)
    name = factory.Sequence(lambda n: f"ge-0/0/{n}")
    if_index = factory.Sequence(lambda n: n + 1)
    speed_bps = 1_000_000_000
    role = c.InterfaceRole.LAN


class LinkFactory(DjangoModelFactory[m.Link]):
    """An access link from a new CPE's uplink to a new PoP router's access port."""

    class Meta:
        model = m.Link

    operator = factory.SubFactory(OperatorFactory)
    circuit_id = factory.Sequence(lambda n: f"CIR-{n:06d}")
    technology = c.LinkTechnology.FTTO
    role = c.LinkRole.PRIMARY
    establishment = factory.SubFactory(EstablishmentFactory)
    a_interface = factory.LazyAttribute(
        lambda o: InterfaceFactory(
            device=DeviceFactory(establishment=o.establishment), role=c.InterfaceRole.UPLINK
        )
    )
    z_interface = factory.LazyAttribute(
        lambda o: InterfaceFactory(device=PopRouterFactory(), role=c.InterfaceRole.ACCESS)
    )
    committed_down_bps = 100_000_000
    committed_up_bps = 100_000_000
    port_speed_bps = 1_000_000_000
    monthly_fee_ht = Decimal("450.00")
    service_start = factory.LazyFunction(lambda: dt.datetime(2024, 1, 1, tzinfo=dt.UTC))


def small_network(**overrides: Any) -> dict[str, Any]:
    """Two PoPs, three sites with links, one dual-homed: enough for filters and pages."""
    operator = OperatorFactory.create(name="Armor Télécom", slug="armor")
    contract = ContractFactory.create(operator=operator, reference="LOT-1")
    premium = ServiceClassFactory.create(contract=contract, slug="premium")
    d29 = DepartmentFactory.create(code="29", name="Finistère")
    d35 = DepartmentFactory.create(code="35", name="Ille-et-Vilaine")
    quimper = CommuneFactory.create(insee="29232", name="Quimper", department=d29)
    rennes = CommuneFactory.create(insee="35238", name="Rennes", department=d35)
    pop_q = PopFactory.create(name="Quimper", slug="quimper", commune=quimper)
    pop_r = PopFactory.create(name="Rennes", slug="rennes", commune=rennes)
    sites = [
        EstablishmentFactory.create(code="LYC-29-001", name="Lycée de Cornouaille", commune=quimper,
                             category=c.EstablishmentCategory.LYCEE),
        EstablishmentFactory.create(code="MAI-29-002", name="Mairie de Quimper", commune=quimper),
        EstablishmentFactory.create(code="CHU-35-001", name="CHU de Rennes", commune=rennes,
                             category=c.EstablishmentCategory.HEALTH,
                             criticality=c.Criticality.CRITICAL),
    ]  # fmt: skip
    router_q = PopRouterFactory.create(name="quimper-rtr1", pop=pop_q)
    router_r = PopRouterFactory.create(name="rennes-rtr1", pop=pop_r)
    links = []
    for site, router in ((sites[0], router_q), (sites[1], router_q), (sites[2], router_r)):
        cpe = DeviceFactory.create(name=f"cpe-{site.code.lower()}", establishment=site)
        uplink = InterfaceFactory.create(
            device=cpe, name="wan0", if_index=1, role=c.InterfaceRole.UPLINK
        )
        InterfaceFactory.create(device=cpe, name="lan0", if_index=2, role=c.InterfaceRole.LAN)
        port = InterfaceFactory.create(device=router, role=c.InterfaceRole.ACCESS)
        links.append(
            LinkFactory.create(
                operator=operator,
                contract=contract,
                service_class=premium,
                establishment=site,
                a_interface=uplink,
                z_interface=port,
            )
        )
    chu_cpe = sites[2].devices.get()
    backup_up = InterfaceFactory.create(
        device=chu_cpe, name="wan1", if_index=3, role=c.InterfaceRole.BACKUP_UPLINK
    )
    backup_port = InterfaceFactory.create(device=router_q, role=c.InterfaceRole.ACCESS)
    links.append(
        LinkFactory.create(
            operator=operator,
            contract=contract,
            service_class=premium,
            establishment=sites[2],
            role=c.LinkRole.BACKUP,
            a_interface=backup_up,
            z_interface=backup_port,
        )
    )
    return {
        "operator": operator, "contract": contract, "service_class": premium,
        "pops": [pop_q, pop_r], "routers": [router_q, router_r], "sites": sites, "links": links,
    }  # fmt: skip
