"""The SLA pages: who may see and do what, the report page and its downloads."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from common.roles import ADMIN, EDIT, READ
from core.accounts import set_role
from sla.collect import record_window
from sla.models import (
    ClaimDecision,
    CollectedWindow,
    ExclusionClaim,
    MonitoringRun,
    Penalty,
    Report,
)
from sla.service import evaluate_month
from sla.workflow import transition
from tests.factories.sla import NOW, at, small_month

pytestmark = pytest.mark.django_db


def client_for(role: str | None) -> Client:
    user = get_user_model().objects.create_user(username=f"user-{role}")
    if role:
        set_role(user, role)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def month() -> Any:
    month = small_month()
    evaluate_month(month.contract, 2025, 6, now=NOW)
    return month


def urls(pk: int) -> list[str]:
    base = f"/sla/contracts/{pk}/2025-06/"
    return ["/sla/", base, base + "report.pdf", base + "report.xlsx", base + "report.csv"]


def test_anonymous_goes_to_login_and_no_role_is_refused(month: Any) -> None:
    no_role = client_for(None)
    for url in urls(month.contract.pk):
        assert Client().get(url).status_code == 302
        assert no_role.get(url).status_code == 403


def test_reader_sees_the_report_and_downloads(month: Any) -> None:
    client = client_for(READ)
    page = client.get(f"/sla/contracts/{month.contract.pk}/2025-06/")
    assert page.status_code == 200
    html = page.content.decode()
    for expected in ("99.930", "45.00", "Method annex", "<svg", "Results by service class"):
        assert expected in html
    assert "Evaluate again" not in html  # a reader cannot evaluate
    french = client.get(f"/sla/contracts/{month.contract.pk}/2025-06/?lang=fr").content.decode()
    assert "Disponibilité du parc" in french
    pdf = client.get(f"/sla/contracts/{month.contract.pk}/2025-06/report.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "99.930" in text
    xlsx = client.get(f"/sla/contracts/{month.contract.pk}/2025-06/report.xlsx?lang=fr")
    assert "Synthèse" in load_workbook(io.BytesIO(xlsx.content)).sheetnames
    csv = client.get(f"/sla/contracts/{month.contract.pk}/2025-06/report.csv?table=penalties")
    assert "45.00" in csv.content.decode("utf-8-sig")


def test_bad_addresses(month: Any) -> None:
    client = client_for(READ)
    base = f"/sla/contracts/{month.contract.pk}"
    assert client.get(f"{base}/2025-13/").status_code == 404
    assert client.get(f"{base}/2025-05/").status_code == 404  # no report for May
    assert client.get(f"{base}/2025-06/?version=9").status_code == 404
    assert client.get(f"{base}/2025-06/report.doc").status_code == 404
    bad = client.get(f"{base}/2025-06/report.csv?table=nope")
    assert bad.status_code == 400
    assert "subscriptions" in bad.content.decode()


def test_evaluate_needs_the_edit_role_and_checks_the_month(month: Any) -> None:
    pk = month.contract.pk
    assert (
        client_for(READ).post(f"/sla/contracts/{pk}/evaluate/", {"period": "2025-06"}).status_code
        == 403
    )
    editor = client_for(EDIT)
    response = editor.post(f"/sla/contracts/{pk}/evaluate/", {"period": "2025-06"}, follow=True)
    assert "Nothing changed since version 1" in response.content.decode()
    response = editor.post(f"/sla/contracts/{pk}/evaluate/", {"period": "June"}, follow=True)
    assert "is not a month" in response.content.decode()
    response = editor.post(f"/sla/contracts/{pk}/evaluate/", {"period": "2999-01"}, follow=True)
    assert "has not started yet" in response.content.decode()
    assert Report.objects.count() == 1


def test_penalty_actions_follow_roles(month: Any) -> None:
    line = Penalty.objects.get()
    url = f"/sla/penalties/{line.pk}/"
    assert client_for(READ).post(url, {"to": "proposed"}).status_code == 403
    editor = client_for(EDIT)
    editor.post(url, {"to": "proposed"})
    # notifying goes through the notice (tests/sla/test_notices.py): recorded here directly
    line.refresh_from_db()
    transition(line, "notified", get_user_model().objects.get(username="user-edit"))
    line.refresh_from_db()
    assert line.status == "notified"
    assert editor.post(url, {"to": "upheld"}).status_code == 403
    response = client_for(ADMIN).post(url, {"to": "upheld"}, follow=True)
    assert "to comment (contradictoire)" in response.content.decode()
    line.refresh_from_db()
    assert line.status == "notified"


def test_claim_decisions_need_the_admin_role(month: Any) -> None:
    claim = ExclusionClaim.objects.create(
        link=month.link_a, start=at(10, 10), end=at(10, 11), type="client"
    )
    url = f"/sla/claims/{claim.pk}/"
    assert client_for(EDIT).post(url, {"decision": "accepted"}).status_code == 403
    admin = client_for(ADMIN)
    response = admin.post(url, {"decision": "maybe"}, follow=True)
    assert "is not a decision" in response.content.decode()
    response = admin.post(url, {"decision": "accepted", "next": "https://evil.example/"})
    assert response["Location"] == "/sla/"
    claim.refresh_from_db()
    assert claim.decision == ClaimDecision.ACCEPTED


def test_admin_enters_claims_and_shows_reports_read_only(month: Any) -> None:
    admin = client_for(ADMIN)
    assert admin.get("/admin/sla/exclusionclaim/add/").status_code == 200
    report = Report.objects.get()
    assert admin.get(f"/admin/sla/report/{report.pk}/change/").status_code == 200  # view only
    assert admin.get("/admin/sla/report/add/").status_code == 403
    response = admin.post(f"/admin/sla/report/{report.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Report.objects.filter(pk=report.pk).exists()


def test_propose_and_notify_every_line_at_once(month: Any) -> None:
    MonitoringRun.objects.create(link=month.link_b, start=at(20, 8), end=at(20, 9), state="down")
    evaluate_month(month.contract, 2025, 6, now=NOW)
    url = f"/sla/contracts/{month.contract.pk}/2025-06/penalties/"
    assert client_for(READ).post(url, {"to": "proposed"}).status_code == 403
    editor = client_for(EDIT)
    response = editor.post(url, {"to": "proposed"}, follow=True)
    assert "2 penalty lines proposed" in response.content.decode()
    assert set(Penalty.objects.values_list("status", flat=True)) == {"proposed"}
    to_notice = editor.post(url, {"to": "notified"})  # every proposed line: the notice's page
    assert to_notice["Location"] == f"/sla/contracts/{month.contract.pk}/2025-06/notify/"
    response = editor.post(url, {"to": "applied"}, follow=True)
    assert "can only be proposed at once" in response.content.decode()


def test_an_unconfirmed_outage_is_shown_on_the_page_in_the_pdf_and_the_csv() -> None:
    """A DOWN run to 30 June 21:58 UTC (23:58 Paris) and the monitoring collected only to the
    month's end: the report lists the outage as ended 23:58, recovery not yet confirmed."""
    month = small_month()
    CollectedWindow.objects.all().delete()
    record_window(at(30, 0, month=5), at(30, 22), "poller")
    MonitoringRun.objects.create(
        link=month.link_b, start=at(30, 20), end=at(30, 21, 58), state="down"
    )
    evaluate_month(month.contract, 2025, 6, now=NOW)
    client = client_for(READ)
    base = f"/sla/contracts/{month.contract.pk}/2025-06/"
    page = client.get(base).content.decode()
    assert 'id="outages"' in page
    assert "2025-06-30 23:58" in page
    assert "recovery not yet confirmed" in page
    csv = client.get(base + "report.csv?table=outages").content.decode("utf-8-sig")
    assert 'B,S-B,2025-06-30 22:00,2025-06-30 23:58,"ended, recovery not yet confirmed"' in csv
    pdf = PdfReader(io.BytesIO(client.get(base + "report.pdf").content))
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert "recovery not yet confirmed" in text
