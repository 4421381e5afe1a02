"""A contract reference never becomes a path or a header as it was typed (issue 13, finding 9):
`x/../../pwned` made `menhir sla report --pdf DIR` write outside DIR, `MEG-5"; filename="evil.exe`
injected a second file name into the download's Content-Disposition, and a CR/LF gave a 500."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.test import APIClient
from typer.testing import CliRunner

from common.filenames import attachment, safe_filename
from common.roles import EDIT, READ
from core.accounts import set_role
from inventory.models import Contract
from menhir.cli import app
from sla.service import evaluate_month
from tests.factories.sla import NOW, small_month

pytestmark = pytest.mark.django_db
EVIL = ["x/../../pwned", 'MEG-5"; filename="evil.exe', "LOT-1\r\nSet-Cookie: a=b", ".hidden"]


def _client(role: str, api: bool = False) -> Client | APIClient:
    user = get_user_model().objects.create_user(username=f"u-{role}")
    set_role(user, role)
    client = APIClient() if api else Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("reference", EVIL)
def test_the_api_refuses_an_unsafe_reference_naming_the_field(reference: str) -> None:
    contract = small_month().contract
    client = _client(EDIT, api=True)
    response = client.patch(
        f"/api/inventory/contracts/{contract.pk}/", {"reference": reference}, format="json"
    )
    assert response.status_code == 400
    assert "reference" in response.json()
    contract.refresh_from_db()
    assert contract.reference == "LOT-T"


@pytest.mark.parametrize("reference", EVIL)
def test_a_legacy_unsafe_reference_still_downloads_under_one_safe_name(reference: str) -> None:
    month = small_month()
    Contract.objects.filter(pk=month.contract.pk).update(reference=reference)  # bypasses checks
    evaluate_month(Contract.objects.get(pk=month.contract.pk), 2025, 6, now=NOW)
    response = _client(READ).get(f"/sla/contracts/{month.contract.pk}/2025-06/report.csv")
    assert response.status_code == 200
    assert re.fullmatch(r'attachment; filename="[A-Za-z0-9._-]+"', response["Content-Disposition"])


def test_the_cli_writes_every_pdf_inside_its_folder(tmp_path: Path) -> None:
    month = small_month()
    Contract.objects.filter(pk=month.contract.pk).update(reference="x/../../pwned")
    target = tmp_path / "a" / "b"
    result = CliRunner().invoke(app, ["sla", "report", "2025-06", "--pdf", str(target)])
    assert result.exit_code == 0, result.output
    written = list(tmp_path.rglob("*.pdf"))
    assert [p.parent for p in written] == [target]
    assert written[0].name == "sla-x_.._.._pwned-2025-06-v1.pdf"


def test_the_sanitiser() -> None:
    assert safe_filename("x/../../pwned") == "x_.._.._pwned"
    assert safe_filename("../..") == "_.."
    assert safe_filename("") == "download"
    assert attachment('MEG-5"; filename="evil.exe.pdf') == (
        'attachment; filename="MEG-5_filename_evil.exe.pdf"'
    )
