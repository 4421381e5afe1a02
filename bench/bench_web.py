"""Server time of the day's pages on the reference network (issue 16's figures): the incidents
list with every filter over 10,000 incidents, and the global search.

A throwaway database holds the reference network (2,026 establishments) and 10,000 incidents
spread over a year (a tenth open, every kind and severity, each cutting off one to five sites).
Each page is asked for through Django's test client (the whole Django stack and PostgreSQL, no
HTTP server), REQUESTS times per query after one warm-up; p95 and median in milliseconds.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.figures import Figure, median_and_p95

INCIDENTS = 10_000
REQUESTS = 20
SEARCHES = ("lycee", "hopital", "lycée brest", "MAIRIE de", "quimper", "ecole saint")


def _incidents() -> None:
    from alerting.models import Incident, IncidentImpact, IncidentKind, Severity
    from inventory.models import Establishment, Link, Operator, Pop

    rng = random.Random(16)
    pops = list(Pop.objects.values_list("pk", "name"))
    links = list(Link.objects.filter(establishment__isnull=False).values_list("pk", "circuit_id"))
    operators = list(Operator.objects.values_list("pk", flat=True))
    sites = list(Establishment.objects.values_list("pk", flat=True))
    now = datetime.now(UTC)
    rows = []
    for n in range(INCIDENTS):
        start = now - timedelta(minutes=rng.randrange(365 * 24 * 60))
        on_pop = rng.random() < 0.2
        root_id, root_name = rng.choice(pops if on_pop else links)
        rows.append(
            Incident(
                kind=IncidentKind.POP_DOWN if on_pop else rng.choice(list(IncidentKind)),
                severity=rng.choice(list(Severity)),
                element_key=f"bench:{n}",
                root_kind="pop" if on_pop else "link",
                root_id=root_id,
                root_name=root_name,
                operator_id=None if on_pop else rng.choice(operators),
                start=start,
                end=None if n % 10 == 0 else start + timedelta(minutes=rng.randrange(5, 600)),
                detected_at=start,
                impacted_count=rng.randrange(1, 6),
            )
        )
    made = Incident.objects.bulk_create(rows, batch_size=2000)
    impacts = [
        IncidentImpact(incident=i, establishment_id=site, state="isolated")
        for i in made
        for site in rng.sample(sites, i.impacted_count)
    ]
    IncidentImpact.objects.bulk_create(impacts, batch_size=5000)


def _client() -> Any:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from core.accounts import set_role

    user = get_user_model().objects.create_user("bench-web", password="bench-web-pw-1")
    set_role(user, "read")
    client = Client()
    client.force_login(user)
    return client


def _times(client: Any, path: str, queries: list[dict[str, str]]) -> list[float]:
    samples = []
    for params in queries:
        assert client.get(path, params).status_code == 200, (path, params)  # warm-up
        for _ in range(REQUESTS):
            began = time.perf_counter()
            response = client.get(path, params)
            samples.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200
    return samples


def _incident_queries() -> list[dict[str, str]]:
    from inventory.models import Establishment, Operator, Pop

    operator = Operator.objects.order_by("pk").values_list("slug", flat=True).first() or ""
    pop = Pop.objects.order_by("pk").values_list("slug", flat=True).first() or ""
    category = Establishment.objects.values_list("category", flat=True).first() or ""
    every = {
        "state": "closed", "kind": "access_down", "severity": "major", "operator": operator,
        "pop": pop, "department": "29", "category": category, "start__gte": "2026-01-01",
        "q": "a", "sort": "-duration",
    }  # fmt: skip
    return [{}, {"state": "closed", "sort": "-severity"}, every]


def run() -> list[Figure]:
    from bench.db import reference_database

    with reference_database():
        from alerting.models import Incident
        from inventory.models import Establishment

        _incidents()
        client = _client()
        listing = _times(client, "/alerting/incidents/", _incident_queries())
        searching = _times(client, "/search/", [{"q": q} for q in SEARCHES])
        incidents, sites = Incident.objects.count(), Establishment.objects.count()
    figures = []
    for name, samples in (
        (f"incidents list, every filter, server ({incidents:,} incidents) p95", listing),
        (f"global search, server ({sites} sites, {len(SEARCHES)} queries) p95", searching),
    ):
        median, p95 = median_and_p95(samples)
        figures.append(Figure(name, p95, "ms", median, "median"))
    return figures
