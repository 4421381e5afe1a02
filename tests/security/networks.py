"""Two operators sharing a network: what operator accounts may and may not see.

Armor (the small network: three sites, four links) and Breizh (a link of its own at a site of
its own, and a backup link at one of Armor's sites, ending on Armor's CPE); an incident each,
and one of the syndicate's own (no operator).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from inventory import choices as c
from inventory.models import Contact
from tests.factories import inventory as f
from tests.factories.alerting import IncidentFactory, incident_on_link


@dataclass
class TwoOperators:
    armor: Any
    breizh: Any
    armor_links: list[Any]
    breizh_links: list[Any]
    armor_sites: list[Any]
    breizh_only_site: Any
    shared_site: Any
    armor_incident: Any
    breizh_incident: Any
    syndicate_incident: Any
    # Strings that appear only in Breizh's or the syndicate's objects.
    foreign_markers: list[str] = field(default_factory=list)


def two_operators() -> TwoOperators:
    net = f.small_network()
    armor = net["operator"]
    breizh = f.OperatorFactory.create(name="Breizh Fibre", slug="breizh")
    Contact.objects.create(operator=breizh, name="Nolwenn Breizh-NOC", email="noc@bzh.example")
    breizh_contract = f.ContractFactory.create(operator=breizh, reference="LOT-BZH")
    own_site = f.EstablishmentFactory.create(code="BZH-56-001", name="Médiathèque de Vannes")
    own_cpe = f.DeviceFactory.create(name="cpe-bzh-vannes", establishment=own_site)
    own_link = f.LinkFactory.create(
        operator=breizh,
        contract=breizh_contract,
        establishment=own_site,
        circuit_id="BZH-0001",
        a_interface=f.InterfaceFactory.create(
            device=own_cpe, name="wan-bzh-own", role=c.InterfaceRole.UPLINK
        ),
    )
    shared_site = net["sites"][0]
    armor_cpe = shared_site.devices.get()
    backup_port = f.InterfaceFactory.create(
        device=armor_cpe, name="wan-bzh", if_index=9, role=c.InterfaceRole.BACKUP_UPLINK
    )
    backup = f.LinkFactory.create(
        operator=breizh,
        contract=breizh_contract,
        establishment=shared_site,
        role=c.LinkRole.BACKUP,
        circuit_id="BZH-0002",
        a_interface=backup_port,
        z_interface=f.InterfaceFactory.create(
            device=f.PopRouterFactory.create(name="vannes-rtr-bzh"), role=c.InterfaceRole.ACCESS
        ),
    )
    syndicate = IncidentFactory.create(
        kind="pop_down", root_kind="pop", root_name="PoP Syndicat-Lorient", element_key="pop:99"
    )
    markers = [
        "Breizh Fibre", "BZH-0001", "BZH-0002", "LOT-BZH", "BZH-56-001", "Médiathèque de Vannes",
        "wan-bzh", "vannes-rtr-bzh", "Nolwenn", "cpe-bzh-vannes",
        "PoP Syndicat-Lorient",
    ]  # fmt: skip
    return TwoOperators(
        armor=armor,
        breizh=breizh,
        armor_links=net["links"],
        breizh_links=[own_link, backup],
        armor_sites=net["sites"],
        breizh_only_site=own_site,
        shared_site=shared_site,
        armor_incident=incident_on_link(net["links"][0]),
        breizh_incident=incident_on_link(own_link),
        syndicate_incident=syndicate,
        foreign_markers=markers,
    )
