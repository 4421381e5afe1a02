"""Invariants of the evaluation over random months (hypothesis)."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sla.calc.evaluator import evaluate
from sla.calc.parser import parse_evaluation

EXAMPLE = json.loads((Path(__file__).parent / "golden" / "april-one-outage.json").read_text())
APRIL = datetime(2025, 3, 31, 22, 0, tzinfo=UTC)  # 1 April 00:00 Paris


def _at(minute: int) -> str:
    return (APRIL + timedelta(minutes=minute)).isoformat()


runs = st.lists(
    st.tuples(st.integers(-600, 43_800), st.integers(1, 600), st.sampled_from(["down", "unknown"])),
    max_size=12,
)
windows = st.lists(st.tuples(st.integers(0, 43_000), st.integers(1, 600)), max_size=3)


def _document(spec: list[tuple[int, int, str]], claims: list[tuple[int, int]]) -> dict[str, Any]:
    doc = copy.deepcopy(EXAMPLE)
    doc["tickets"] = []
    doc["monitoring"] = []
    cursor = -10_000
    for start, length, state in sorted(spec):
        start = max(start, cursor)
        doc["monitoring"].append(
            {"subscription": "A1", "start": _at(start), "end": _at(start + length), "state": state}
        )
        cursor = start + length
    for i, (start, length) in enumerate(claims):
        doc["exclusions"].append(
            {
                "subscription": "A1",
                "start": _at(start),
                "end": _at(start + length),
                "type": "client",
                "decision": "proposed" if i % 2 else "accepted",
            }
        )
    return doc


@settings(deadline=None, max_examples=60)
@given(runs, windows)
def test_figures_stay_consistent_whatever_the_month(
    spec: list[tuple[int, int, str]], claims: list[tuple[int, int]]
) -> None:
    result = evaluate(parse_evaluation(_document(spec, claims))).subscriptions[0]
    a = result.availability
    assert 0 <= a.downtime_s <= a.required_s <= a.scheduled_s
    assert a.downtime_s + a.excluded_s + a.unknown_s <= a.scheduled_s
    assert a.exact is not None
    assert 0 <= a.exact <= 1
    cap = Decimal("450.00")
    assert Decimal(0) <= result.total_ht <= cap
    assert Decimal(0) <= result.disputed_ht <= result.total_ht


@settings(deadline=None, max_examples=40)
@given(runs, st.integers(0, 43_000), st.integers(5, 300))
def test_more_down_time_never_raises_availability(
    spec: list[tuple[int, int, str]], start: int, length: int
) -> None:
    before = evaluate(parse_evaluation(_document(spec, []))).subscriptions[0]
    doc = _document(spec, [])
    # same offset everywhere: ISO strings compare like the times they name
    assume(
        not any(
            r["start"] < _at(start + length) and _at(start) < r["end"] for r in doc["monitoring"]
        )
    )
    doc["monitoring"].append(
        {"subscription": "A1", "start": _at(start), "end": _at(start + length), "state": "down"}
    )
    after = evaluate(parse_evaluation(doc)).subscriptions[0]
    assert after.availability.exact is not None
    assert before.availability.exact is not None
    assert after.availability.exact <= before.availability.exact
    assert after.availability.downtime_s >= before.availability.downtime_s
