"""LLDP neighbours over SNMP (LLDP-MIB): the same `DeviceReport` the NAPALM source produces.

Two tables are walked with the poller's session: lldpLocPortTable (index lldpLocPortNum: our own
port names) and lldpRemTable (index lldpRemTimeMark.lldpRemLocalPortNum.lldpRemIndex: one row per
neighbour heard on a port). `decode` is pure, so it is tested on rows shaped like real devices'.

Port ids come in several subtypes (IEEE 802.1AB): interfaceName (5) and interfaceAlias (1) carry
the name; local (7) is a name on Cisco but an ifIndex number on Junos, whose port description then
carries the name; macAddress (3) and networkAddress (4) are no name at all. The description is
used whenever the id is not a usable name.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from poller.collectors.walk import Cell, TableWalk, walk_table
from poller.snmp.ber import OCTET_STRING
from poller.snmp.oids import Oid
from poller.snmp.session import Session
from topology.discovery.napalm_source import DeviceReport
from topology.discovery.types import Neighbour

LLDP = (1, 0, 8802, 1, 1, 2, 1)
LOC_SYS_NAME = (*LLDP, 3, 3)  # a GETBULK non-repeater: the agent answers its .0
LOC_PORT = (*LLDP, 3, 7, 1)
LOC_PORT_ID_SUBTYPE, LOC_PORT_ID, LOC_PORT_DESC = ((*LOC_PORT, c) for c in (2, 3, 4))
REM = (*LLDP, 4, 1, 1)
(
    REM_CHASSIS_SUBTYPE,
    REM_CHASSIS_ID,
    REM_PORT_SUBTYPE,
    REM_PORT_ID,
    REM_PORT_DESC,
    REM_SYS_NAME,
) = ((*REM, c) for c in (4, 5, 6, 7, 8, 9))
LOC_COLUMNS = (LOC_PORT_ID_SUBTYPE, LOC_PORT_ID, LOC_PORT_DESC)
REM_COLUMNS = (
    REM_CHASSIS_SUBTYPE,
    REM_CHASSIS_ID,
    REM_PORT_SUBTYPE,
    REM_PORT_ID,
    REM_PORT_DESC,
    REM_SYS_NAME,
)

# LldpPortIdSubtype and LldpChassisIdSubtype values used below
PORT_ALIAS, PORT_MAC, PORT_NETWORK_ADDRESS, PORT_NAME, PORT_LOCAL = 1, 3, 4, 5, 7
CHASSIS_MAC, CHASSIS_NETWORK_ADDRESS = 4, 5
ROWS_PER_REQUEST = 32


class LldpDecodeError(ValueError):
    """A row of the LLDP-MIB that cannot be one (a wrong type, an index of the wrong shape)."""


Row = Mapping[Oid, Cell]


def _text(cell: Cell | None) -> str:
    if cell is None or cell.tag != OCTET_STRING or not isinstance(cell.value, bytes):
        return ""
    return cell.value.decode("utf-8", "replace").strip().rstrip("\x00")


def _int(cell: Cell | None) -> int | None:
    return cell.value if cell is not None and isinstance(cell.value, int) else None


def _mac(raw: bytes) -> str:
    return ":".join(f"{b:02x}" for b in raw)


def _network_address(raw: bytes) -> str:
    """IANA address family (1 IPv4, 2 IPv6) then the address, as LLDP encodes it."""
    if (len(raw), raw[:1]) in ((5, b"\x01"), (17, b"\x02")):
        return str(ipaddress.ip_address(raw[1:]))
    return raw.hex()


def chassis_id(subtype: int | None, cell: Cell | None) -> str:
    raw = cell.value if cell is not None and isinstance(cell.value, bytes) else b""
    if subtype == CHASSIS_MAC and len(raw) == 6:
        return _mac(raw)
    if subtype == CHASSIS_NETWORK_ADDRESS:
        return _network_address(raw)
    text = raw.decode("utf-8", "replace")
    return text if text.isprintable() else raw.hex()


def port_name(subtype: int | None, id_cell: Cell | None, description: str) -> str:
    """The name a port goes by: its id when that is a name, else its description."""
    raw = id_cell.value if id_cell is not None and isinstance(id_cell.value, bytes) else b""
    text = _text(id_cell)
    if subtype in (PORT_NAME, PORT_ALIAS) and text:
        return text
    if subtype == PORT_LOCAL and text and not text.isdigit():
        return text
    if description:
        return description
    if subtype == PORT_MAC and len(raw) == 6:
        return _mac(raw)
    if subtype == PORT_NETWORK_ADDRESS:
        return _network_address(raw)
    return text


def decode(device: str, hostname: str, local: TableWalk, remote: TableWalk) -> DeviceReport:
    """The report of one device from its two walked tables."""
    ports: dict[int, str] = {}
    for index, row in local.rows().items():
        if len(index) != 1:
            raise LldpDecodeError(f"{device}: lldpLocPortTable index {index} is not one integer")
        ports[index[0]] = port_name(
            _int(row.get(LOC_PORT_ID_SUBTYPE)), row.get(LOC_PORT_ID), _text(row.get(LOC_PORT_DESC))
        )
    neighbours = []
    for index, row in remote.rows().items():
        if len(index) != 3:
            raise LldpDecodeError(
                f"{device}: lldpRemTable index {index} is not "
                "lldpRemTimeMark.lldpRemLocalPortNum.lldpRemIndex"
            )
        local_port = ports.get(index[1], str(index[1]))  # agents without lldpLocPortTable
        chassis = chassis_id(_int(row.get(REM_CHASSIS_SUBTYPE)), row.get(REM_CHASSIS_ID))
        remote_port = port_name(
            _int(row.get(REM_PORT_SUBTYPE)), row.get(REM_PORT_ID), _text(row.get(REM_PORT_DESC))
        )
        neighbours.append(
            Neighbour(
                local_device=device,
                local_port=local_port,
                remote_system=_text(row.get(REM_SYS_NAME)) or chassis,
                remote_port=remote_port,
                remote_chassis=chassis,
                source="lldp-snmp",
            )
        )
    return DeviceReport(device, hostname, frozenset(ports.values()), tuple(neighbours))


async def lldp_report(session: Session, device: str) -> DeviceReport:
    """Walk one device's LLDP-MIB (two tables, a few GETBULKs) and decode it."""
    local = await walk_table(
        session, LOC_COLUMNS, ROWS_PER_REQUEST, scalars=[LOC_SYS_NAME], index_length=1
    )
    remote = await walk_table(session, REM_COLUMNS, ROWS_PER_REQUEST, index_length=3)
    hostname = ""
    if local.scalars:
        name, tag, value = local.scalars[0]
        if name == (*LOC_SYS_NAME, 0) and tag == OCTET_STRING and isinstance(value, bytes):
            hostname = value.decode("utf-8", "replace")
    return decode(device, hostname, local, remote)
