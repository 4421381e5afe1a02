"""R15's `kpi_measurements` from the metrics store, against PostgreSQL with real probe rows, and
the file they make accepted by the engine (its recount of the slots agrees).

June 2025 (tests.factories.sla): 43,200 one-minute slots; link A is DOWN 10 June 10:00–11:00 UTC,
so 43,140 of its slots are counted. Its rows: every minute of June (Paris), 5 probes, RTT 10 ms,
jitter 0.5 ms; none on 25 June 00:00–02:00 (120 slots unprobed); 2,158 slots from 20 June 00:00
at RTT 50 ms and jitter 2.5 ms; 12 slots with 1 probe lost; the DOWN hour's rows all lost (not
counted).
- probed_slots = 43,140 − 120 = 43,020; sent = 5 × 43,020 = 215,100; lost = 12.
- p95, nearest rank: the ⌈0.95 × 43,020⌉ = 40,869th ascending RTT; 43,020 − 2,158 = 40,862 at
  10 ms come first, so it is 50 ms: "50.000" (2,151 slots at 50 ms would give "10.000").
- jitter = (0.5 × 40,862 + 2.5 × 2,158) / 43,020 = 0.6003… → "0.600".
Link B has no probe row: 43,200 slots, nothing probed, coverage 0: N/A.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from inventory.models import ServiceClass
from metrics.schema import PROBE, ensure_partitions
from sla.calc.output import evaluate_document
from sla.inputs import build_inputs
from tests.factories.sla import NOW, Month, at, small_month

pytestmark = pytest.mark.django_db


def probe_rows(link: int, device: int) -> None:
    """Link A's June as the module's docstring tells it."""
    connection.ensure_connection()
    conn: Any = connection.connection
    ensure_partitions(conn, PROBE, at(31, 0, month=5), at(1, 0, month=7))
    with conn.cursor() as cur:
        cur.execute(
            """
            INSERT INTO metrics_link_probe (time, link_id, device_id, method, sent, lost,
                rtt_min_ms, rtt_median_ms, rtt_max_ms, jitter_ms)
            SELECT t, %(link)s, %(device)s, 'twamp', 5,
                   CASE WHEN t >= %(down)s AND t < %(up)s THEN 5
                        WHEN t >= %(lossy)s AND t < %(lossy)s + interval '12 minutes' THEN 1
                        ELSE 0 END,
                   r, r, r, CASE WHEN t >= %(down)s AND t < %(up)s THEN NULL
                                 WHEN r > 10 THEN 2.5 ELSE 0.5 END
            FROM generate_series(%(start)s, %(end)s - interval '1 minute', interval '1 minute') t,
                 LATERAL (SELECT CASE WHEN t >= %(down)s AND t < %(up)s THEN NULL
                                      WHEN t >= %(slow)s AND t < %(slow)s + interval '2158 min'
                                      THEN 50.0 ELSE 10.0 END AS r) rtt
            WHERE NOT (t >= %(gap)s AND t < %(gap)s + interval '2 hours')
            """,
            {
                "link": link,
                "device": device,
                "start": at(31, 22, month=5),  # June in Paris, in UTC
                "end": at(30, 22),
                "down": at(10, 10),
                "up": at(10, 11),
                "lossy": at(5, 12),
                "slow": at(20, 0),
                "gap": at(25, 0),
            },
        )


def with_kpis(month: Month) -> None:
    """The month's class with R15 targets, and link A's probe rows."""
    link_a = month.link_a
    assert link_a.a_interface is not None
    ServiceClass.objects.filter(links=link_a).update(
        kpi_rtt_ms=Decimal("30"),
        kpi_loss_pct=Decimal("0.5"),
        kpi_jitter_ms=Decimal("5"),
        kpi_penalty_pct=Decimal("5"),
        kpi_min_coverage_pct=Decimal("90"),
    )
    probe_rows(link_a.pk, link_a.a_interface.device_id)


def test_measurements_over_counted_slots_are_accepted_by_the_engine() -> None:
    month = small_month()
    with_kpis(month)
    document = build_inputs(month.contract, 2025, 6, now=NOW).document
    assert document["service_classes"]["premium"]["kpis"] == {
        "rtt_ms": "30",
        "loss_pct": "0.5",
        "jitter_ms": "5",
        "penalty_pct": "5",
        "min_coverage_pct": "90",
    }
    measured = {s["id"]: s["kpi_measurements"] for s in document["subscriptions"]}
    assert measured == {
        "A": {
            "slots": 43140,
            "probed_slots": 43020,
            "sent": 215100,
            "lost": 12,
            "rtt_ms_p95": "50.000",
            "jitter_ms_mean": "0.600",
        },
        "B": {
            "slots": 43200,
            "probed_slots": 0,
            "sent": 0,
            "lost": 0,
            "rtt_ms_p95": None,
            "jitter_ms_mean": None,
        },
    }
    output = {s["id"]: s for s in evaluate_document(document)["subscriptions"]}
    a, b = output["A"], output["B"]
    assert [(k["kpi"], k["measured"], k["met"]) for k in a["kpis"]] == [
        ("rtt_ms", "50.000", False),
        ("loss_pct", "0.006", True),  # 1,200 / 215,100 = 0.00557… %, shown rounded up
        ("jitter_ms", "0.600", True),
    ]
    assert a["kpis"][0]["coverage_pct"] == "99.721"  # 43,020 / 43,140, truncated
    assert a["penalties"] == [
        {"type": "availability", "amount_ht": "45.00"},
        {"type": "kpi", "kpi": "rtt_ms", "amount_ht": "22.50"},
    ]
    assert a["total_ht"] == "67.50"
    assert [(k["measured"], k["met"], k["coverage_pct"]) for k in b["kpis"]] == [
        (None, None, "0.000")
    ] * 3
    assert b["penalties"] == []


def test_classes_without_kpis_leave_the_file_as_it_was() -> None:
    month = small_month()
    document = build_inputs(month.contract, 2025, 6, now=NOW).document
    assert "kpis" not in document["service_classes"]["premium"]
    assert all("kpi_measurements" not in s for s in document["subscriptions"])


def test_as_of_month_counts_only_the_slots_known() -> None:
    """A month still running (`as_of` 3 June 00:00 UTC, slot-aligned): 2 days + 2 h of June
    (Paris midnight is 31 May 22:00 UTC) = 3,000 slots, all counted for B."""
    month = small_month()
    ServiceClass.objects.filter(links=month.link_b).update(
        kpi_loss_pct=Decimal("1"), kpi_penalty_pct=Decimal("2"), kpi_min_coverage_pct=Decimal("0")
    )
    now = dt.datetime(2025, 6, 3, tzinfo=dt.UTC)
    document = build_inputs(month.contract, 2025, 6, now=now).document
    b = next(s for s in document["subscriptions"] if s["id"] == "B")
    assert b["kpi_measurements"]["slots"] == 3000
    evaluate_document(document)  # the engine's recount agrees


def test_targets_without_their_terms_are_left_out_with_a_finding() -> None:
    """Written around the admin's check (a raw update): the month is still evaluated."""
    month = small_month()
    ServiceClass.objects.filter(links=month.link_a).update(kpi_rtt_ms=Decimal("30"))
    inputs = build_inputs(month.contract, 2025, 6, now=NOW)
    assert "kpis" not in inputs.document["service_classes"]["premium"]
    assert inputs.quality == [
        "service class premium: quality targets without a penalty or a minimum coverage; "
        "targets left out"
    ]
    evaluate_document(inputs.document)
