"""Probe results in the store: written per link and slot, idempotent, spooled and replayed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from metrics import spool
from metrics.types import LinkProbe
from metrics.writer import MetricsWriter

SLOT = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=5)


def probes(slot: datetime) -> list[LinkProbe]:
    return [
        LinkProbe(slot, 11, 1, "twamp", 5, 0, 1.5, 2.25, 3.0, 0.5),
        LinkProbe(slot, 12, 2, "twamp", 5, 5, None, None, None, None, "5 no reply"),
    ]


def rows(conninfo: str) -> list[tuple[object, ...]]:
    with psycopg.connect(conninfo) as conn:
        return conn.execute(
            "SELECT link_id, sent, lost, rtt_min_ms, rtt_median_ms, rtt_max_ms, jitter_ms, error"
            " FROM metrics_link_probe ORDER BY link_id, time"
        ).fetchall()


def test_probes_are_stored_once_per_link_and_slot(conninfo: str, tmp_path: Path) -> None:
    with MetricsWriter(conninfo, tmp_path / "spool") as writer:
        assert writer.write(probes=probes(SLOT)).inserted == 2
        assert writer.write(probes=probes(SLOT)).inserted == 0  # the same slot again: nothing
    assert rows(conninfo) == [
        (11, 5, 0, 1.5, 2.25, 3.0, 0.5, None),
        (12, 5, 5, None, None, None, None, "5 no reply"),
    ]


def test_probes_wait_in_the_spool_while_the_database_is_away(conninfo: str, tmp_path: Path) -> None:
    away = "postgresql://nobody@127.0.0.1:1/none"
    with MetricsWriter(away, tmp_path / "spool", connect_timeout=1) as writer:
        result = writer.write(probes=probes(SLOT))
        assert (result.inserted, result.spooled) == (0, True)
    with MetricsWriter(conninfo, tmp_path / "spool") as writer:
        assert writer.replay() == 1
        assert writer.pending_batches() == 0
    assert [r[0] for r in rows(conninfo)] == [11, 12]


def test_spool_round_trips_probes_and_reads_older_files() -> None:
    batch = spool.Batch(probes=probes(SLOT))
    assert spool.decode(spool.encode(batch)).probes == batch.probes
    old = b'{"format": "menhir-metrics-spool", "version": 1, "interfaces": 0, "devices": 0, '
    old += b'"events": 0}\n'
    assert spool.decode(old).probes == []


def test_impossible_counts_are_refused(conninfo: str, tmp_path: Path) -> None:
    bad = LinkProbe(SLOT, 11, 1, "twamp", 5, 6, None, None, None, None)
    writer = MetricsWriter(conninfo, tmp_path / "spool")
    with writer, pytest.raises(ValueError, match="lost <= sent"):
        writer.write(probes=[bad])
