"""SLA engine throughput: one month of a 2,026-subscription contract, from JSON text to output.

A seeded generator writes a plausible month (docs/sla.md evaluation file): four service classes,
60 s slots recorded as DOWN/UNKNOWN runs (outages, flaps, micro-outages, fleet-wide collector
gaps), tickets with acknowledgements and suspensions, maintenance windows and exclusion claims.
Goal: the whole file in under 30 s.
"""

from __future__ import annotations

import json
import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.figures import Figure
from sla.calc.output import evaluate_document

SUBSCRIPTIONS = 2026
SEED = 2026
MONTH = datetime(2025, 3, 1, tzinfo=UTC) - timedelta(hours=1)  # 1 March 00:00 Paris
MONTH_MINUTES = 743 * 60
TIERS = [["99.9", "0"], ["99.5", "10"], ["99.0", "25"], ["0", "50"]]


def _iso(minute: int) -> str:
    return (MONTH + timedelta(minutes=minute)).isoformat()


def _service_class(schedule: str, gtr: int, clock: str, cap: str) -> dict[str, Any]:
    return {
        "availability_schedule": schedule,
        "availability_tiers": TIERS,
        "gtr_minutes": gtr,
        "gtr_clock": clock,
        "gtr_penalty_pct_per_started_hour": "10",
        "gti_minutes": 60,
        "gti_clock": clock,
        "gti_penalty_pct": "2",
        "monthly_cap_pct": cap,
    }


def _subscription_month(
    rng: random.Random, sid: str, gaps: list[tuple[int, int]], doc: dict[str, Any]
) -> None:
    busy = sorted(gaps)
    for start, end in gaps:
        doc["monitoring"].append(
            {"subscription": sid, "start": _iso(start), "end": _iso(end), "state": "unknown"}
        )
    for n in range(rng.randint(0, 8)):
        start = rng.randrange(0, MONTH_MINUTES - 400)
        micro = rng.random() < 0.5
        length = rng.randint(1, 4) if micro else rng.randint(5, 300)
        pieces = [(start, start + length)]
        if not micro and rng.random() < 0.3:  # a flapping link: short UP gaps inside
            cut = start + length // 2
            pieces = [(start, cut), (cut + rng.randint(1, 8), start + length + 9)]
        if any(s < e2 + 1 and s2 < e + 1 for s, e in pieces for s2, e2 in busy):
            continue
        busy.extend(pieces)
        for s, e in pieces:
            doc["monitoring"].append(
                {"subscription": sid, "start": _iso(s), "end": _iso(e), "state": "down"}
            )
        if not micro and rng.random() < 0.7:
            opened = start + rng.randint(2, 15)
            restored = pieces[-1][1] + rng.choice([0, 0, 1, -1])
            suspensions = []
            if rng.random() < 0.2:
                suspensions.append(
                    {"start": _iso(opened + 1), "end": _iso(opened + 3), "accepted": True}
                )
            doc["tickets"].append(
                {
                    "id": f"{sid}-T{n}",
                    "subscription": sid,
                    "opened_at": _iso(opened),
                    "fault_start": None,
                    "acknowledged_at": _iso(opened + rng.randint(5, 90)),
                    "restored_at": _iso(max(restored, opened + 1)),
                    "imputability": rng.choice(["operator"] * 8 + ["client", "unknown"]),
                    "suspensions": suspensions,
                    "reopenings": [],
                }
            )
    if rng.random() < 0.05:
        start = rng.randrange(0, MONTH_MINUTES - 240)
        doc["maintenance"].append(
            {
                "subscriptions": [sid],
                "notified_at": _iso(start - rng.choice([5, 15]) * 1440),
                "planned_start": _iso(start),
                "planned_end": _iso(start + 120),
                "curative": False,
            }
        )
    if rng.random() < 0.02:
        start = rng.randrange(0, MONTH_MINUTES - 240)
        doc["exclusions"].append(
            {
                "subscription": sid,
                "start": _iso(start),
                "end": _iso(start + 180),
                "type": "client",
                "decision": rng.choice(["proposed", "accepted", "rejected"]),
            }
        )


def generate(subscriptions: int = SUBSCRIPTIONS, seed: int = SEED) -> dict[str, Any]:
    """A seeded, plausible evaluation file for March 2025 (a DST month)."""
    rng = random.Random(seed)
    gaps = [(m, m + rng.randint(10, 60)) for m in sorted(rng.sample(range(0, 44000, 1000), 3))]
    doc: dict[str, Any] = {
        "month": "2025-03",
        "contract": {
            "reference": "BENCH",
            "timezone": "Europe/Paris",
            "holidays": "FR",
            "business_hours": {
                "days": ["mon", "tue", "wed", "thu", "fri"],
                "start": "08:00",
                "end": "18:00",
            },
            "maintenance_notice_days": 10,
            "reopen_window_hours": 72,
            "skew_tolerance_seconds": 120,
            "detector": {"slot_seconds": 60, "n_down": 5, "n_up": 10},
            "amount_total_ht": "9000000.00",
            "penalty_cap_contract_pct": "10",
            "exemption_threshold_ht": "1000.00",
            "penalties_to_date_ht": "0.00",
        },
        "service_classes": {
            "premium": _service_class("24/7", 240, "24/7", "100"),
            "fibre": _service_class("24/7", 480, "business", "50"),
            "dsl": _service_class("business", 960, "business", "30"),
            "backup": _service_class("24/7", 1440, "24/7", "20"),
        },
        "subscriptions": [],
        "monitoring": [],
        "tickets": [],
        "maintenance": [],
        "exclusions": [],
    }
    classes = ["premium", "fibre", "dsl", "dsl", "backup"]
    for i in range(subscriptions):
        sid = f"L{i:04d}"
        cls = classes[i % len(classes)]
        start = "2024-01-01T00:00:00+01:00" if rng.random() < 0.97 else _iso(rng.randrange(44000))
        doc["subscriptions"].append(
            {
                "id": sid,
                "service_class": cls,
                "monthly_fee_ht": f"{rng.choice([90, 180, 450, 1200])}.00",
                "service_start": start,
                "service_end": None,
                "site": f"S{i // 2 if cls == 'backup' else i:04d}",
                "role": "backup" if cls == "backup" else "primary",
            }
        )
        _subscription_month(rng, sid, gaps, doc)
    return doc


def run() -> list[Figure]:
    document = generate()
    text = json.dumps(document)
    timings, cpu = [], []
    for _ in range(3):
        began, began_cpu = time.perf_counter(), time.process_time()
        output = evaluate_document(json.loads(text))
        timings.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    assert len(output["subscriptions"]) == SUBSCRIPTIONS
    best = min(timings)
    return [
        Figure("sla_evaluate_2026_subscriptions_month", best, "s"),
        Figure("sla_evaluate_2026_subscriptions_month_cpu", min(cpu), "s"),
        Figure("sla_evaluate_throughput", SUBSCRIPTIONS / best, "subscription-months/s"),
        Figure("sla_bench_file_runs", len(document["monitoring"]), "monitoring runs"),
    ]


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
