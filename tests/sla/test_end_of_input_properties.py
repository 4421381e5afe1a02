"""Two consecutive months agree (docs/sla.md, "The end of the input"; hypothesis).

Timelines are drawn around the boundary between April and May 2025 (two days each side), with
tickets that follow their DOWN runs. Final reports for both months must put every ticket in
exactly one of them; the two months' downtime must add up to the outages of the whole timeline;
and more monitoring after April's end must never change an outage April already confirmed.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from alerting.detector import DetectorParams, SlotState, detect, runs_with_up_gaps
from sla.calc.evaluator import evaluate
from sla.calc.intervals import IntervalSet
from sla.calc.output import evaluate_document
from sla.calc.parser import parse_evaluation

EXAMPLE = json.loads((Path(__file__).parent / "golden" / "april-one-outage.json").read_text())
BOUNDARY = datetime(2025, 4, 30, 22, 0, tzinfo=UTC)  # 1 May 00:00 Paris
APRIL = (int(datetime(2025, 3, 31, 22, tzinfo=UTC).timestamp()), int(BOUNDARY.timestamp()))
MAY = (APRIL[1], int(datetime(2025, 5, 31, 22, tzinfo=UTC).timestamp()))
SPAN = 2 * 24 * 60  # minutes drawn on each side of the boundary


def _at(minute: int) -> str:
    return (BOUNDARY + timedelta(minutes=minute)).isoformat()


run_specs = st.lists(
    st.tuples(
        st.integers(-SPAN, SPAN),
        st.integers(1, 90),
        st.sampled_from(["down", "down", "down", "unknown"]),
        st.integers(0, 4),  # ticket opened this many minutes after a DOWN run starts
        st.integers(-2, 2),  # declared restoration, minutes from the run's end
        st.booleans(),  # whether the operator opened a ticket
    ),
    max_size=10,
)


def _timeline(specs: list[tuple[int, int, str, int, int, bool]]) -> tuple[list[Any], list[Any]]:
    runs: list[dict[str, Any]] = []
    tickets: list[dict[str, Any]] = []
    cursor = -SPAN - 1
    for start, length, state, opened, skew, ticket in sorted(specs):
        start = max(start, cursor + 1)  # disjoint, and a gap of at least one UP slot
        end = start + length
        cursor = end
        runs.append({"subscription": "A1", "start": _at(start), "end": _at(end), "state": state})
        if state == "down" and ticket and opened < length:
            tickets.append(
                {
                    "id": f"T{len(tickets)}",
                    "subscription": "A1",
                    "opened_at": _at(start + opened),
                    "fault_start": None,
                    "acknowledged_at": None,
                    "restored_at": _at(max(end + skew, start + opened + 1)),
                    "imputability": "operator",
                    "suspensions": [],
                    "reopenings": [],
                }
            )
    return runs, tickets


def _month(month: str, runs: list[Any], tickets: list[Any], until: str) -> dict[str, Any]:
    doc = copy.deepcopy(EXAMPLE)
    doc["month"] = month
    doc["monitoring"] = copy.deepcopy(runs)
    doc["tickets"] = copy.deepcopy(tickets)
    doc["monitoring_until"] = until
    return doc


APRIL_FINAL = "2025-05-02T00:00:00+02:00"  # April's report with the day after collected
MAY_FINAL = "2025-06-02T00:00:00+02:00"


@settings(deadline=None, max_examples=300)  # timing is never a pass/fail criterion
@given(run_specs)
def test_every_ticket_is_in_exactly_one_of_two_final_months(specs: Any) -> None:
    runs, tickets = _timeline(specs)
    april = evaluate_document(_month("2025-04", runs, tickets, APRIL_FINAL))
    may = evaluate_document(_month("2025-05", runs, tickets, MAY_FINAL))
    listed = [t["id"] for doc in (april, may) for s in doc["subscriptions"] for t in s["tickets"]]
    assert sorted(listed) == sorted(t["id"] for t in tickets)


@settings(deadline=None, max_examples=300)  # timing is never a pass/fail criterion
@given(run_specs)
def test_the_two_months_downtime_adds_up_to_the_whole_timeline(specs: Any) -> None:
    runs, _ = _timeline(specs)
    april = evaluate_document(_month("2025-04", runs, [], MAY_FINAL))
    may = evaluate_document(_month("2025-05", runs, [], MAY_FINAL))
    # both months at once: one detection over the whole timeline, clipped to April + May
    marked = [
        (
            int(datetime.fromisoformat(r["start"]).timestamp()),
            int(datetime.fromisoformat(r["end"]).timestamp()),
            SlotState(r["state"]),
        )
        for r in runs
    ]
    timeline = runs_with_up_gaps(marked, APRIL[0], MAY[1])
    outages = detect(timeline, DetectorParams(60, 5, 10), MAY[1]).outages
    whole = IntervalSet((o.start, o.end) for o in outages).clip(APRIL[0], MAY[1]).measure
    months = april["subscriptions"][0]["downtime_s"] + may["subscriptions"][0]["downtime_s"]
    assert months == whole


@settings(deadline=None, max_examples=300)  # timing is never a pass/fail criterion
@given(run_specs, st.integers(0, SPAN))
def test_more_monitoring_after_the_month_never_changes_a_confirmed_outage(
    specs: Any, cut: int
) -> None:
    runs, tickets = _timeline(specs)
    early = evaluate(parse_evaluation(_month("2025-04", runs, tickets, _at(cut))))
    late = evaluate(parse_evaluation(_month("2025-04", runs, tickets, _at(SPAN))))
    confirmed = {
        (o.start, o.end) for o in early.subscriptions[0].outages if not (o.open or o.unconfirmed)
    }
    assert confirmed <= {(o.start, o.end) for o in late.subscriptions[0].outages}
