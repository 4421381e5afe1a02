"""The monthly report in French and in English (issue 17): the page, the PDF, the CSV and the XLSX
carry the same figures, each in its reader's locale and with its unit (`1 390 000,00 € HT`,
`99,583 %`, `10/06/2025 12:05` in French), the enumerations by their labels, never a code."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader
from typer.testing import CliRunner

from common.quantities import Duration, amount, days, display, duration, mbps, moment, percent
from core.accounts import set_role
from core.models import UserPreference
from menhir.cli import app
from sla.models import MonitoringRun
from sla.service import evaluate_month
from tests.factories.sla import NOW, at, small_month
from tests.sla.test_report import add_tickets
from tests.sla.test_views import READ, client_for

NBSP = "\xa0"
PARIS = ZoneInfo("Europe/Paris")
# Codes that must never reach a reader: workflow states, penalty types, imputabilities,
# categories, the class slug and the evaluation file's keys.
CODES = (
    "computed",
    "availability",
    "operator",
    "local_authority",
    "college",
    "premium",
    "amount_total_ht",
    "penalty_cap_contract_pct",
    "gtr_minutes",
    "business_hours",
    "24/7",
)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", ["1 390 000,00 € HT", "99,791 %", "05/12/2026 14:30", "05/12/2026", "2 h 05 min"]),
        ("en", ["1,390,000.00 € HT", "99.791 %", "2026-12-05 14:30", "2026-12-05", "2 h 05 min"]),
    ],
)
def test_figures_in_the_readers_locale_with_their_units(lang: str, expected: list[str]) -> None:
    with translation.override(lang):
        shown = [
            display(amount("1390000.00")),
            display(percent("99.791")),  # type: ignore[arg-type]
            moment(datetime(2026, 12, 5, 14, 30, tzinfo=PARIS)),
            moment(date(2026, 12, 5)),
            duration(2 * 3600 + 5 * 60),
        ]
    assert [s.replace(NBSP, " ") for s in shown] == expected
    assert NBSP + "%" in shown[1]  # the unit never wraps away from its number


def test_units_rates_and_durations() -> None:
    with translation.override("fr"):
        assert str(mbps(12_500_000)) == f"12,50{NBSP}Mbit/s"
        assert str(days(Decimal("14.0"), 1)) == f"14,0{NBSP}j"
        assert str(Duration(15 * 60)) == f"15{NBSP}min"
        assert str(Duration(4 * 3600 + 30)) == f"4{NBSP}h 00{NBSP}min 30{NBSP}s"  # exact
        assert str(Duration(1234 * 3600)) == f"1{NBSP}234{NBSP}h 00{NBSP}min"
    with translation.override("en"):
        assert str(days(3)) == f"3{NBSP}d"


@pytest.fixture
def month() -> Any:
    """The hand-computed month of test_report, on a contract of 13,900,000.00 € HT: its cap
    (10 %) is 1,390,000.00 € HT."""
    month = small_month()
    month.contract.amount_total_ht = Decimal("13900000.00")
    month.contract.save()
    MonitoringRun.objects.create(link=month.link_b, start=at(20, 8), end=at(20, 13), state="down")
    add_tickets(month)
    evaluate_month(month.contract, 2025, 6, now=NOW)
    return month


def _cells(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)
    ]


def _no_code(texts: list[str]) -> None:
    for code in CODES:
        assert not [t for t in texts if t == code or t.startswith(code + " ")], code


@pytest.mark.django_db
def test_the_page_in_french(month: Any) -> None:
    client = client_for(READ)
    html = client.get(f"/sla/contracts/{month.contract.pk}/2025-06/?lang=fr").content.decode()
    for expected in (
        "Synthèse",
        "Disponibilité du parc (liens principaux)",
        f"99,583{NBSP}%",
        f"1{NBSP}390{NBSP}000,00{NBSP}€ HT",  # the contract cap
        f"150,00{NBSP}€ HT",
        f"5{NBSP}h 00{NBSP}min",  # B's GTR
        "10/06/2025 12:05",  # T-A opened, Paris time
        "Collectivité territoriale",  # the category's label
        "Opérateur",  # the imputability's label
        "Calculée",  # the penalty's workflow state
        "Annexe méthodologique",
        "Premium · Plafond mensuel des pénalités",
        "lun mar mer jeu ven",
        "1 dépassement, 2 tickets",
    ):
        assert expected in html, expected
    assert "Method annex" not in html
    assert "99.583" not in html
    _no_code(_cells(html))


@pytest.mark.django_db
def test_the_page_follows_the_readers_language(month: Any) -> None:
    client = client_for(READ)
    english = client.get(f"/sla/contracts/{month.contract.pk}/2025-06/").content.decode()
    for expected in (
        "Summary",
        f"99.583{NBSP}%",
        f"1,390,000.00{NBSP}€ HT",
        "2025-06-10 12:05",
        "Local authority",
        "Computed",
    ):
        assert expected in english, expected
    _no_code(_cells(english))
    # A reader who chose French (stored, read at login) gets the report in French.
    reader = get_user_model().objects.create_user(username="lecteur")
    set_role(reader, READ)
    UserPreference.objects.create(user=reader, language="fr")
    client = Client()
    client.force_login(reader)
    french = client.get(f"/sla/contracts/{month.contract.pk}/2025-06/").content.decode()
    assert "Synthèse" in french
    assert f"99,583{NBSP}%" in french


def _pdf_text(body: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    return text.replace(NBSP, " ")


@pytest.mark.django_db
def test_the_pdf_in_both_languages(month: Any) -> None:
    client = client_for(READ)
    base = f"/sla/contracts/{month.contract.pk}/2025-06/report.pdf"
    french = _pdf_text(client.get(base + "?lang=fr").content)
    for expected in (
        "Rapport mensuel de qualité de service",
        "Synthèse",
        "99,583 %",
        "1 390 000,00 € HT",
        "10/06/2025 12:05",
        "Collectivité territoriale",
        "Calculée",
        "Annexe méthodologique",
        "page 2",
        "Néant.",
    ):
        assert expected in french, expected
    assert "99.583" not in french
    english = _pdf_text(client.get(base + "?lang=en").content)
    for expected in ("Summary", "99.583 %", "1,390,000.00 € HT", "2025-06-10 12:05", "Computed"):
        assert expected in english, expected


@pytest.mark.django_db
def test_the_csv_in_the_languages_spreadsheet_dialect(month: Any) -> None:
    client = client_for(READ)
    base = f"/sla/contracts/{month.contract.pk}/2025-06/report.csv?table="
    french = client.get(base + "penalties&lang=fr").content
    assert french.startswith("\ufeff".encode())  # a French spreadsheet then reads the accents
    rows = list(csv.reader(io.StringIO(french.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Mois", "Abonnement", "Site", "Type", "Ticket", "Calculée (€ HT)", "Montant (€ HT)",
        "Statut", "Recalculé",
    ]  # fmt: skip
    assert sorted((r[1], r[3], r[6], r[7]) for r in rows[1:]) == [
        ("A", "Disponibilité", "45,00", "Calculée"),
        ("B", "Disponibilité", "75,00", "Calculée"),
        ("B", "GTR", "30,00", "Calculée"),
    ]
    tickets = list(
        csv.reader(
            io.StringIO(client.get(base + "tickets&lang=fr").content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    t_b = next(r for r in tickets if r[0] == "T-B")
    assert (t_b[3], t_b[5], t_b[8], t_b[10]) == ("20/06/2025 10:00", "Opérateur", "5:00:00", "oui")
    english = client.get(base + "penalties&lang=en").content.decode()
    rows = list(csv.reader(io.StringIO(english)))
    assert rows[0][5:8] == ["Computed (€ HT)", "Amount (€ HT)", "Status"]
    assert ("B", "GTR", "30.00", "Computed") in [(r[1], r[3], r[6], r[7]) for r in rows[1:]]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_xlsx_holds_numbers_and_dates(month: Any, lang: str) -> None:
    client = client_for(READ)
    body = client.get(f"/sla/contracts/{month.contract.pk}/2025-06/report.xlsx?lang={lang}")
    book = load_workbook(io.BytesIO(body.content))
    french = lang == "fr"
    summary = book["Synthèse" if french else "Summary"]
    assert summary["A1"].value == ("Paramètre" if french else "Parameter")
    cells = {row[0].value: row[1] for row in summary.iter_rows(min_row=2)}
    fleet = cells[
        "Disponibilité du parc (liens principaux)"
        if french
        else "Fleet availability (primary links)"
    ]
    assert (fleet.value, fleet.number_format) == (pytest.approx(99.583), '0.000 "%"')
    cap = cells[
        "Plafond du marché : 10 % du montant" if french else "Contract cap: 10 % of the amount"
    ]
    assert (cap.value, cap.number_format) == (1390000.0, '#,##0.00 "€ HT"')
    assert cap.data_type == "n"
    tickets = book["Incidents GTI et GTR" if french else "Incidents GTI and GTR"]
    headers = [c.value for c in tickets[1]]
    assert headers[3] == ("Ouvert le" if french else "Opened")
    t_b = next(row for row in tickets.iter_rows(min_row=2) if row[0].value == "T-B")
    wall_clock = datetime(2025, 6, 20, 10, 0, tzinfo=PARIS).replace(tzinfo=None)
    assert t_b[3].value == wall_clock  # Paris time (08:00 UTC), as a date
    assert t_b[3].number_format == ("dd/mm/yyyy hh:mm" if french else "yyyy-mm-dd hh:mm")
    assert t_b[8].value == timedelta(hours=5)  # GTR measured, a duration
    assert t_b[8].number_format == '[h] "h" mm "min"'
    assert t_b[5].value == ("Opérateur" if french else "Operator")


@pytest.mark.django_db
def test_the_cli_writes_the_pdf_in_the_language_asked(month: Any, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["sla", "report", "2025-06", "--pdf", str(tmp_path), "--lang", "fr"]
    )
    assert result.exit_code == 0, result.output
    (pdf,) = tmp_path.glob("*.pdf")
    text = _pdf_text(pdf.read_bytes())
    assert "Synthèse" in text
    assert "1 390 000,00 € HT" in text
    assert "Collectivité territoriale" in text
