"""A service class's quality KPI targets (docs/sla.md R15) through the API's validation."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from tests.factories import inventory as fx

pytestmark = pytest.mark.django_db


def _patch(client: APIClient, pk: int, payload: Mapping[str, object]) -> tuple[int, dict]:
    response = client.patch(f"/api/inventory/service-classes/{pk}/", payload, format="json")
    return response.status_code, response.json()


def test_a_target_without_penalty_or_coverage_is_refused_naming_both(admin: APIClient) -> None:
    service_class = fx.ServiceClassFactory.create()
    status, body = _patch(admin, service_class.pk, {"kpi_rtt_ms": "30"})
    assert status == 400
    assert set(body) >= {"kpi_penalty_pct", "kpi_min_coverage_pct"}
    service_class.refresh_from_db()
    assert service_class.kpi_rtt_ms is None


def test_targets_with_their_terms_are_kept_and_listed(admin: APIClient) -> None:
    service_class = fx.ServiceClassFactory.create()
    terms = {
        "kpi_loss_pct": "0.5",
        "kpi_jitter_ms": "5",
        "kpi_penalty_pct": "5",
        "kpi_min_coverage_pct": "90",
    }
    status, body = _patch(admin, service_class.pk, terms)
    assert status == 200, body
    service_class.refresh_from_db()
    assert service_class.kpi_targets() == {"loss_pct": Decimal("0.5"), "jitter_ms": Decimal("5")}


def test_no_target_needs_no_terms() -> None:
    service_class = fx.ServiceClassFactory.create()
    service_class.full_clean()
    assert service_class.kpi_targets() == {}
