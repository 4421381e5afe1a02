"""Write samples with COPY, idempotently, and keep going while the database is away.

Each batch is COPied (binary) into session temp tables, then moved with
`INSERT … ON CONFLICT DO NOTHING` on the natural keys, so a batch written twice (a replay after a
crash between commit and spool clean-up) adds nothing the second time. The same statement queues
the 5-minute buckets it touched for the rollups.

When the database cannot be reached the batch goes to the spool (metrics.spool) and `write`
returns normally; spooled batches are replayed oldest first before the next batch is written, and
by `replay()`. A batch the database refuses for its content (not an outage) is set aside in the
spool's `rejected/` folder with the reason, and the error is raised: nothing is lost.
"""

from __future__ import annotations

import fcntl
import logging
import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

from metrics import schema
from metrics.spool import Batch, Spool, SpoolFormatError
from metrics.types import DeviceSample, InterfaceSample, LinkProbe, OperStatus, StatusEvent

log = logging.getLogger(__name__)

MAX_FUTURE = timedelta(hours=1)

_TEMP_DDL = [
    "CREATE TEMP TABLE IF NOT EXISTS metrics_tmp_interface"
    " (LIKE metrics_interface_sample) ON COMMIT DELETE ROWS",
    "CREATE TEMP TABLE IF NOT EXISTS metrics_tmp_device"
    " (LIKE metrics_device_sample) ON COMMIT DELETE ROWS",
    "CREATE TEMP TABLE IF NOT EXISTS metrics_tmp_event"
    " (time timestamptz, device_id bigint, interface_id bigint, kind text, detail text)"
    " ON COMMIT DELETE ROWS",
    "CREATE TEMP TABLE IF NOT EXISTS metrics_tmp_probe"
    " (LIKE metrics_link_probe) ON COMMIT DELETE ROWS",
]

INTERFACE_COLUMNS = (
    "time, interface_id, device_id, interval_s, in_bps, out_bps, in_errors, out_errors,"
    " in_discards, out_discards, oper_status, admin_up, speed_bps"
)
_INTERFACE_TYPES = [
    "timestamptz", "int8", "int8", "float4", "float8", "float8",
    "int8", "int8", "int8", "int8", "int2", "bool", "int8",
]  # fmt: skip
DEVICE_COLUMNS = "time, device_id, reachable, uptime_s, rtt_ms, error"
_DEVICE_TYPES = ["timestamptz", "int8", "bool", "float8", "float4", "text"]
EVENT_COLUMNS = "time, device_id, interface_id, kind, detail"
_EVENT_TYPES = ["timestamptz", "int8", "int8", "text", "text"]

COPY_INTERFACES = f"COPY metrics_tmp_interface ({INTERFACE_COLUMNS}) FROM STDIN (FORMAT BINARY)"
COPY_DEVICES = f"COPY metrics_tmp_device ({DEVICE_COLUMNS}) FROM STDIN (FORMAT BINARY)"
PROBE_COLUMNS = (
    "time, link_id, device_id, method, sent, lost, rtt_min_ms, rtt_median_ms, rtt_max_ms,"
    " jitter_ms, error"
)
_PROBE_TYPES = [
    "timestamptz", "int8", "int8", "text", "int2", "int2",
    "float4", "float4", "float4", "float4", "text",
]  # fmt: skip
COPY_PROBES = f"COPY metrics_tmp_probe ({PROBE_COLUMNS}) FROM STDIN (FORMAT BINARY)"
COPY_EVENTS = f"COPY metrics_tmp_event ({EVENT_COLUMNS}) FROM STDIN (FORMAT BINARY)"

