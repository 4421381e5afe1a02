"""Pages and recovery notices an operator can act on (issue 16, point 4), read off the real SMTP
receiver: a plain-text and an HTML part saying the same, the link to the incident, the root
cause with its PoP and kind, the critical establishments named with human labels, the
acknowledgement link, and the duration in the recovery notice."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import override_settings

from alerting.models import Incident
from inventory.models import Establishment
from tests.alerting.receivers import HttpSink, SmtpSink
from tests.alerting.test_engine import Cycles, quimper_down, receivers
from tests.factories.inventory import small_network

__all__ = ["receivers"]
pytestmark = pytest.mark.django_db


def parts(mail: Any) -> tuple[str, str]:
    """(text, html) of a multipart/alternative mail."""
    assert mail.get_content_type() == "multipart/alternative"
    text = mail.get_body(preferencelist=("plain",)).get_content()
    html = mail.get_body(preferencelist=("html",)).get_content()
    return text, html


@override_settings(MENHIR_BASE_URL="https://menhir.example")
def test_a_page_then_its_recovery_say_what_where_who_and_how_long(
    receivers: tuple[SmtpSink, HttpSink],
) -> None:
    smtp, hook = receivers
    net = small_network()
    Establishment.objects.filter(code="LYC-29-001").update(criticality="high")
    cycles = Cycles()
    cycles.run(quimper_down(net), n=3)
    incident = Incident.objects.get()
    text, html = parts(smtp.messages[0][2])
    for part in (text, html):
        assert "PoP down: Quimper" in part
        assert "Root cause: PoP Quimper" in part or ">PoP Quimper</a>" in part
        assert f"https://menhir.example/alerting/incidents/{incident.pk}/" in part
        assert "https://menhir.example/alerting/ack/" in part
        assert "Lycée de Cornouaille" in part  # high criticality, cut off
        assert "CHU de Rennes" in part  # critical, degraded (its backup on Quimper)
        assert "Lycée: 1" in part  # categories with their labels…
        assert "lycee" not in part.replace("lycee@", "")  # …never their codes
        assert "the syndicate (its own element)" in part
    assert "Health" in text
    assert "cut off" in text
    assert "degraded" in text
    assert '<a href="https://menhir.example/pops/' in html  # the root cause's page
    payload = json.loads(hook.requests[0]["body"])
    assert payload["incident"]["url"] == f"https://menhir.example/alerting/incidents/{incident.pk}/"
    assert set(payload["incident"]["critical_establishments"]) == {"LYC-29-001", "CHU-35-001"}

    cycles.run(set(), n=2)  # recovered: three bad polls, the incident lasted 3 minutes
    mail = smtp.messages[1][2]
    assert mail["X-Menhir-Event"] == "recovery"
    assert mail["Subject"].endswith("— lasted 3 min")
    text, html = parts(mail)
    for part in (text, html):
        assert "lasted 3 min" in part
        assert "/alerting/ack/" not in part  # nothing to acknowledge any more
        assert f"/alerting/incidents/{incident.pk}/" in part


@override_settings(MENHIR_BASE_URL="https://menhir.example")
def test_an_access_link_page_names_its_circuit_operator_and_pop(
    receivers: tuple[SmtpSink, HttpSink],
) -> None:
    from alerting.models import AlertRoute
    from topology.graph import device_node

    smtp, _ = receivers
    net = small_network()
    AlertRoute.objects.create(
        name="Armor NOC", channel="email", target="noc@armor.example", operator=net["operator"]
    )
    site = net["sites"][1]  # the Mairie de Quimper: one link, normal criticality
    cycles = Cycles()
    cycles.run({device_node(site.devices.get().pk)}, n=3)
    incident = Incident.objects.get()
    assert incident.root_kind in ("link", "device")
    to_armor = [m for _, rcpt, m in smtp.messages if rcpt == ["noc@armor.example"]]
    assert to_armor, [rcpt for _, rcpt, _ in smtp.messages]
    text, html = parts(to_armor[0])
    for part in (text, html):
        assert "Armor Télécom" in part
        assert "Mairie de Quimper" in part
        assert "PoP: Quimper" in part or "PoP Quimper" in part
        assert "Critical establishments" not in part  # none is critical


@override_settings(MENHIR_BASE_URL="https://menhir.example")
def test_a_route_in_french_gets_its_pages_in_french(
    receivers: tuple[SmtpSink, HttpSink],
) -> None:
    """The language is the route's: the NOC's mail here is French, the webhook's payload keeps
    the site's language (it is for machines)."""
    from alerting.models import AlertRoute

    smtp, hook = receivers
    AlertRoute.objects.filter(channel="email").update(language="fr")
    net = small_network()
    cycles = Cycles()
    cycles.run(quimper_down(net), n=3)
    mail = smtp.messages[0][2]
    assert "établissements coupés" in mail["Subject"]
    text, html = parts(mail)
    assert "Cause racine : PoP Quimper" in text
    assert "Établissements coupés :" in text
    assert "le syndicat (élément propre)" in text
    assert "PoP hors service: Quimper" in text  # the incident's kind, in words
    assert re.search(r"Depuis : \d{2}/\d{2}/\d{4} \d{2}:\d{2}", text), text
    assert '<html lang="fr">' in html
    assert ">Acquitter</a>" in html
    payload = json.loads(hook.requests[0]["body"])
    assert payload["event"] == "page"
    cycles.run(set(), n=2)
    recovery = smtp.messages[1][2]
    assert recovery["Subject"].startswith("[Menhir] RÉTABLI n°")
    assert recovery["Subject"].endswith("— durée 3 min")
