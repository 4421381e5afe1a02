"""Spool and replay across a real outage: a private PostgreSQL, started and stopped by the test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from metrics import schema
from metrics.spool import Batch, Spool, SpoolFormatError, decode, encode
from metrics.types import DeviceSample, StatusEvent
from metrics.writer import MetricsWriteError, MetricsWriter
from tests.metrics.samples import T0, iface
from tests.metrics.servers import EmbeddedServer

INTERFACES = 200
CYCLES = 12


@pytest.fixture(scope="module")
def server_process() -> Iterator[EmbeddedServer]:
    server = EmbeddedServer("outage")
    server.init()
    server.start()
    try:
        yield server
    finally:
        server.destroy()


@pytest.fixture
def private_server(server_process: EmbeddedServer) -> EmbeddedServer:
    """The private server, running, with a fresh database; tests may stop and start it."""
    if not server_process.running():
        server_process.start()
    with psycopg.connect(server_process.admin_conninfo, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS outage WITH (FORCE)")
        conn.execute("CREATE DATABASE outage")
    with psycopg.connect(server_process.conninfo) as conn:
        schema.create_schema(conn, now=T0)
    return server_process


def cycle(n: int) -> list[Any]:
    time = T0 + timedelta(minutes=n)
    return [iface(time, i, float(n * 1000 + i)) for i in range(1, INTERFACES + 1)]


def _count(conninfo: str, sql: str) -> int:
    with psycopg.connect(conninfo) as conn:
        row = conn.execute(sql).fetchone()
    assert row is not None
    return int(row[0])


def test_batches_written_during_an_outage_are_spooled_and_replayed_exactly_once(
    private_server: EmbeddedServer, tmp_path: Path
) -> None:
    spool_dir = tmp_path / "spool"
    results = []
    with MetricsWriter(private_server.conninfo, spool_dir, connect_timeout=2) as writer:
        for n in range(CYCLES):
            if n == 4:
                private_server.stop("immediate")  # the database dies mid-run
            if n == 9:
                private_server.start()
            device = DeviceSample(T0 + timedelta(minutes=n), 1, True, 1.0, 2.0, None)
            results.append(writer.write(cycle(n), [device]))
            if 4 <= n < 9:
                assert writer.pending_batches() == n - 3
        assert writer.pending_batches() == 0
    assert [r.spooled for r in results] == [False] * 4 + [True] * 5 + [False] * 3
    assert results[9].replayed_batches == 5  # the outage's batches went in first, in order
    assert results[9].inserted == INTERFACES + 1
    total = _count(private_server.conninfo, "SELECT count(*) FROM metrics_interface_sample")
    distinct = _count(
        private_server.conninfo,
        "SELECT count(DISTINCT (interface_id, time)) FROM metrics_interface_sample",
    )
    assert total == distinct == CYCLES * INTERFACES
    assert _count(private_server.conninfo, "SELECT count(*) FROM metrics_device_sample") == CYCLES
    # Every value is the one written (no sample lost or mixed up).
    assert (
        _count(
            private_server.conninfo,
            "SELECT count(*) FROM metrics_interface_sample"
            " WHERE in_bps = (extract(epoch FROM time - '2026-11-02 00:00+00') / 60) * 1000"
            " + interface_id",
        )
        == CYCLES * INTERFACES
    )


def test_explicit_replay_while_still_down_raises_and_keeps_the_spool(
    private_server: EmbeddedServer, tmp_path: Path
) -> None:
    with MetricsWriter(private_server.conninfo, tmp_path, connect_timeout=2) as writer:
        private_server.stop("fast")
        assert writer.write(cycle(0)).spooled
        assert writer.write(cycle(1)).spooled
        with pytest.raises(psycopg.OperationalError):
            writer.replay()
        assert writer.pending_batches() == 2
        private_server.start()
        assert writer.replay() == 2
        assert writer.pending_batches() == 0
    assert _count(private_server.conninfo, "SELECT count(*) FROM metrics_interface_sample") == (
        2 * INTERFACES
    )


def test_a_batch_replayed_twice_after_a_crash_adds_nothing_twice(
    private_server: EmbeddedServer, tmp_path: Path
) -> None:
    spool_dir = tmp_path / "spool"
    with MetricsWriter(private_server.conninfo, spool_dir, connect_timeout=2) as writer:
        private_server.stop("fast")
        writer.write(cycle(0), events=[StatusEvent(T0, 1, None, "device_unreachable")])
        (path,) = writer.spool.pending()
        copy = tmp_path / "copy"
        shutil.copy(path, copy)
        private_server.start()
        assert writer.replay() == 1
        # As if the process died after COMMIT but before removing the file.
        shutil.copy(copy, path)
        assert writer.replay() == 1
    assert _count(private_server.conninfo, "SELECT count(*) FROM metrics_interface_sample") == (
        INTERFACES
    )
    assert _count(private_server.conninfo, "SELECT count(*) FROM metrics_status_event") == 1


def test_spool_file_round_trips_every_field(tmp_path: Path) -> None:
    batch = Batch(
        [iface(T0, 1, 1.5, None, errors=None)],
        [DeviceSample(T0, 3, False, None, None, "timeout")],
        [StatusEvent(T0, 3, None, "device_unreachable", "no answer")],
    )
    spool = Spool(tmp_path)
    path = spool.append(batch)
    assert path.read_bytes().startswith(b'{"format": "menhir-metrics-spool", "version": 1')
    assert spool.read(path) == batch
    assert not list(tmp_path.glob("*.partial"))


def test_a_damaged_spool_file_is_set_aside_not_lost(
    private_server: EmbeddedServer, tmp_path: Path
) -> None:
    spool = Spool(tmp_path)
    good = spool.append(Batch(cycle(0)))
    data = encode(Batch(cycle(1)))
    damaged = tmp_path / (good.name.replace(".jsonl", "") + "-x.jsonl")
    damaged.write_bytes(data[: len(data) // 2])  # truncated
    with pytest.raises(SpoolFormatError, match=r"truncated|line"):
        decode(damaged.read_bytes())
    with MetricsWriter(private_server.conninfo, tmp_path) as writer:
        assert writer.replay() == 1
    assert (tmp_path / "rejected" / damaged.name).read_bytes() == data[: len(data) // 2]
    assert "SpoolFormatError" in (tmp_path / "rejected" / (damaged.name + ".reason")).read_text()


def test_a_batch_the_database_refuses_is_kept_and_reported(
    private_server: EmbeddedServer, tmp_path: Path
) -> None:
    refused = StatusEvent(T0, 1, None, "device_unreachable", "NUL \x00 in text")
    with MetricsWriter(private_server.conninfo, tmp_path) as writer:
        with pytest.raises(MetricsWriteError, match="refused"):
            writer.write(cycle(0), [], [refused])
        # The writer goes on with the next batch.
        assert writer.write(cycle(1)).inserted == INTERFACES
    (kept,) = (tmp_path / "rejected").glob("*.jsonl")
    assert Spool(tmp_path).read(kept) == Batch(cycle(0), [], [refused])
    assert _count(private_server.conninfo, "SELECT count(*) FROM metrics_interface_sample") == (
        INTERFACES
    )
