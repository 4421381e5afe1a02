"""What an operator's account reads, field by field (issue 13, findings 3, 4, 7 and 8, and "keep
them closed"): canary values in every syndicate-internal field of the operator's own objects and
in everything of the other operator (the shared site's backup link, its incident), then a walk of
every page and endpoint the operator may open. No canary may appear; every list's count must
be the operator's own scoped count. The same walk as staff must find the canaries (a positive
control: otherwise the walk proves nothing).
"""

from __future__ import annotations

import secrets
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from alerting.models import AlertRoute, Incident, IncidentEvent, Notification
from common.roles import ADMIN
from common.scoping import scope
from core.accounts import set_role
from inventory.models import Device, Establishment, Interface, Link, Operator
from tests.common.api.clients import make_user
from tests.factories.alerting import incident_on_link
from tests.security.networks import TwoOperators, two_operators
from tests.security.test_operator_api import PATTERNS

pytestmark = pytest.mark.django_db
RANGE = "?start=2026-11-01T00:00:00Z&end=2026-11-02T00:00:00Z"

# Syndicate-internal fields of Armor's own objects (findings 3 and 8).
INTERNAL = {
    "link comments": "CANARY-LINK-COMMENT",
    "link description": "CANARY-LINK-DESCRIPTION",
    "site comments": "CANARY-SITE-COMMENT",
    "device comments": "CANARY-DEVICE-COMMENT",
    "operator comments": "CANARY-OPERATOR-COMMENT",
    "incident notes": "CANARY-INCIDENT-NOTES",
    "paged address": "canary-noc@syndicat.example",
    "webhook url": "https://hooks.example/CANARY-WEBHOOK-SECRET",
    "smtp error": "CANARY-SMTP-ERROR",
    "acknowledged by": "https://hooks.example/CANARY-ACK-URL",
}
OTHER_RATE = 77_777_000  # the other operator's backup link's committed rate (finding 4)


@pytest.fixture
def net() -> TwoOperators:
    net = two_operators()
    link = net.armor_links[0]
    Link.objects.filter(pk=link.pk).update(
        comments=INTERNAL["link comments"], description=INTERNAL["link description"]
    )
    Establishment.objects.filter(pk=link.establishment_id).update(
        comments=INTERNAL["site comments"]
    )
    Device.objects.filter(interfaces__link_a=link).update(comments=INTERNAL["device comments"])
    Operator.objects.filter(pk=net.armor.pk).update(comments=INTERNAL["operator comments"])
    incident = net.armor_incident
    Incident.objects.filter(pk=incident.pk).update(
        notes=INTERNAL["incident notes"],
        acknowledged_at=timezone.now(),
        acknowledged_by=INTERNAL["acknowledged by"],
    )
    for channel, target in (
        ("email", INTERNAL["paged address"]),
        ("webhook", INTERNAL["webhook url"]),
    ):
        route = AlertRoute.objects.create(name=channel, channel=channel, target=target)
        Notification.objects.create(
            incident=incident,
            route=route,
            kind="page",
            channel=channel,
            recipient=target,
            error=INTERNAL["smtp error"],
            ack_nonce=secrets.token_hex(16),
        )
        IncidentEvent.objects.create(
            incident=incident,
            time=timezone.now(),
            kind="page_sent",
            detail=f"{channel} to {target}",
        )
    IncidentEvent.objects.create(
        incident=incident,
        time=timezone.now(),
        kind="notify_failed",
        detail=f"page to {INTERNAL['paged address']}: {INTERNAL['smtp error']}",
    )
    IncidentEvent.objects.create(
        incident=incident,
        time=timezone.now(),
        kind="acknowledged",
        detail=f"by {INTERNAL['acknowledged by']} (link)",
    )
    backup = net.breizh_links[1]  # Breizh's backup link on Armor's site
    Link.objects.filter(pk=backup.pk).update(committed_down_bps=OTHER_RATE)
    other = incident_on_link(backup)
    Incident.objects.filter(pk=other.pk).update(root_name="CANARY-OTHER-INCIDENT")
    return net


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def armor(net: TwoOperators) -> Client:
    from inventory.accounts import create_operator_user

    return _client(create_operator_user("noc-armor", "armor"))


def staff() -> Client:
    user = make_user("root", None)
    set_role(user, ADMIN)
    return _client(user)


