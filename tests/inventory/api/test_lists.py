"""Filters, search, pagination, CSV export and query counts of the list endpoints."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import inventory as fx
from tests.factories.inventory import small_network
from tests.inventory.api.cases import CASES

pytestmark = pytest.mark.django_db
GOLDEN = Path(__file__).with_name("query_counts.json")
EST = "/api/inventory/establishments/"


def codes(client: Any, query: str) -> list[str]:
    response = client.get(f"{EST}?{query}")
    assert response.status_code == 200, response.json()
    return sorted(row["code"] for row in response.json()["results"])


def test_filters_through_the_api(reader: Any) -> None:
    small_network()
    assert codes(reader, "code=MAI-29-002") == ["MAI-29-002"]
    assert codes(reader, "category__n=local_authority") == ["CHU-35-001", "LYC-29-001"]
    assert codes(reader, "name__ic=lycée") == ["LYC-29-001"]
    assert codes(reader, "commune__department=29") == ["LYC-29-001", "MAI-29-002"]
    assert codes(reader, "q=rennes") == ["CHU-35-001"]
    assert codes(reader, "category=lycee&category=health") == ["CHU-35-001", "LYC-29-001"]
    links = reader.get("/api/inventory/links/?committed_down_bps__gte=1&role=backup").json()
    assert [row["establishment"]["code"] for row in links["results"]] == ["CHU-35-001"]
    ranged = reader.get("/api/inventory/links/?committed_down_bps__lt=1").json()
    assert ranged["count"] == 0


def test_invalid_filter_value_is_a_400(reader: Any) -> None:
    response = reader.get("/api/inventory/links/?committed_down_bps__gte=lots")
    assert response.status_code == 400
    assert "committed_down_bps__gte" in response.json()


def test_limit_offset_and_ceiling(reader: Any, settings: Any) -> None:
    settings.MENHIR_API_MAX_PAGE_SIZE = 4
    fx.EstablishmentFactory.create_batch(6)
    page = reader.get(f"{EST}?limit=2&offset=2").json()
    assert page["count"] == 6
    assert len(page["results"]) == 2
    assert "offset=4" in page["next"]
    assert len(reader.get(f"{EST}?limit=100").json()["results"]) == 4


def test_csv_export_is_the_whole_filtered_list_with_natural_keys(reader: Any) -> None:
    small_network()
    response = reader.get(f"{EST}?format=csv&commune__department=29&limit=1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert sorted(r["code"] for r in rows) == ["LYC-29-001", "MAI-29-002"]
    assert {r["commune"] for r in rows} == {"29232"}
    links = reader.get("/api/inventory/links/?format=csv").content.decode()
    first = next(csv.DictReader(io.StringIO(links)))
    assert first["operator"] == "armor"
    assert first["contract"] == "LOT-1"


def list_queries(client: Any, path: str, limit: int) -> int:
    client.get(f"/api/inventory/{path}/?limit=1")  # warm up: token's last_used, content types
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/api/inventory/{path}/?limit={limit}")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_query_counts_are_bounded_and_match_the_golden_file(reader: Any) -> None:
    small_network()
    for case in CASES:
        for _ in range(6):
            case.factory()
    counts = {}
    for case in CASES:
        small, large = list_queries(reader, case.path, 5), list_queries(reader, case.path, 100)
        assert small == large, f"{case.path}: {small} queries for 5 rows, {large} for 100"
        counts[case.path] = large
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(counts, indent=2, sort_keys=True) + "\n")
    assert counts == json.loads(GOLDEN.read_text())


def test_unused_filters_are_not_built_but_used_ones_still_validate(reader: Any) -> None:
    from common.api.filters import narrowed
    from inventory.filtersets import EstablishmentFilterSet

    small_network()
    narrow = narrowed(EstablishmentFilterSet, frozenset({"code", "q"}))
    assert set(narrow.base_filters) == {"code", "q"}
    assert codes(reader, "code=LYC-29-001&limit=5") == ["LYC-29-001"]
    strict = reader.get(f"{EST}?code=LYC-29-001&opertor=orange")  # a misspelt filter
    assert strict.status_code == 400
    assert strict.json() == {"opertor": ["Unknown filter."]}
    bad = reader.get(f"{EST}?category=castle")
    assert bad.status_code == 400
    assert "category" in bad.json()
