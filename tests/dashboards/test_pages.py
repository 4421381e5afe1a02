"""The home page and the link, PoP and operator pages with their charts: content, series served
from the raw samples and the rollups, bad input, and a fixed number of queries per page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from dashboards.home import availability_by_operator, month_start
from tests.factories.alerting import incident
from tests.factories.inventory import OperatorFactory

pytestmark = pytest.mark.django_db


def raw(link: Any, points: list[tuple[datetime, float, float]]) -> None:
    """Raw interface samples on the link's CPE uplink, as the metrics writer stores them."""
    iface = link.a_interface
    with connection.cursor() as cur:
        cur.executemany(
            "INSERT INTO metrics_interface_sample (time, interface_id, device_id, interval_s,"
            " in_bps, out_bps, oper_status) VALUES (%s, %s, %s, 60, %s, %s, 1)",
            [(t, iface.pk, iface.device_id, down, up) for t, down, up in points],
        )


def five_minute(link: Any, buckets: list[tuple[datetime, float, float]]) -> None:
    """5-minute rollup rows on the link's CPE uplink, as metrics.rollups writes them."""
    iface = link.a_interface
    with connection.cursor() as cur:
        cur.executemany(
            "INSERT INTO metrics_interface_5m (bucket, interface_id, device_id, in_mean, in_max,"
            " in_count, out_mean, out_max, out_count, seconds_up, samples)"
            " VALUES (%s, %s, %s, %s, %s, 5, %s, %s, 5, 300, 5)",
            [(b, iface.pk, iface.device_id, d, d, u, u) for b, d, u in buckets],
        )


def minutes(n: int) -> list[datetime]:
    now = timezone.now().replace(second=0, microsecond=0)
    return [now - timedelta(minutes=m) for m in range(n, 0, -1)]


def buckets(n: int) -> list[datetime]:
    now = timezone.now()
    start = now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0)
    return [start - timedelta(minutes=5 * k) for k in range(n, 0, -1)]


