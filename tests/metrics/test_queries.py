"""Series at the right resolution, top-N against committed rates, the monthly 95th percentile."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from common.times import month_bounds
from metrics import queries
from metrics.rollups import run_rollups
from metrics.writer import MetricsWriter
from tests.metrics.samples import T0, iface, make_site

H = timedelta(hours=1)
D = timedelta(days=1)


@pytest.mark.parametrize(
    ("span", "resolution"),
    [
        (timedelta(minutes=10), "raw"),
        (6 * H, "raw"),
        (6 * H + timedelta(seconds=1), "5m"),
        (7 * D, "5m"),
        (8 * D, "1h"),
        (90 * D, "1h"),
        (91 * D, "1d"),
        (3650 * D, "1d"),
    ],
)
def test_resolution_follows_the_span(span: timedelta, resolution: str) -> None:
    assert queries.choose_resolution(T0, T0 + span) == resolution


def test_resolution_goes_coarser_when_points_would_exceed_the_bound() -> None:
    assert queries.choose_resolution(T0, T0 + 6 * H, max_points=100) == "5m"
    assert queries.choose_resolution(T0, T0 + 7 * D, max_points=1000) == "1h"
    with pytest.raises(ValueError, match="daily points"):
        queries.choose_resolution(T0, T0 + 20 * 365 * D, max_points=4000)


def test_an_empty_or_reversed_range_is_refused() -> None:
    with pytest.raises(ValueError, match="empty range"):
        queries.choose_resolution(T0, T0)


def _write_and_roll(conninfo: str, conn: Any, tmp_path: Path, samples: list[Any]) -> None:
    with MetricsWriter(conninfo, tmp_path) as writer:
        for i in range(0, len(samples), 5000):
            writer.write(samples[i : i + 5000])
    run_rollups(conn)


def test_link_series_reads_the_cpe_uplink_from_the_establishment_side_at_each_resolution(
    conninfo: str, conn: Any, alias: str, tmp_path: Path
) -> None:
    site = make_site(alias, "E1", [(10_000_000, 5_000_000)])
    (uplink,) = site.interface_ids
    # Two days of 1-minute samples: CPE receives (in, = down) 4 Mbit/s, sends 1 Mbit/s.
    samples = [
        iface(T0 + timedelta(minutes=m), uplink, 4e6, 1e6, device_id=site.device_id)
        for m in range(2 * 24 * 60)
    ]
    _write_and_roll(conninfo, conn, tmp_path, samples)
    link = site.link_ids[0]
    raw = queries.link_series(conn, link, T0, T0 + 2 * H)
    assert (raw.resolution, len(raw.points)) == ("raw", 120)
    assert (raw.points[0].down_bps, raw.points[0].up_bps) == (4e6, 1e6)
    five = queries.link_series(conn, link, T0, T0 + 2 * D)
    assert (five.resolution, len(five.points)) == ("5m", 576)
    assert five.points[-1] == queries.Point(T0 + 2 * D - timedelta(minutes=5), 4e6, 1e6, 4e6, 1e6)
    hourly = queries.link_series(conn, link, T0 - 10 * D, T0 + 20 * D)
    assert (hourly.resolution, len(hourly.points)) == ("1h", 48)
    daily = queries.link_series(conn, link, T0 - 200 * D, T0 + 10 * D)
    assert (daily.resolution, [p.time for p in daily.points]) == ("1d", [T0, T0 + D])
    assert daily.points[0].down_bps == pytest.approx(4e6)


def test_unknown_intervals_are_gaps_not_zero(
    conninfo: str, conn: Any, alias: str, tmp_path: Path
) -> None:
    site = make_site(alias, "E2", [(1_000_000, 1_000_000)])
    (uplink,) = site.interface_ids
    samples = [iface(T0 + timedelta(minutes=m), uplink, None, None) for m in range(5)]
    samples += [iface(T0 + timedelta(minutes=m), uplink, 10.0, 20.0) for m in range(5, 10)]
    _write_and_roll(conninfo, conn, tmp_path, samples)
    series = queries.interface_series(conn, uplink, T0, T0 + 10 * H)
    assert [(p.down_bps, p.up_bps) for p in series.points] == [(None, None), (10.0, 20.0)]


def test_establishment_series_sums_its_access_links(
    conninfo: str, conn: Any, alias: str, tmp_path: Path
) -> None:
    site = make_site(alias, "E3", [(10_000_000, 10_000_000), (4_000_000, 4_000_000)])
    other = make_site(alias, "E4", [(10_000_000, 10_000_000)])
    primary, backup = site.interface_ids
    samples = []
    for m in range(60):
        t = T0 + timedelta(minutes=m)
        samples.append(iface(t + timedelta(seconds=3), primary, 3e6, 1e6))
        samples.append(iface(t + timedelta(seconds=40), backup, 1e6, 5e5))
        samples.append(iface(t, other.interface_ids[0], 9e9, 9e9))
    _write_and_roll(conninfo, conn, tmp_path, samples)
    raw = queries.establishment_series(conn, site.establishment_id, T0, T0 + H)
    assert raw.resolution == "raw"
    assert {(p.down_bps, p.up_bps) for p in raw.points} == {(4e6, 1.5e6)}
    assert len(raw.points) == 60
    five = queries.establishment_series(conn, site.establishment_id, T0, T0 + 2 * D)
    assert five.resolution == "5m"
    assert [(p.down_bps, p.up_bps) for p in five.points] == [(4e6, 1.5e6)] * 12


def test_top_n_ranks_links_by_use_of_their_committed_rate(
    conninfo: str, conn: Any, alias: str, tmp_path: Path
) -> None:
    busy = make_site(alias, "B", [(10_000_000, 2_000_000)])  # 95 % up
    calm = make_site(alias, "C", [(100_000_000, 100_000_000)])  # 10 %
    mid = make_site(alias, "M", [(20_000_000, None)])  # 50 % down, no committed up
    uncommitted = make_site(alias, "U", [(None, None)])  # not ranked
    traffic = {
        busy.interface_ids[0]: (5e6, 1.9e6),
        calm.interface_ids[0]: (1e7, 1e7),
        mid.interface_ids[0]: (1e7, 9e9),
        uncommitted.interface_ids[0]: (9e9, 9e9),
    }
    samples = [
        iface(T0 + timedelta(minutes=m), i, down, up)
        for m in range(30)
        for i, (down, up) in traffic.items()
    ]
    _write_and_roll(conninfo, conn, tmp_path, samples)
    top = queries.top_utilisation(conn, T0, T0 + D, limit=2)
    assert [(t.link_id, t.utilisation) for t in top] == [
        (busy.link_ids[0], pytest.approx(0.95)),
        (mid.link_ids[0], pytest.approx(0.5)),
    ]
    assert top[1].up_util is None
    everything = queries.top_utilisation(conn, T0, T0 + D, limit=10, metric="mean")
    assert [t.link_id for t in everything] == [busy.link_ids[0], mid.link_ids[0], calm.link_ids[0]]
    with pytest.raises(ValueError, match="metric"):
        queries.top_utilisation(conn, T0, T0 + D, metric="median")


def _bucket_value(k: int) -> float | None:
    if k % 7 == 3:
        return None  # UNKNOWN interval (counter reset, no answer…)
    return float((k * 7919) % 1000) * 1000


def test_monthly_p95_is_the_nearest_rank_of_known_five_minute_intervals(
    conninfo: str, conn: Any, alias: str, tmp_path: Path
) -> None:
    site = make_site(alias, "P", [(1_000_000_000, 1_000_000_000)])
    (uplink,) = site.interface_ids
    start, end = month_bounds(
        2026, 10, queries.CONTRACT_TZ
    )  # Paris month: 30 Sep 22:00 → 31 Oct 23:00 UTC
    assert (start, end) == (
        datetime(2026, 9, 30, 22, tzinfo=UTC),
        datetime(2026, 10, 31, 23, tzinfo=UTC),
    )
    samples = []
    expected_in = []
    k = 0
    t = start - 2 * H
    while t < end + 2 * H:
        inside = start <= t < end
        value = _bucket_value(k) if inside else 5e12  # outside the month: must not count
        samples.append(iface(t + timedelta(minutes=2), uplink, value, None if value else 0.0))
        if inside and value is not None:
            expected_in.append(value)
        t += timedelta(minutes=5)
        k += 1
    _write_and_roll(conninfo, conn, tmp_path, samples)
    result = queries.monthly_p95(conn, site.link_ids[0], 2026, 10)
    ordered = sorted(expected_in)
    assert result.down_bps == ordered[math.ceil(0.95 * len(ordered)) - 1]
    assert result.down_intervals == len(expected_in)
    assert result.intervals_in_month == 31 * 288 + 12  # October has 25 hours more… of 1 hour
    assert result.down_intervals < result.intervals_in_month  # unknown ones were left out
    assert result.up_bps == 0.0  # a measured zero is a real zero


def test_monthly_p95_without_any_measurement_is_none_not_zero(
    conninfo: str, conn: Any, alias: str
) -> None:
    site = make_site(alias, "N", [(1_000_000, 1_000_000)])
    result = queries.monthly_p95(conn, site.link_ids[0], 2026, 10)
    assert (result.down_bps, result.up_bps, result.down_intervals) == (None, None, 0)


def test_a_link_without_a_cpe_interface_is_a_clear_error(conn: Any) -> None:
    with pytest.raises(LookupError, match="no link 987654"):
        queries.link_series(conn, 987654, T0, T0 + H)


def test_queries_run_on_a_client_side_cursor_connection_like_djangos(
    conninfo: str, conn: Any, alias: str, tmp_path: Path
) -> None:
    site = make_site(alias, "D", [(10_000_000, 10_000_000), (1_000_000, 1_000_000)])
    samples = [
        iface(T0 + timedelta(minutes=m), i, 1e6, 2e6) for m in range(10) for i in site.interface_ids
    ]
    _write_and_roll(conninfo, conn, tmp_path, samples)
    with psycopg.connect(conninfo, cursor_factory=psycopg.ClientCursor) as django_like:
        link = queries.link_series(django_like, site.link_ids[0], T0, T0 + H)
        both = queries.establishment_series(django_like, site.establishment_id, T0, T0 + 2 * D)
        top = queries.top_utilisation(django_like, T0, T0 + D)
        p95 = queries.monthly_p95(django_like, site.link_ids[0], 2026, 11)
    assert [(p.down_bps, p.up_bps) for p in link.points] == [(1e6, 2e6)] * 10
    assert [(p.down_bps, p.up_bps) for p in both.points] == [(2e6, 4e6)] * 2
    assert [t.link_id for t in top] == [site.link_ids[1], site.link_ids[0]]
    assert (p95.down_bps, p95.up_bps) == (1e6, 2e6)
