"""The monthly report's content on a hand-computed month, and its PDF, XLSX and CSV read back."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from sla.models import MonitoringRun
from sla.report.export import UnknownTable, to_csv, to_xlsx
from sla.report.loader import load_content
from sla.report.pdf import render_pdf
from sla.report.tables import build_tables
from sla.service import evaluate_month
from tests.factories.alerting import TicketFactory
from tests.factories.sla import NOW, at, small_month

pytestmark = pytest.mark.django_db


# A's outage 10:00–11:00 UTC has a ticket opened 10:05, restored 11:00 (GTR 55 min ≤ 240);
# B gets a ticket over a 5 h DOWN run 20 June 08:00–13:00 UTC: opened 08:00, restored 13:00
# → GTR 5 h > 4 h → breach, 1 started hour → 10 % × 300.00 = 30.00; availability of B:
# 18,000 s down → 2,574,000 / 2,592,000 = 99.305… % → tier 25 % = 75.00. Total 45 + 105 = 150.
def add_tickets(month: Any) -> None:
    TicketFactory.create(
        link=month.link_a,
        reference="T-A",
        opened_at=at(10, 10, 5),
        acknowledged_at=at(10, 10, 20),
        restored_at=at(10, 11),
    )
    TicketFactory.create(
        link=month.link_b, reference="T-B", opened_at=at(20, 8), restored_at=at(20, 13)
    )


@pytest.fixture
def content() -> Any:
    month = small_month()
    MonitoringRun.objects.create(link=month.link_b, start=at(20, 8), end=at(20, 13), state="down")
    add_tickets(month)
    report = evaluate_month(month.contract, 2025, 6, now=NOW).report
    return load_content(report)


def test_summary_figures(content: Any) -> None:
    s = content.summary
    # Fleet: (5,184,000 − 3,600 − 18,000) / 5,184,000 = 99.5833… %
    assert s.fleet_availability_pct == "99.583"
    assert s.proposed_ht == Decimal("150.00")
    assert s.cap_ht == Decimal("10000.00")  # 10 % of 100,000.00
    assert s.cap_used_pct == "1.500"  # 150 / 10,000
    assert s.running_total_ht == Decimal("150.00")
    assert s.exemption_applies  # 150.00 ≤ 1,000.00
    assert not s.cap_reached
    assert (s.tickets, s.gtr_tickets, s.gtr_breaches) == (2, 2, 1)
    assert s.gtr_compliance_pct == "50.000"
    assert s.coverage_pct == "100.000"


def test_breakdowns(content: Any) -> None:
    (premium,) = content.by_class
    assert (premium.label, premium.subscriptions, premium.availability_pct) == (
        "Premium",
        2,
        "99.583",
    )
    assert premium.below_target == 2
    assert [(g.label, g.availability_pct) for g in content.by_department] == [
        ("Finistère (29)", "99.861"),
        ("Ille-et-Vilaine (35)", "99.305"),
    ]
    assert [row[0] for row in content.worst_sites] == ["S-B", "S-A"]
    assert content.worst_sites[0][4] == Decimal("105.00")
    t_b = next(t for t in content.tickets if t.id == "T-B")
    assert (t_b.gtr_s, t_b.gtr_guaranteed_s, t_b.breach, t_b.started_hours) == (
        18000,
        14400,
        True,
        1,
    )
    t_a = next(t for t in content.tickets if t.id == "T-A")
    assert t_a.gti_s == 900
    assert t_a.opened_at.isoformat() == "2025-06-10T12:05:00+02:00"  # Paris time, CEST
    assert sorted((p.subscription, p.type, str(p.amount_ht)) for p in content.penalties) == [
        ("A", "availability", "45.00"),
        ("B", "availability", "75.00"),
        ("B", "gtr", "30.00"),
    ]
    assert [day.isoformat() for day in content.holidays] == ["2025-06-09"]  # Whit Monday


def test_csv_reads_back(content: Any) -> None:
    tables = build_tables(content, "en")
    rows = list(csv.reader(io.StringIO(to_csv(tables, "subscriptions", "en").decode("utf-8"))))
    assert rows[0][:4] == ["Subscription", "Site", "Scheduled time (s)", "Downtime (s)"]
    assert rows[0][-2:] == ["Penalties (€ HT)", "At stake (€ HT)"]
    assert [(r[0], r[3], r[7], r[12]) for r in rows[1:]] == [
        ("A", "3600", "99.861", "45.00"),
        ("B", "18000", "99.305", "105.00"),
    ]
    with pytest.raises(UnknownTable):
        to_csv(tables, "nope")


def test_xlsx_reads_back_in_french(content: Any) -> None:
    book = load_workbook(io.BytesIO(to_xlsx(build_tables(content, "fr"), "x", "fr")))
    assert "Synthèse" in book.sheetnames
    summary = {row[0]: row[1] for row in book["Synthèse"].iter_rows(min_row=2, values_only=True)}
    assert summary["Disponibilité du parc (liens principaux)"] == pytest.approx(99.583)
    assert summary["Pénalités proposées"] == 150.0
    penalties = list(
        book[next(n for n in book.sheetnames if n.startswith("Pénalités proposées"))].iter_rows(
            min_row=2, values_only=True
        )
    )
    assert len(penalties) == 3
    assert {row[7] for row in penalties} == {"Calculée"}  # the workflow state's label


def test_pdf_text_carries_the_figures(content: Any) -> None:
    pdf = render_pdf(content, build_tables(content, "en"), "en")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for expected in (
        "LOT-T",
        "2025-06",
        "99.583",
        "150.00",
        "T-B",
        "Method annex",
        content.inputs_hash[:16],
    ):
        assert expected in text


def test_every_word_of_the_report_is_translated(content: Any) -> None:
    """The report's words come from the SLA catalogue (tests/i18n checks it is complete): in
    French, no title, header or summary line is left in English but the shared words."""
    shared = {
        line.strip()
        for line in (Path(__file__).parents[1] / "i18n" / "shared_words.txt")
        .read_text()
        .splitlines()
        if line.strip() and not line.startswith("#")
    }
    english, french = build_tables(content, "en"), build_tables(content, "fr")
    for en, fr in zip(english, french, strict=True):
        assert fr.title != en.title
        words: list[tuple[object, object]] = list(zip(en.headers, fr.headers, strict=True))
        if en.key in ("summary", "annex"):
            words += [(e[0], f[0]) for e, f in zip(en.rows, fr.rows, strict=True)][:4]
        assert [e for e, f in words if e == f and e not in shared] == [], en.key


def test_works_conformity_and_overrun() -> None:
    from tests.factories.alerting import MaintenanceWindowFactory

    month = small_month()
    # Works 10:30–10:50 UTC on 10 June, notified 14 days before: conforming; A's DOWN run
    # 10:00–11:00 began before the window, so it is no overrun of it. A second window
    # 09:30–10:15 notified 3 days before (late: 10 required) sees that run begin inside it and
    # last until 11:00: 45 minutes past its planned end.
    ok = MaintenanceWindowFactory.create(
        reference="W-OK",
        planned_start=at(10, 10, 30),
        planned_end=at(10, 10, 50),
        notified_at=at(27, 10, 30, month=5),
    )
    late = MaintenanceWindowFactory.create(
        reference="W-LATE",
        planned_start=at(10, 9, 30),
        planned_end=at(10, 10, 15),
        notified_at=at(7, 9, 30),
    )
    for window in (ok, late):
        window.links.add(month.link_a)
    content = load_content(evaluate_month(month.contract, 2025, 6, now=NOW).report)
    rows = {w.reference: w for w in content.works}
    assert (rows["W-OK"].conforming, rows["W-OK"].notice_days, rows["W-OK"].overrun_min) == (
        True,
        Decimal("14.0"),
        0,
    )
    assert (rows["W-LATE"].conforming, rows["W-LATE"].notice_days) == (False, Decimal("3.0"))
    assert rows["W-LATE"].overrun_min == 45


def test_adjustments_of_earlier_months_show_in_the_next_report(admin_user: Any) -> None:
    from sla.workflow import transition

    month = small_month()
    evaluate_month(month.contract, 2025, 6, now=NOW)
    from sla.models import Penalty

    transition(Penalty.objects.get(), "proposed", admin_user)
    # June gets 3 more hours on A (a late ticket, say): the proposed line keeps 45.00 and
    # records 112.50 (tier 25 %); July's report lists it as an adjustment.
    MonitoringRun.objects.create(link=month.link_a, start=at(12, 0), end=at(12, 3), state="down")
    evaluate_month(month.contract, 2025, 6, now=NOW)
    july = evaluate_month(month.contract, 2025, 7, now=at(5, 0, month=8)).report
    content = load_content(july)
    (adjustment,) = content.adjustments
    assert (adjustment.period, adjustment.amount_ht, adjustment.recomputed_ht) == (
        "2025-06",
        Decimal("45.00"),
        Decimal("112.50"),
    )
    assert content.summary.penalties_to_date_ht == Decimal("45.00")
