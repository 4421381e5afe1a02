"""Side effects of discovery: store a run's findings, accept one into the inventory, dismiss it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from common.changes import change_context
from topology.discovery.drift import DocumentedLink, compare
from topology.discovery.napalm_source import DeviceReport
from topology.models import DiscoveryRun, DriftFinding, FindingKind, FindingStatus


class CannotAccept(ValueError):
    """The finding cannot go into the inventory as it stands (the message says why)."""


def documented_links(device_names: Iterable[str]) -> list[DocumentedLink]:
    """Active links touching these devices, by device and interface names (one query)."""
    from django.db.models import Q

    from inventory.choices import Status
    from inventory.models import Link

    names = list(device_names)
    rows = (
        Link.objects.filter(status__in=[Status.ACTIVE, Status.PLANNED])
        .filter(Q(a_interface__device__name__in=names) | Q(z_interface__device__name__in=names))
        .values_list(
            "id",
            "a_interface__device__name",
            "a_interface__name",
            "z_interface__device__name",
            "z_interface__name",
        )
    )
    return [DocumentedLink(*row) for row in rows]


@transaction.atomic
def record_run(source: str, reports: list[DeviceReport], errors: dict[str, str]) -> DiscoveryRun:
    """Compare what the devices reported with the inventory and store the findings."""
    from inventory.models import Device

    queried = [r.device for r in reports]
    run = DiscoveryRun.objects.create(source=source, devices_queried=len(queried), errors=errors)
    neighbours = [n for r in reports for n in r.neighbours]
    inventory_devices = Device.objects.values_list("name", flat=True)
    findings = compare(documented_links(queried), neighbours, inventory_devices, queried)
    DriftFinding.objects.bulk_create(
        DriftFinding(
            run=run,
            kind=f.kind,
            link_id=f.link_id,
            a_device=f.a_device,
            a_port=f.a_port,
            z_device=f.z_device,
            z_port=f.z_port,
            seen_a_port=f.seen_a_port,
            seen_z_port=f.seen_z_port,
            detail=f.detail[:300],
        )
        for f in findings
    )
    return run


def _interface(device: str, port: str) -> Any:
    from inventory.models import Interface

    found = Interface.objects.filter(device__name__iexact=device, name__iexact=port).first()
    if found is None:
        raise CannotAccept(f"{device} has no interface named {port} in the inventory")
    return found


@transaction.atomic
def accept_finding(
    finding: DriftFinding, user: Any, operator: str | None = None, circuit_id: str | None = None
) -> None:
    """Make the inventory say what discovery saw; change-logged under `user`.

    - wrong_port: the link moves to the ports it was seen on;
    - missing: the link is decommissioned;
    - undocumented: a backbone link is created (needs `operator` slug and `circuit_id`);
    - unknown_neighbour: cannot be accepted (create the device first), only dismissed.
    """
    from inventory.choices import LinkRole, LinkTechnology, Status
    from inventory.models import Link, Operator

    if finding.status != FindingStatus.OPEN:
        raise CannotAccept(f"this finding is already {finding.get_status_display().lower()}")
    with change_context(user=user, source="discovery"):
        if finding.kind == FindingKind.WRONG_PORT:
            link = _locked_link(finding)
            link.a_interface = _interface(finding.a_device, finding.seen_a_port)
            link.z_interface = _interface(finding.z_device, finding.seen_z_port)
            link.full_clean()
            link.save()
        elif finding.kind == FindingKind.MISSING:
            link = _locked_link(finding)
            link.status = Status.DECOMMISSIONED
            link.save()
        elif finding.kind == FindingKind.UNDOCUMENTED:
            if not operator or not circuit_id:
                raise CannotAccept("give the operator (slug) and the circuit id of the new link")
            owner = Operator.objects.filter(slug=operator).first()
            if owner is None:
                raise CannotAccept(f"no operator with slug {operator!r}")
            link = Link(
                operator=owner,
                circuit_id=circuit_id,
                technology=LinkTechnology.BACKBONE,
                role=LinkRole.BACKBONE,
                a_interface=_interface(finding.a_device, finding.a_port),
                z_interface=_interface(finding.z_device, finding.z_port),
            )
            link.full_clean()
            link.save()
            finding.link = link
        else:
            raise CannotAccept("an unknown neighbour is no inventory device: create it first")
    _decide(finding, user, FindingStatus.ACCEPTED)


def dismiss_finding(finding: DriftFinding, user: Any) -> None:
    if finding.status != FindingStatus.OPEN:
        raise CannotAccept(f"this finding is already {finding.get_status_display().lower()}")
    _decide(finding, user, FindingStatus.DISMISSED)


def _locked_link(finding: DriftFinding) -> Any:
    from inventory.models import Link

    if finding.link_id is None:
        raise CannotAccept("the documented link no longer exists")
    return Link.objects.select_for_update().get(pk=finding.link_id)


def _decide(finding: DriftFinding, user: Any, status: str) -> None:
    finding.status = status
    finding.decided_by = user if getattr(user, "pk", None) else None
    finding.decided_at = timezone.now()
    finding.save()
