"""Status on every object (issue 16, point 3): establishment, PoP, device and link pages show the
live status, the open incidents that concern the object and the last poll; a planned
establishment shows as planned; an operator sees only its own incidents there."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from inventory.accounts import make_operator_account
from inventory.models import Device
from tests.dashboards.conftest import polled
from tests.factories.alerting import incident
from tests.factories.inventory import EstablishmentFactory, OperatorFactory, small_network

pytestmark = pytest.mark.django_db


def state(client: Client, path: str) -> tuple[str, str, list[int]]:
    """(status, last poll text, incident ids) of the page's live block."""
    page = client.get(path)
    assert page.status_code == 200
    body = page.content.decode()
    status = re.search(r'data-testid="live-state" data-status="(\w+)"', body)
    assert status is not None, "no live state on " + path
    block = body[status.start() : body.index("</section>", status.start())]
    poll = re.search(r'data-testid="last-poll">([^<]*)<', block)
    assert poll is not None
    return (
        status.group(1),
        poll.group(1),
        [int(n) for n in re.findall(r"/alerting/incidents/(\d+)/", block)],
    )


def test_every_object_is_up_with_its_last_poll(net: dict[str, Any], reader_client: Client) -> None:
    site, pop, link = net["sites"][0], net["pops"][0], net["links"][0]
    device = net["routers"][0]
    for path in (
        f"/establishments/{site.pk}/",
        f"/pops/{pop.pk}/",
        f"/devices/{device.pk}/",
        f"/links/{link.pk}/",
    ):
        status, poll, incidents = state(reader_client, path)
        assert (status, incidents) == ("up", []), path
        # the page's time is local (Europe/Paris): a day ahead of UTC after 23:00 UTC
        assert poll.startswith(timezone.localtime().strftime("%Y-%m-%d")), path


def test_a_pop_down_shows_on_the_pop_its_sites_devices_and_links(
    net: dict[str, Any], reader_client: Client
) -> None:
    pop_q, pop_r = net["pops"]
    sites, links = net["sites"], net["links"]
    start = timezone.now() - timedelta(minutes=20)
    down = incident(pop_q, start=start, isolated=(sites[0], sites[1]), degraded=(sites[2],))
    assert state(reader_client, f"/pops/{pop_q.pk}/")[::2] == ("down", [down.pk])
    assert state(reader_client, f"/establishments/{sites[0].pk}/")[::2] == ("down", [down.pk])
    assert state(reader_client, f"/establishments/{sites[2].pk}/")[::2] == ("degraded", [down.pk])
    assert state(reader_client, f"/devices/{net['routers'][0].pk}/")[::2] == ("down", [down.pk])
    assert state(reader_client, f"/links/{links[0].pk}/")[::2] == ("down", [down.pk])
    # the other PoP is not concerned
    assert state(reader_client, f"/pops/{pop_r.pk}/")[::2] == ("up", [])
    assert state(reader_client, f"/devices/{net['routers'][1].pk}/")[::2] == ("up", [])
    # a closed incident concerns nobody any more
    down.end = timezone.now()
    down.save()
    assert state(reader_client, f"/pops/{pop_q.pk}/")[::2] == ("up", [])


def test_not_polled_lately_is_unknown_and_planned_is_planned(reader_client: Client) -> None:
    network = small_network()
    polled(Device.objects.all(), minutes_ago=60)
    site = network["sites"][0]
    assert state(reader_client, f"/establishments/{site.pk}/")[0] == "unknown"
    planned = EstablishmentFactory.create(status="planned")
    status, poll, _ = state(reader_client, f"/establishments/{planned.pk}/")
    assert (status, poll) == ("planned", "never")
    assert (
        "Planned (not in service yet)"
        in reader_client.get(f"/establishments/{planned.pk}/").content.decode()
    )


def test_an_operator_sees_only_its_own_incidents_on_its_site(net: dict[str, Any]) -> None:
    site = net["sites"][0]
    other = OperatorFactory.create(slug="other")
    start = timezone.now() - timedelta(minutes=20)
    ours = incident(net["links"][0], start=start, isolated=(site,), operator=net["operator"])
    theirs = incident(net["pops"][0], start=start, isolated=(site,), operator=other)
    user = get_user_model().objects.create_user("armor", password="pw-operator-12345")
    make_operator_account(user, net["operator"])
    client = Client()
    client.force_login(user)
    status, _, incidents = state(client, f"/establishments/{site.pk}/")
    assert incidents == [ours.pk]
    assert theirs.pk not in incidents
    assert status == "down"


def test_the_establishments_list_has_a_live_status_column_and_filter(
    net: dict[str, Any], reader_client: Client
) -> None:
    sites = net["sites"]
    start = timezone.now() - timedelta(minutes=20)
    incident(net["pops"][0], start=start, isolated=(sites[0], sites[1]), degraded=(sites[2],))
    planned = EstablishmentFactory.create(code="NEW-00-001", status="planned")

    def codes(query: str) -> list[str]:
        page = reader_client.get(f"/establishments/?{query}")
        assert page.status_code == 200
        body = page.content.decode()
        return re.findall(r'<tr>\s*<td><a href="/establishments/\d+/">([^<]+)</a>', body)

    assert codes("live=down&sort=code") == ["LYC-29-001", "MAI-29-002"]
    assert codes("live=degraded") == ["CHU-35-001"]
    assert codes("live=planned") == [planned.code]
    assert codes("live=up") == []
    body = reader_client.get("/establishments/?sort=code").content.decode()
    assert body.count('class="badge live-badge live-down">Down<') == 2
    assert "Live status" in body
    assert reader_client.get("/establishments/?live=burning").status_code == 400


def test_the_pops_list_has_a_live_status_column_and_filter(
    net: dict[str, Any], reader_client: Client
) -> None:
    pop_q, pop_r = net["pops"]
    incident(pop_q, start=timezone.now() - timedelta(minutes=20), isolated=tuple(net["sites"][:2]))

    def names(query: str) -> list[str]:
        body = reader_client.get(f"/pops/?{query}").content.decode()
        return re.findall(r'<tr>\s*<td><a href="/pops/\d+/">([^<]+)</a>', body)

    assert names("live=down") == [pop_q.name]
    assert names("live=up") == [pop_r.name]
    body = reader_client.get("/pops/").content.decode()
    assert 'class="badge live-badge live-down">Down<' in body
    assert 'class="badge live-badge live-up">Up<' in body
    assert reader_client.get("/pops/?live=x").status_code == 400
