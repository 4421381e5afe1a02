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


def register_scopes() -> None:
    scoping.register(m.Link, links)
    scoping.register(m.Establishment, establishments)
    scoping.register(m.Interface, interfaces)
    scoping.register(m.Device, devices)
    scoping.register(m.Operator, operators)
