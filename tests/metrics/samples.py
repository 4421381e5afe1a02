"""Building samples and a little inventory for the metrics tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from inventory.models import Department, Device, Establishment, Interface, Link
from inventory.models.contracts import Operator
from inventory.models.geography import Commune
from metrics.types import InterfaceSample, OperStatus

T0 = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)


def iface(
    time: datetime,
    interface_id: int = 1,
    in_bps: float | None = 1000.0,
    out_bps: float | None = 500.0,
    *,
    device_id: int = 1,
    status: OperStatus = OperStatus.UP,
    interval_s: float | None = 60.0,
    errors: int | None = 0,
    discards: int | None = 0,
) -> InterfaceSample:
    return InterfaceSample(
        time=time,
        device_id=device_id,
        interface_id=interface_id,
        interval_s=interval_s,
        in_bps=in_bps,
        out_bps=out_bps,
        in_errors=errors,
        out_errors=errors,
        in_discards=discards,
        out_discards=discards,
        oper_status=status,
        admin_up=True,
        speed_bps=100_000_000,
    )


def minutes(n: int, start: datetime = T0) -> list[datetime]:
    return [start + timedelta(minutes=i) for i in range(n)]


@dataclass(frozen=True)
class SiteLinks:
    establishment_id: int
    link_ids: list[int]
    interface_ids: list[int]  # the CPE uplinks (the links' A ends)
    device_id: int


def make_site(alias: str, code: str, committed: list[tuple[int | None, int | None]]) -> SiteLinks:
    """One establishment with a CPE and one access link per (down, up) committed rate."""
    # bulk_create only: it sends no signals (the change log writes to the default database).
    dept = Department.objects.using(alias).filter(code="35").first()
    if dept is None:
        (dept,) = Department.objects.using(alias).bulk_create([Department(code="35", name="IV")])
    commune = Commune.objects.using(alias).filter(insee="35238").first()
    if commune is None:
        (commune,) = Commune.objects.using(alias).bulk_create(
            [Commune(insee="35238", name="Rennes", department=dept, latitude=48.1, longitude=-1.7)]
        )
    operator = Operator.objects.using(alias).filter(name="Op").first()
    if operator is None:
        (operator,) = Operator.objects.using(alias).bulk_create([Operator(name="Op", slug="op")])
    (site,) = Establishment.objects.using(alias).bulk_create(
        [Establishment(code=code, name=code, category="health", commune=commune)]
    )
    (cpe,) = Device.objects.using(alias).bulk_create(
        [Device(name=f"cpe-{code}", role="cpe", establishment=site)]
    )
    interfaces = Interface.objects.using(alias).bulk_create(
        [
            Interface(device=cpe, name=f"wan{i}", if_index=i + 1, role="uplink")
            for i in range(len(committed))
        ]
    )
    links = Link.objects.using(alias).bulk_create(
        [
            Link(
                operator=operator,
                circuit_id=f"{code}-{i}",
                technology="ftto",
                role="primary" if i == 0 else "backup",
                establishment=site,
                a_interface=interfaces[i],
                committed_down_bps=down,
                committed_up_bps=up,
            )
            for i, (down, up) in enumerate(committed)
        ]
    )
    return SiteLinks(site.pk, [lk.pk for lk in links], [i.pk for i in interfaces], cpe.pk)
