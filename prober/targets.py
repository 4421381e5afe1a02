"""The ORM → targets adapter: the prober's only Django touchpoint.

Every active access link (primary or backup) is probed at its far end: the establishment's
device on the link (its CPE) and that device's management address, in one query, by the method
the inventory sets on that device (`Device.probe_method`: TWAMP-Light, ICMP echo, or none).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q

from common import twamp
from inventory.choices import LinkRole, ProbeMethod, Status
from inventory.models import Link
from prober.types import Method, ProbeTarget


@dataclass(frozen=True, slots=True)
class Skipped:
    link_id: int
    reason: str


@dataclass(frozen=True, slots=True)
class TargetLoad:
    targets: list[ProbeTarget]
    skipped: list[Skipped] = field(default_factory=list)


def _ends_among(device_ids: Collection[int] | None) -> Q:
    if device_ids is None:
        return Q()
    ids = list(device_ids)
    return Q(a_interface__device_id__in=ids) | Q(z_interface__device_id__in=ids)


def twamp_port() -> int:
    return int(getattr(settings, "MENHIR_PROBE_TWAMP_PORT", twamp.DEFAULT_PORT))


def load_targets(device_ids: Collection[int] | None = None) -> TargetLoad:
    """One target per active access link whose far end has an address the prober may reach;
    with `device_ids`, only the links whose far-end device is one of them (a poll shard's)."""
    allow_anywhere = bool(getattr(settings, "MENHIR_ALLOW_NON_LOOPBACK", False))
    port = twamp_port()
    wanted = set(device_ids) if device_ids is not None else None
    rows = (
        Link.objects.filter(status=Status.ACTIVE, role__in=(LinkRole.PRIMARY, LinkRole.BACKUP))
        .filter(Q(a_interface__isnull=False) | Q(z_interface__isnull=False))
        .filter(_ends_among(device_ids))
        .values_list(
            "pk",
            "a_interface__device_id",
            "a_interface__device__name",
            "a_interface__device__management_address",
            "a_interface__device__establishment_id",
            "a_interface__device__status",
            "a_interface__device__probe_method",
            "z_interface__device_id",
            "z_interface__device__name",
            "z_interface__device__management_address",
            "z_interface__device__establishment_id",
            "z_interface__device__status",
            "z_interface__device__probe_method",
        )
        .order_by("pk")
    )
    targets: list[ProbeTarget] = []
    skipped: list[Skipped] = []
    for row in rows:
        link_id, ends = int(row[0]), list(row[1:])
        sites = [ends[i : i + 6] for i in (0, 6) if ends[i] is not None and ends[i + 3]]
        if not sites:
            skipped.append(Skipped(link_id, "no establishment device on the link"))
            continue
        device_id, name, address, _, status, method = sites[0]
        if wanted is not None and device_id not in wanted:
            continue  # the link's far end is another shard's device
        if status != Status.ACTIVE:
            skipped.append(Skipped(link_id, f"{name} is not active"))
        elif method == ProbeMethod.NONE:
            skipped.append(Skipped(link_id, f"{name} is not probed (probe method: none)"))
        elif not address:
            skipped.append(Skipped(link_id, f"{name} has no management address"))
        elif not allow_anywhere and not str(address).startswith("127."):
            skipped.append(Skipped(link_id, f"{address} is outside loopback"))
        else:
            chosen = Method(str(method))
            target = ProbeTarget(
                link_id,
                int(str(device_id)),
                str(name),
                str(address),
                port if chosen == Method.TWAMP else 0,
                chosen,
            )
            targets.append(target)
    return TargetLoad(targets, skipped)