def walk(client: Client, net: TwoOperators) -> dict[str, str]:
    """Every page and endpoint an operator opens, with what it answered."""
    link, site = net.armor_links[0], net.shared_site
    device = Device.objects.filter(interfaces__link_a=link).get()
    incident = net.armor_incident
    urls = [
        f"/links/{link.pk}/", f"/establishments/{link.establishment_id}/",
        f"/devices/{device.pk}/", f"/operators/{net.armor.pk}/",
        f"/establishments/{site.pk}/",
        "/alerting/incidents/", f"/alerting/incidents/{incident.pk}/",
        f"/dashboards/establishments/{site.pk}/series/{RANGE}",
        f"/dashboards/links/{link.pk}/series/{RANGE}",
        "/api/inventory/links/", f"/api/inventory/links/{link.pk}/",
        "/api/inventory/establishments/", f"/api/inventory/establishments/{site.pk}/",
        "/api/inventory/devices/", f"/api/inventory/devices/{device.pk}/",
        "/api/inventory/interfaces/", "/api/inventory/operators/",
        f"/api/inventory/operators/{net.armor.pk}/",
        "/api/alerting/incidents/", f"/api/alerting/incidents/{incident.pk}/",
        "/api/inventory/links/?format=csv", "/api/alerting/incidents/?format=csv",
    ]  # fmt: skip
    answers = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        answers[url] = response.content.decode()
    # …and every other API list the resolver knows (a new endpoint is walked without editing
    # this file): those the account may open must hold no canary either.
    for route, _ in PATTERNS:
        if "<" not in route and "(?P" not in route and route not in answers:
            response = client.get(route)
            if response.status_code == 200:
                answers[route] = response.content.decode()
    return answers


def leaks(answers: dict[str, str]) -> list[tuple[str, str]]:
    canaries = [*INTERNAL.values(), str(OTHER_RATE), "CANARY-OTHER-INCIDENT", "LOT-1"]
    return [(url, c) for url, body in answers.items() for c in canaries if c in body]


def test_an_operator_reads_no_internal_field_and_nothing_of_another_operator(
    net: TwoOperators,
) -> None:
    assert leaks(walk(armor(net), net)) == []


def test_the_same_walk_as_staff_finds_every_canary(net: TwoOperators) -> None:
    found = {canary for _, canary in leaks(walk(staff(), net))}
    assert found == {*INTERNAL.values(), str(OTHER_RATE), "CANARY-OTHER-INCIDENT", "LOT-1"}


def test_every_count_is_the_operators_own_scoped_count(net: TwoOperators) -> None:
    client = armor(net)
    from inventory.accounts import create_operator_user

    user = create_operator_user("noc-armor-2", "armor")
    for url, model in (
        ("/api/inventory/links/", Link),
        ("/api/inventory/establishments/", Establishment),
        ("/api/inventory/devices/", Device),
        ("/api/inventory/interfaces/", Interface),
        ("/api/inventory/operators/", Operator),
        ("/api/alerting/incidents/", Incident),
    ):
        count = client.get(url).json()["count"]
        assert count == scope(model.objects.all(), user).count(), url


def test_filters_consider_the_operators_own_links_only(net: TwoOperators) -> None:
    """Finding 7: `?operator=breizh` and `?pop=` counted through every link of a site, so Armor
    learnt that Breizh serves its shared site."""
    client = armor(net)
    other = client.get("/api/inventory/establishments/?operator=breizh").json()
    assert other["count"] == 0
    own = client.get("/api/inventory/establishments/?operator=armor").json()
    assert own["count"] == scope(Establishment.objects.all(), make_user("x", None)).filter(
        links__operator=net.armor
    ).distinct().count() or own["count"] == len(net.armor_sites)
    pop = net.breizh_links[1].z_interface.device.pop
    if pop is not None:
        by_pop = client.get(f"/api/inventory/establishments/?pop={pop.slug}").json()
        assert by_pop["count"] == 0


def test_the_shared_sites_chart_is_computed_from_the_operators_links_only(
    net: TwoOperators,
) -> None:
    """Finding 4: the other operator's committed rate, incidents and traffic stay out."""
    client = armor(net)
    payload = client.get(f"/dashboards/establishments/{net.shared_site.pk}/series/{RANGE}").json()
    assert payload["links"] == 1
    assert OTHER_RATE not in (payload.get("committed_down_bps"), payload.get("committed_up_bps"))
    assert all("CANARY-OTHER" not in str(i) for i in payload["incidents"])