MOVE_INTERFACES = f"""
WITH ins AS (
    INSERT INTO metrics_interface_sample ({INTERFACE_COLUMNS})
    SELECT {INTERFACE_COLUMNS} FROM metrics_tmp_interface
    ON CONFLICT (interface_id, time) DO NOTHING
    RETURNING time
), queued AS (
    INSERT INTO metrics_rollup_pending (resolution, bucket)
    SELECT DISTINCT '5m', date_bin('5 minutes', time, '1970-01-01 00:00:00+00') FROM ins
    ON CONFLICT DO NOTHING
)
SELECT count(*) FROM ins
"""
MOVE_DEVICES = f"""
WITH ins AS (
    INSERT INTO metrics_device_sample ({DEVICE_COLUMNS})
    SELECT {DEVICE_COLUMNS} FROM metrics_tmp_device
    ON CONFLICT (device_id, time) DO NOTHING
    RETURNING 1
)
SELECT count(*) FROM ins
"""
MOVE_PROBES = f"""
WITH ins AS (
    INSERT INTO metrics_link_probe ({PROBE_COLUMNS})
    SELECT {PROBE_COLUMNS} FROM metrics_tmp_probe
    ON CONFLICT (link_id, time) DO NOTHING
    RETURNING time
), queued AS (
    INSERT INTO metrics_rollup_pending (resolution, bucket)
    SELECT DISTINCT '5m', date_bin('5 minutes', time, '1970-01-01 00:00:00+00') FROM ins
    ON CONFLICT DO NOTHING
)
SELECT count(*) FROM ins
"""
MOVE_EVENTS = f"""
WITH ins AS (
    INSERT INTO metrics_status_event ({EVENT_COLUMNS})
    SELECT {EVENT_COLUMNS} FROM metrics_tmp_event
    ON CONFLICT ON CONSTRAINT metrics_status_event_once DO NOTHING
    RETURNING 1
)
SELECT count(*) FROM ins
"""


class MetricsWriteError(RuntimeError):
    """The database refused a batch for its content; the batch is kept under rejected/."""


@dataclass(frozen=True)
class WriteResult:
    """What one call did: rows the database added now, and whether the batch went to the spool."""

    inserted: int
    spooled: bool
    replayed_batches: int = 0


