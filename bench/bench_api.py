"""Latency of `GET /api/inventory/establishments/?limit=100` over the full reference network.

Runs in a throwaway database (created, then dropped) through Django's test client with a real
token, so it measures the whole Django + DRF stack and PostgreSQL, without the HTTP server.
The network is `simulation.seed.seed_reference_network(seed=1)` when that module is installed,
otherwise 2,026 establishments made with the test factories.
"""

from __future__ import annotations

import sys
import time

from bench.figures import Figure, median_and_p95
from menhir.bootstrap import setup_django
from menhir.database import ensure_database_url
from menhir.env import PROJECT_DIR

N_ESTABLISHMENTS = 2026
REQUESTS = 40
PATH = "/api/inventory/establishments/?limit=100"


def _load_network() -> str:
    from common.changes import change_context

    try:
        from simulation.seed import seed_reference_network
    except ImportError:
        pass  # not merged yet: build the same number of sites from the factories
    else:
        seed_reference_network(seed=1)
        return "reference network"
    if str(PROJECT_DIR) not in sys.path:
        sys.path.insert(0, str(PROJECT_DIR))  # the factories live in the source tree's tests/
    from tests.factories.inventory import CommuneFactory, EstablishmentFactory

    with change_context(source="bench", log_each_object=False):
        communes = [CommuneFactory() for _ in range(300)]
        for i in range(N_ESTABLISHMENTS):
            EstablishmentFactory(commune=communes[i % len(communes)])
    return "factories"


def _measure() -> list[float]:
    from django.test import Client

    from core.accounts import create_token

    _, key = create_token("bench-api", "read")
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(PATH).status_code == 200  # warm up
    samples = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(PATH)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
        assert len(response.json()["results"]) == 100
    return samples


def run() -> list[Figure]:
    ensure_database_url()
    setup_django()
    from django.db import connection

    from inventory.models import Establishment

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        source = _load_network()
        count = Establishment.objects.count()
        samples = _measure()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    median, p95 = median_and_p95(samples)
    label = f"api establishments list limit=100 ({count} sites, {source}, test client)"
    return [Figure(f"{label} median", median, "ms"), Figure(f"{label} p95", p95, "ms")]
