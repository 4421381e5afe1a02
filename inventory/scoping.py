"""Operator accounts' part of the inventory: their links and what those links reach.

An operator sees its own record, its links (circuits), the establishments those links serve,
and the devices and interfaces at the two ends of its links, nothing else (not contracts, PoPs,
contacts or other operators' links). Registered with common.scoping at start-up.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from common import scoping
from inventory import models as m


def _own_links(operator_id: int) -> QuerySet[m.Link]:
    return m.Link.objects.filter(operator_id=operator_id)


def _end_interfaces(operator_id: int) -> QuerySet[m.Interface]:
    return m.Interface.objects.filter(
        Q(link_a__operator_id=operator_id) | Q(link_z__operator_id=operator_id)
    )


def links(qs: QuerySet[Any], operator_id: int) -> QuerySet[Any]:
    return qs.filter(operator_id=operator_id)


def establishments(qs: QuerySet[Any], operator_id: int) -> QuerySet[Any]:
    return qs.filter(pk__in=_own_links(operator_id).values("establishment_id"))


def interfaces(qs: QuerySet[Any], operator_id: int) -> QuerySet[Any]:
    return qs.filter(pk__in=_end_interfaces(operator_id).values("pk"))


def devices(qs: QuerySet[Any], operator_id: int) -> QuerySet[Any]:
    return qs.filter(pk__in=_end_interfaces(operator_id).values("device_id"))


def operators(qs: QuerySet[Any], operator_id: int) -> QuerySet[Any]:
    return qs.filter(pk=operator_id)


# What an operator reads of each (issue 13, finding 8): never comments, descriptions, tags, the
# syndicate's contract terms, fees, management addresses, SNMP profiles or tenants.
LINK_FIELDS = (
    "circuit_id",
    "operator",
    "technology",
    "role",
    "status",
    "establishment",
    "a_interface",
    "z_interface",
    "committed_down_bps",
    "committed_up_bps",
    "port_speed_bps",
    "service_start",
    "service_end",
)
ESTABLISHMENT_FIELDS = (
    "code",
    "name",
    "category",
    "commune",
    "address",
    "latitude",
    "longitude",
    "status",
    "criticality",
)
INTERFACE_FIELDS = ("device", "name", "if_index", "type", "speed_bps", "role", "enabled")
DEVICE_FIELDS = ("name", "role", "vendor", "model", "establishment", "status")
OPERATOR_FIELDS = ("name", "slug", "noc_email", "noc_phone", "portal_url")


def register_scopes() -> None:
    scoping.register(m.Link, links, LINK_FIELDS)
    scoping.register(m.Establishment, establishments, ESTABLISHMENT_FIELDS)
    scoping.register(m.Interface, interfaces, INTERFACE_FIELDS)
    scoping.register(m.Device, devices, DEVICE_FIELDS)
    scoping.register(m.Operator, operators, OPERATOR_FIELDS)
