"""Real UDP round trips against the running lab: pysnmp 7 first, Net-SNMP's tools second."""

from __future__ import annotations

import socket
import subprocess
import time

import pytest

from simulation.lab.probe import reply_id, v2c_get
from tests.simulation.lab.client import (
    IF_HC_IN,
    IF_HC_OUT,
    IF_OPER,
    LLDP_REM_PORTID,
    LLDP_REM_SYSNAME,
    SYS_UPTIME,
    bulk,
    get,
    getnext,
    net_snmp,
    values,
)
from tests.simulation.lab.conftest import RunningLab

# the network is read from the database once per module; one lab per module, on one worker
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("lab-wire")]

LYCEE = "cpe-0350001a"
MAIRIE = "cpe-0350002b"  # SNMPv3 authPriv (SHA + AES-128)


def test_v2c_get_answers_system_group_from_the_device_address(lab: RunningLab) -> None:
    device = lab.device(LYCEE)
    got = values(get(device, SYS_UPTIME, "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.2.0"))
    assert str(got["1.3.6.1.2.1.1.5.0"]) == LYCEE
    assert str(got["1.3.6.1.2.1.1.2.0"]).startswith("1.3.6.1.4.1.9.")  # Cisco
    assert int(got[SYS_UPTIME]) > 7_200 * 100  # up for at least two hours


def test_v3_authpriv_get_and_bulk_answer(lab: RunningLab) -> None:
    device = lab.device(MAIRIE)
    assert device.credentials.version == "v3"
    got = values(get(device, "1.3.6.1.2.1.1.5.0"))
    assert str(got["1.3.6.1.2.1.1.5.0"]) == MAIRIE
    table = values(bulk(device, SYS_UPTIME[:-2], IF_HC_IN, non_repeaters=1, max_repetitions=4))
    assert SYS_UPTIME in table
    assert [k for k in table if k.startswith(IF_HC_IN + ".")] == [
        f"{IF_HC_IN}.{i}" for i in (1, 2, 3, 4)
    ]


def test_wrong_community_gets_no_reply(lab: RunningLab) -> None:
    device = lab.device(LYCEE)
    from pysnmp.hlapi.v3arch.asyncio import CommunityData

    import tests.simulation.lab.client as client

    original = client.auth
    client.auth = lambda d: CommunityData("not-the-community")  # type: ignore[assignment]
    try:
        error_indication, *_ = get(device, SYS_UPTIME, timeout=0.5, retries=0)
    finally:
        client.auth = original
    assert "timeout" in str(error_indication).lower()


def test_getbulk_walks_if_mib_columns_in_order(lab: RunningLab) -> None:
    device = lab.device(LYCEE)
    result = bulk(
        device, SYS_UPTIME[:-2], IF_HC_IN, IF_HC_OUT, IF_OPER, non_repeaters=1, max_repetitions=4
    )
    error_indication, error_status, _, varbinds = result
    assert error_indication is None
    assert int(error_status) == 0
    names = [str(oid) for oid, _ in varbinds]
    assert names[0] == SYS_UPTIME
    assert names[1:4] == [f"{IF_HC_IN}.1", f"{IF_HC_OUT}.1", f"{IF_OPER}.1"]
    assert names[-3:] == [f"{IF_HC_IN}.4", f"{IF_HC_OUT}.4", f"{IF_OPER}.4"]
    oper = {str(o): int(v) for o, v in varbinds if str(o).startswith(IF_OPER + ".")}
    assert oper == {f"{IF_OPER}.1": 1, f"{IF_OPER}.2": 1, f"{IF_OPER}.3": 1, f"{IF_OPER}.4": 2}


def test_get_errors_are_no_such_object_and_no_such_instance(lab: RunningLab) -> None:
    device = lab.device(LYCEE)
    _, status, _, varbinds = get(device, "1.3.6.1.2.1.1.3.7", "1.3.6.1.2.1.99.1.0")
    assert int(status) == 0
    kinds = [type(value).__name__ for _, value in varbinds]
    assert kinds == ["NoSuchInstance", "NoSuchObject"]


def test_getnext_past_the_last_object_is_end_of_mib_view(lab: RunningLab) -> None:
    device = lab.device(LYCEE)
    _, status, _, varbinds = getnext(device, "1.3.6.1.2.1.99")
    assert int(status) == 0
    assert type(varbinds[0][1]).__name__ == "EndOfMibView"


