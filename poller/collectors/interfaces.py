"""IF-MIB interface counters and status: one GETBULK per device for every column.

sysUpTime rides along as a non-repeater, so a single round trip gives the counters and the clock
to detect reboots. Agents without the 64-bit ifXTable columns get a second walk of the 32-bit
ifTable octet counters (and ifSpeed when ifHighSpeed is missing); the runner remembers that
and asks the 32-bit columns directly next time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from poller.collectors.walk import Cell, WalkResult, walk_columns
from poller.snmp import oids
from poller.snmp.ber import COUNTER32, COUNTER64, GAUGE32, INTEGER, TIMETICKS
from poller.snmp.errors import MalformedReply
from poller.snmp.session import Session
from poller.types import Target

DEFAULT_ROWS = 8  # max-repetitions when the inventory knows no interface of the device

HC_COLUMNS = (
    oids.IF_HC_IN_OCTETS,
    oids.IF_HC_OUT_OCTETS,
    oids.IF_IN_ERRORS,
    oids.IF_OUT_ERRORS,
    oids.IF_IN_DISCARDS,
    oids.IF_OUT_DISCARDS,
    oids.IF_OPER_STATUS,
    oids.IF_ADMIN_STATUS,
    oids.IF_HIGH_SPEED,
)
LEGACY_COLUMNS = (
    oids.IF_IN_OCTETS,
    oids.IF_OUT_OCTETS,
    oids.IF_IN_ERRORS,
    oids.IF_OUT_ERRORS,
    oids.IF_IN_DISCARDS,
    oids.IF_OUT_DISCARDS,
    oids.IF_OPER_STATUS,
    oids.IF_ADMIN_STATUS,
    oids.IF_SPEED,
)


@dataclass(frozen=True, slots=True)
class InterfaceRow:
    """One ifTable row as polled. Octet counters are `counter_bits` wide (64 or 32)."""

    if_index: int
    received: datetime
    counter_bits: int
    in_octets: int | None
    out_octets: int | None
    in_errors: int | None
    out_errors: int | None
    in_discards: int | None
    out_discards: int | None
    oper_status: int | None
    admin_status: int | None
    speed_bps: int | None


@dataclass(frozen=True, slots=True)
class InterfacePoll:
    """One device's poll: its uptime (hundredths of a second) and its interface rows."""

    received: datetime
    rtt_s: float
    uptime_ticks: int | None
    high_capacity: bool
    rows: dict[int, InterfaceRow]
    requests: int


def _int(cell: Cell | None, tags: tuple[int, ...]) -> int | None:
    if cell is None or cell.tag not in tags or not isinstance(cell.value, int):
        return None
    return cell.value


def _uptime(result: WalkResult) -> int | None:
    for name, tag, value in result.scalars:
        if name == oids.SYS_UPTIME_0 and tag == TIMETICKS and isinstance(value, int):
            return value
    return None


async def collect_interfaces(
    session: Session, target: Target, *, high_capacity: bool = True
) -> InterfacePoll:
    """Poll sysUpTime and the interface columns of `target` (all rows up to its last ifIndex)."""
    known = target.interfaces
    rows = len(known) or DEFAULT_ROWS
    last_index = max(known) if known else None
    columns = HC_COLUMNS if high_capacity else LEGACY_COLUMNS
    result = await walk_columns(session, [oids.SYS_UPTIME], columns, rows, last_index)
    requests = result.requests
    if high_capacity and not result.columns[oids.IF_HC_IN_OCTETS]:
        # No ifXTable octets: fall back to the 32-bit ifTable counters.
        legacy = await walk_columns(
            session, [], (oids.IF_IN_OCTETS, oids.IF_OUT_OCTETS, oids.IF_SPEED), rows, last_index
        )
        requests += legacy.requests
        result.columns.update(legacy.columns)
        high_capacity = False
    if result.first_received is None:
        raise MalformedReply("no reply recorded")
    return InterfacePoll(
        received=result.first_received,
        rtt_s=result.rtt_s,
        uptime_ticks=_uptime(result),
        high_capacity=high_capacity,
        rows=_rows(result, high_capacity),
        requests=requests,
    )


def _rows(result: WalkResult, high_capacity: bool) -> dict[int, InterfaceRow]:
    cols = result.columns
    if high_capacity:
        in_col, out_col, bits, octet_tags = (
            cols[oids.IF_HC_IN_OCTETS],
            cols[oids.IF_HC_OUT_OCTETS],
            64,
            (COUNTER64,),
        )
    else:
        in_col, out_col, bits, octet_tags = (
            cols[oids.IF_IN_OCTETS],
            cols[oids.IF_OUT_OCTETS],
            32,
            (COUNTER32,),
        )
    high_speed = cols.get(oids.IF_HIGH_SPEED, {})
    speed = cols.get(oids.IF_SPEED, {})
    oper = cols[oids.IF_OPER_STATUS]
    indexes = set(in_col) | set(oper)
    counters = (COUNTER32,)
    rows: dict[int, InterfaceRow] = {}
    for index in sorted(indexes):
        octets_cell = in_col.get(index) or oper.get(index)
        assert octets_cell is not None
        mbps = _int(high_speed.get(index), (GAUGE32,))
        bps = mbps * 1_000_000 if mbps else _int(speed.get(index), (GAUGE32,))
        rows[index] = InterfaceRow(
            if_index=index,
            received=octets_cell.received,
            counter_bits=bits,
            in_octets=_int(in_col.get(index), octet_tags),
            out_octets=_int(out_col.get(index), octet_tags),
            in_errors=_int(cols[oids.IF_IN_ERRORS].get(index), counters),
            out_errors=_int(cols[oids.IF_OUT_ERRORS].get(index), counters),
            in_discards=_int(cols[oids.IF_IN_DISCARDS].get(index), counters),
            out_discards=_int(cols[oids.IF_OUT_DISCARDS].get(index), counters),
            oper_status=_int(oper.get(index), (INTEGER,)),
            admin_status=_int(cols[oids.IF_ADMIN_STATUS].get(index), (INTEGER,)),
            speed_bps=bps or None,
        )
    return rows
