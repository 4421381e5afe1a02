"""Bad input gets a clear error naming what is wrong, and nothing is written (issue 13,
findings 11 and 13): JSON nested thousands of levels deep (API and `menhir sla evaluate`), a
10 MB body, impossible coordinates, out-of-range penalty rates, webhooks that are not web URLs,
an export of a PoP that does not exist."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient
from typer.testing import CliRunner

from alerting.models import AlertRoute
from alerting.notifiers.base import DeliveryError
from alerting.notifiers.webhook import WebhookNotifier
from common.roles import ADMIN, EDIT
from inventory.importers import import_content
from inventory.importers.errors import ImportFailed
from inventory.models import Establishment, ServiceClass
from menhir.cli import app
from tests.common.api.clients import make_user
from tests.factories import inventory as f

pytestmark = pytest.mark.django_db


def token_client(role: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(make_user(f"u-{role}", role))
    return client


DEEP = "[" * 3000 + "]" * 3000


def test_a_deeply_nested_api_body_is_a_json_400() -> None:
    client = token_client(EDIT)
    response = client.generic(
        "POST", "/api/inventory/tenants/", DEEP, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested 3000 levels" in response.json()["detail"]


def test_a_deeply_nested_evaluation_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"month": ' + DEEP + "}")
    result = CliRunner().invoke(app, ["sla", "evaluate", str(path)])
    assert result.exit_code == 2
    assert "nested 3001 levels" in result.output
    assert "Traceback" not in result.output


def test_a_ten_megabyte_body_is_refused_in_json() -> None:
    client = token_client(EDIT)
    body = json.dumps({"name": "x" * 10_000_000, "slug": "big"})
    response = client.generic(
        "POST", "/api/inventory/tenants/", body, content_type="application/json"
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "larger than the server accepts" in response.json()["detail"]


@pytest.mark.parametrize("latitude", ["nan", "inf", "-inf", "999", "1e308", "-91"])
def test_impossible_latitudes_are_refused_by_the_api(latitude: str) -> None:
    site = f.EstablishmentFactory.create()
    client = token_client(EDIT)
    response = client.patch(
        f"/api/inventory/establishments/{site.pk}/",
        {"latitude": latitude, "longitude": "-3.5"},
        format="json",
    )
    assert response.status_code == 400
    assert "latitude" in response.json()
    site.refresh_from_db()
    assert site.latitude != latitude


@pytest.mark.parametrize("latitude", ["nan", "inf", "999", "1e308"])
def test_impossible_latitudes_are_a_row_error_on_import(latitude: str) -> None:
    site = f.EstablishmentFactory.create()
    before = (site.latitude, site.longitude)
    csv = f"code,latitude,longitude\n{site.code},{latitude},-3.5\n".encode()
    with pytest.raises(ImportFailed) as failed:
        import_content(csv, "csv", model="establishments")
    text = str(failed.value)
    assert "line 2" in text
    assert "latitude" in text
    site.refresh_from_db()
    assert (site.latitude, site.longitude) == before
    assert Establishment.objects.count() == 1


@pytest.mark.parametrize("tiers", [[["99.9", "200"], ["0", "50"]], [["150", "10"]], [["NaN", "1"]]])
def test_penalty_tiers_are_percentages(tiers: Any) -> None:
    service_class = f.ServiceClassFactory.create()
    client = token_client(ADMIN)
    response = client.patch(
        f"/api/inventory/service-classes/{service_class.pk}/",
        {"availability_tiers": tiers},
        format="json",
    )
    assert response.status_code == 400
    assert "availability_tiers" in response.json()
    assert ServiceClass.objects.get(pk=service_class.pk).availability_tiers != tiers


@pytest.mark.parametrize("url", ["file:///etc/passwd", "data:text/plain,hello", "ftp://x/y"])
def test_a_webhook_route_must_be_a_web_url(url: str) -> None:
    route = AlertRoute(name="hook", channel="webhook", target=url)
    with pytest.raises(Exception, match="http:// or https://"):
        route.full_clean()
    with pytest.raises(DeliveryError, match="not an http"):
        WebhookNotifier(secret="s").send(None, url)  # type: ignore[arg-type]


def test_exporting_a_pop_that_does_not_exist_is_a_404() -> None:
    response = token_client(EDIT).get("/api/topology/export/?pop=999999")
    assert response.status_code == 404


def test_the_incidents_api_pages_with_links_exports_csv_and_refuses_unknown_filters() -> None:
    from alerting.models import Incident

    for n in range(3):
        Incident.objects.create(
            kind="device_down",
            severity="major",
            element_key=f"device:{n}",
            root_kind="device",
            root_id=n,
            root_name=f"r{n}",
            start="2026-11-01T08:00:00Z",
            detected_at="2026-11-01T08:05:00Z",
            impacted_count=0,
        )
    client = token_client(EDIT)
    first = client.get("/api/alerting/incidents/?limit=2").json()
    assert (first["count"], len(first["results"]), first["previous"]) == (3, 2, None)
    second = client.get(first["next"]).json()
    assert (len(second["results"]), second["next"]) == (1, None)
    assert second["previous"].endswith("offset=0")
    csv_text = client.get("/api/alerting/incidents/?format=csv").content.decode()
    assert len(csv_text.strip().splitlines()) == 4  # header + every incident, not a page
    bad = client.get("/api/alerting/incidents/?opertor=orange")
    assert bad.status_code == 400
    assert bad.json() == {"opertor": ["Unknown filter."]}


@pytest.mark.parametrize("name", ["operator", "department", "category"])
def test_a_nul_byte_in_an_incident_list_filter_is_a_400(name: str) -> None:
    from django.test import Client

    client = Client()
    client.force_login(make_user("page-reader", "read"))
    response = client.get(f"/alerting/incidents/?{name}=%00")
    assert response.status_code == 400
    assert name in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "start=0001-01-01T00:00:00Z&end=9999-01-01T00:00:00Z",  # thousands of years
        "start=2026-11-01T00:00:00+23:59&end=2026-11-02T00:00:00Z",  # no such offset
    ],
)
def test_an_impossible_chart_range_is_a_clear_400(query: str) -> None:
    from django.test import Client

    site = f.EstablishmentFactory.create()
    client = Client()
    client.force_login(make_user("chart-reader", "read"))
    response = client.get(f"/dashboards/establishments/{site.pk}/series/?{query}")
    assert response.status_code == 400
    assert response.json()["error"]
