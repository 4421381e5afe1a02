"""One line of attributes per inventory endpoint, from which the CRUD tests are generated."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from inventory.models import Contact
from tests.factories import inventory as fx

_n = itertools.count(1)


def _contact() -> Contact:
    return Contact.objects.create(name="Bob", operator=fx.OperatorFactory.create())


def _service_class() -> Any:
    return fx.ServiceClassFactory.create(
        contract=fx.ContractFactory.create(reference=f"LOT-Y{next(_n)}")
    )


@dataclass(frozen=True)
class Case:
    path: str  # /api/inventory/<path>/
    factory: Callable[[], Any]  # makes one more object of the model (on top of small_network)
    create: dict[str, Any]  # a valid new object, relations by natural key
    update: dict[str, Any]  # a valid PATCH
    invalid: dict[str, Any] = field(default_factory=dict)  # a PATCH that must be refused


CASES = [
    Case("departments", lambda: fx.DepartmentFactory(code=f"9{next(_n)}", name="Morbihan"),
         {"code": "22", "name": "Côtes-d'Armor"}, {"name": "Côtes d'Armor"}, {"code": ""}),
    Case("communes", lambda: fx.CommuneFactory(insee=f"56{next(_n):03d}"),
         {"insee": "29075", "name": "Guingamp", "department": "29", "latitude": 48.5,
          "longitude": -3.1}, {"population": 7000}, {"department": "99"}),
    Case("tenants", fx.TenantFactory, {"name": "Région Bretagne", "slug": "region"},
         {"name": "Région"}, {"slug": "not a slug"}),
    Case("establishments", fx.EstablishmentFactory,
         {"code": "ECO-29-003", "name": "École", "category": "ecole", "commune": "29232"},
         {"criticality": "high"}, {"latitude": 48.0}),
    Case("contacts", _contact,
         {"name": "Anne", "email": "anne@example.org", "establishment": "LYC-29-001"},
         {"phone": "0298000000"}, {"email": "not-an-email"}),
    Case("pops", fx.PopFactory,
         {"name": "Morlaix", "slug": "morlaix", "kind": "secondary", "commune": "29232",
          "parent": "quimper"}, {"address": "1 rue du port"},
         {"parent": None, "kind": "secondary"}),
    Case("operators", fx.OperatorFactory, {"name": "Orange", "slug": "orange"},
         {"noc_phone": "3900"}, {"portal_url": "not a url"}),
    Case("contracts", lambda: fx.ContractFactory(reference=f"LOT-X{next(_n)}"),
         {"reference": "LOT-9", "operator": "armor", "title": "Backbone",
          "start_date": "2025-01-01", "amount_total_ht": "1000.00"},
         {"lot": "9"}, {"end_date": "2000-01-01"}),
    Case("service-classes", _service_class,
         {"contract": "LOT-1", "name": "Standard", "slug": "standard",
          "effective_from": "2024-01-01"}, {"gtr_minutes": 480},
         {"availability_tiers": [["99.0", "1"], ["99.5", "2"]]}),
    Case("snmp-profiles", fx.SNMPProfileFactory,
         {"name": "v2-new", "version": "v2c", "community": "brand-new-community"},
         {"retries": 3}, {"version": "v3", "username": ""}),
    Case("devices", fx.DeviceFactory,
         {"name": "cpe-new", "role": "cpe", "establishment": "LYC-29-001",
          "management_address": "127.10.0.1"}, {"vendor": "Cisco"}, {"pop": "quimper"}),
    Case("interfaces", fx.InterfaceFactory,
         # an ifIndex no factory sequence reaches (their counters run on with the tests before)
         {"device": "quimper-rtr1", "name": "xe-9/9/9", "if_index": 2_000_000_900,
          "role": "access"},
         {"enabled": False}, {"if_index": -1}),
    Case("links", fx.LinkFactory,
         {"operator": "armor", "circuit_id": "CIR-NEW", "technology": "backbone",
          "role": "backbone"}, {"duct": "D-12"}, {"role": "primary", "establishment": None}),
]  # fmt: skip
