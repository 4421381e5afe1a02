"""The quality series (RTT, loss, jitter) of the link and establishment pages: raw slots and
rollups by range, the operator's scope, bad input; the home page's links of worst quality."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.utils import timezone, translation

from dashboards.home import worst_quality_links
from inventory.accounts import make_operator_account
from tests.factories.inventory import LinkFactory, OperatorFactory

pytestmark = pytest.mark.django_db

Slot = tuple[datetime, int, float | None, float | None]  # time, lost of 5, median, jitter


def probed(link: Any, slots: list[Slot]) -> None:
    """Slots of 5 probes on the link, as the prober's writer stores them."""
    with connection.cursor() as cur:
        cur.executemany(
            "INSERT INTO metrics_link_probe (time, link_id, device_id, method, sent, lost,"
            " rtt_min_ms, rtt_median_ms, rtt_max_ms, jitter_ms)"
            " VALUES (%s, %s, 0, 'twamp', 5, %s, %s - 1, %s, %s + 4, %s)",
            [(t, link.pk, lost, med, med, med, jit) for t, lost, med, jit in slots],
        )


def rolled(link: Any, table: str, bucket: datetime, median: float, lost: int) -> None:
    """One rollup row of 60 slots of 5 probes, as metrics.rollups writes it."""
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} (bucket, link_id, device_id, slots, sent, lost, rtt_min_ms,"
            " rtt_median_ms, rtt_median_max_ms, rtt_max_ms, rtt_count, jitter_ms, jitter_count)"
            " VALUES (%s, %s, 0, 60, 300, %s, 1, %s, %s, 50, 60, 0.5, 60)",
            (bucket, link.pk, lost, median, median),
        )


def ago(minutes: int) -> datetime:
    return timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=minutes)


def test_link_quality_from_raw_slots(reader_client: Client, net: dict[str, Any]) -> None:
    link = net["links"][0]
    first = ago(3)  # once: the clock may cross a minute during the test
    minute = timedelta(minutes=1)
    probed(
        link,
        [(first, 0, 2.0, 0.5), (first + minute, 1, 4.0, 1.0), (first + 2 * minute, 5, None, None)],
    )
    response = reader_client.get(f"/dashboards/links/{link.pk}/quality/?range=6h")
    assert response.status_code == 200
    body = response.json()
    assert body["resolution"] == "raw"
    assert body["link"] == {"id": link.pk, "circuit_id": link.circuit_id}
    assert [p[1:] for p in body["points"]] == [
        [2.0, 1.0, 6.0, 0.0, 0.5],
        [4.0, 3.0, 8.0, 20.0, 1.0],
        [None, None, None, 100.0, None],  # every probe lost: 100 % loss and a gap in the RTT
    ]
    assert body["points"][0][0] == int(first.timestamp() * 1000)


def test_longer_ranges_read_the_rollups(reader_client: Client, net: dict[str, Any]) -> None:
    link = net["links"][0]
    bucket = ago(60).replace(minute=0)
    rolled(link, "metrics_link_probe_5m", bucket, 3.5, 3)
    rolled(link, "metrics_link_probe_1h", bucket, 7.25, 30)
    url = f"/dashboards/links/{link.pk}/quality/"
    week = reader_client.get(url + "?range=7d").json()
    assert week["resolution"] == "5m"
    assert [p[1:] for p in week["points"]] == [[3.5, 1.0, 50.0, 1.0, 0.5]]
    month = reader_client.get(url + "?range=30d").json()
    assert month["resolution"] == "1h"
    assert [p[1:] for p in month["points"]] == [[7.25, 1.0, 50.0, 10.0, 0.5]]


def test_a_link_never_probed_has_no_points(reader_client: Client, net: dict[str, Any]) -> None:
    body = reader_client.get(f"/dashboards/links/{net['links'][1].pk}/quality/").json()
    assert (body["resolution"], body["points"]) == ("5m", [])  # 24 h by default


def test_an_establishment_shows_its_primary_link(
    reader_client: Client, net: dict[str, Any]
) -> None:
    chu = net["sites"][2]  # dual-homed: primary links[2], backup links[3]
    primary, backup = net["links"][2], net["links"][3]
    probed(primary, [(ago(2), 0, 3.0, 0.2)])
    probed(backup, [(ago(2), 0, 30.0, 2.0)])
    body = reader_client.get(f"/dashboards/establishments/{chu.pk}/quality/?range=6h").json()
    assert body["link"]["id"] == primary.pk
    assert [p[1] for p in body["points"]] == [3.0]


