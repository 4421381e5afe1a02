"""The report's quality section (R15) from the database: the hand-worked month of
`tests.sla.test_kpi_collect` (link A: p95 RTT 50 ms over a 30 ms target, 5 % of 450.00 =
22.50 € HT; link B: never probed, N/A), on the page's tables, the penalty lines, the CSV, the
XLSX and the PDF, in French and English."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from sla.calc.findings import finding
from sla.models import Penalty
from sla.report.export import to_csv, to_xlsx
from sla.report.findings import say
from sla.report.loader import load_content
from sla.report.pdf import render_pdf
from sla.report.tables import Table, build_tables
from sla.service import evaluate_month
from tests.factories.sla import NOW, small_month
from tests.sla.pdf_layout import overflowing
from tests.sla.test_kpi_collect import with_kpis

pytestmark = pytest.mark.django_db


@pytest.fixture
def content() -> Any:
    month = small_month()
    with_kpis(month)
    return load_content(evaluate_month(month.contract, 2025, 6, now=NOW).report)


def _quality(tables: list[Table]) -> Table:
    return next(t for t in tables if t.key == "service_quality")


def test_the_quality_section_matches_the_hand_worked_month(content: Any) -> None:
    fr = _quality(build_tables(content, "fr"))
    assert fr.title == "Qualité de service"
    with translation.override("fr"):  # the page shows figures in the reader's language
        shown = [[v for v, _figure in row] for row in fr.shown]
    assert shown[:3] == [
        ["A", "S-A", "latence (p95)", "50,000\xa0ms", "30\xa0ms", "non", "99,721\xa0%", "90\xa0%",
         "22,50\xa0€ HT", "non atteint : mesure au-dessus de l'objectif"],
        ["A", "S-A", "perte", "0,006\xa0%", "0,5\xa0%", "oui", "99,721\xa0%", "90\xa0%", "—",
         "atteint : mesure inférieure ou égale à l'objectif"],
        ["A", "S-A", "gigue", "0,600\xa0ms", "5\xa0ms", "oui", "99,721\xa0%", "90\xa0%", "—",
         "atteint : mesure inférieure ou égale à l'objectif"],
    ]  # fmt: skip
    na = "N/A : couverture des sondes de 0,000\xa0% sous le minimum de 90\xa0%"
    assert [row[3:6] + row[9:] for row in shown[3:]] == [
        ["—", "30\xa0ms", "—", na],
        ["—", "0,5\xa0%", "—", na],
        ["—", "5\xa0ms", "—", na],
    ]
    en = _quality(build_tables(content, "en"))
    assert en.title == "Quality of service"
    with translation.override("en"):
        assert [v for v, _f in en.shown[0]][2:5] == ["latency (p95)", "50.000\xa0ms", "30\xa0ms"]
        assert en.shown[3][9][0] == "N/A: probe coverage 0.000\xa0% under the 90\xa0% minimum"
    lines = {
        (circuit, kind): amount
        for circuit, kind, amount in Penalty.objects.values_list(
            "link__circuit_id", "type", "computed_ht"
        )
    }
    assert lines == {("A", "availability"): Decimal("45.00"), ("A", "kpi_rtt_ms"): Decimal("22.50")}
    annex = next(t for t in build_tables(content, "fr") if t.key == "annex")
    with translation.override("fr"):
        terms = {cells[0][0]: cells[1][0] for cells in annex.shown}
    assert terms["Premium · Objectifs de qualité de service"] == (
        "latence, p95 (ms) 30\xa0ms, perte (%) 0,5\xa0%, gigue, moyenne (ms) 5\xa0ms, "
        "pénalité par indicateur non atteint (% de la redevance) 5\xa0%, "
        "couverture minimale des mesures (%) 90\xa0%"
    )
    penalties = next(t for t in build_tables(content, "fr") if t.key == "penalties")
    assert "Qualité : latence (p95)" in [v for row in penalties.rows for v in row]


def test_the_quality_section_in_the_spreadsheets(content: Any) -> None:
    tables = build_tables(content, "fr")
    rows = list(
        csv.reader(
            io.StringIO(to_csv(tables, "service_quality", "fr").decode("utf-8-sig")), delimiter=";"
        )
    )
    assert rows[0][:4] == ["Abonnement", "Site", "Indicateur", "Mesure"]
    assert rows[0][8] == "Pénalité (€ HT)"
    assert rows[1][:6] == ["A", "S-A", "latence (p95)", "50,000\xa0ms", "30\xa0ms", "non"]
    assert rows[1][8] == "22,50"
    book = load_workbook(io.BytesIO(to_xlsx(tables, "x", "fr")))
    sheet = book["Qualité de service"]
    first = list(sheet[2])
    assert (first[3].value, first[3].number_format) == (50.0, '#,##0.000 "ms"')
    assert (first[8].value, first[8].number_format) == (22.5, '#,##0.00 "€ HT"')


def test_the_quality_section_in_the_pdf_stays_in_its_columns(content: Any) -> None:
    for lang, title in (("en", "Quality of service"), ("fr", "Qualité de service")):
        pdf = render_pdf(content, build_tables(content, lang), lang)
        assert overflowing(pdf) == [], lang
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        assert title in text
        assert ("22.50" if lang == "en" else "22,50") in text


def test_the_engine_flags_an_uncovered_month_in_the_readers_language(content: Any) -> None:
    english = "subscription B: quality KPIs N/A, probe coverage under 90 % (R15)"
    assert finding("kpis_not_covered", subscription="B", minimum="90") == english
    french = "Abonnement B : indicateurs de qualité N/A, couverture des sondes inférieure à 90 %."
    with translation.override("fr"):
        assert say(english) == french
    with translation.override("en"):
        said = say(english)
    assert said == "Subscription B: quality indicators N/A, probe coverage under 90 %."
    assert said in content.engine_notes or french in content.engine_notes  # A is covered: B only
    assert not any(n.startswith(("Subscription A", "Abonnement A")) for n in content.engine_notes)
