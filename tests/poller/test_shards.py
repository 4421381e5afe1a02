"""Shards: one per PoP (its routers and the CPEs behind it), the core apart, region = the PoP's
department; a CPE follows its primary link."""

from __future__ import annotations

import pytest

from inventory.models import Commune, Department, Device, Establishment, Interface, Link, Pop
from poller.shards import CORE_SHARD, UNATTACHED_SHARD, plan_shards
from tests.simulation.lab.small_network import build, pick_addresses

pytestmark = pytest.mark.django_db


def _ids(*names: str) -> tuple[int, ...]:
    return tuple(sorted(Device.objects.filter(name__in=names).values_list("pk", flat=True)))


def test_devices_are_sharded_by_pop_and_region() -> None:
    net = pick_addresses()
    build(net)
    finistere = Department.objects.create(code="29", name="Finistère")
    Commune.objects.filter(insee="29019").update(department=finistere)
    rennes = Pop.objects.get(slug="rennes")
    profile = Device.objects.get(name="pop-rennes-1").snmp_profile
    Device.objects.create(
        name="core-1",
        role="core_router",
        pop=rennes,
        management_address=net.address(240),
        snmp_profile=profile,
    )
    # A Rennes site with a backup link on Brest: it follows its primary link.
    site = Establishment.objects.get(code="0350001A")
    backup_far = Interface.objects.create(
        device=Device.objects.get(name="pop-brest-1"), name="xe-9", if_index=900
    )
    cpe = Device.objects.get(name="cpe-0350001a")
    backup_near = Interface.objects.create(device=cpe, name="Gi0/2/0", if_index=9)
    primary = Link.objects.get(establishment=site)
    Link.objects.create(
        operator=primary.operator,
        circuit_id="B-1",
        technology="ftto",
        role="backup",
        establishment=site,
        a_interface=backup_near,
        z_interface=backup_far,
    )
    # A CPE whose site has no link yet, and a device without a management address.
    lonely = Establishment.objects.create(
        code="0350099Z",
        name="Sans lien",
        category="ecole",
        commune=Commune.objects.get(insee="35238"),
    )
    Device.objects.create(
        name="cpe-lonely",
        role="cpe",
        establishment=lonely,
        management_address=net.address(241),
        snmp_profile=profile,
    )
    Device.objects.create(name="cpe-unmanaged", role="cpe", establishment=lonely)

    shards = {s.key: s for s in plan_shards()}
    assert {k: (s.region, s.device_ids) for k, s in shards.items()} == {
        CORE_SHARD: ("", _ids("core-1")),
        "pop:brest": ("29", _ids("pop-brest-1", "cpe-0290001c")),
        "pop:rennes": ("35", _ids("pop-rennes-1", "cpe-0350001a", "cpe-0350002b")),
        "pop:vitre": ("35", _ids("pop-vitre-1", "cpe-0350003d")),
        UNATTACHED_SHARD: ("", _ids("cpe-lonely")),
    }
    assert shards["pop:brest"].queue("poll", by_region=True) == "poll.29"
    assert shards["pop:brest"].queue("poll", by_region=False) == "poll"
    assert shards[CORE_SHARD].queue("poll", by_region=True) == "poll"
