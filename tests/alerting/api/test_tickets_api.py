"""Tickets, suspensions, reopenings and maintenance windows over the API: roles, validation,
bulk all-or-nothing, filters and the change log."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from alerting.models import Incident, MaintenanceWindow, Ticket
from core.models import ObjectChange
from tests.factories.alerting import T0, TicketFactory
from tests.factories.inventory import OperatorFactory, small_network

pytestmark = pytest.mark.django_db
API = "/api/alerting"


@pytest.fixture
def net() -> dict[str, Any]:
    return small_network()


def ticket_body(net: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    body = {
        "operator": "armor", "reference": "TT-1001", "link": net["links"][0].pk,
        "opened_at": "2026-03-04T11:20:00+01:00", "acknowledged_at": "2026-03-04T11:45:00+01:00",
        "restored_at": "2026-03-04T14:40:00+01:00", "imputability": "operator",
        "cause": "fibre cut",
    }  # fmt: skip
    return {**body, **overrides}


def test_anonymous_gets_nothing_and_reader_cannot_write(net: Any, reader: APIClient) -> None:
    assert APIClient().get(f"{API}/tickets/").status_code == 401
    assert reader.get(f"{API}/tickets/").status_code == 200
    assert reader.post(f"{API}/tickets/", ticket_body(net), format="json").status_code == 403
    assert reader.post(f"{API}/maintenance-windows/", {}, format="json").status_code == 403
    assert Ticket.objects.count() == 0


def test_editor_creates_a_ticket_with_its_establishment_and_history(
    net: Any, editor: APIClient
) -> None:
    created = editor.post(f"{API}/tickets/", ticket_body(net), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["operator"]["slug"] == "armor"
    assert body["establishment"]["code"] == "LYC-29-001"
    assert body["opened_at"] == "2026-03-04T11:20:00+01:00"
    assert body["suspensions"] == []
    assert body["reopenings"] == []
    pk = body["id"]
    patched = editor.patch(f"{API}/tickets/{pk}/", {"closed_at": "2026-03-05T09:00:00Z"})
    assert patched.status_code == 200, patched.json()
    history = editor.get(f"{API}/tickets/{pk}/changes/").json()["results"]
    assert [h["action"] for h in history] == ["update", "create"]
    assert ObjectChange.objects.filter(changed_object_id=pk, source="api").count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"restored_at": "2026-03-04T09:00:00+01:00"}, "restored_at"),
        ({"acknowledged_at": "2026-03-04T11:00:00+01:00"}, "acknowledged_at"),
        ({"imputability": "syndicate"}, "imputability"),
        ({"opened_at": "2026-03-04T11:20:00"}, "opened_at"),
        ({"link": 999999}, "link"),
        ({"operator": "nobody"}, "operator"),
    ],
)
def test_invalid_ticket_is_400_naming_the_field_and_writes_nothing(
    net: Any, editor: APIClient, change: dict[str, Any], field: str
) -> None:
    response = editor.post(f"{API}/tickets/", ticket_body(net, **change), format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert Ticket.objects.count() == 0


def test_a_link_of_another_operator_is_refused(net: Any, editor: APIClient) -> None:
    OperatorFactory.create(slug="other", name="Other")
    response = editor.post(f"{API}/tickets/", ticket_body(net, operator="other"), format="json")
    assert response.status_code == 400
    assert response.json()["link"] == ["This link belongs to another operator."]


def test_the_same_reference_twice_for_one_operator_is_refused(net: Any, editor: APIClient) -> None:
    assert editor.post(f"{API}/tickets/", ticket_body(net), format="json").status_code == 201
    again = editor.post(f"{API}/tickets/", ticket_body(net), format="json")
    assert again.status_code == 400
    assert Ticket.objects.count() == 1


def test_bulk_create_is_all_or_nothing(net: Any, editor: APIClient) -> None:
    rows = [
        ticket_body(net, reference="A"),
        ticket_body(net, reference="B", restored_at="2026-03-01T00:00:00Z"),
    ]
    response = editor.post(f"{API}/tickets/", rows, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["index"] == 1
    assert Ticket.objects.count() == 0
    rows[1]["restored_at"] = "2026-03-05T00:00:00Z"
    assert editor.post(f"{API}/tickets/", rows, format="json").status_code == 201
    assert sorted(Ticket.objects.values_list("reference", flat=True)) == ["A", "B"]


def test_incidents_link_only_to_tickets_of_their_operator(net: Any, editor: APIClient) -> None:
    kw = {
        "kind": "access_down",
        "severity": "minor",
        "root_kind": "link",
        "start": T0,
        "detected_at": T0,
    }
    mine = Incident.objects.create(
        element_key="link:1", root_id=1, root_name="a", operator=net["operator"], **kw
    )
    theirs = Incident.objects.create(
        element_key="link:2", root_id=2, root_name="b", operator=OperatorFactory.create(), **kw
    )
    bad = editor.post(f"{API}/tickets/", ticket_body(net, incidents=[theirs.pk]), format="json")
    assert bad.status_code == 400
    assert "another operator" in str(bad.json()["incidents"])
    good = editor.post(f"{API}/tickets/", ticket_body(net, incidents=[mine.pk]), format="json")
    assert good.status_code == 201, good.json()
    assert [i["id"] for i in good.json()["incidents"]] == [mine.pk]
    listed = editor.get(f"{API}/tickets/?incident={mine.pk}").json()
    assert [t["reference"] for t in listed["results"]] == ["TT-1001"]


def test_suspensions_and_reopenings_show_on_their_ticket(net: Any, editor: APIClient) -> None:
    ticket = TicketFactory.create(link=net["links"][0], restored_at="2026-03-04T14:00:00Z")
    bad = editor.post(
        f"{API}/ticket-suspensions/",
        {"ticket": ticket.pk, "start": "2026-03-04T12:00:00Z", "end": "2026-03-04T11:00:00Z"},
    )
    assert bad.status_code == 400
    assert "end" in bad.json()
    ok = editor.post(
        f"{API}/ticket-suspensions/",
        {
            "ticket": ticket.pk,
            "decision": "accepted",
            "start": "2026-03-04T11:00:00Z",
            "end": "2026-03-04T12:00:00Z",
            "reason": "site closed",
        },
    )
    assert ok.status_code == 201, ok.json()
    reopened = editor.post(
        f"{API}/ticket-reopenings/", {"ticket": ticket.pk, "at": "2026-03-05T08:00:00Z"}
    )
    assert reopened.status_code == 201, reopened.json()
    body = editor.get(f"{API}/tickets/{ticket.pk}/").json()
    assert [(s["decision"], s["reason"]) for s in body["suspensions"]] == [
        ("accepted", "site closed")
    ]
    assert [r["at"] for r in body["reopenings"]] == ["2026-03-05T09:00:00+01:00"]


def test_ticket_filters(net: Any, reader: APIClient) -> None:
    TicketFactory.create(link=net["links"][0], reference="OPEN")
    TicketFactory.create(link=net["links"][1], reference="DONE", closed_at="2026-03-05T00:00Z")
    TicketFactory.create(reference="ELSEWHERE")

    def refs(query: str) -> list[str]:
        rows = reader.get(f"{API}/tickets/?{query}").json()["results"]
        return sorted(r["reference"] for r in rows)

    assert refs("operator=armor") == ["DONE", "OPEN"]
    assert refs("operator=armor&closed=false") == ["OPEN"]
    assert refs("closed=true") == ["DONE"]
    assert refs("establishment=LYC-29-001") == ["OPEN"]
    assert refs("q=else") == ["ELSEWHERE"]


def test_maintenance_window_records_its_author_and_filters_by_instant(
    net: Any, editor: APIClient
) -> None:
    body = {
        "title": "Quimper power works", "operator": "armor", "pops": ["quimper"],
        "devices": ["quimper-rtr1"], "planned_start": "2026-03-10T22:00:00+01:00",
        "planned_end": "2026-03-11T04:00:00+01:00", "notified_at": "2026-02-20T09:00:00+01:00",
    }  # fmt: skip
    created = editor.post(f"{API}/maintenance-windows/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["created_by"]["username"] == editor.user.username  # type: ignore[attr-defined]
    assert [p["slug"] for p in created.json()["pops"]] == ["quimper"]
    window = MaintenanceWindow.objects.get()
    assert window.created_by == editor.user  # type: ignore[attr-defined]
    inside = editor.get(f"{API}/maintenance-windows/?active_at=2026-03-11T00:00:00Z").json()
    outside = editor.get(f"{API}/maintenance-windows/?active_at=2026-03-11T03:00:00Z").json()
    assert inside["count"] == 1
    assert outside["count"] == 0
    backwards = {**body, "reference": "X", "planned_end": "2026-03-10T21:00:00+01:00"}
    refused = editor.post(f"{API}/maintenance-windows/", backwards, format="json")
    assert refused.status_code == 400
    assert "planned_end" in refused.json()


def test_lists_cost_the_same_number_of_queries_for_one_row_or_many(
    net: Any, reader: APIClient
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories.alerting import MaintenanceWindowFactory

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert reader.get(path).status_code == 200
        return len(captured)

    def window() -> None:
        w = MaintenanceWindowFactory.create(operator=net["operator"])
        w.links.add(net["links"][0])
        w.pops.add(net["pops"][0])

    TicketFactory.create(link=net["links"][0])
    window()
    queries(f"{API}/tickets/")  # warm-up: per-process caches (content types…)
    one = (queries(f"{API}/tickets/"), queries(f"{API}/maintenance-windows/"))
    for link in net["links"][1:]:
        TicketFactory.create(link=link)
        window()
    assert (queries(f"{API}/tickets/"), queries(f"{API}/maintenance-windows/")) == one


def test_the_operator_ticket_reference_is_recorded_on_an_incident_through_the_api(
    net: Any, editor: APIClient, reader: APIClient
) -> None:
    incident = Incident.objects.create(
        kind="access_down",
        severity="minor",
        element_key="link:1",
        root_kind="link",
        root_id=1,
        root_name="x",
        operator=net["operator"],
        start=T0,
        detected_at=T0,
    )
    ticket = TicketFactory.create(link=net["links"][0], reference="TT-5")
    path = f"{API}/incidents/{incident.pk}/ticket/"
    assert reader.post(path, {"reference": "TT-5"}, format="json").status_code == 403
    assert editor.post(path, {"reference": " "}, format="json").status_code == 400
    done = editor.post(path, {"reference": "TT-5"}, format="json")
    assert done.json() == {"ticket_reference": "TT-5", "ticket": ticket.pk}
    detail = reader.get(f"{API}/incidents/{incident.pk}/").json()
    assert detail["ticket_reference"] == "TT-5"
    assert [t["reference"] for t in detail["tickets"]] == ["TT-5"]
    assert detail["timeline"][-1]["kind"] == "ticket"
