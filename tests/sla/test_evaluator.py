"""Evaluator behaviour that the golden outputs cannot show: notes for a human, edge periods."""

from __future__ import annotations

import copy
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

from sla.calc.evaluator import evaluate
from sla.calc.parser import parse_evaluation

EXAMPLE = json.loads((Path(__file__).parent / "golden" / "april-one-outage.json").read_text())


def _doc() -> dict[str, Any]:
    return copy.deepcopy(EXAMPLE)


def _ticket(tid: str, opened: str, restored: str) -> dict[str, Any]:
    return {
        "id": tid,
        "subscription": "A1",
        "opened_at": opened,
        "fault_start": None,
        "acknowledged_at": None,
        "restored_at": restored,
        "imputability": "operator",
        "suspensions": [],
        "reopenings": [],
    }


def test_ticket_while_monitoring_saw_up_is_a_discrepancy_never_downtime() -> None:
    doc = _doc()
    doc["tickets"].append(_ticket("T2", "2025-04-20T10:00:00+02:00", "2025-04-20T11:00:00+02:00"))
    result = evaluate(parse_evaluation(doc)).subscriptions[0]
    assert result.availability.downtime_s == 5400
    assert "ticket T2: monitoring saw the link UP for 3600 s of it" in result.notes
    assert "ticket T2: no downtime evidence for it, declared restoration used" in result.notes


def test_coverage_under_95_percent_is_flagged_but_unknown_is_presumed_available() -> None:
    doc = _doc()
    doc["monitoring"].append(
        {
            "subscription": "A1",
            "start": "2025-04-20T00:00:00+02:00",
            "end": "2025-04-22T00:00:00+02:00",
            "state": "unknown",
        }
    )
    result = evaluate(parse_evaluation(doc)).subscriptions[0]
    assert result.availability.unknown_s == 172800
    assert result.availability.exact == 1 - Fraction(5400, 2592000)
    assert any("insufficiently measured" in n for n in result.notes)


def test_third_party_outage_ending_in_a_short_up_run_at_as_of_is_unconfirmed() -> None:
    """as_of falls 3 UP slots after the third-party run (n_up 10): the input ends in a short UP
    run, so the outage ends at 10:30 (unconfirmed), not at as_of; only the run is excluded."""
    doc = _doc()
    doc["as_of"] = "2025-04-30T10:33:00+02:00"
    doc["monitoring"].append(
        {
            "subscription": "A1",
            "start": "2025-04-30T10:00:00+02:00",
            "end": "2025-04-30T10:30:00+02:00",
            "state": "down",
            "imputability": "third_party",
        }
    )
    result = evaluate(parse_evaluation(doc)).subscriptions[0]
    assert (result.open_outages, result.unconfirmed_outages) == (0, 1)
    assert result.availability.excluded_s == 1800  # 10:00 -> 10:30, the third-party run
    assert result.availability.downtime_s == 5400


def test_subscription_ended_before_the_month_is_not_applicable() -> None:
    doc = _doc()
    doc["subscriptions"][0]["service_end"] = "2025-03-01T00:00:00+01:00"
    out = evaluate(parse_evaluation(doc))
    sub = out.subscriptions[0]
    assert sub.availability.scheduled_s == 0
    assert sub.availability.exact is None
    assert sub.penalties == ()
    assert out.fleet_availability is None
    assert out.site_availability == {"S-A1": None}
