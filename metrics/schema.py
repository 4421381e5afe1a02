"""The store's tables, on TimescaleDB hypertables when the extension is there, native partitions
otherwise. Both backends get the same table and column names, so every query runs on either.

Why no foreign keys to the inventory: a hypertable cannot be the referencing side cheaply (every
chunk would carry the constraint and each insert would probe the inventory), deleting a device
must not be blocked by (or cascade through) years of history, and the samples keep the ids the
poller saw even after the inventory changes. The poller only writes ids it took from the inventory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import psycopg
from psycopg import sql

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1)


class Backend(StrEnum):
    TIMESCALEDB = "timescaledb"
    PARTITIONS = "partitions"


@dataclass(frozen=True)
class TimeTable:
    """A time-partitioned table: its name, its time column and the width of one partition/chunk."""

    name: str
    time_column: str
    width: timedelta


RAW = TimeTable("metrics_interface_sample", "time", DAY)
DEVICE = TimeTable("metrics_device_sample", "time", DAY)
ROLLUP_5M = TimeTable("metrics_interface_5m", "bucket", timedelta(days=7))
ROLLUP_1H = TimeTable("metrics_interface_1h", "bucket", timedelta(days=30))
ROLLUP_1D = TimeTable("metrics_interface_1d", "bucket", timedelta(days=365))
PROBE = TimeTable("metrics_link_probe", "time", DAY)
PROBE_5M = TimeTable("metrics_link_probe_5m", "bucket", timedelta(days=7))
PROBE_1H = TimeTable("metrics_link_probe_1h", "bucket", timedelta(days=30))
PROBE_1D = TimeTable("metrics_link_probe_1d", "bucket", timedelta(days=365))
TIME_TABLES = (RAW, DEVICE, ROLLUP_5M, ROLLUP_1H, ROLLUP_1D, PROBE, PROBE_5M, PROBE_1H, PROBE_1D)
ROLLUP_TABLES = {"5m": ROLLUP_5M, "1h": ROLLUP_1H, "1d": ROLLUP_1D}
PROBE_ROLLUP_TABLES = {"5m": PROBE_5M, "1h": PROBE_1H, "1d": PROBE_1D}
# compression's segments: the device or the link; else interface_id
SEGMENT_BY = {
    DEVICE.name: "device_id",
    **{t.name: "link_id" for t in (PROBE, *PROBE_ROLLUP_TABLES.values())},
}

# IF-MIB ifOperStatus codes, stored as smallint.
OPER_STATUS_CODES = {"up": 1, "down": 2, "unknown": 4}

_ROLLUP_COLUMNS = """
    bucket timestamptz NOT NULL,
    interface_id bigint NOT NULL,
    device_id bigint NOT NULL,
    in_mean double precision,
    in_max double precision,
    in_p95 double precision,
    in_count integer NOT NULL,
    out_mean double precision,
    out_max double precision,
    out_p95 double precision,
    out_count integer NOT NULL,
    in_errors bigint,
    out_errors bigint,
    in_discards bigint,
    out_discards bigint,
    seconds_up double precision NOT NULL,
    samples integer NOT NULL,
    PRIMARY KEY (interface_id, bucket)
"""

# A link's probes per bucket (metrics.rollups): slots probed, probes sent and lost, the extreme
# RTTs, the mean and the worst of the slots' medians, the mean jitter; `rtt_count` and
# `jitter_count` are the slots that had one (the weights of the means in coarser buckets).
_PROBE_ROLLUP_COLUMNS = """
    bucket timestamptz NOT NULL,
    link_id bigint NOT NULL,
    device_id bigint NOT NULL,
    slots integer NOT NULL,
    sent bigint NOT NULL,
    lost bigint NOT NULL,
    rtt_min_ms real,
    rtt_median_ms double precision,
    rtt_median_max_ms real,
    rtt_max_ms real,
    rtt_count integer NOT NULL,
    jitter_ms double precision,
    jitter_count integer NOT NULL,
    PRIMARY KEY (link_id, bucket)
"""

DDL: dict[str, str] = {
    RAW.name: """
        time timestamptz NOT NULL,
        interface_id bigint NOT NULL,
        device_id bigint NOT NULL,
        interval_s real,
        in_bps double precision,
        out_bps double precision,
        in_errors bigint,
        out_errors bigint,
        in_discards bigint,
        out_discards bigint,
        oper_status smallint NOT NULL,
        admin_up boolean,
        speed_bps bigint,
        PRIMARY KEY (interface_id, time)
    """,
    DEVICE.name: """
        time timestamptz NOT NULL,
        device_id bigint NOT NULL,
        reachable boolean NOT NULL,
        uptime_s double precision,
        rtt_ms real,
        error text,
        PRIMARY KEY (device_id, time)
    """,
    ROLLUP_5M.name: _ROLLUP_COLUMNS,
    ROLLUP_1H.name: _ROLLUP_COLUMNS,
    ROLLUP_1D.name: _ROLLUP_COLUMNS,
    # One row per access link and slot of active measurement (prober): `time` is the slot's start.
    PROBE.name: """
        time timestamptz NOT NULL,
        link_id bigint NOT NULL,
        device_id bigint NOT NULL,
        method text NOT NULL,
        sent smallint NOT NULL,
        lost smallint NOT NULL,
        rtt_min_ms real,
        rtt_median_ms real,
        rtt_max_ms real,
        jitter_ms real,
        error text,
        PRIMARY KEY (link_id, time)
    """,
    **{t.name: _PROBE_ROLLUP_COLUMNS for t in PROBE_ROLLUP_TABLES.values()},
}

# One row per poll cycle (menhir.polling): what the poller-health dashboard and alerts read.
POLL_CYCLE_DDL = """
    CREATE TABLE IF NOT EXISTS metrics_poll_cycle (
        time timestamptz PRIMARY KEY,
        interval_s integer NOT NULL,
        duration_s double precision NOT NULL,
        devices integer NOT NULL,
        unreachable integer NOT NULL,
        errors integer NOT NULL,
        timeouts integer NOT NULL,
        samples integer NOT NULL,
        spooled boolean NOT NULL,
        spool_batches integer NOT NULL
    )
