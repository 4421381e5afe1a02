"""The inventory adapter's plain values, and how fault targets select devices and link ends."""

from __future__ import annotations

import pytest
from django.db import transaction

from simulation.lab.faults import Targets, UnknownFault, UnknownTarget, check_fault
from simulation.lab.inventory_adapter import load_network
from simulation.lab.model import LabNetwork
from tests.simulation.lab.small_network import SmallNetwork, build, pick_addresses

pytestmark = pytest.mark.django_db


def test_every_loopback_device_gets_an_agent_with_its_profile(
    small: tuple[SmallNetwork, LabNetwork],
) -> None:
    net, network = small
    assert len(network.devices) == 7
    assert all(d.address.startswith(net.prefix) and d.port == net.port for d in network.devices)
    versions = {d.name: d.credentials.version for d in network.devices}
    assert versions["cpe-0350002b"] == "v3"
    assert versions["cpe-0350001a"] == "v2c"
    mairie = next(d for d in network.devices if d.name == "cpe-0350002b")
    assert mairie.credentials.auth_key == "auth-secret-1"  # decrypted from the database


def test_lldp_neighbours_are_the_two_ends_of_each_link(
    small: tuple[SmallNetwork, LabNetwork],
) -> None:
    _, network = small
    by_name = {d.name: d for d in network.devices}
    seen = 0
    for link in network.links:
        a = next(i for i in by_name[link.a_device].interfaces if i.if_index == link.a_if_index)
        z = next(i for i in by_name[link.z_device].interfaces if i.if_index == link.z_if_index)
        assert a.neighbour is not None
        assert z.neighbour is not None
        assert (a.neighbour.device_name, a.neighbour.port_name) == (link.z_device, z.name)
        assert (z.neighbour.device_name, z.neighbour.port_name) == (link.a_device, a.name)
        assert a.neighbour.chassis_mac == by_name[link.z_device].chassis_mac
        seen += 1
    assert seen == 6


def test_access_link_rates_point_the_right_way_on_each_end(
    small: tuple[SmallNetwork, LabNetwork],
) -> None:
    _, network = small
    lycee = next(d for d in network.devices if d.name == "cpe-0350001a")
    uplink = lycee.interfaces[0]
    assert (uplink.traffic.in_limit_bps, uplink.traffic.out_limit_bps) == (100_000_000, 50_000_000)
    assert uplink.traffic.category == "lycee"
    pop = next(d for d in network.devices if d.name == "pop-rennes-1")
    far = next(i for i in pop.interfaces if i.neighbour and i.neighbour.device_name == lycee.name)
    assert (far.traffic.in_limit_bps, far.traffic.out_limit_bps) == (50_000_000, 100_000_000)
    assert not lycee.interfaces[3].enabled


def test_loading_takes_a_fixed_number_of_queries(django_assert_max_num_queries: object) -> None:
    with transaction.atomic():
        build(pick_addresses())
        with django_assert_max_num_queries(8):  # type: ignore[operator]
            network = load_network()
        assert network.devices
        transaction.set_rollback(True)


def test_targets_resolve_devices_establishments_and_pops(
    small: tuple[SmallNetwork, LabNetwork],
) -> None:
    _, network = small
    targets = Targets(network)
    assert targets.resolve("cpe-0350001a").devices == {"cpe-0350001a"}
    by_code = targets.resolve("0350001A")
    assert by_code.devices == {"cpe-0350001a"}
    assert {name for name, _ in by_code.ports} == {"cpe-0350001a", "pop-rennes-1"}
    assert targets.resolve("pop:vitre").devices == {"pop-vitre-1", "cpe-0350003d"}
    assert targets.resolve("pop:Brest").devices == {"pop-brest-1", "cpe-0290001c"}
    assert len(targets.resolve("pop:Rennes").devices) == 5
    with pytest.raises(UnknownTarget):
        targets.resolve("pop:Nowhere")
    with pytest.raises(UnknownTarget):
        targets.resolve("0000000X")
    with pytest.raises(UnknownFault):
        check_fault("meltdown")


def test_lan_ports_share_the_uplink_traffic_not_their_own_speed(
    small: tuple[SmallNetwork, LabNetwork],
) -> None:
    _, network = small
    ecole = next(d for d in network.devices if d.name == "cpe-0350003d")
    uplink, lan1, lan2, disabled = ecole.interfaces
    assert (uplink.traffic.in_limit_bps, uplink.traffic.out_limit_bps) == (8_000_000, 4_000_000)
    for lan in (lan1, lan2):  # two enabled LAN ports: half each, directions swapped
        assert (lan.traffic.in_limit_bps, lan.traffic.out_limit_bps) == (2_000_000, 4_000_000)
        assert lan.traffic.category == "ecole"
    assert not disabled.enabled


def test_a_dual_homed_site_is_not_behind_the_pop_of_one_of_its_links() -> None:
    from dataclasses import replace

    from simulation.lab.model import LabDevice, LabLink, LabNetwork, LabPop, SnmpCredentials

    base = LabDevice(
        name="",
        address="127.9.0.1",
        port=161,
        credentials=SnmpCredentials("v2c", community="c"),
        sys_descr="",
        sys_object_id=(1, 3, 6, 1),
        sys_location="",
        chassis_mac=b"\\0" * 6,
        interfaces=(),
    )
    network = LabNetwork(
        devices=(
            replace(base, name="lannion-rtr", pop_name="Lannion"),
            replace(base, name="brest-rtr", pop_name="Brest"),
            replace(base, name="cpe-single", establishment_code="S1"),
            replace(base, name="cpe-dual", establishment_code="S2"),
        ),
        links=(
            LabLink(1, "cpe-single", 1, "lannion-rtr", 1),
            LabLink(2, "cpe-dual", 1, "lannion-rtr", 2),
            LabLink(3, "cpe-dual", 2, "brest-rtr", 1),
        ),
        pops=(LabPop("Lannion", "lannion"), LabPop("Brest", "brest")),
    )
    assert Targets(network).resolve("pop:Lannion").devices == {"lannion-rtr", "cpe-single"}
