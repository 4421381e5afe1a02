"""A device's MIB view: SNMPv2-MIB system, IF-MIB ifTable/ifXTable, LLDP-MIB local and remote.

The view is a sorted list of OIDs (BER content bytes) with, for each, either a pre-encoded varbind
(static values) or a function of the time (counters, sysUpTime). It is rebuilt when a fault
changes the device's shape (an interface down, a 32-bit-only agent), never per request.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from simulation.lab import ber
from simulation.lab.counters import OctetCounter
from simulation.lab.model import LabDevice, LabInterface
from simulation.lab.pdu import NO_ACCESS, TOO_BIG, Request, Response, VarBind
from simulation.lab.traffic import jitter

SYSTEM = "1.3.6.1.2.1.1"
SYS_UPTIME = SYSTEM + ".3"
IF_NUMBER = "1.3.6.1.2.1.2.1"
IF_ENTRY = "1.3.6.1.2.1.2.2.1"
IFX_ENTRY = "1.3.6.1.2.1.31.1.1.1"
LLDP_LOCAL = "1.0.8802.1.1.2.1.3"
LLDP_LOC_PORT = LLDP_LOCAL + ".7.1"
LLDP_REM = "1.0.8802.1.1.2.1.4.1.1"

UP, DOWN = 1, 2
BYTES_PER_PACKET = 800
MAX32 = 1 << 32
MAX64 = 1 << 64

Value = Callable[[float], int]
# (OID TLV, value tag, static value or function of time, pre-encoded varbind or b"" if dynamic)
Cell = tuple[bytes, int, object, bytes]


@dataclass(slots=True)
class InterfaceState:
    spec: LabInterface
    rx: OctetCounter
    tx: OctetCounter
    error_divisor: int  # one error per this many octets: small, steady, per interface
    last_change: int = 0  # TimeTicks since boot of the last oper-status change


def _varbind(oid_tlv: bytes, value_tlv: bytes) -> bytes:
    return ber.tlv(ber.SEQUENCE, oid_tlv + value_tlv)


class MibView:
    __slots__ = ("cells", "objects", "oids")

    def __init__(self, entries: list[tuple[bytes, int, object]], objects: list[bytes]) -> None:
        entries.sort(key=lambda e: e[0])
        self.oids = [oid for oid, _, _ in entries]
        self.cells: list[Cell] = []
        for oid, tag, value in entries:
            oid_tlv = ber.tlv(ber.OBJECT_IDENTIFIER, oid)
            static = b"" if callable(value) else _varbind(oid_tlv, ber.encode_value(tag, value))
            self.cells.append((oid_tlv, tag, value, static))
        self.objects = sorted(objects)

    def __len__(self) -> int:
        return len(self.oids)

    def cell(self, index: int, now: float) -> VarBind:
        oid_tlv, tag, value, static = self.cells[index]
        if static:
            return self.oids[index], tag, value, static
        number = value(now)  # type: ignore[operator]
        return self.oids[index], tag, number, _varbind(oid_tlv, ber.encode_value(tag, number))

    def exception(self, oid: bytes, tag: int) -> VarBind:
        return oid, tag, None, _varbind(ber.tlv(ber.OBJECT_IDENTIFIER, oid), bytes((tag, 0)))

    def get(self, oid: bytes, now: float) -> VarBind:
        i = bisect_left(self.oids, oid)
        if i < len(self.oids) and self.oids[i] == oid:
            return self.cell(i, now)
        j = bisect_right(self.objects, oid) - 1
        known = j >= 0 and oid.startswith(self.objects[j]) and oid != self.objects[j]
        return self.exception(oid, ber.NO_SUCH_INSTANCE if known else ber.NO_SUCH_OBJECT)

    def answer(self, request: Request, now: float, budget: int, max_varbinds: int) -> Response:
        """Answer GET, GETNEXT or GETBULK within `budget` bytes of varbinds (RFC 3416 §4.2)."""
        response = Response(request.request_id)
        kind = request.pdu_type
        if kind == ber.SET_REQUEST:  # the lab is read-only
            response.error_status, response.error_index = NO_ACCESS, 1
            response.varbinds = [
                (o, ber.NULL, None, _varbind(ber.tlv(ber.OBJECT_IDENTIFIER, o), b"\x05\x00"))
                for o in request.oids
            ]
            return response
        if kind == ber.GET_BULK_REQUEST:
            response.varbinds = self._bulk(request, now, budget, max_varbinds)
            return response
        if kind == ber.GET_REQUEST:
            varbinds = [self.get(oid, now) for oid in request.oids]
        else:
            varbinds = [self._next(oid, now) for oid in request.oids]
        if sum(len(vb[3]) for vb in varbinds) > budget:
            response.error_status = TOO_BIG
        else:
            response.varbinds = varbinds
        return response

    def _next(self, oid: bytes, now: float) -> VarBind:
        i = bisect_right(self.oids, oid)
        if i < len(self.oids):
            return self.cell(i, now)
        return self.exception(oid, ber.END_OF_MIB_VIEW)

    def _bulk(self, request: Request, now: float, budget: int, max_varbinds: int) -> list[VarBind]:
        oids = request.oids
        n = min(max(request.non_repeaters, 0), len(oids))
        out: list[VarBind] = []
        size = 0
        for oid in oids[:n]:
            vb = self._next(oid, now)
            size += len(vb[3])
            if size > budget or len(out) >= max_varbinds:
                return out
            out.append(vb)
        repeaters = oids[n:]
        if not repeaters:
            return out
        count = len(self.oids)
        names = list(repeaters)  # each column's last name: an exhausted column repeats it
        positions = [bisect_right(self.oids, oid) for oid in repeaters]
        for _ in range(max(request.max_repetitions, 0)):
            exhausted = True
            for k, position in enumerate(positions):
                if position < count:
                    vb = self.cell(position, now)
                    positions[k] = position + 1
                    names[k] = vb[0]
                    exhausted = False
                else:
                    vb = self.exception(names[k], ber.END_OF_MIB_VIEW)
                size += len(vb[3])
                if size > budget or len(out) >= max_varbinds:
                    return out
                out.append(vb)
            if exhausted:
                break
        return out


def _columns(
    device: LabDevice,
    state: InterfaceState,
    oper: int,
    counter32: bool,
) -> list[tuple[str, int, int, object]]:
    """(table entry, column, tag, value) for one interface."""
    spec = state.spec
    rx, tx, divisor = state.rx, state.tx, state.error_divisor

    def in_octets(t: float) -> int:
        return rx.value(t) % MAX32

    def out_octets(t: float) -> int:
        return tx.value(t) % MAX32

    def in_packets(t: float) -> int:
        return rx.value(t) // BYTES_PER_PACKET % MAX32

    def out_packets(t: float) -> int:
        return tx.value(t) // BYTES_PER_PACKET % MAX32

    def in_errors(t: float) -> int:
        return rx.value(t) // divisor % MAX32

    def out_errors(t: float) -> int:
        return tx.value(t) // divisor % MAX32

    def in_discards(t: float) -> int:
        return rx.value(t) // (divisor * 3) % MAX32

    def out_discards(t: float) -> int:
        return tx.value(t) // (divisor * 3) % MAX32

    def hc_in_octets(t: float) -> int:
        return rx.value(t) % MAX64

    def hc_out_octets(t: float) -> int:
        return tx.value(t) % MAX64

    def hc_in_packets(t: float) -> int:
        return rx.value(t) // BYTES_PER_PACKET

    def hc_out_packets(t: float) -> int:
        return tx.value(t) // BYTES_PER_PACKET

    mac = device.chassis_mac[:4] + spec.if_index.to_bytes(2, "big")
    columns: list[tuple[str, int, int, object]] = [
        (IF_ENTRY, 1, ber.INTEGER, spec.if_index),
        (IF_ENTRY, 2, ber.OCTET_STRING, spec.name.encode()),
        (IF_ENTRY, 3, ber.INTEGER, spec.if_type),
        (IF_ENTRY, 4, ber.INTEGER, 1500),
        (IF_ENTRY, 5, ber.GAUGE32, min(spec.speed_bps, MAX32 - 1)),
        (IF_ENTRY, 6, ber.OCTET_STRING, mac),
        (IF_ENTRY, 7, ber.INTEGER, UP if spec.enabled else DOWN),
        (IF_ENTRY, 8, ber.INTEGER, oper),
        (IF_ENTRY, 9, ber.TIMETICKS, state.last_change),
        (IF_ENTRY, 10, ber.COUNTER32, in_octets),
        (IF_ENTRY, 11, ber.COUNTER32, in_packets),
        (IF_ENTRY, 13, ber.COUNTER32, in_discards),
        (IF_ENTRY, 14, ber.COUNTER32, in_errors),
        (IF_ENTRY, 16, ber.COUNTER32, out_octets),
        (IF_ENTRY, 17, ber.COUNTER32, out_packets),
        (IF_ENTRY, 19, ber.COUNTER32, out_discards),
        (IF_ENTRY, 20, ber.COUNTER32, out_errors),
        (IFX_ENTRY, 1, ber.OCTET_STRING, spec.name.encode()),
        (IFX_ENTRY, 15, ber.GAUGE32, spec.speed_bps // 1_000_000),
        (IFX_ENTRY, 18, ber.OCTET_STRING, spec.description.encode()),
    ]
    if not counter32:
        columns += [
            (IFX_ENTRY, 6, ber.COUNTER64, hc_in_octets),
            (IFX_ENTRY, 7, ber.COUNTER64, hc_in_packets),
            (IFX_ENTRY, 10, ber.COUNTER64, hc_out_octets),
            (IFX_ENTRY, 11, ber.COUNTER64, hc_out_packets),
        ]
    return columns


IF_COLUMNS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 16, 17, 19, 20)
IFX_COLUMNS = (1, 6, 7, 10, 11, 15, 18)
LLDP_LOC_COLUMNS = (2, 3, 4)
LLDP_REM_COLUMNS = (4, 5, 6, 7, 8, 9, 10)
INTERFACE_NAME = 5  # LLDP port id subtype
MAC_ADDRESS = 4  # LLDP chassis id subtype


def build_view(
    device: LabDevice,
    interfaces: list[InterfaceState],
    down: set[int],
    counter32: bool,
    uptime_ticks: Value,
) -> MibView:
    """The device's whole MIB as the poller and topology discovery read it."""
    entries: list[tuple[bytes, int, object]] = []
    objects: list[bytes] = []

    def scalar(prefix: str, tag: int, value: object) -> None:
        objects.append(ber.parse_oid(prefix))
        entries.append((ber.parse_oid(prefix + ".0"), tag, value))

    scalar(SYSTEM + ".1", ber.OCTET_STRING, device.sys_descr.encode())
    scalar(SYSTEM + ".2", ber.OBJECT_IDENTIFIER, ber.encode_oid(device.sys_object_id))
    scalar(SYS_UPTIME, ber.TIMETICKS, uptime_ticks)
    scalar(SYSTEM + ".4", ber.OCTET_STRING, b"noc@menhir.invalid")
    scalar(SYSTEM + ".5", ber.OCTET_STRING, device.name.encode())
    scalar(SYSTEM + ".6", ber.OCTET_STRING, device.sys_location.encode())
    scalar(SYSTEM + ".7", ber.INTEGER, 6)
    scalar(IF_NUMBER, ber.INTEGER, len(interfaces))
    scalar(LLDP_LOCAL + ".1", ber.INTEGER, MAC_ADDRESS)
    scalar(LLDP_LOCAL + ".2", ber.OCTET_STRING, device.chassis_mac)
    scalar(LLDP_LOCAL + ".3", ber.OCTET_STRING, device.name.encode())
    scalar(LLDP_LOCAL + ".4", ber.OCTET_STRING, device.sys_descr.encode())
    for column in IF_COLUMNS:
        objects.append(ber.parse_oid(f"{IF_ENTRY}.{column}"))
    for column in IFX_COLUMNS:
        if not (counter32 and column in (6, 7, 10, 11)):
            objects.append(ber.parse_oid(f"{IFX_ENTRY}.{column}"))
    for column in LLDP_LOC_COLUMNS:
        objects.append(ber.parse_oid(f"{LLDP_LOC_PORT}.{column}"))
    for column in LLDP_REM_COLUMNS:
        objects.append(ber.parse_oid(f"{LLDP_REM}.{column}"))

    columns = {
        (t, c): ber.parse_oid(f"{t}.{c}") for t in (IF_ENTRY, IFX_ENTRY) for c in range(1, 21)
    }
    loc_port = {c: ber.parse_oid(f"{LLDP_LOC_PORT}.{c}") for c in LLDP_LOC_COLUMNS}
    rem = {c: ber.parse_oid(f"{LLDP_REM}.{c}") for c in LLDP_REM_COLUMNS}
    for state in interfaces:
        spec = state.spec
        idx = spec.if_index
        index = ber.subids(idx)
        oper = UP if spec.enabled and idx not in down else DOWN
        for table, column, tag, value in _columns(device, state, oper, counter32):
            entries.append((columns[table, column] + index, tag, value))
        entries.append((loc_port[2] + index, ber.INTEGER, INTERFACE_NAME))
        entries.append((loc_port[3] + index, ber.OCTET_STRING, spec.name.encode()))
        entries.append((loc_port[4] + index, ber.OCTET_STRING, spec.description.encode()))
        far = spec.neighbour
        if far is None or oper == DOWN:
            continue
        row = ber.subids(0, idx, 1)  # lldpRemTimeMark 0, local port, lldpRemIndex 1
        for column, tag, value in (
            (4, ber.INTEGER, MAC_ADDRESS),
            (5, ber.OCTET_STRING, far.chassis_mac),
            (6, ber.INTEGER, INTERFACE_NAME),
            (7, ber.OCTET_STRING, far.port_name.encode()),
            (8, ber.OCTET_STRING, far.port_description.encode()),
            (9, ber.OCTET_STRING, far.device_name.encode()),
            (10, ber.OCTET_STRING, far.system_description.encode()),
        ):
            entries.append((rem[column] + row, tag, value))
    return MibView(entries, objects)


def error_divisor(device: str, if_index: int) -> int:
    """Between one error per 10⁸ and per 10¹⁰ octets, stable per interface."""
    return int(10 ** (8 + 2 * jitter(f"{device}/{if_index}/errors", 0.0, 1.0)))
