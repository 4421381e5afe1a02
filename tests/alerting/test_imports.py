"""Importing an operator's CSV export of tickets and maintenance notices: every bad cell is
reported with its line and column, and a file with one error imports nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from alerting.importers import ImportFailed, import_maintenance, import_tickets
from alerting.models import Decision, Incident, MaintenanceWindow, Ticket
from core.models import ObjectChange
from menhir.cli import app
from tests.factories.alerting import T0
from tests.factories.inventory import small_network

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def net() -> dict[str, Any]:
    return small_network()


def csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def errors_of(call: Any) -> list[str]:
    with pytest.raises(ImportFailed) as caught:
        call()
    return [str(e) for e in caught.value.errors]


def tickets_file(net: dict[str, Any]) -> bytes:
    c0, c1 = net["links"][0].circuit_id, net["links"][1].circuit_id
    return csv(
        "reference,circuit,opened_at,acknowledged_at,restored_at,imputability,cause,suspensions,"
        "reopenings",
        f"TT-1,{c0},2026-03-04T11:20:00+01:00,2026-03-04T11:45:00+01:00,"
        f"2026-03-04T14:40:00+01:00,operator,fibre cut,"
        f'"2026-03-04T12:00:00+01:00/2026-03-04T12:30:00+01:00",2026-03-05T08:00:00+01:00/',
        f"TT-2,{c1},2026-03-06T09:00:00+01:00,,,,,,",
    )


def test_a_good_file_creates_tickets_with_suspensions_and_reopenings(net: Any) -> None:
    result = import_tickets(tickets_file(net), net["operator"])
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    first = Ticket.objects.get(reference="TT-1")
    assert first.opened_at == datetime(2026, 3, 4, 10, 20, tzinfo=UTC)
    assert first.establishment == net["sites"][0]
    assert first.imputability == "operator"
    (suspension,) = first.suspensions.all()
    assert suspension.decision == Decision.PROPOSED  # the syndicate decides
    (reopening,) = first.reopenings.all()
    assert reopening.restored_at is None
    assert Ticket.objects.get(reference="TT-2").imputability == "unknown"
    changes = ObjectChange.objects.filter(source="import")
    assert changes.filter(changed_object_id=first.pk, action="create").exists()


def test_reimporting_updates_keeps_decisions_and_counts_unchanged(net: Any) -> None:
    import_tickets(tickets_file(net), net["operator"])
    first = Ticket.objects.get(reference="TT-1")
    first.suspensions.update(decision=Decision.ACCEPTED)
    again = import_tickets(tickets_file(net), net["operator"])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    restored = csv(
        "reference,restored_at,reopenings",
        "TT-2,2026-03-06T15:00:00+01:00,",
        "TT-1,2026-03-04T14:40:00+01:00,2026-03-05T08:00:00+01:00/2026-03-05T09:00:00+01:00",
    )
    result = import_tickets(restored, net["operator"])
    assert (result.created, result.updated, result.unchanged) == (0, 2, 0)
    assert first.suspensions.get().decision == Decision.ACCEPTED
    assert first.reopenings.get().restored_at == datetime(2026, 3, 5, 8, tzinfo=UTC)
    assert Ticket.objects.get(reference="TT-2").cause == ""  # absent column: left as it was


def test_every_broken_row_is_reported_and_nothing_is_imported(net: Any) -> None:
    c0 = net["links"][0].circuit_id
    data = csv(
        "reference,circuit,establishment,opened_at,restored_at,imputability,suspensions",
        f"OK-1,{c0},,2026-03-04T11:20:00+01:00,,operator,",
        "BAD-1,NOPE,,2026-03-04T11:20:00+01:00,,,",
        f"BAD-2,{c0},,2026-03-04 11:20,,,",
        f"BAD-3,{c0},,2026-03-04T11:20:00+01:00,2026-03-04T10:00:00+01:00,,",
        f"BAD-4,{c0},,2026-03-04T11:20:00+01:00,,syndicate,",
        f"OK-1,{c0},,2026-03-04T11:20:00+01:00,,,",
        f",{c0},ZZZ,,,,",
        f'BAD-6,{c0},,2026-03-04T11:20:00+01:00,,,"2026-03-04T13:00:00+01:00/2026-03-04T12:00:00+01:00"',
        "too,few",
    )
    assert errors_of(lambda: import_tickets(data, net["operator"])) == [
        "line 3, column circuit: Armor Télécom has no circuit 'NOPE'",
        "line 4, column opened_at: '2026-03-04 11:20' has no offset: add one (+01:00) or name "
        "the export's time zone",
        "line 5, column restored_at: restored_at cannot be before the opening (opened_at).",
        "line 6, column imputability: invalid value 'syndicate'; expected one of: operator, "
        "client, third_party, force_majeure, unknown",
        "line 7, column reference: 'OK-1' is already on line 2",
        "line 8, column reference: required: this cell is empty",
        "line 8, column opened_at: required: this cell is empty",
        "line 8, column establishment: no establishment with code 'ZZZ'",
        "line 9, column suspensions: '2026-03-04T13:00:00+01:00/2026-03-04T12:00:00+01:00': the "
        "end must come after the start",
        "line 10: 2 values for 7 columns (the header's)",
    ]
    assert Ticket.objects.count() == 0
    assert not ObjectChange.objects.filter(source="import").exists()


def test_header_problems_are_named(net: Any) -> None:
    assert errors_of(lambda: import_tickets(csv("ref,opened_at", "x,y"), net["operator"])) == [
        "line 1, column ref: unknown column; known: reference, circuit, establishment, "
        "opened_at, fault_start, acknowledged_at, restored_at, closed_at, cause, notes, "
        "imputability, suspensions, reopenings",
        "line 1, column reference: required column missing from the header",
    ]
    assert errors_of(lambda: import_tickets(b"", net["operator"])) == [
        "the file is empty: expected a header line naming the columns"
    ]
    assert errors_of(lambda: import_tickets(b"reference;opened_at\n\xe9", net["operator"]))[
        0
    ].startswith("line 2: the file is not UTF-8 text")


def test_local_times_need_the_exports_time_zone_and_it_knows_dst(net: Any) -> None:
    data = csv("reference;opened_at;restored_at", "T1;29/03/2026 01:30;29/03/2026 03:30")
    import_tickets(data, net["operator"], tz=PARIS)
    ticket = Ticket.objects.get()
    assert ticket.opened_at == datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # CET
    assert ticket.restored_at == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # CEST
    gap = csv("reference;opened_at", "T2;29/03/2026 02:30")
    assert errors_of(lambda: import_tickets(gap, net["operator"], tz=PARIS)) == [
        "line 2, column opened_at: '29/03/2026 02:30' does not exist in Europe/Paris "
        "(clocks moved forward)"
    ]


def test_a_ticket_is_linked_to_the_incidents_carrying_its_reference(net: Any) -> None:
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
        ticket_reference="TT-1",
    )
    import_tickets(tickets_file(net), net["operator"])
    assert list(Ticket.objects.get(reference="TT-1").incidents.all()) == [incident]


def test_maintenance_notices_import_with_their_scope(net: Any) -> None:
    c2 = net["links"][2].circuit_id
    data = csv(
        "reference,title,planned_start,planned_end,notified_at,curative,pops,devices,links",
        f"M-1,Quimper works,2026-03-10T22:00:00+01:00,2026-03-11T04:00:00+01:00,"
        f'2026-02-20T09:00:00+01:00,no,quimper,,"{c2}"',
        "M-2,,2026-03-12T22:00:00+01:00,2026-03-13T02:00:00+01:00,2026-03-12T08:00:00+01:00,"
        "oui,,quimper-rtr1 rennes-rtr1,",
    )
    result = import_maintenance(data, net["operator"])
    assert (result.created, result.updated) == (2, 0)
    m1 = MaintenanceWindow.objects.get(reference="M-1")
    assert [p.slug for p in m1.pops.all()] == ["quimper"]
    assert [link.circuit_id for link in m1.links.all()] == [c2]
    m2 = MaintenanceWindow.objects.get(reference="M-2")
    assert m2.curative
    assert m2.title == "Armor Télécom M-2"
    assert sorted(d.name for d in m2.devices.all()) == ["quimper-rtr1", "rennes-rtr1"]
    assert import_maintenance(data, net["operator"]).unchanged == 2


def test_broken_maintenance_rows_import_nothing(net: Any) -> None:
    data = csv(
        "reference,planned_start,planned_end,notified_at,curative,pops",
        "M-1,2026-03-11T04:00:00+01:00,2026-03-10T22:00:00+01:00,2026-02-20T09:00:00Z,no,",
        "M-2,2026-03-10T22:00:00+01:00,2026-03-11T04:00:00+01:00,2026-02-20T09:00:00Z,maybe,"
        "quimper atlantis",
        "M-3,2026-03-10T22:00:00+01:00,2026-03-11T04:00:00+01:00,,no,",
    )
    assert errors_of(lambda: import_maintenance(data, net["operator"])) == [
        "line 2, column planned_end: The planned end must come after the start.",
        "line 3, column curative: expected yes or no, not 'maybe'",
        "line 3, column pops: unknown PoP: atlantis",
        "line 4, column notified_at: required: this cell is empty",
    ]
    assert MaintenanceWindow.objects.count() == 0


def test_cli_imports_and_reports_errors_with_exit_codes(net: Any, tmp_path: Path) -> None:
    good = tmp_path / "tickets.csv"
    good.write_bytes(tickets_file(net))
    runner = CliRunner()
    done = runner.invoke(app, ["incidents", "import-tickets", str(good), "--operator", "armor"])
    assert done.exit_code == 0, done.output
    assert "tickets: 2 created, 0 updated, 0 unchanged (2 rows)" in done.output
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv("reference,opened_at", "X,yesterday"))
    refused = runner.invoke(app, ["incidents", "import-tickets", str(bad), "--operator", "armor"])
    assert refused.exit_code == 1
    assert "line 2, column opened_at: expected a date and time" in refused.output
    assert "nothing imported (1 error(s))" in refused.output
    unknown = runner.invoke(app, ["incidents", "import-maintenance", str(bad), "--operator", "x"])
    assert unknown.exit_code == 2
    assert "unknown operator 'x'" in unknown.output
    zone = runner.invoke(
        app,
        [
            "incidents",
            "import-tickets",
            str(bad),
            "--operator",
            "armor",
            "--timezone",
            "Mars/Olympus",
        ],
    )
    assert zone.exit_code == 2
    assert "unknown time zone 'Mars/Olympus'" in zone.output
    assert Ticket.objects.count() == 2


def test_upload_through_the_api_and_the_page(net: Any, tmp_path: Path) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from tests.alerting.test_pages import client_for as page_client
    from tests.common.api.clients import make_user, token_client

    def upload(data: bytes) -> SimpleUploadedFile:
        return SimpleUploadedFile("export.csv", data, content_type="text/csv")

    from core.models import Token

    _, key = Token.issue(make_user("api-editor", "edit"))
    api = token_client(key)
    empty_cell = upload(csv("reference,opened_at", "X,"))
    bad = api.post(
        "/api/alerting/imports/",
        {"kind": "tickets", "operator": "armor", "file": empty_cell},
        format="multipart",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"] == [
        {"location": "line 2", "column": "opened_at", "message": "required: this cell is empty"}
    ]
    ok = api.post(
        "/api/alerting/imports/",
        {"kind": "tickets", "operator": "armor", "file": upload(tickets_file(net))},
        format="multipart",
    )
    assert ok.status_code == 201, ok.json()
    assert ok.json() == {"model": "tickets", "created": 2, "updated": 0, "unchanged": 0}
    _, rkey = Token.issue(make_user("api-reader", "read"))
    assert token_client(rkey).post("/api/alerting/imports/", {}).status_code == 403
    editor: Client = page_client("edit")
    page = editor.post(
        "/alerting/import/",
        {
            "kind": "maintenance",
            "operator": net["operator"].pk,
            "file": upload(csv("reference,planned_start,planned_end,notified_at", "M,x,y,z")),
        },
    )
    assert page.status_code == 200  # the form again, with the file's errors
    assert "line 2, column planned_start: expected a date and time" in page.content.decode()
    assert page_client("read", "r9").get("/alerting/import/").status_code == 403