"""

# The coarser probe rollups and retention read buckets by time, across links.
PROBE_ROLLUP_INDEXES = [
    f"CREATE INDEX IF NOT EXISTS {t.name}_bucket ON {t.name} (bucket)"
    for t in PROBE_ROLLUP_TABLES.values()
]

# Small tables, never partitioned: status changes are rare (kept as long as the SLA needs them),
# and the rollups' queue of buckets to recompute.
PLAIN_DDL = [
    """
    CREATE TABLE IF NOT EXISTS metrics_status_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        time timestamptz NOT NULL,
        device_id bigint NOT NULL,
        interface_id bigint,
        kind text NOT NULL,
        detail text NOT NULL DEFAULT '',
        CONSTRAINT metrics_status_event_once
            UNIQUE NULLS NOT DISTINCT (device_id, interface_id, kind, time)
    )
    """,
    "CREATE INDEX IF NOT EXISTS metrics_status_event_time ON metrics_status_event (time)",
    """
    CREATE TABLE IF NOT EXISTS metrics_rollup_pending (
        resolution text NOT NULL,
        bucket timestamptz NOT NULL,
        PRIMARY KEY (resolution, bucket)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS metrics_rollup_watermark (
        resolution text PRIMARY KEY,
        last_run timestamptz NOT NULL,
        buckets_done bigint NOT NULL DEFAULT 0
    )
    """,
    POLL_CYCLE_DDL,
    "CREATE INDEX IF NOT EXISTS metrics_device_sample_time ON metrics_device_sample (time)",
    "CREATE INDEX IF NOT EXISTS metrics_link_probe_time ON metrics_link_probe (time)",
    "CREATE INDEX IF NOT EXISTS metrics_interface_sample_time ON metrics_interface_sample (time)",
    "CREATE INDEX IF NOT EXISTS metrics_interface_5m_bucket ON metrics_interface_5m (bucket)",
    "CREATE INDEX IF NOT EXISTS metrics_interface_1h_bucket ON metrics_interface_1h (bucket)",
    "CREATE INDEX IF NOT EXISTS metrics_interface_1d_bucket ON metrics_interface_1d (bucket)",
    *PROBE_ROLLUP_INDEXES,
    # Series reads are index-only scans: rollup rows are written bucket after bucket, so one
    # interface's month lies on thousands of heap pages but on a few dozen pages of this index.
    *(
        f"CREATE INDEX IF NOT EXISTS {t}_series ON {t} (interface_id, bucket)"
        " INCLUDE (in_mean, out_mean, in_max, out_max)"
        for t in ("metrics_interface_5m", "metrics_interface_1h", "metrics_interface_1d")
    ),
]


def timescaledb_installed(conn: psycopg.Connection[Any]) -> bool:
    row = conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'").fetchone()
    return row is not None


def detect_backend(conn: psycopg.Connection[Any]) -> Backend:
    """What this database holds: hypertables if the extension is installed, else partitions."""
    return Backend.TIMESCALEDB if timescaledb_installed(conn) else Backend.PARTITIONS


def try_install_timescaledb(conn: psycopg.Connection[Any]) -> bool:
    """Install the extension when the server offers it and preloads it; never assume it does."""
    if timescaledb_installed(conn):
        return True
    available = conn.execute(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'"
    ).fetchone()
    preload = conn.execute("SELECT current_setting('shared_preload_libraries')").fetchone()
    if not available or not preload or "timescaledb" not in str(preload[0]):
        return False
    conn.execute("SAVEPOINT metrics_tsdb")
    try:
        conn.execute("CREATE EXTENSION IF NOT EXISTS timescaledb")
    except psycopg.Error:
        conn.execute("ROLLBACK TO SAVEPOINT metrics_tsdb")
        return False
    conn.execute("RELEASE SAVEPOINT metrics_tsdb")
    return True


def timescaledb_license(conn: psycopg.Connection[Any]) -> str | None:
    """'apache' (Debian's build: hypertables, time_bucket, drop_chunks), 'timescale' or None."""
    if not timescaledb_installed(conn):
        return None
    row = conn.execute("SELECT current_setting('timescaledb.license', true)").fetchone()
    return str(row[0]) if row and row[0] else None


def create_schema(conn: psycopg.Connection[Any], *, now: datetime | None = None) -> Backend:
    """Create every table (idempotent). Runs inside the caller's transaction (the migration's)."""
    backend = Backend.TIMESCALEDB if try_install_timescaledb(conn) else Backend.PARTITIONS
    for table in TIME_TABLES:
        create_time_table(conn, table, backend)
    for statement in PLAIN_DDL:
        conn.execute(statement)
    if backend is Backend.PARTITIONS:
        ensure_upcoming_partitions(conn, now=now)
    return backend


def create_time_table(conn: psycopg.Connection[Any], table: TimeTable, backend: Backend) -> None:
    """One time table as a hypertable or a partitioned table (idempotent)."""
    columns = sql.SQL(DDL[table.name])
    name = sql.Identifier(table.name)
    if backend is Backend.TIMESCALEDB:
        conn.execute(sql.SQL("CREATE TABLE IF NOT EXISTS {} ({})").format(name, columns))
        conn.execute(
            "SELECT create_hypertable(%s::regclass, by_range(%s, %s::interval),"
            " if_not_exists => true, create_default_indexes => false)",
            (table.name, table.time_column, table.width),
        )
    else:
        conn.execute(
            sql.SQL("CREATE TABLE IF NOT EXISTS {} ({}) PARTITION BY RANGE ({})").format(
                name, columns, sql.Identifier(table.time_column)
            )
        )


def try_enable_compression(conn: psycopg.Connection[Any], table: TimeTable) -> bool:
    """Compress a hypertable's old chunks where the build has it (TSL only).

    The Apache build answers SQLSTATE 0A000 (FeatureNotSupported): detected, not an error.
    """
    if not timescaledb_installed(conn):
        return False
    segment = SEGMENT_BY.get(table.name, "interface_id")
    conn.execute("SAVEPOINT metrics_compress")
    try:
        conn.execute(
            sql.SQL(
                "ALTER TABLE {} SET (timescaledb.compress, timescaledb.compress_segmentby = {})"
            ).format(sql.Identifier(table.name), sql.Literal(segment))
        )
    except psycopg.errors.FeatureNotSupported:
        conn.execute("ROLLBACK TO SAVEPOINT metrics_compress")
        return False
    conn.execute("RELEASE SAVEPOINT metrics_compress")
    return True


# --- native partitions ----------------------------------------------------------------------

_PARTITION_SUFFIX = re.compile(r"_p(\d{8})$")


def partition_start(table: TimeTable, moment: datetime) -> datetime:
    """Lower bound of the partition holding `moment`: aligned on the Unix epoch like chunks."""
    width = table.width
    return EPOCH + ((moment - EPOCH) // width) * width


def partition_name(table: TimeTable, start: datetime) -> str:
    return f"{table.name}_p{start:%Y%m%d}"


def existing_partitions(conn: psycopg.Connection[Any], table: TimeTable) -> dict[datetime, str]:
    """Partitions of a natively partitioned table, by lower bound."""
    rows = conn.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
        " WHERE i.inhparent = %s::regclass",
        (table.name,),
    ).fetchall()
    found: dict[datetime, str] = {}
    for (name,) in rows:
        match = _PARTITION_SUFFIX.search(name)
        if match:
            start = datetime.strptime(match.group(1), "%Y%m%d").replace(tzinfo=UTC)
            found[start] = name
    return found


def ensure_partitions(
    conn: psycopg.Connection[Any], table: TimeTable, start: datetime, end: datetime
) -> list[str]:
    """Create the partitions covering [start, end] that are missing; return their names."""
    have = existing_partitions(conn, table)
    created = []
    lower = partition_start(table, start)
    while lower <= end:
        if lower not in have:
            name = partition_name(table, lower)
            conn.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} PARTITION OF {} FOR VALUES FROM ({}) TO ({})"
                ).format(
                    sql.Identifier(name),
                    sql.Identifier(table.name),
                    sql.Literal(lower),
                    sql.Literal(lower + table.width),
                )
            )
            created.append(name)
        lower += table.width
    return created


def ensure_upcoming_partitions(
    conn: psycopg.Connection[Any], *, now: datetime | None = None, days_ahead: int = 3
) -> list[str]:
    """The maintenance job: partitions for today and the next `days_ahead` days, on every table.

    A no-op on TimescaleDB, whose chunks are created on insert.
    """
    if timescaledb_installed(conn):
        return []
    now = now or datetime.now(UTC)
    created: list[str] = []
    for table in TIME_TABLES:
        created += ensure_partitions(conn, table, now - DAY, now + days_ahead * DAY)
    return created


def drop_schema(conn: psycopg.Connection[Any]) -> None:
    """Undo create_schema (the migration's reverse). The extension itself stays."""
    names = [t.name for t in TIME_TABLES]
    names += ["metrics_status_event", "metrics_rollup_pending", "metrics_rollup_watermark"]
    names += ["metrics_poll_cycle"]
    for name in names:
        conn.execute(sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(sql.Identifier(name)))