def test_lldp_neighbours_match_both_ends_of_each_link(lab: RunningLab) -> None:
    cpe = lab.device(LYCEE)
    pop = lab.device("pop-rennes-1")
    cpe_side = values(bulk(cpe, LLDP_REM_SYSNAME, LLDP_REM_PORTID, max_repetitions=10))
    assert cpe_side[f"{LLDP_REM_SYSNAME}.0.1.1"].prettyPrint() == "pop-rennes-1"
    far_port = str(cpe_side[f"{LLDP_REM_PORTID}.0.1.1"])
    far_index = next(i.if_index for i in pop.interfaces if i.name == far_port)
    pop_side = values(
        get(pop, f"{LLDP_REM_SYSNAME}.0.{far_index}.1", f"{LLDP_REM_PORTID}.0.{far_index}.1")
    )
    assert str(pop_side[f"{LLDP_REM_SYSNAME}.0.{far_index}.1"]) == LYCEE
    assert str(pop_side[f"{LLDP_REM_PORTID}.0.{far_index}.1"]) == "Gi0/0/0"


def test_counters_are_monotonic_and_bounded_by_the_committed_rate(lab: RunningLab) -> None:
    device = lab.device(LYCEE)
    uplink = device.interfaces[0]
    oids = (f"{IF_HC_IN}.1", f"{IF_HC_OUT}.1")
    before = time.time()
    first = values(get(device, *oids))
    after_first = time.time()
    time.sleep(1.2)
    second = values(get(device, *oids))
    after = time.time()
    for oid, limit in (
        (oids[0], uplink.traffic.in_limit_bps),
        (oids[1], uplink.traffic.out_limit_bps),
    ):
        delta = int(second[oid]) - int(first[oid])
        assert delta >= 0
        # the two reads happened inside [before, after]: the bytes cannot exceed that window
        assert delta <= limit / 8 * (after - before) + 1
    assert after_first >= before


def test_net_snmp_tools_read_v2c_and_v3_agents(lab: RunningLab) -> None:
    lycee = net_snmp("snmpget", lab.device(LYCEE), SYS_UPTIME, "1.3.6.1.2.1.1.5.0")
    assert lycee.returncode == 0, lycee.stderr
    assert f'.1.3.6.1.2.1.1.5.0 = STRING: "{LYCEE}"' in lycee.stdout
    walk = net_snmp("snmpbulkwalk", lab.device(MAIRIE), IF_HC_IN)
    assert walk.returncode == 0, walk.stderr
    lines = walk.stdout.strip().splitlines()
    assert [line.split(" = ")[0] for line in lines] == [f".{IF_HC_IN}.{i}" for i in (1, 2, 3, 4)]
    assert all(" = Counter64: " in line for line in lines)


def test_net_snmp_walks_the_whole_lldp_remote_table(lab: RunningLab) -> None:
    walk = net_snmp("snmpbulkwalk", lab.device("pop-rennes-1"), "1.0.8802.1.1.2.1.4.1.1.9")
    assert walk.returncode == 0, walk.stderr
    names = sorted(line.split('"')[1] for line in walk.stdout.strip().splitlines())
    # Rennes: the Brest and Vitré backbone links and its two sites
    assert names == ["cpe-0350001a", "cpe-0350002b", "pop-brest-1", "pop-vitre-1"]


def test_replies_come_from_the_address_the_request_was_sent_to(lab: RunningLab) -> None:
    devices = list(lab.network.devices)
    v2c_devices = [d for d in devices if d.credentials.version == "v2c"]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(5)
        for request_id, device in enumerate(v2c_devices, start=1):
            sock.sendto(
                v2c_get(device.credentials.community, request_id), (device.address, device.port)
            )
            data, source = sock.recvfrom(65_535)
            assert source == (device.address, device.port)
            assert reply_id(data) == request_id


def test_lldp_local_port_table_names_every_interface(lab: RunningLab) -> None:
    device = lab.device(LYCEE)
    table = values(bulk(device, "1.0.8802.1.1.2.1.3.7.1.3", max_repetitions=4))
    port_ids = {k: str(v) for k, v in table.items() if k.startswith("1.0.8802.1.1.2.1.3.7.1.3.")}
    assert port_ids == {f"1.0.8802.1.1.2.1.3.7.1.3.{i.if_index}": i.name for i in device.interfaces}


def test_v3_with_a_wrong_key_or_user_is_an_authentication_failure(lab: RunningLab) -> None:
    device = lab.device(MAIRIE)
    address = f"{device.address}:{device.port}"
    base = ["snmpget", "-v3", "-l", "authPriv", "-a", "SHA", "-x", "AES", "-X", "priv-secret-1"]
    base += ["-On", "-r0", "-t2"]
    wrong_key = subprocess.run(
        [*base, "-u", "menhir", "-A", "not-the-key", address, SYS_UPTIME],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert wrong_key.returncode != 0
    assert "Authentication failure" in wrong_key.stderr
    unknown_user = subprocess.run(
        [*base, "-u", "mallory", "-A", "auth-secret-1", address, SYS_UPTIME],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert unknown_user.returncode != 0
    assert "Unknown user name" in unknown_user.stderr
