"""Ticket and maintenance pages, and the incident page's actions: roles, forms, errors."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from alerting.models import Incident, IncidentEvent, MaintenanceWindow, Ticket
from core.accounts import set_role
from core.models import ObjectChange
from tests.factories.alerting import T0, TicketFactory
from tests.factories.inventory import small_network

pytestmark = pytest.mark.django_db


def client_for(role: str | None, name: str | None = None) -> Client:
    user = get_user_model().objects.create_user(username=name or f"user-{role}")
    if role:
        set_role(user, role)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def net() -> dict[str, Any]:
    return small_network()


def incident_of(net: dict[str, Any]) -> Incident:
    return Incident.objects.create(
        kind="access_down",
        severity="minor",
        element_key="link:1",
        root_kind="link",
        root_id=net["links"][0].pk,
        root_name="CIR",
        operator=net["operator"],
        start=T0,
        detected_at=T0,
    )


def ticket_post(net: dict[str, Any], **overrides: str) -> dict[str, str]:
    data = {
        "operator": str(net["operator"].pk), "reference": "TT-77",
        "circuit": net["links"][0].circuit_id, "opened_at": "2026-03-04T11:20",
        "restored_at": "2026-03-04T14:40", "imputability": "operator", "cause": "fibre cut",
    }  # fmt: skip
    return {**data, **overrides}


def test_reader_sees_lists_but_no_form(net: Any) -> None:
    TicketFactory.create(link=net["links"][0], reference="TT-1")
    reader = client_for("read")
    page = reader.get("/alerting/tickets/").content.decode()
    assert "TT-1" in page
    assert "New ticket" not in page
    assert reader.get("/alerting/tickets/new/").status_code == 403
    assert reader.post("/alerting/tickets/new/", ticket_post(net)).status_code == 403
    assert reader.get("/alerting/maintenance/").status_code == 200
    assert reader.get("/alerting/maintenance/new/").status_code == 403
    assert client_for(None).get("/alerting/tickets/").status_code == 403
    assert Client().get("/alerting/tickets/").status_code == 302


def test_editor_enters_a_ticket_in_local_time_and_it_links_the_incident(net: Any) -> None:
    incident = incident_of(net)
    incident.ticket_reference = "TT-77"
    incident.save()
    editor = client_for("edit")
    response = editor.post("/alerting/tickets/new/", ticket_post(net))
    assert response.status_code == 302, response.content.decode()[:2000]
    ticket = Ticket.objects.get()
    assert ticket.opened_at.isoformat() == "2026-03-04T10:20:00+00:00"  # 11:20 in Paris (CET)
    assert ticket.establishment == net["sites"][0]
    assert list(ticket.incidents.all()) == [incident]
    assert ObjectChange.objects.filter(changed_object_id=ticket.pk, source="web").exists()
    page = editor.get(response["Location"]).content.decode()
    assert "TT-77" in page
    assert f"#{incident.pk}" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"circuit": "NOPE"}, "has no circuit &#x27;NOPE&#x27;"),
        ({"restored_at": "2026-03-04T09:00"}, "restored_at cannot be before the opening"),
        ({"opened_at": "yesterday"}, "Enter a valid date/time"),
        ({"establishment_code": "XXX"}, "No establishment &#x27;XXX&#x27;"),
    ],
)
def test_a_bad_ticket_form_says_why_and_saves_nothing(
    net: Any, overrides: dict[str, str], message: str
) -> None:
    response = client_for("edit").post("/alerting/tickets/new/", ticket_post(net, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Ticket.objects.count() == 0


def test_suspensions_and_reopenings_are_added_from_the_ticket_page(net: Any) -> None:
    ticket = TicketFactory.create(link=net["links"][0])
    editor = client_for("edit")
    bad = editor.post(
        f"/alerting/tickets/{ticket.pk}/suspension/",
        {"start": "2026-03-04T12:00", "end": "2026-03-04T11:00"},
    )
    assert bad.status_code == 200  # the page again, with the form's errors
    assert "A suspension must end after it starts." in bad.content.decode()
    ok = editor.post(
        f"/alerting/tickets/{ticket.pk}/suspension/",
        {
            "start": "2026-03-04T11:00",
            "end": "2026-03-04T12:00",
            "reason": "site closed",
            "decision": "accepted",
        },
    )
    assert ok.status_code == 302
    editor.post(f"/alerting/tickets/{ticket.pk}/reopening/", {"at": "2026-03-05T08:00"})
    assert ticket.suspensions.get().accepted
    assert ticket.reopenings.count() == 1
    assert (
        client_for("read", "r2")
        .post(f"/alerting/tickets/{ticket.pk}/reopening/", {"at": "2026-03-05T08:00"})
        .status_code
        == 403
    )


def test_editor_plans_a_maintenance_window_by_keys(net: Any) -> None:
    editor = client_for("edit", "planner")
    data = {
        "title": "Quimper power", "operator": str(net["operator"].pk), "pops": "quimper",
        "devices": "quimper-rtr1", "links": "", "planned_start": "2026-03-10T22:00",
        "planned_end": "2026-03-11T04:00", "notified_at": "2026-02-20T09:00",
    }  # fmt: skip
    unknown = editor.post("/alerting/maintenance/new/", {**data, "pops": "quimper, atlantis"})
    assert "Unknown: atlantis." in unknown.content.decode()
    assert MaintenanceWindow.objects.count() == 0
    from tests.factories.inventory import LinkFactory

    foreign = LinkFactory.create().circuit_id  # another operator's circuit
    refused = editor.post("/alerting/maintenance/new/", {**data, "links": foreign})
    assert f"Not Armor Télécom&#x27;s: {foreign}." in refused.content.decode()
    assert MaintenanceWindow.objects.count() == 0
    assert editor.post("/alerting/maintenance/new/", data).status_code == 302
    window = MaintenanceWindow.objects.get()
    assert [p.slug for p in window.pops.all()] == ["quimper"]
    assert window.created_by is not None
    assert window.created_by.username == "planner"
    listing = editor.get("/alerting/maintenance/").content.decode()
    assert "Quimper power" in listing
    edit = editor.get(f"/alerting/maintenance/{window.pk}/edit/").content.decode()
    assert 'value="quimper"' in edit


def test_acknowledge_button_and_ticket_reference_on_the_incident_page(net: Any) -> None:
    incident = incident_of(net)
    ticket = TicketFactory.create(link=net["links"][0], reference="TT-9")
    reader, editor = client_for("read"), client_for("edit", "alice")
    assert (
        'id="ack-button"' not in reader.get(f"/alerting/incidents/{incident.pk}/").content.decode()
    )
    assert reader.post(f"/alerting/incidents/{incident.pk}/ack/").status_code == 403
    page = editor.get(f"/alerting/incidents/{incident.pk}/").content.decode()
    assert 'id="ack-button"' in page
    assert editor.post(f"/alerting/incidents/{incident.pk}/ack/").status_code == 302
    incident.refresh_from_db()
    assert incident.acknowledged_by == "alice"
    again = editor.post(f"/alerting/incidents/{incident.pk}/ack/", follow=True).content.decode()
    assert "already acknowledged by alice" in again
    editor.post(f"/alerting/incidents/{incident.pk}/ticket/", {"reference": " TT-9 "})
    incident.refresh_from_db()
    assert incident.ticket_reference == "TT-9"
    assert list(ticket.incidents.all()) == [incident]
    kinds = list(IncidentEvent.objects.filter(incident=incident).values_list("kind", flat=True))
    assert kinds == ["acknowledged", "ticket"]
    page = editor.get(f"/alerting/incidents/{incident.pk}/").content.decode()
    assert f'href="/alerting/tickets/{ticket.pk}/">TT-9</a>' in page
