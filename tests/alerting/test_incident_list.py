"""The incidents list page (issue 16, point 1): open incidents by default, every filter in the
URL, sorting, real pagination with the total, severity colours, links, CSV export, and an
operator account's own incidents only."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from alerting.models import Incident
from core.accounts import set_role
from inventory.accounts import make_operator_account
from tests.factories.alerting import TicketFactory, incident
from tests.factories.inventory import OperatorFactory, small_network

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def net() -> dict[str, Any]:
    """Four incidents: two open (one acknowledged), two closed, on two PoPs and two operators."""
    net = small_network()
    pop_q, pop_r = net["pops"]
    sites, links, armor = net["sites"], net["links"], net["operator"]
    other = OperatorFactory.create(name="Breizh Fibre", slug="breizh")
    net["open_pop"] = incident(pop_q, start=T0, isolated=(sites[0], sites[1]), operator=armor)
    net["open_pop"].severity = "critical"
    net["open_pop"].save()
    net["acked_link"] = incident(
        links[2], start=T0 + dt.timedelta(hours=1), isolated=(sites[2],), operator=armor
    )
    Incident.objects.filter(pk=net["acked_link"].pk).update(
        acknowledged_at=T0 + dt.timedelta(hours=2), acknowledged_by="noc", severity="minor"
    )
    net["closed_r"] = incident(
        pop_r,
        start=T0 - dt.timedelta(days=20),
        end=T0 - dt.timedelta(days=20) + dt.timedelta(minutes=65),
        isolated=(sites[2],),
        operator=other,
    )
    net["closed_q"] = incident(
        links[0],
        start=T0 - dt.timedelta(days=3),
        end=T0 - dt.timedelta(days=3) + dt.timedelta(minutes=5),
        isolated=(sites[0],),
        operator=armor,
    )
    TicketFactory.create(link=links[0], operator=armor, reference="TT-LANNION-7").incidents.add(
        net["closed_q"]
    )
    net["other"] = other
    return net


@pytest.fixture
def reader() -> Client:
    user = get_user_model().objects.create_user("noc-reader", password="pw-reader-123456")
    set_role(user, "read")
    client = Client()
    client.force_login(user)
    return client


def the_four(net: dict[str, Any]) -> list[Incident]:
    return [net[k] for k in ("open_pop", "acked_link", "closed_r", "closed_q")]


def ids(client: Client, query: str = "") -> list[int]:
    page = client.get(f"/alerting/incidents/{query}")
    assert page.status_code == 200, page.content[:500]
    body = page.content.decode()
    rows = body[body.index("<tbody>") : body.index("</tbody>")]
    return [int(n) for n in re.findall(r'href="/alerting/incidents/(\d+)/"', rows)]


def test_open_incidents_by_default_then_each_state(net: dict[str, Any], reader: Client) -> None:
    open_pop, acked, closed_r, closed_q = the_four(net)
    assert ids(reader) == [acked.pk, open_pop.pk]  # newest first
    assert ids(reader, "?state=unacknowledged") == [open_pop.pk]
    assert ids(reader, "?state=acknowledged") == [acked.pk]
    assert ids(reader, "?state=closed") == [closed_q.pk, closed_r.pk]
    # any filter replaces the default: a sort alone keeps it, a search does not
    assert ids(reader, "?sort=start") == [open_pop.pk, acked.pk]
    assert len(ids(reader, "?q=Quimper")) >= 1


def test_filters_by_kind_severity_operator_pop_department_category_and_dates(
    net: dict[str, Any], reader: Client
) -> None:
    open_pop, acked, closed_r, closed_q = the_four(net)
    assert ids(reader, "?kind=pop_down&sort=id") == sorted([open_pop.pk, closed_r.pk])
    assert ids(reader, "?severity=critical") == [open_pop.pk]
    assert ids(reader, "?operator=breizh") == [closed_r.pk]
    # a PoP: incidents rooted at it or cutting off a site it serves
    assert ids(reader, "?pop=rennes&sort=id") == sorted([acked.pk, closed_r.pk])
    # Quimper's router also carries the CHU de Rennes' backup link: it serves every site here
    everything = sorted([open_pop.pk, acked.pk, closed_r.pk, closed_q.pk])
    assert ids(reader, "?pop=quimper&sort=id") == everything
    assert ids(reader, "?department=35&sort=id") == sorted([acked.pk, closed_r.pk])
    assert ids(reader, "?category=health&sort=id") == sorted([acked.pk, closed_r.pk])
    assert ids(reader, "?start__gte=2026-10-31&sort=id") == sorted([open_pop.pk, acked.pk])
    assert ids(reader, "?start__lt=2026-10-20") == [closed_r.pk]
    assert ids(reader, f"?q=%23{closed_q.pk}") == [closed_q.pk]


def test_a_bad_filter_is_a_400_that_names_it(net: dict[str, Any], reader: Client) -> None:
    page = reader.get("/alerting/incidents/?state=burning&start__gte=yesterday")
    assert page.status_code == 400
    text = page.content.decode()
    assert "<code>state</code>" in text
    assert "<code>start__gte</code>" in text


def test_sorting_by_severity_duration_and_impacted(net: dict[str, Any], reader: Client) -> None:
    every = "?state=open&state=closed"
    by_severity = ids(reader, f"{every}&sort=-severity")
    assert by_severity[0] == net["open_pop"].pk  # critical first
    assert by_severity[-1] == net["acked_link"].pk  # minor last
    # closed ones lasted 5 and 65 minutes; open ones run for a month by now
    assert ids(reader, f"{every}&sort=duration")[:2] == [net["closed_q"].pk, net["closed_r"].pk]
    assert ids(reader, f"{every}&sort=-impacted_count")[0] == net["open_pop"].pk


def test_pages_with_the_total_and_the_filters_kept(net: dict[str, Any], reader: Client) -> None:
    root = net["pops"][0]
    for n in range(60):
        incident(root, start=T0 - dt.timedelta(days=40, minutes=n), end=T0 - dt.timedelta(days=39))
    page = reader.get("/alerting/incidents/?state=closed&per_page=25&page=2").content.decode()
    assert "62 results — page 2 of 3" in page
    assert 'href="?state=closed&amp;per_page=25&amp;page=3"' in page
    assert len(ids(reader, "?state=closed&per_page=25&page=3")) == 12


def test_rows_show_colour_duration_root_and_ticket_links(
    net: dict[str, Any], reader: Client
) -> None:
    body = reader.get("/alerting/incidents/?state=closed").content.decode()
    row = re.search(
        rf'<tr class="([^"]*)">\s*<td class="num"><a href="/alerting/incidents/'
        rf'{net["closed_r"].pk}/">.*?</tr>',
        body,
        re.S,
    )
    assert row is not None
    assert row.group(1) == "severity-major closed"
    assert "1 h 05 min" in row.group(0)
    assert f'href="/pops/{net["pops"][1].pk}/"' in row.group(0)  # the root cause's page
    assert "TT-LANNION-7" in body
    assert "/alerting/tickets/" in body
    open_body = reader.get("/alerting/incidents/").content.decode()
    assert 'class="badge severity-critical">Critical<' in open_body
    assert 'data-testid="incident-summary"' in open_body
    assert "2 open" in open_body


def test_csv_export_is_the_filtered_list_in_the_api_columns(
    net: dict[str, Any], reader: Client
) -> None:
    response = reader.get("/alerting/incidents/?state=closed&operator=armor&export=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="incidents.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [int(r["id"]) for r in rows] == [net["closed_q"].pk]
    assert rows[0]["operator"] == "Armor Télécom"
    api = reader.get("/api/alerting/incidents/?format=csv&operator=armor")
    assert response.content.splitlines()[0] == api.content.splitlines()[0]
    reader.post("/account/", {"language": "fr"})  # the same list, read in French
    french = reader.get("/alerting/incidents/?state=closed&operator=armor&export=csv").content
    assert french.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(french.decode("utf-8-sig")), delimiter=";"))
    assert [int(r["id"]) for r in rows] == [net["closed_q"].pk]
    assert api.content.startswith(b"id,")  # the API stays a machine format


def test_an_operator_sees_only_its_own_incidents(net: dict[str, Any]) -> None:
    user = get_user_model().objects.create_user("breizh-noc", password="pw-operator-12345")
    make_operator_account(user, net["other"])
    client = Client()
    client.force_login(user)
    assert ids(client, "?state=open&state=closed") == [net["closed_r"].pk]
    body = client.get("/alerting/incidents/?state=closed").content.decode()
    assert "Armor" not in body  # nor in the operator choices
    assert ids(client, "?operator=armor&state=open&state=closed") == []
    exported = client.get("/alerting/incidents/?state=closed&export=csv").content.decode()
    assert "Armor" not in exported
    assert "acknowledged_by" not in exported.splitlines()[0]


def test_the_query_count_does_not_grow_with_the_rows(net: dict[str, Any], reader: Client) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert reader.get("/alerting/incidents/?state=open&state=closed").status_code == 200
        return len(queries)

    before = count()
    root = net["pops"][0]
    for n in range(30):
        made = incident(root, start=T0 - dt.timedelta(days=50, minutes=n), end=T0)
        TicketFactory.create(link=net["links"][0], operator=net["operator"]).incidents.add(made)
    assert count() == before