def test_an_operator_sees_its_own_links_only(net: dict[str, Any]) -> None:
    site = net["sites"][0]
    other = OperatorFactory.create(name="Autre", slug="autre")
    theirs = LinkFactory.create(operator=other, establishment=site, role="backup")
    probed(theirs, [(ago(2), 2, 9.0, 1.0)])
    probed(net["links"][0], [(ago(2), 0, 2.0, 0.1)])
    user = get_user_model().objects.create_user("armor", password="pw-operator-12345")
    make_operator_account(user, net["operator"])
    client = Client()
    client.force_login(user)
    assert client.get(f"/dashboards/links/{theirs.pk}/quality/").status_code == 404
    mine = client.get(f"/dashboards/links/{net['links'][0].pk}/quality/?range=6h")
    assert [p[1] for p in mine.json()["points"]] == [2.0]
    site_body = client.get(f"/dashboards/establishments/{site.pk}/quality/?range=6h").json()
    assert site_body["link"]["id"] == net["links"][0].pk
    assert [row["circuit"] for row in worst_quality_links(timezone.now(), operator=other.pk)] == [
        theirs.circuit_id
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("range=2w", "range is one of"),
        ("start=2026-01-01T00:00:00Z", "give both start and end"),
        ("start=2026-01-02T00:00:00&end=2026-01-03T00:00:00", "need an offset"),
        ("start=2026-01-03T00:00:00Z&end=2026-01-02T00:00:00Z", "end must come after start"),
    ],
)
def test_bad_ranges_are_a_400_saying_why(
    reader_client: Client, net: dict[str, Any], query: str, message: str
) -> None:
    response = reader_client.get(f"/dashboards/links/{net['links'][0].pk}/quality/?{query}")
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_unknown_objects_and_anonymous_readers(client: Client, net: dict[str, Any]) -> None:
    link = net["links"][0]
    assert client.get(f"/dashboards/links/{link.pk}/quality/").status_code in (302, 403)
    user = get_user_model().objects.create_user("r", password="pw-reader-123456")
    from core.accounts import set_role

    set_role(user, "read")
    client.force_login(user)
    assert client.get("/dashboards/links/999999/quality/").status_code == 404
    assert client.get("/dashboards/establishments/999999/quality/").status_code == 404
    assert client.get(f"/dashboards/pops/{net['pops'][0].pk}/quality/").status_code == 404


def test_home_lists_the_links_of_worst_quality_in_fixed_queries(
    reader_client: Client, net: dict[str, Any], django_assert_num_queries: Any
) -> None:
    lossy, slow, fine = net["links"][0], net["links"][1], net["links"][2]
    probed(lossy, [(ago(m), 1, 5.0, 0.5) for m in range(1, 11)])
    probed(slow, [(ago(m), 0, 45.0, 3.0) for m in range(1, 11)])
    probed(fine, [(ago(m), 0, 2.0, 0.1) for m in range(1, 11)])
    probed(net["links"][3], [(ago(90), 5, None, None)])  # out of the hour's window
    # One query to the store (on the psycopg connection, which Django's counter does not see)
    # and one for the links, however many are listed.
    with django_assert_num_queries(1):
        rows = worst_quality_links(timezone.now())
    assert [r["circuit"] for r in rows] == [lossy.circuit_id, slow.circuit_id, fine.circuit_id]
    assert (rows[0]["loss"], rows[0]["lossy"], rows[0]["rtt"]) == ("20.0", True, "5.0\xa0ms")
    assert (rows[1]["loss"], rows[1]["lossy"], rows[1]["rtt_max"]) == ("0.0", False, "49.0\xa0ms")
    assert rows[0]["url"] == lossy.get_absolute_url()
    with translation.override("fr"):  # the reader's decimal comma
        french = worst_quality_links(timezone.now())
    assert (french[0]["loss"], french[0]["rtt"]) == ("20,0", "5,0\xa0ms")
    body = reader_client.get("/dashboards/status/?panels=1").json()
    assert [r["circuit"] for r in body["panels"]["worst_quality"]] == [r["circuit"] for r in rows]
    html = reader_client.get("/").content.decode()
    assert 'id="worst-quality-table"' in html
    assert lossy.circuit_id in html
