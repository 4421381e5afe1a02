"""Decoding LLDP-MIB rows into neighbours, on rows shaped like real devices' (pure, no agent)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from poller.collectors.walk import Cell, TableWalk
from poller.snmp.ber import INTEGER, OCTET_STRING
from topology.discovery import lldp_snmp as m
from topology.discovery.drift import DocumentedLink, compare
from topology.discovery.types import Neighbour

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _cell(value: int | bytes) -> Cell:
    return Cell(INTEGER if isinstance(value, int) else OCTET_STRING, value, NOW)


def _table(rows: dict[tuple[int, ...], dict[tuple[int, ...], int | bytes]]) -> TableWalk:
    table = TableWalk()
    for index, row in rows.items():
        for column, value in row.items():
            table.columns.setdefault(column, {})[index] = _cell(value)
    return table


def _local(ports: dict[int, tuple[int, bytes, bytes]]) -> TableWalk:
    return _table(
        {
            (n,): {m.LOC_PORT_ID_SUBTYPE: s, m.LOC_PORT_ID: i, m.LOC_PORT_DESC: d}
            for n, (s, i, d) in ports.items()
        }
    )


def _remote(rows: dict[tuple[int, ...], tuple[int, bytes, int, bytes, bytes, bytes]]) -> TableWalk:
    columns = (
        m.REM_CHASSIS_SUBTYPE,
        m.REM_CHASSIS_ID,
        m.REM_PORT_SUBTYPE,
        m.REM_PORT_ID,
        m.REM_PORT_DESC,
        m.REM_SYS_NAME,
    )
    return _table(
        {index: dict(zip(columns, values, strict=True)) for index, values in rows.items()}
    )


MAC = bytes.fromhex("02a1b2c3d4e5")


def test_cisco_style_interface_names_on_both_sides() -> None:
    local = _local({1: (m.PORT_NAME, b"Gi0/0/0", b"WAN uplink")})
    remote = _remote(
        {
            (0, 1, 1): (
                m.CHASSIS_MAC,
                MAC,
                m.PORT_NAME,
                b"xe-0/0/4",
                b"to cpe",
                b"pop-rennes-1.net.example",
            )
        }
    )
    report = m.decode("cpe-1", "cpe-1", local, remote)
    assert report.interfaces == frozenset({"Gi0/0/0"})
    assert report.neighbours == (
        Neighbour(
            "cpe-1",
            "Gi0/0/0",
            "pop-rennes-1.net.example",
            "xe-0/0/4",
            "02:a1:b2:c3:d4:e5",
            "lldp-snmp",
        ),
    )


def test_junos_style_local_ids_are_ifindex_numbers_so_the_description_names_the_port() -> None:
    local = _local({523: (m.PORT_LOCAL, b"523", b"xe-0/0/1")})
    remote = _remote(
        {(1234, 523, 7): (m.CHASSIS_MAC, MAC, m.PORT_LOCAL, b"517", b"xe-1/0/0", b"core-2")}
    )
    (n,) = m.decode("core-1", "", local, remote).neighbours
    assert (n.local_port, n.remote_system, n.remote_port) == ("xe-0/0/1", "core-2", "xe-1/0/0")


def test_mac_port_ids_without_description_and_network_address_chassis() -> None:
    chassis = bytes([1, 10, 0, 0, 7])  # IPv4 10.0.0.7
    remote = _remote({(0, 3, 1): (m.CHASSIS_NETWORK_ADDRESS, chassis, m.PORT_MAC, MAC, b"", b"")})
    (n,) = m.decode("sw-1", "", _local({3: (m.PORT_NAME, b"ge-0/0/3", b"")}), remote).neighbours
    assert n.remote_chassis == "10.0.0.7"
    assert n.remote_system == "10.0.0.7"  # no system name: the chassis stands for it
    assert n.remote_port == "02:a1:b2:c3:d4:e5"
    assert m.chassis_id(7, _cell(b"\x00\xff")) == "00ff"  # not printable: hex
    assert m.chassis_id(7, _cell(b"router-7")) == "router-7"


def test_a_neighbour_on_a_port_missing_from_the_local_table_keeps_its_number() -> None:
    remote = _remote({(0, 9, 1): (m.CHASSIS_MAC, MAC, m.PORT_NAME, b"p1", b"", b"x")})
    (n,) = m.decode("d", "", _local({}), remote).neighbours
    assert n.local_port == "9"


def test_several_neighbours_on_one_port_and_rows_in_index_order() -> None:
    remote = _remote({
        (0, 2, 2): (m.CHASSIS_MAC, MAC, m.PORT_NAME, b"b", b"", b"y"),
        (0, 2, 1): (m.CHASSIS_MAC, MAC, m.PORT_NAME, b"a", b"", b"x"),
    })  # fmt: skip
    neighbours = m.decode("d", "", _local({2: (m.PORT_NAME, b"p2", b"")}), remote).neighbours
    assert [(n.local_port, n.remote_system, n.remote_port) for n in neighbours] == [
        ("p2", "x", "a"),
        ("p2", "y", "b"),
    ]


@pytest.mark.parametrize("index", [(0, 1), (0, 1, 1, 4)])
def test_a_remote_index_of_the_wrong_shape_is_a_clear_error(index: tuple[int, ...]) -> None:
    remote = _remote({index: (m.CHASSIS_MAC, MAC, m.PORT_NAME, b"p", b"", b"x")})
    with pytest.raises(m.LldpDecodeError, match="lldpRemLocalPortNum"):
        m.decode("d", "", _local({}), remote)


def test_a_local_index_of_the_wrong_shape_is_a_clear_error() -> None:
    with pytest.raises(m.LldpDecodeError, match="lldpLocPortTable"):
        m.decode("d", "", _table({(1, 2): {m.LOC_PORT_ID: b"x"}}), _remote({}))


def test_wrongly_typed_cells_decode_as_empty_not_as_garbage() -> None:
    remote = _table({(0, 1, 1): {m.REM_SYS_NAME: 5, m.REM_PORT_ID: 7, m.REM_PORT_DESC: b"ge-1"}})
    (n,) = m.decode("d", "", _local({1: (m.PORT_NAME, b"p1", b"")}), remote).neighbours
    assert (n.remote_system, n.remote_port) == ("", "ge-1")


def test_snmp_neighbours_give_the_same_drift_findings_as_napalm_ones() -> None:
    documented = [DocumentedLink(1, "cpe-1", "Gi0/0/0", "pop-1", "xe-0/0/4")]
    local = _local({1: (m.PORT_NAME, b"Gi0/0/0", b"")})
    seen = _remote({(0, 1, 1): (m.CHASSIS_MAC, MAC, m.PORT_NAME, b"xe-0/0/5", b"", b"pop-1")})
    report = m.decode("cpe-1", "", local, seen)
    (finding,) = compare(documented, report.neighbours, ["cpe-1", "pop-1"], ["cpe-1"])
    assert (finding.kind, finding.seen_z_port) == ("wrong_port", "xe-0/0/5")
