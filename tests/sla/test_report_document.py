"""The monthly report as a document staff act on: the summary in words (what is owed, the caps,
the exemption threshold, provisional or final, the next step and its deadline), the claims'
effect beside them, the page's contents, folded tables and evidence links, and a PDF whose
every table text stays inside its column (read back from the PDF itself)."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from common.quantities import Duration, days
from common.roles import EDIT, READ
from core.accounts import set_role
from sla.calc.intervals import IntervalSet
from sla.models import ExclusionClaim, Penalty
from sla.report.content import WorksRow, claim_effect
from sla.report.loader import load_content
from sla.report.pdf import render_pdf
from sla.report.standing import next_step, standing
from sla.report.tables import build_tables, works_effect
from sla.service import evaluate_month
from sla.workflow import transition
from tests.factories.alerting import TicketFactory
from tests.factories.sla import NOW, at, small_month
from tests.sla.pdf_layout import layout, overflowing

pytestmark = pytest.mark.django_db


def said(content: Any, lang: str, now: Any = NOW) -> dict[str, str]:
    with translation.override(lang):
        return {s.key: s.text for s in standing(content, now)}


@pytest.fixture
def month() -> Any:
    return small_month()


def test_the_summary_says_what_is_owed_in_both_languages(month: Any) -> None:
    content = load_content(evaluate_month(month.contract, 2025, 6, now=NOW).report)
    en = said(content, "en")
    # A: 45.00 € HT; the threshold (1,000.00) is not zeroing it: the amount stands.
    assert "45.00" in en["owed"]
    assert "exemption does not reduce it" in en["owed"]
    assert "No cap changes it" in en["caps"]
    assert "955.00" in en["exemption"]  # the margin
    assert "1,000.00" in en["exemption"]
    assert en["state"].startswith("Final")
    assert en["next"].startswith("Propose the computed lines")
    fr = said(content, "fr")
    assert "45,00" in fr["owed"]
    assert "l'exonération ne le réduit pas" in fr["owed"]
    assert "955,00" in fr["exemption"]
    assert fr["state"].startswith("Définitif")
    assert fr["next"].startswith("Proposer les lignes calculées")


def test_the_caps_and_the_threshold_are_said_when_they_bite(month: Any) -> None:
    content = load_content(evaluate_month(month.contract, 2025, 6, now=NOW).report)
    content.summary = replace(
        content.summary,
        lines_ht=Decimal("900.00"),
        after_monthly_caps_ht=Decimal("700.00"),
        proposed_ht=Decimal("650.00"),
        penalties_to_date_ht=Decimal("600.00"),
        running_total_ht=Decimal("1250.00"),
    )
    en = said(content, "en")
    assert "monthly caps take off 200.00" in en["caps"]
    assert "contract cap 50.00" in en["caps"]
    assert "leaves 650.00" in en["caps"]
    assert "over the exemption threshold" in en["exemption"]
    assert "650.00" in en["owed"]  # never 0 €
    fr = said(content, "fr")
    assert "plafonds mensuels en retirent 200,00" in fr["caps"]
    assert "dépassent le seuil d'exonération" in fr["exemption"]


def test_the_next_step_follows_the_lines_and_the_contradictoire(month: Any) -> None:
    report = evaluate_month(month.contract, 2025, 6, now=NOW).report
    editor = get_user_model().objects.create_user(username="editor")
    set_role(editor, EDIT)
    line = Penalty.objects.get()
    transition(line, "proposed", editor, now=NOW)
    assert said(load_content(report), "en")["next"].startswith("Notify the proposed lines")
    transition(line, "notified", editor, now=NOW)
    content = load_content(report)
    # notified 5 July 2025 00:00 UTC (02:00 in Paris) → reply until 20 July 02:00 Paris time
    en = next_step(content, NOW + timedelta(days=1))
    assert "may reply until 2025-07-20 02:00" in en
    with translation.override("fr"):
        fr = next_step(content, NOW + timedelta(days=1))
    assert "jusqu'au 20/07/2025" in fr, fr
    later = next_step(content, NOW + timedelta(days=16))
    assert later.startswith("The procédure contradictoire ended on")


def test_a_provisional_report_says_so_and_waits(month: Any) -> None:
    report = evaluate_month(month.contract, 2025, 6, now=NOW).report
    content = load_content(report)
    content.provisional = True
    en = said(content, "en")
    assert en["state"].startswith("Provisional")
    assert "cannot be notified" in en["state"]
    assert en["next"].startswith("Wait for the final report")


def test_claim_effects_are_said_beside_the_claim(month: Any) -> None:
    schedule = IntervalSet.span(100, 200)
    evidence = IntervalSet.span(150, 400)
    claim = {"decision": "accepted", "start": "1970-01-01T00:04:10Z", "end": "1970-01-01T00:05:00Z"}
    assert claim_effect(claim, schedule, evidence) == ("outside_schedule", 0)
    claim = {"decision": "accepted", "start": "1970-01-01T00:01:40Z", "end": "1970-01-01T00:02:00Z"}
    assert claim_effect(claim, schedule, evidence) == ("no_downtime", 0)
    claim = {"decision": "accepted", "start": "1970-01-01T00:02:00Z", "end": "1970-01-01T00:05:00Z"}
    assert claim_effect(claim, schedule, evidence) == ("excluded", 50)
    assert claim_effect({**claim, "decision": "proposed"}, schedule, evidence)[0] == "pending"
    # In the database: a business-hours class; a claim on Sunday 15 June changes nothing.
    premium = month.link_a.service_class
    premium.availability_schedule = "business"
    premium.save()
    for start, end in ((at(15, 10), at(15, 11)), (at(10, 9), at(10, 12)), (at(11, 9), at(11, 10))):
        ExclusionClaim.objects.create(
            link=month.link_a, start=start, end=end, type="client", decision="accepted"
        )
    content = load_content(evaluate_month(month.contract, 2025, 6, now=NOW).report)
    effects = [(r.start and r.start.day, r.effect, r.effect_s) for r in content.claims]
    assert effects == [(10, "excluded", 3600), (11, "no_downtime", 0), (15, "outside_schedule", 0)]
    claims = {t.key: t for t in build_tables(content, "en")}["claims"]
    words = [row[-1] for row in claims.rows]
    assert words[0] == (
        f"accepted: covers {Duration(3600)} of downtime in the service schedule (excluded)"
    )
    assert "no downtime was recorded" in str(words[1])
    assert "outside the service schedule" in str(words[2])
    french = {t.key: t for t in build_tables(content, "fr")}["claims"]
    assert "hors de la plage de service" in str(french.rows[2][-1])


def client_for(role: str) -> Client:
    user = get_user_model().objects.create_user(username=f"user-{role}")
    set_role(user, role)
    client = Client()
    client.force_login(user)
    return client


def test_the_page_opens_on_the_summary_with_contents_folds_and_evidence(month: Any) -> None:
    ticket = TicketFactory.create(
        link=month.link_a, reference="T-A", opened_at=at(10, 10, 5), restored_at=at(10, 11)
    )
    evaluate_month(month.contract, 2025, 6, now=NOW)
    reader = client_for(READ)
    page = reader.get(f"/sla/contracts/{month.contract.pk}/2025-06/?lang=en")
    html = page.content.decode()
    # the summary in words comes before every table
    assert html.index('data-testid="standing-owed"') < html.index('id="by_class"')
    assert "the exemption does not reduce it" in html
    # every entry of the contents leads to a section of the page
    start = html.index('id="toc"')
    toc = html[start : html.index("</nav>", start)]
    anchors = re.findall(r'href="#([\w-]+)"', toc)
    assert {"summary", "tickets", "claims", "penalties", "annex"} <= set(anchors)
    for anchor in anchors:
        assert f'id="{anchor}"' in html, anchor
    # long tables are folded with their count (the summary's 22 figures)
    assert 'data-testid="collapsed-summary"' in html
    assert 'data-testid="collapsed-by_class"' not in html
    # evidence: the ticket, its subscription and its site link to their pages
    site = month.link_a.establishment_id
    assert f'href="{reverse("alerting:ticket", args=[ticket.pk])}">T-A</a>' in html
    assert f'href="{reverse("inventory:link", args=[month.link_a.pk])}">A</a>' in html
    assert f'href="{reverse("inventory:establishment", args=[site])}">S-A</a>' in html
    french = reader.get(f"/sla/contracts/{month.contract.pk}/2025-06/?lang=fr")
    assert "Sommaire" in french.content.decode()
    assert "ne le réduit pas (voir ci-dessous)" in french.content.decode()


def test_the_pdf_is_a_document_whose_texts_stay_in_their_columns(month: Any) -> None:
    # Ticket numbers as operators write them: wide capitals and digits, no space to wrap at
    # (they overflowed into the next column when cut by a count of characters).
    for i in range(70):
        TicketFactory.create(
            link=month.link_a,
            reference=f"TKT-MWMW{i:09d}",
            opened_at=at(10, 10, 5),
            restored_at=at(10, 11),
        )
    TicketFactory.create(
        link=month.link_b,
        reference="RÉF-" + "W" * 60,
        opened_at=at(20, 8),
        restored_at=at(20, 9),
    )
    content = load_content(evaluate_month(month.contract, 2025, 6, now=NOW).report)
    for lang in ("en", "fr"):
        pdf = render_pdf(content, build_tables(content, lang), lang)
        assert overflowing(pdf) == [], lang
        pages = PdfReader(io.BytesIO(pdf)).pages
        cover = pages[0].extract_text()
        for word in ("LOT-T", "2025-06", "Armor Test", "Access links"):
            assert word in cover
        assert content.inputs_hash in cover.replace("\n", "")
        total = len(pages)
        assert f"page 1 {'of' if lang == 'en' else 'sur'} {total}" in cover
        runs, _rules = layout(pdf)
        ticket_pages = sorted({r.page for r in runs if r.text.startswith("TKT-MWMW")})
        assert len(ticket_pages) >= 2  # the table runs over pages…
        for number in ticket_pages:  # …and each of them repeats its header row
            assert any(r.page == number and r.text == "Ticket" for r in runs), (lang, number)
    summary = pages[1].extract_text()
    assert "Pénalités proposées" in summary
    assert "Prochaine étape" in summary


def test_planned_works_say_what_they_excluded() -> None:
    def works(**kw: Any) -> WorksRow:
        base = {
            "reference": "W-1",
            "planned_start": None,
            "planned_end": None,
            "notified_at": None,
            "notice_days": Decimal("12.0"),
            "required_days": 10,
            "curative": False,
            "conforming": True,
            "subscriptions": 3,
            "overrun_min": 0,
        }
        return WorksRow(**{**base, **kw})

    with translation.override("en"):
        assert works_effect(works()).startswith("conforming: the downtime inside")
        late = works_effect(works(notice_days=Decimal("4.5"), conforming=False))
        notice, required = days(Decimal("4.5"), 1), days(10)
        assert late == f"notified too late ({notice}, {required} required): excludes nothing"
        assert works_effect(works(curative=True, conforming=False)).startswith("curative works")
        over = works_effect(works(overrun_min=40))
        assert over.endswith(f"the {Duration(2400)} past the planned end count as downtime")
    with translation.override("fr"):
        late = works_effect(works(notice_days=Decimal("4.5"), conforming=False))
        assert late.startswith("notifiés trop tard (4,5")