class MetricsWriter:
    """COPY-based writer with a disk spool. One writer per process; not thread-safe."""

    def __init__(self, conninfo: str, spool_dir: Path, *, connect_timeout: int = 5) -> None:
        self.conninfo = conninfo
        self.spool = Spool(spool_dir)
        self.connect_timeout = connect_timeout
        self._conn: psycopg.Connection[Any] | None = None
        self._partitioned: bool | None = None
        self._partitions: set[tuple[str, datetime]] = set()

    # --- public ---------------------------------------------------------------------------
    def write(
        self,
        interfaces: Iterable[InterfaceSample] = (),
        devices: Iterable[DeviceSample] = (),
        events: Iterable[StatusEvent] = (),
        probes: Iterable[LinkProbe] = (),
        *,
        also: Callable[[psycopg.Cursor[Any]], None] | None = None,
    ) -> WriteResult:
        """Store one batch, or spool it if the database is away. Bad samples raise ValueError
        before anything is written or spooled.

        `also` runs in the batch's transaction, just before its commit (a distributed shard
        records its counter state and its completion there, so the samples and the mark that
        they are written commit together). It does not run when the batch is spooled."""
        batch = Batch(list(interfaces), list(devices), list(events), list(probes))
        validate(batch)
        if not batch and also is None:
            return WriteResult(0, False)
        try:
            replayed = self._replay_pending()
            inserted = self._insert(batch, also)
        except psycopg.OperationalError as exc:
            self._drop_connection()
            path = self.spool.append(batch)
            log.warning("database unavailable (%s); batch spooled to %s", exc, path)
            return WriteResult(0, True)
        except psycopg.Error as exc:
            self._drop_connection()
            path = self.spool.reject(self.spool.append(batch), f"{type(exc).__name__}: {exc}")
            raise MetricsWriteError(f"database refused the batch (kept in {path}): {exc}") from exc
        return WriteResult(inserted, False, replayed)

    def replay(self) -> int:
        """Replay every spooled batch, oldest first. Returns how many batches went in.

        Raises psycopg.OperationalError if the database is still away (the spool is untouched).
        """
        try:
            return self._replay_pending()
        except psycopg.OperationalError:
            self._drop_connection()
            raise

    def pending_batches(self) -> int:
        return len(self.spool.pending())

    def close(self) -> None:
        self._drop_connection()

    def __enter__(self) -> MetricsWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- internals ------------------------------------------------------------------------
    def _connection(self) -> psycopg.Connection[Any]:
        if self._conn is None or self._conn.closed:
            self._conn = psycopg.connect(
                self.conninfo, connect_timeout=self.connect_timeout, options="-c TimeZone=UTC"
            )
            for statement in _TEMP_DDL:
                self._conn.execute(statement)
            self._partitioned = not schema.timescaledb_installed(self._conn)
            self._conn.commit()
        return self._conn

    def _drop_connection(self) -> None:
        if self._conn is not None:
            with suppress(psycopg.Error):
                self._conn.close()
        self._conn = None

    @contextmanager
    def _replay_lock(self) -> Iterator[None]:
        self.spool.directory.mkdir(parents=True, exist_ok=True)
        with open(self.spool.directory / ".replay.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _replay_pending(self) -> int:
        if not self.spool.pending():
            return 0
        done = 0
        with self._replay_lock():
            for path in self.spool.pending():
                try:
                    batch = self.spool.read(path)
                except FileNotFoundError:  # another process replayed it meanwhile
                    continue
                except SpoolFormatError as exc:
                    self.spool.reject(path, f"SpoolFormatError: {exc}")
                    log.error("spool file %s is damaged, set aside: %s", path, exc)
                    continue
                try:
                    self._insert(batch)
                except psycopg.OperationalError:
                    raise
                except psycopg.Error as exc:
                    self._drop_connection()
                    self.spool.reject(path, f"{type(exc).__name__}: {exc}")
                    log.error("spooled batch %s refused, set aside: %s", path, exc)
                    continue
                # Committed: removing the file now; a crash before this line means a replay
                # that adds nothing (ON CONFLICT DO NOTHING).
                self.spool.remove(path)
                done += 1
        if done:
            log.info("replayed %d spooled batches", done)
        return done

    def _insert(
        self, batch: Batch, also: Callable[[psycopg.Cursor[Any]], None] | None = None
    ) -> int:
        conn = self._connection()
        try:
            with conn.cursor() as cur:
                if self._partitioned:
                    self._ensure_partitions(conn, batch)
                inserted = 0
                if batch.interfaces:
                    rows = [_interface_row(s) for s in batch.interfaces]
                    _copy(cur, COPY_INTERFACES, _INTERFACE_TYPES, rows)
                    inserted += _count(cur.execute(MOVE_INTERFACES))
                if batch.devices:
                    rows = [
                        (d.time, d.device_id, d.reachable, d.uptime_s, d.rtt_ms, d.error)
                        for d in batch.devices
                    ]
                    _copy(cur, COPY_DEVICES, _DEVICE_TYPES, rows)
                    inserted += _count(cur.execute(MOVE_DEVICES))
                if batch.events:
                    rows = [
                        (e.time, e.device_id, e.interface_id, e.kind, e.detail)
                        for e in batch.events
                    ]
                    _copy(cur, COPY_EVENTS, _EVENT_TYPES, rows)
                    inserted += _count(cur.execute(MOVE_EVENTS))
                if batch.probes:
                    rows = [_probe_row(p) for p in batch.probes]
                    _copy(cur, COPY_PROBES, _PROBE_TYPES, rows)
                    inserted += _count(cur.execute(MOVE_PROBES))
                if also is not None:
                    also(cur)
            conn.commit()
        except BaseException:
            self._partitions.clear()  # those made in this transaction are rolled back too
            if not conn.closed:
                with suppress(psycopg.Error):
                    conn.rollback()
            raise
        return inserted

    def _ensure_partitions(self, conn: psycopg.Connection[Any], batch: Batch) -> None:
        """Native backend: make the partitions this batch lands in (late data included), one
        pass over the samples to find their distinct days, then only the missing ones."""
        wanted: list[tuple[schema.TimeTable, set[datetime]]] = []
        if batch.interfaces:
            days = _days(s.time for s in batch.interfaces)
            wanted += [(t, days) for t in (schema.RAW, *schema.ROLLUP_TABLES.values())]
        if batch.devices:
            wanted.append((schema.DEVICE, _days(d.time for d in batch.devices)))
        if batch.probes:
            days = _days(p.time for p in batch.probes)
            wanted += [(t, days) for t in (schema.PROBE, *schema.PROBE_ROLLUP_TABLES.values())]
        for table, days in wanted:
            for start in {schema.partition_start(table, day) for day in days}:
                if (table.name, start) not in self._partitions:
                    schema.ensure_partitions(conn, table, start, start)
                    self._partitions.add((table.name, start))


def _days(times: Iterable[datetime]) -> set[datetime]:
    """Distinct UTC days (as aware midnights) of some instants."""
    return {
        datetime.fromtimestamp(day * 86400, UTC)
        for day in {int(t.timestamp()) // 86400 for t in times}
    }


def _copy(
    cur: psycopg.Cursor[Any], statement: str, types: list[str], rows: list[tuple[Any, ...]]
) -> None:
    with cur.copy(statement) as copy:
        copy.set_types(types)
        for row in rows:
            copy.write_row(row)


def _count(cur: psycopg.Cursor[Any]) -> int:
    row = cur.fetchone()
    return int(row[0]) if row else 0


def _interface_row(s: InterfaceSample) -> tuple[Any, ...]:
    return (
        s.time,
        s.interface_id,
        s.device_id,
        s.interval_s,
        s.in_bps,
        s.out_bps,
        s.in_errors,
        s.out_errors,
        s.in_discards,
        s.out_discards,
        schema.OPER_STATUS_CODES[s.oper_status.value],
        s.admin_up,
        s.speed_bps,
    )


def _probe_row(p: LinkProbe) -> tuple[Any, ...]:
    return (
        p.time,
        p.link_id,
        p.device_id,
        p.method,
        p.sent,
        p.lost,
        p.rtt_min_ms,
        p.rtt_median_ms,
        p.rtt_max_ms,
        p.jitter_ms,
        p.error,
    )


def validate(batch: Batch, *, now: datetime | None = None) -> None:
    """Refuse what the tables cannot hold faithfully, naming the offending sample."""
    limit = (now or datetime.now(UTC)) + MAX_FUTURE
    for s in batch.interfaces:
        _check_time(s, s.time, limit)
        if not isinstance(s.oper_status, OperStatus):
            raise ValueError(f"oper_status must be an OperStatus: {s!r}")
        for name in ("in_bps", "out_bps", "interval_s"):
            value = getattr(s, name)
            if value is not None and (not math.isfinite(value) or value < 0):
                raise ValueError(f"{name} must be a finite non-negative number or None: {s!r}")
        for name in ("in_errors", "out_errors", "in_discards", "out_discards"):
            value = getattr(s, name)
            if value is not None and value < 0:
                raise ValueError(f"{name} must be non-negative or None: {s!r}")
    for d in batch.devices:
        _check_time(d, d.time, limit)
    for p in batch.probes:
        _check_time(p, p.time, limit)
        if not 0 <= p.lost <= p.sent <= 32_767:
            raise ValueError(f"a probe needs 0 <= lost <= sent <= 32767: {p!r}")
    for e in batch.events:
        _check_time(e, e.time, limit)
        if not e.kind:
            raise ValueError(f"a status event needs a kind: {e!r}")


def _check_time(obj: object, moment: datetime, limit: datetime) -> None:
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise ValueError(f"time must be an aware datetime: {obj!r}")
    if moment > limit:
        raise ValueError(f"time is more than {MAX_FUTURE} in the future: {obj!r}")
