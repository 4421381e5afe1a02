"""Penalty notices (issue 17): staff confirm a draft, then the lines are notified and the mail
(text, HTML, the report's PDF) reaches the operator's contact through a real SMTP server, in
the operator's language; a refused mail notifies nothing; the 15 days run from the sending and
the report shows it."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from pypdf import PdfReader

from common.mail import MailError, Relay
from common.roles import EDIT, READ
from core.accounts import set_role
from inventory.models import Contact
from sla import notices
from sla.models import Penalty, PenaltyNotice, PenaltyStatus
from sla.service import evaluate_month
from sla.workflow import transition
from tests.alerting.receivers import free_port, smtp_sink
from tests.factories.sla import NOW, small_month

pytestmark = pytest.mark.django_db
S = PenaltyStatus


def body(mail: Any, kind: str) -> str:
    part = mail.get_body((kind,))
    assert part is not None, f"no {kind} part"
    return str(part.get_content())


def user(role: str) -> Any:
    found = get_user_model().objects.create_user(username=f"u-{role}")
    set_role(found, role)
    return found


@pytest.fixture
def month() -> Any:
    month = small_month()
    evaluate_month(month.contract, 2025, 6, now=NOW)
    operator = month.contract.operator
    operator.language = "fr"  # a French operator (tests otherwise default to English)
    operator.save()
    Contact.objects.create(
        operator=operator, name="Direction", role="administrative", email="marches@armor.example"
    )
    Contact.objects.create(operator=operator, name="NOC", role="noc", email="noc@armor.example")
    editor = user(EDIT)
    for line in Penalty.objects.filter(contract=month.contract, status=S.COMPUTED):
        transition(line, S.PROPOSED, editor)
    month.editor = editor  # type: ignore[attr-defined]
    return month


def test_the_draft_names_lines_total_recipients_and_language(month: Any) -> None:
    draft = notices.draft(month.contract, 2025, 6)
    assert [line.link and line.link.circuit_id for line in draft.lines] == ["A"]
    assert draft.total_ht == Decimal("45.00")
    assert draft.recipients == ["marches@armor.example"]  # administrative before NOC
    assert draft.language == "fr"
    Contact.objects.filter(role="administrative").delete()
    noc = month.contract.operator.noc_email  # a NOC contact is not a contract contact
    assert notices.draft(month.contract, 2025, 6).recipients == [noc]


def test_the_notice_goes_out_in_the_operators_language_with_the_pdf(
    month: Any, settings: Any
) -> None:
    settings.MENHIR_BASE_URL = "https://menhir.syndicat.example"
    now = datetime(2025, 7, 10, 8, 30, tzinfo=UTC)
    with smtp_sink() as sink:
        relay = Relay(sink.host, sink.port, sender="sla@syndicat.example")
        record = notices.send(
            notices.draft(month.contract, 2025, 6), month.editor, relay=relay, now=now
        )
    ((sender, rcpt, mail),) = sink.messages
    assert sender == "sla@syndicat.example"
    assert rcpt == ["marches@armor.example"]
    assert mail["Subject"] == "Notification de pénalités — marché LOT-T — 2025-06"
    text = body(mail, "plain")
    html = body(mail, "html")
    assert "45,00 € HT" in text
    assert "Total : 45,00 € HT" in text
    assert "jusqu'au 25/07/2025 10:30" in text  # 15 days, Paris time
    assert f"https://menhir.syndicat.example/sla/contracts/{month.contract.pk}/2025-06/" in text
    assert "<table" in html
    assert "45,00" in html
    (pdf,) = list(mail.iter_attachments())
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_filename() == "sla-LOT-T-2025-06-v1.pdf"
    words = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.get_content())).pages)
    assert "Rapport mensuel" in words
    line = Penalty.objects.get(contract=month.contract, link=month.link_a, type="availability")
    assert line.status == S.NOTIFIED
    assert line.notified_at == now
    assert line.answer_due == datetime(2025, 7, 25, 8, 30, tzinfo=UTC)
    assert record.lines.get() == line
    assert record.recipients == "marches@armor.example"
    assert record.message_id == mail["Message-ID"]


def test_an_english_speaking_operator_gets_english(month: Any) -> None:
    month.contract.operator.language = "en"
    month.contract.operator.save()
    with smtp_sink() as sink:
        notices.send(
            notices.draft(month.contract, 2025, 6), month.editor, relay=Relay(sink.host, sink.port)
        )
    ((_, _, mail),) = sink.messages
    assert mail["Subject"] == "Penalty notice — contract LOT-T — 2025-06"
    assert "45.00 € HT" in body(mail, "plain")


def test_a_refused_mail_notifies_nothing(month: Any) -> None:
    dead = Relay("127.0.0.1", free_port(), timeout=2)
    with pytest.raises(MailError):
        notices.send(notices.draft(month.contract, 2025, 6), month.editor, relay=dead)
    line = Penalty.objects.get(contract=month.contract, link=month.link_a, type="availability")
    assert line.status == S.PROPOSED
    assert line.notified_at is None
    assert not PenaltyNotice.objects.exists()


def test_clear_refusals(month: Any) -> None:
    Contact.objects.filter(operator=month.contract.operator).delete()
    month.contract.operator.noc_email = ""
    month.contract.operator.save()
    with pytest.raises(notices.NoticeError, match="no administrative or billing contact"):
        notices.draft(month.contract, 2025, 6)
    Penalty.objects.update(status=S.COMPUTED)
    with pytest.raises(notices.NoticeError, match="no proposed penalty line"):
        notices.draft(month.contract, 2025, 6)


def test_the_pages_confirm_then_send(month: Any, settings: Any) -> None:
    client = Client()
    client.force_login(month.editor)
    url = f"/sla/contracts/{month.contract.pk}/2025-06/"
    report = client.get(url).content.decode()
    assert 'data-testid="notify"' in report
    # the old one-click bulk notify now leads to the confirmation
    bulk = client.post(url + "penalties/", {"to": "notified"})
    assert bulk.status_code == 302
    assert bulk["Location"].endswith("/notify/")
    page = client.get(url + "notify/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "marches@armor.example" in html
    assert "45.00" in html
    assert Penalty.objects.filter(status=S.NOTIFIED).count() == 0  # looking sends nothing
    with smtp_sink() as sink:
        settings.MENHIR_SMTP_HOST, settings.MENHIR_SMTP_PORT = sink.host, sink.port
        done = client.post(url + "notify/", {"line": [p.pk for p in Penalty.objects.all()]})
    assert done.status_code == 302
    assert len(sink.messages) == 1
    report = client.get(url).content.decode()
    assert 'data-testid="notice-sent"' in report
    assert "marches@armor.example" in report
    assert Penalty.objects.filter(status=S.NOTIFIED).count() == 1


def test_a_reader_cannot_notify(month: Any) -> None:
    client = Client()
    client.force_login(user(READ))
    url = f"/sla/contracts/{month.contract.pk}/2025-06/notify/"
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403


def test_a_single_line_is_notified_through_the_notice_too(month: Any) -> None:
    client = Client()
    client.force_login(month.editor)
    line = Penalty.objects.get(contract=month.contract, link=month.link_a, type="availability")
    moved = client.post(f"/sla/penalties/{line.pk}/", {"to": "notified"})
    assert moved.status_code == 302
    assert moved["Location"].endswith(f"/notify/?line={line.pk}")
    line.refresh_from_db()
    assert line.status == S.PROPOSED
    assert timedelta(days=15) == notices.CONTRADICTOIRE


def test_the_contract_managers_are_told_of_a_reply(month: Any, settings: Any) -> None:
    from inventory.accounts import make_operator_account

    line = Penalty.objects.get(contract=month.contract, link=month.link_a, type="availability")
    transition(line, S.NOTIFIED, month.editor)
    noc = get_user_model().objects.create_user(username="noc-armor")
    make_operator_account(noc, month.contract.operator)
    client = Client()
    client.force_login(noc)
    settings.MENHIR_SLA_STAFF_EMAILS = ["marches@syndicat.example", "dsi@syndicat.example"]
    settings.MENHIR_BASE_URL = "https://menhir.syndicat.example"
    with smtp_sink() as sink:
        settings.MENHIR_SMTP_HOST, settings.MENHIR_SMTP_PORT = sink.host, sink.port
        client.post(
            f"/sla/penalties/{line.pk}/reply/", {"reply": "Travaux de voirie, ticket 4711."}
        )
    ((_, rcpt, mail),) = sink.messages
    assert rcpt == ["marches@syndicat.example", "dsi@syndicat.example"]
    assert mail["Subject"] == "Reply from Armor Test — LOT-T — 2025-06"
    text = body(mail, "plain")
    assert "Travaux de voirie, ticket 4711." in text
    assert f"/sla/contracts/{month.contract.pk}/2025-06/#reply-card-{line.pk}" in text


def test_a_reply_is_kept_when_the_relay_is_down(month: Any, settings: Any) -> None:
    from inventory.accounts import make_operator_account

    line = Penalty.objects.get(contract=month.contract, link=month.link_a, type="availability")
    transition(line, S.NOTIFIED, month.editor)
    noc = get_user_model().objects.create_user(username="noc-armor")
    make_operator_account(noc, month.contract.operator)
    client = Client()
    client.force_login(noc)
    settings.MENHIR_SLA_STAFF_EMAILS = ["marches@syndicat.example"]
    settings.MENHIR_SMTP_HOST, settings.MENHIR_SMTP_PORT = "127.0.0.1", free_port()
    page = client.post(f"/sla/penalties/{line.pk}/reply/", {"reply": "Kept."}, follow=True)
    assert "Your reply is filed" in page.content.decode()
    line.refresh_from_db()
    assert line.operator_reply == "Kept."
