"""Walking several table columns at once with GETBULK, row-aligned, stopping early.

One request carries every column (and the scalar non-repeaters); further requests continue only
the columns that are not finished, so a table larger than one response costs a few more round
trips, never a walk per column.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from poller.snmp.ber import EXCEPTIONS, VarBind
from poller.snmp.errors import MalformedReply
from poller.snmp.oids import Oid
from poller.snmp.session import Session

MAX_VARBINDS = 100  # what snmpd answers at most per GETBULK; larger asks only get truncated
MAX_ROUNDS = 1000


@dataclass
class Cell:
    tag: int
    value: object
    received: datetime


@dataclass
class WalkResult:
    scalars: list[VarBind] = field(default_factory=list)
    columns: dict[Oid, dict[int, Cell]] = field(default_factory=dict)
    first_received: datetime | None = None
    rtt_s: float = 0.0
    requests: int = 0


def repetitions_for(rows: int, columns: int, scalars: int = 0) -> int:
    """max-repetitions for `rows` rows of `columns` columns within one response."""
    budget = max(1, (MAX_VARBINDS - scalars) // max(1, columns))
    return max(1, min(rows, budget))


async def walk_columns(
    session: Session,
    scalars: Sequence[Oid],
    columns: Sequence[Oid],
    rows: int,
    last_index: int | None = None,
) -> WalkResult:
    """Fetch `scalars` once and the rows of `columns` (single-integer indexes, like ifIndex).

    `rows` sizes max-repetitions; `last_index`, when known, stops each column once it has
    passed it (the rows the inventory does not know are not fetched).
    """
    result = WalkResult(columns={c: {} for c in columns})

    def keep(column: Oid, index: Oid, cell: Cell) -> bool:
        if len(index) != 1:
            return True  # not a single-integer row: this column is over
        result.columns[column][index[0]] = cell
        return last_index is not None and index[0] >= last_index

    await _walk(session, scalars, columns, rows, result, keep)
    return result


@dataclass
class TableWalk:
    """The rows of a table whose index has several parts (LLDP-MIB's lldpRemTable:
    lldpRemTimeMark.lldpRemLocalPortNum.lldpRemIndex), keyed by the whole index."""

    scalars: list[VarBind] = field(default_factory=list)
    columns: dict[Oid, dict[Oid, Cell]] = field(default_factory=dict)
    requests: int = 0

    def rows(self) -> dict[Oid, dict[Oid, Cell]]:
        """index → {column: cell}, in index order."""
        out: dict[Oid, dict[Oid, Cell]] = {}
        for column, cells in self.columns.items():
            for index, cell in cells.items():
                out.setdefault(index, {})[column] = cell
        return dict(sorted(out.items()))


async def walk_table(
    session: Session,
    columns: Sequence[Oid],
    rows: int,
    scalars: Sequence[Oid] = (),
    index_length: int | None = None,
) -> TableWalk:
    """Fetch `scalars` once and every row of `columns`, whatever the length of their index
    (exactly `index_length` sub-identifiers when given; rows of another length are refused
    as malformed, since a column never mixes index shapes)."""
    walked = WalkResult(columns={c: {} for c in columns})
    table = TableWalk(columns={c: {} for c in columns})

    def keep(column: Oid, index: Oid, cell: Cell) -> bool:
        if index_length is not None and len(index) != index_length:
            raise MalformedReply(f"row {index} of {column} is not {index_length} sub-ids long")
        table.columns[column][index] = cell
        return False

    await _walk(session, scalars, columns, rows, walked, keep)
    table.scalars, table.requests = walked.scalars, walked.requests
    return table


async def _walk(
    session: Session,
    scalars: Sequence[Oid],
    columns: Sequence[Oid],
    rows: int,
    result: WalkResult,
    keep: Callable[[Oid, Oid, Cell], bool],
) -> None:
    """The GETBULK loop: `keep(column, index, cell)` stores a row and says whether that column
    is finished; a column also ends when the agent leaves it or has nothing more."""
    cursors: dict[Oid, Oid] = {c: c for c in columns}
    active = list(columns)
    pending_scalars = list(scalars)
    while active:
        if result.requests >= MAX_ROUNDS:
            raise MalformedReply("the agent's table never ends")
        reps = repetitions_for(rows, len(active), len(pending_scalars))
        reply = await session.get_bulk(pending_scalars, [cursors[c] for c in active], reps)
        result.requests += 1
        result.rtt_s += reply.rtt_s
        if result.first_received is None:
            result.first_received = reply.received
        varbinds = reply.varbinds
        if len(varbinds) < len(pending_scalars):
            raise MalformedReply("the agent left out requested scalars")
        result.scalars.extend(varbinds[: len(pending_scalars)])
        repeated = varbinds[len(pending_scalars) :]
        pending_scalars = []
        if not repeated:
            raise MalformedReply("the agent returned no rows for a GETBULK")
        done: set[Oid] = set()
        width = len(active)
        for position, (name, tag, value) in enumerate(repeated):
            column = active[position % width]
            if column in done:
                continue
            prefix = len(column)
            if tag in EXCEPTIONS or name[:prefix] != column or len(name) == prefix:
                done.add(column)  # left the column (or the agent has no more)
                continue
            if name <= cursors[column]:
                raise MalformedReply(f"OIDs not increasing in column {column}")
            cursors[column] = name
            if keep(column, name[prefix:], Cell(tag, value, reply.received)):
                done.add(column)
        active = [c for c in active if c not in done]