def test_pages_need_a_login(client: Client, net: dict[str, Any]) -> None:
    link, pop, operator = net["links"][0], net["pops"][0], net["operator"]
    for url in (
        "/",
        f"/links/{link.pk}/",
        f"/pops/{pop.pk}/",
        f"/operators/{operator.pk}/",
        f"/dashboards/pops/{pop.pk}/series/",
        "/topology/map/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url


def test_home_page_shows_status_incidents_saturation_and_availability(
    reader_client: Client, net: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    lycee, mairie, chu = net["sites"]
    hot, cool = net["links"][0], net["links"][1]  # 100 Mbit/s committed
    five_minute(hot, [(b, 95e6, 20e6) for b in buckets(12)])
    five_minute(cool, [(b, 10e6, 5e6) for b in buckets(12)])
    incident(
        hot,
        start=timezone.now() - timedelta(minutes=20),
        isolated=(lycee,),
        operator=net["operator"],
    )
    incident(net["routers"][1], start=timezone.now() - timedelta(minutes=5), degraded=(chu,))
    with django_assert_max_num_queries(26):  # session, inventory counts, status, panels
        response = reader_client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    counts = response.context["status_counts"]
    assert counts == {
        "up": 1,
        "down": 1,
        "degraded": 1,
        "maintenance": 0,
        "unknown": 0,
        "planned": 0,
    }
    live = response.context["live"]
    assert [(r["name"], r["count"]) for r in live["open_by_operator"]] == [
        ("Armor Télécom", 1),
        ("Syndicate (own elements)", 1),
    ]
    assert len(live["open_incidents"]) == 2
    assert live["pops_down"] == 0
    top = live["top_links"]
    assert [item["circuit"] for item in top] == [hot.circuit_id, cool.circuit_id]
    assert top[0]["percent"] == "95.0"
    assert top[0]["hot"]
    assert hot.circuit_id in html
    assert "95.0 %" in html
    (armor,) = response.context["availability"]
    assert armor.links == 3
    assert armor.downtime_s > 0
    assert float(armor.percent) < 100
    assert 'id="map"' in html
    assert "map-status-url" in html
    assert "Network inventory" in html  # the inventory's panels are still there
    assert mairie.pk  # untouched: up


def test_home_page_query_count_does_not_grow_with_incidents(
    reader_client: Client, net: dict[str, Any]
) -> None:
    from django.test.utils import CaptureQueriesContext

    reader_client.get("/")
    with CaptureQueriesContext(connection) as before:
        reader_client.get("/")
    for n in range(10):
        other = OperatorFactory.create(name=f"Op {n}", slug=f"op-{n}")
        incident(
            net["links"][n % 3],
            start=timezone.now(),
            isolated=(net["sites"][n % 3],),
            operator=other,
        )
    with CaptureQueriesContext(connection) as after:
        reader_client.get("/")
    assert len(after.captured_queries) == len(before.captured_queries)


def test_availability_this_month_is_truncated_and_ignores_maintenance(
    net: dict[str, Any],
) -> None:
    now = datetime(2026, 3, 11, 0, 0, tzinfo=UTC)  # 10 days (less one hour: CET) into March
    start = month_start(now)
    elapsed = (now - start).total_seconds()
    lycee, mairie, _ = net["sites"]
    incident(
        net["links"][0],
        start=now - timedelta(hours=2),
        end=now - timedelta(hours=1),
        isolated=(lycee,),
        operator=net["operator"],
    )
    incident(
        net["links"][1],
        start=now - timedelta(hours=5),
        end=now - timedelta(hours=4),
        isolated=(mairie,),
        operator=net["operator"],
        in_maintenance=True,
    )
    incident(
        net["links"][1],
        start=start - timedelta(days=2),
        end=start + timedelta(minutes=30),
        isolated=(mairie,),
        operator=net["operator"],
    )
    incident(
        net["pops"][0],
        start=now - timedelta(hours=3),
        end=now - timedelta(hours=2),
        isolated=(lycee, mairie),
        operator=net["operator"],
        imputability="third_party",
    )
    (armor,) = availability_by_operator(now)
    assert armor.downtime_s == 3600 + 1800
    assert armor.required_s == 3 * elapsed
    exact = (3 * elapsed - 5400) / (3 * elapsed) * 100
    assert armor.percent == f"{int(exact * 1000) / 1000:.3f}"  # truncated, never rounded up


def test_chart_pages_carry_their_series(reader_client: Client, net: dict[str, Any]) -> None:
    link, pop, operator = net["links"][0], net["pops"][0], net["operator"]
    for url, series in (
        (f"/links/{link.pk}/", f"/dashboards/links/{link.pk}/series/"),
        (f"/pops/{pop.pk}/", f"/dashboards/pops/{pop.pk}/series/"),
        (f"/operators/{operator.pk}/", f"/dashboards/operators/{operator.pk}/series/"),
        (
            f"/establishments/{net['sites'][0].pk}/",
            f"/dashboards/establishments/{net['sites'][0].pk}/series/",
        ),
    ):
        response = reader_client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert f'data-url="{series}"' in html
        assert "dashboards/traffic.js" in html
        assert "vendor/uplot/uPlot.iife.min.js" in html


def test_link_series_from_raw_samples(reader_client: Client, net: dict[str, Any]) -> None:
    link = net["links"][0]
    raw(link, [(t, 30e6, 3e6) for t in minutes(45)])
    incident(link, start=timezone.now() - timedelta(minutes=20), isolated=(net["sites"][0],))
    body = reader_client.get(f"/dashboards/links/{link.pk}/series/?range=6h").json()
    assert body["resolution"] == "raw"
    assert len(body["points"]) == 45
    assert {p[1] for p in body["points"]} == {30e6}
    assert body["committed_down_bps"] == 100_000_000
    assert len(body["incidents"]) == 1
    assert body["incidents"][0]["to"] is None


def test_pop_and_operator_series_sum_their_access_links(
    reader_client: Client, net: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    lycee_link, mairie_link, chu_link, chu_backup = net["links"]
    for link, down in (
        (lycee_link, 10e6),
        (mairie_link, 20e6),
        (chu_link, 40e6),
        (chu_backup, 80e6),
    ):
        five_minute(link, [(b, down, down / 10) for b in buckets(6)])
        raw(link, [(t, down, down / 10) for t in minutes(10)])
    quimper = net["pops"][0]  # the lycée's, the mairie's and the CHU's backup link end there
    with django_assert_max_num_queries(12):
        body = reader_client.get(f"/dashboards/pops/{quimper.pk}/series/?range=24h").json()
    assert body["resolution"] == "5m"
    assert body["links"] == 3
    assert len(body["points"]) == 6
    assert {p[1] for p in body["points"]} == {110e6}
    assert body["committed_down_bps"] == 300_000_000
    body = reader_client.get(f"/dashboards/pops/{quimper.pk}/series/?range=6h").json()
    assert body["resolution"] == "raw"
    assert len(body["points"]) == 10
    assert {round(p[2]) for p in body["points"]} == {11_000_000}
    body = reader_client.get(f"/dashboards/operators/{net['operator'].pk}/series/?range=24h").json()
    assert body["links"] == 4
    assert {p[1] for p in body["points"]} == {150e6}


def test_pop_incidents_include_its_devices_and_links(
    reader_client: Client, net: dict[str, Any]
) -> None:
    quimper, rennes = net["pops"]
    now = timezone.now()
    mine = [
        incident(quimper, start=now - timedelta(hours=3), end=now - timedelta(hours=2)),
        incident(net["routers"][0], start=now - timedelta(hours=1)),
        incident(net["links"][1], start=now - timedelta(minutes=30)),
    ]
    incident(rennes, start=now - timedelta(hours=1))
    incident(quimper, start=now - timedelta(days=3), end=now - timedelta(days=2))  # out of range
    body = reader_client.get(f"/dashboards/pops/{quimper.pk}/series/?range=24h").json()
    assert sorted(i["id"] for i in body["incidents"]) == sorted(i.pk for i in mine)


def test_series_bad_input(reader_client: Client, net: dict[str, Any]) -> None:
    pop = net["pops"][0]
    response = reader_client.get(f"/dashboards/pops/{pop.pk}/series/?range=2w")
    assert response.status_code == 400
    assert "range is one of" in response.json()["error"]
    response = reader_client.get(f"/dashboards/links/{net['links'][0].pk}/series/?start=2026-01-01")
    assert response.status_code == 400
    for kind in ("links", "pops", "operators"):
        assert reader_client.get(f"/dashboards/{kind}/999999/series/").status_code == 404


def test_live_map_page_has_the_status_url_and_legend(
    reader_client: Client, net: dict[str, Any]
) -> None:
    response = reader_client.get("/topology/map/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '"/dashboards/status/"' in html
    assert "map-legend" in html
    assert "maintenance" in html


def test_availability_without_downtime_is_exactly_100(net: dict[str, Any]) -> None:
    for day in range(1, 29):  # elapsed times that are no round number of seconds
        now = datetime(2026, 2, day, 13, 37, 11, 123457, tzinfo=UTC)
        (armor,) = availability_by_operator(now)
        assert armor.downtime_s == 0
        assert armor.percent == "100.000"
