"""E-mail and webhook delivery to real receivers on loopback, checked byte for byte."""

from __future__ import annotations

import json

import pytest

from alerting.notifiers.base import DeliveryError, Message
from alerting.notifiers.email import EmailNotifier
from alerting.notifiers.webhook import WebhookNotifier, verify
from common.mail import Relay
from tests.alerting.receivers import free_port, http_sink, smtp_sink

MESSAGE = Message(
    kind="page",
    incident_id=42,
    subject="[Menhir] PoP Quimper down — 312 establishments isolated",
    text="PoP Quimper stopped answering at 10:03.\nAcknowledge: http://127.0.0.1/ack/xyz",
    payload={"incident": 42, "kind": "pop_down", "root_cause": {"kind": "pop", "name": "Quimper"}},
)


def test_email_reaches_the_smtp_server_with_threading_headers() -> None:
    with smtp_sink() as sink:
        EmailNotifier(Relay(sink.host, sink.port, sender="noc@syndicat.example")).send(
            MESSAGE, "noc@armor.example"
        )
    ((mail_from, rcpt, mail),) = sink.messages
    assert mail_from == "noc@syndicat.example"
    assert rcpt == ["noc@armor.example"]
    assert mail["Subject"] == MESSAGE.subject
    assert mail["X-Menhir-Incident"] == "42"
    assert mail["References"] == "<incident-42@menhir>"
    assert "Acknowledge: http://127.0.0.1/ack/xyz" in mail.get_content()


def test_email_to_a_closed_port_is_a_delivery_error() -> None:
    with pytest.raises(DeliveryError, match=r"SMTP 127\.0\.0\.1"):
        EmailNotifier(Relay("127.0.0.1", free_port(), timeout=2)).send(MESSAGE, "noc@armor.example")


def test_webhook_body_and_signature_verify_like_a_receiver_would() -> None:
    with http_sink() as sink:
        delivery = WebhookNotifier(secret="s3cret").send(MESSAGE, sink.url)
    (request,) = sink.requests
    headers = request["headers"]
    assert request["path"] == "/hook"
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert headers["X-Menhir-Event"] == "page"
    assert headers["X-Menhir-Delivery"] == delivery
    assert json.loads(request["body"]) == MESSAGE.payload
    assert verify(
        "s3cret", headers["X-Menhir-Timestamp"], request["body"], headers["X-Menhir-Signature"]
    )
    assert not verify(
        "other", headers["X-Menhir-Timestamp"], request["body"], headers["X-Menhir-Signature"]
    )
    tampered = request["body"].replace(b"Quimper", b"Brest")
    assert not verify(
        "s3cret", headers["X-Menhir-Timestamp"], tampered, headers["X-Menhir-Signature"]
    )


def test_webhook_error_status_and_unreachable_receiver_are_delivery_errors() -> None:
    with http_sink() as sink:
        sink.status = 503
        with pytest.raises(DeliveryError, match="HTTP 503"):
            WebhookNotifier(secret="s").send(MESSAGE, sink.url)
    with pytest.raises(DeliveryError):
        WebhookNotifier(secret="s", timeout=2).send(MESSAGE, f"http://127.0.0.1:{free_port()}/x")
