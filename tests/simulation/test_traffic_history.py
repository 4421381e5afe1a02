"""The demo's month of traffic history (simulation/traffic_history.py): every link gets rollups at
every resolution, the coarse ones agree with the fine ones, an outage of the generated SLA
history is a gap, polled data is never overwritten, and a second run adds nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection

from metrics.schema import RAW, ROLLUP_5M, Backend, detect_backend, ensure_partitions
from simulation.traffic_history import generate_traffic, history_end
from sla.models import MonitoringRun
from tests.factories.inventory import small_network

pytestmark = pytest.mark.django_db  # rolled back: the metrics tables too
NOW = datetime(2026, 11, 18, 9, 42, 30, tzinfo=UTC)  # a Wednesday


def rows(sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def run(now: datetime = NOW) -> Any:
    connection.ensure_connection()
    return generate_traffic(connection.connection, now=now)


@pytest.fixture
def net() -> dict[str, Any]:
    return small_network()


def test_every_link_gets_a_month_at_every_resolution(net: dict[str, Any]) -> None:
    done = run()
    links = [link for link in net["links"] if link.a_interface_id]
    assert done.end == datetime(2026, 11, 18, 9, 40, tzinfo=UTC)
    assert done.start == datetime(2026, 10, 18, tzinfo=UTC)
    per_link = dict(rows("SELECT interface_id, count(*) FROM metrics_interface_5m GROUP BY 1"))
    assert set(per_link) == {link.a_interface_id for link in links}
    first, last = rows("SELECT min(bucket), max(bucket) FROM metrics_interface_5m")[0]
    assert first == datetime(2026, 11, 11, 9, tzinfo=UTC)
    assert last == done.end - timedelta(minutes=5)
    assert set(per_link.values()) == {int((done.end - first) / timedelta(minutes=5))}
    hours = dict(rows("SELECT interface_id, count(*) FROM metrics_interface_1h GROUP BY 1"))
    assert set(hours.values()) == {
        int((datetime(2026, 11, 18, 9, tzinfo=UTC) - done.start) / timedelta(hours=1))
    }
    days = dict(rows("SELECT interface_id, count(*) FROM metrics_interface_1d GROUP BY 1"))
    assert set(days.values()) == {31}  # 18 Oct .. 17 Nov: today's day is left to the rollups


def test_coarse_buckets_agree_with_the_fine_ones(net: dict[str, Any]) -> None:
    run()
    mismatches = rows(
        """
        SELECT h.interface_id, h.bucket, h.in_mean, avg(f.in_mean), h.in_count, sum(f.in_count)
        FROM metrics_interface_1h h
        JOIN metrics_interface_5m f ON f.interface_id = h.interface_id
             AND f.bucket >= h.bucket AND f.bucket < h.bucket + interval '1 hour'
        GROUP BY h.interface_id, h.bucket, h.in_mean, h.in_count
        HAVING abs(h.in_mean - avg(f.in_mean)) > 1e-6 * h.in_mean OR h.in_count <> sum(f.in_count)
        """
    )
    assert mismatches == []
    assert (
        rows(
            "SELECT count(*) FROM metrics_interface_1h WHERE bucket >= %s", NOW - timedelta(days=7)
        )[0][0]
        > 0
    )


def test_the_shape_is_a_working_day_below_the_committed_rate(net: dict[str, Any]) -> None:
    run()
    link = next(lk for lk in net["links"] if lk.committed_down_bps)
    by_hour = dict(
        rows(
            "SELECT extract(hour FROM bucket AT TIME ZONE 'Europe/Paris')::int, avg(in_mean)"
            " FROM metrics_interface_5m WHERE interface_id = %s"
            " AND extract(isodow FROM bucket AT TIME ZONE 'Europe/Paris') < 6 GROUP BY 1",
            link.a_interface_id,
        )
    )
    assert by_hour[11] > 3 * by_hour[3]  # busy late morning, quiet night
    top = rows(
        "SELECT max(in_mean) FROM metrics_interface_5m WHERE interface_id = %s", link.a_interface_id
    )[0][0]
    assert top < 0.99 * link.committed_down_bps


def test_a_generated_outage_is_a_gap(net: dict[str, Any]) -> None:
    link = net["links"][0]
    down = datetime(2026, 11, 15, 13, 2, tzinfo=UTC)
    MonitoringRun.objects.create(
        link=link, start=down, end=down + timedelta(minutes=21), state="down", source="generated"
    )
    run()
    missing = rows(
        "SELECT count(*) FROM metrics_interface_5m WHERE interface_id = %s"
        " AND bucket >= %s AND bucket < %s",
        link.a_interface_id,
        datetime(2026, 11, 15, 13, tzinfo=UTC),
        datetime(2026, 11, 15, 13, 30, tzinfo=UTC),
    )[0][0]
    assert missing == 1  # 13:00, 13:05 .. 13:20 silent; 13:25 back
    hour = rows(
        "SELECT in_count FROM metrics_interface_1h WHERE interface_id = %s AND bucket = %s",
        link.a_interface_id,
        datetime(2026, 11, 15, 13, tzinfo=UTC),
    )[0][0]
    assert hour == 7 * 5  # the hour holds only the seven measured 5-minute buckets


def test_polled_data_is_never_overwritten_and_a_second_run_adds_nothing(
    net: dict[str, Any],
) -> None:
    link = net["links"][0]
    polled_at = datetime(2026, 11, 17, 22, 3, tzinfo=UTC)
    connection.ensure_connection()
    if detect_backend(connection.connection) == Backend.PARTITIONS:
        ensure_partitions(connection.connection, RAW, polled_at, polled_at)
        ensure_partitions(connection.connection, ROLLUP_5M, polled_at, polled_at)
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO metrics_interface_sample (time, interface_id, device_id, interval_s,"
            " in_bps, out_bps, oper_status) VALUES (%s, %s, %s, 60, 1, 1, 1)",
            [polled_at, link.a_interface_id, link.a_interface.device_id],
        )
        cur.execute(
            "INSERT INTO metrics_interface_5m (bucket, interface_id, device_id, in_mean, in_count,"
            " out_mean, out_count, seconds_up, samples) VALUES (%s, %s, %s, 42, 5, 42, 5, 300, 5)",
            [
                datetime(2026, 11, 17, 21, 55, tzinfo=UTC),
                link.a_interface_id,
                link.a_interface.device_id,
            ],
        )
    connection.ensure_connection()
    assert history_end(connection.connection, NOW) == datetime(2026, 11, 17, 22, tzinfo=UTC)
    first = run()
    assert first.end == datetime(2026, 11, 17, 22, tzinfo=UTC)
    assert (
        rows("SELECT count(*) FROM metrics_interface_5m WHERE bucket >= %s", first.end)[0][0] == 0
    )
    kept = rows(
        "SELECT in_mean FROM metrics_interface_5m WHERE interface_id = %s AND bucket = %s",
        link.a_interface_id,
        datetime(2026, 11, 17, 21, 55, tzinfo=UTC),
    )
    assert kept == [(42.0,)]
    tables = ("metrics_interface_5m", "metrics_interface_1h", "metrics_interface_1d")
    before = [rows(f"SELECT count(*), sum(in_mean) FROM {t}") for t in tables]
    again = run()
    assert again.rows["5m"] == 0
    assert [rows(f"SELECT count(*), sum(in_mean) FROM {t}") for t in tables] == before
