"""The end of the input (docs/sla.md, "The end of the input", R3/R4, R9, R13): golden cases.

Every expected value is a literal worked by hand in the test's docstring; none is regenerated.
The contract is the worked example's (premium class: fee 450.00 € HT, GTR 4 h at 10 % per
started hour, tiers ≥ 99.9 → 0 %, ≥ 99.5 → 10 %, ≥ 99.0 → 25 %, else 50 %; slot 60 s, n_down 5,
n_up 10; skew tolerance 120 s).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from sla.calc.cutoff import is_provisional
from sla.calc.output import evaluate_document
from sla.calc.parser import EvaluationError, parse_evaluation

EXAMPLE = json.loads((Path(__file__).parent / "golden" / "april-one-outage.json").read_text())


def _doc(month: str, monitoring: list[dict[str, Any]], tickets: list[dict[str, Any]]) -> Any:
    doc = copy.deepcopy(EXAMPLE)
    doc["month"] = month
    doc["monitoring"] = [{"subscription": "A1", **run} for run in monitoring]
    doc["tickets"] = [
        {
            "subscription": "A1",
            "fault_start": None,
            "acknowledged_at": None,
            "imputability": "operator",
            "suspensions": [],
            "reopenings": [],
            **t,
        }
        for t in tickets
    ]
    return doc


# A DOWN run on 30 June 18:51 → 23:51 Paris (5 h); the operator restores at 23:51. Only nine UP
# slots follow before midnight (n_up is 10).
LATE_JUNE = [
    {"start": "2025-06-30T18:51:00+02:00", "end": "2025-06-30T23:51:00+02:00", "state": "down"}
]
LATE_TICKET = [
    {
        "id": "T-LATE",
        "opened_at": "2025-06-30T18:55:00+02:00",
        "restored_at": "2025-06-30T23:51:00+02:00",
    }
]


def test_june_keeps_the_ticket_restored_nine_slots_before_midnight() -> None:
    """June (30 days = 2,592,000 s). The timeline ends at the period end, inside a 9-slot UP run
    after the outage: the outage ends at 23:51, unconfirmed. Downtime 5 h = 18,000 s →
    A = 2,574,000 / 2,592,000 = 143/144 = 99.305…% → tier ≥ 99.0 → 25 % × 450 = 112.50.
    Ticket: restoration = end of the evidence interval = 23:51 (the declared time); GTR =
    18:55 → 23:51 = 4 h 56 min = 17,760 s > 14,400 s: breach, overrun 3,360 s → 1 started
    hour → 10 % × 450 × 1 = 45.00. Total 157.50 (under the monthly cap of 450.00)."""
    out = evaluate_document(_doc("2025-06", LATE_JUNE, LATE_TICKET))
    sub = out["subscriptions"][0]
    assert sub["downtime_s"] == 18_000
    assert sub["availability_exact"] == "143/144"
    assert sub["availability_pct"] == "99.305"
    assert sub["tickets"] == [
        {"id": "T-LATE", "gtr_s": 17_760, "breach": True, "started_hours": 1, "gti_s": None}
    ]
    assert sub["penalties"] == [
        {"type": "availability", "amount_ht": "112.50"},
        {"type": "gtr", "ticket": "T-LATE", "amount_ht": "45.00"},
    ]
    assert sub["total_ht"] == "157.50"
    assert (out["open_outages"], out["unconfirmed_outages"]) == (0, 1)


def test_june_with_the_day_after_confirms_the_same_outage_and_ticket() -> None:
    """The same June with its monitoring complete to 1 July 00:30 (the day after, all UP): the
    UP run reaches n_up, so the outage is confirmed, still ending at 23:51. Same downtime, same
    ticket, same lines (157.50): a final report run later gains no ticket and loses none."""
    doc = _doc("2025-06", LATE_JUNE, LATE_TICKET)
    doc["monitoring_until"] = "2025-07-01T00:30:00+02:00"
    out = evaluate_document(doc)
    sub = out["subscriptions"][0]
    assert sub["downtime_s"] == 18_000
    assert [t["id"] for t in sub["tickets"]] == ["T-LATE"]
    assert sub["total_ht"] == "157.50"
    assert (out["open_outages"], out["unconfirmed_outages"]) == (0, 0)
    assert not is_provisional(parse_evaluation(doc), 1_751_320_800)  # 1 July 00:00 Paris


def test_july_reading_june_does_not_list_the_june_ticket() -> None:
    """July's input starts on 29 June (the day before, as reports from the database do): the
    outage ends at 23:51 on 30 June, the ticket's restoration falls in June, so July lists no
    ticket, no downtime (31 days = 2,678,400 s, all available) and no line."""
    runs = [{**LATE_JUNE[0]}]
    out = evaluate_document(_doc("2025-07", runs, LATE_TICKET))
    sub = out["subscriptions"][0]
    assert sub["scheduled_s"] == 2_678_400
    assert sub["downtime_s"] == 0
    assert sub["tickets"] == []
    assert sub["penalties"] == []
    assert (out["open_outages"], out["unconfirmed_outages"]) == (0, 0)


# 10 April 2025: a DOWN run 09:58 → 13:59 (241 min); ticket opened 10:00, restored 13:59.
APRIL_RUN = [
    {"start": "2025-04-10T09:58:00+02:00", "end": "2025-04-10T13:59:00+02:00", "state": "down"}
]
APRIL_TICKET = [
    {
        "id": "T-ASOF",
        "opened_at": "2025-04-10T10:00:00+02:00",
        "restored_at": "2025-04-10T13:59:00+02:00",
    }
]


def test_as_of_six_slots_after_a_restoration_invents_no_breach() -> None:
    """as_of 14:05: six UP slots after the run (< n_up). The outage ends at 13:59, unconfirmed
    (not at as_of). GTR = 10:00 → 13:59 = 3 h 59 min = 14,340 s ≤ 14,400 s: no breach, no GTR
    line. Downtime 241 min = 14,460 s → A = 2,577,540 / 2,592,000 = 42,959/43,200 = 99.442…%
    → tier ≥ 99.0 → 25 % × 450 = 112.50."""
    doc = _doc("2025-04", APRIL_RUN, APRIL_TICKET)
    doc["as_of"] = "2025-04-10T14:05:00+02:00"
    out = evaluate_document(doc)
    sub = out["subscriptions"][0]
    assert sub["downtime_s"] == 14_460
    assert sub["availability_exact"] == "42959/43200"
    assert sub["tickets"] == [
        {"id": "T-ASOF", "gtr_s": 14_340, "breach": False, "started_hours": 0, "gti_s": None}
    ]
    assert sub["penalties"] == [{"type": "availability", "amount_ht": "112.50"}]
    assert (out["open_outages"], out["unconfirmed_outages"]) == (0, 1)


def test_as_of_inside_a_down_run_cuts_the_monitoring_and_the_ticket() -> None:
    """as_of 12:00 falls inside the DOWN run (which the file lists to 13:59): the run is cut at
    12:00 and the outage is open, running to as_of: 09:58 → 12:00 = 122 min = 7,320 s (not to
    13:59). The ticket's restoration (13:59) is after as_of, not yet known: no ticket result.
    A = 2,584,680 / 2,592,000 = 21,539/21,600 = 99.717…% → tier ≥ 99.5 → 10 % → 45.00."""
    doc = _doc("2025-04", APRIL_RUN, APRIL_TICKET)
    doc["as_of"] = "2025-04-10T12:00:00+02:00"
    out = evaluate_document(doc)
    sub = out["subscriptions"][0]
    assert sub["downtime_s"] == 7_320
    assert sub["availability_exact"] == "21539/21600"
    assert sub["tickets"] == []
    assert sub["penalties"] == [{"type": "availability", "amount_ht": "45.00"}]
    assert (out["open_outages"], out["unconfirmed_outages"]) == (1, 0)


def test_monitoring_until_before_the_period_end_counts_the_rest_as_up() -> None:
    """monitoring_until 20 April 00:00 Paris, before a DOWN run listed on 25 April: the run is
    beyond the end of the input and ignored; the rest of the month counts UP. Downtime 0,
    availability 100 %, and the report is provisional (R13)."""
    runs = [
        {"start": "2025-04-25T10:00:00+02:00", "end": "2025-04-25T12:00:00+02:00", "state": "down"}
    ]
    doc = _doc("2025-04", runs, [])
    doc["monitoring_until"] = "2025-04-20T00:00:00+02:00"
    out = evaluate_document(doc)
    assert out["subscriptions"][0]["downtime_s"] == 0
    assert out["subscriptions"][0]["availability_pct"] == "100.000"
    assert is_provisional(parse_evaluation(doc), 1_746_050_400)  # 1 May 00:00 Paris


def test_provisional_until_the_monitoring_reaches_n_up_plus_n_down_slots_past_the_end() -> None:
    """R13: final once every timeline reaches (n_up + n_down) × slot = 15 min past the period
    end (1 May 00:00 Paris = 1,746,050,400): 00:14 is provisional, 00:15 final."""
    doc = _doc("2025-04", [], [])
    doc["monitoring_until"] = "2025-05-01T00:14:00+02:00"
    assert is_provisional(parse_evaluation(doc), 1_746_050_400)
    doc["monitoring_until"] = "2025-05-01T00:15:00+02:00"
    assert not is_provisional(parse_evaluation(doc), 1_746_050_400)


def test_monitoring_until_without_an_offset_is_an_error_naming_the_field() -> None:
    doc = _doc("2025-04", [], [])
    doc["monitoring_until"] = "2025-05-01T00:15:00"
    with pytest.raises(EvaluationError, match="monitoring_until"):
        parse_evaluation(doc)


def test_acknowledgement_and_reopening_after_as_of_are_not_yet_known() -> None:
    """as_of 12:00 on 10 April. Ticket opened 09:00, restored 10:00 (a 1-hour DOWN run 09:00 →
    10:00 backs it), acknowledged at 12:30 and reopened at 13:00: both after as_of, so GTI is
    null and the GTR is the first segment alone: 09:00 → 10:00 = 3,600 s."""
    runs = [
        {"start": "2025-04-10T09:00:00+02:00", "end": "2025-04-10T10:00:00+02:00", "state": "down"}
    ]
    ticket = {
        "id": "T-LATER",
        "opened_at": "2025-04-10T09:00:00+02:00",
        "restored_at": "2025-04-10T10:00:00+02:00",
        "acknowledged_at": "2025-04-10T12:30:00+02:00",
        "reopenings": [
            {"at": "2025-04-10T13:00:00+02:00", "restored_at": "2025-04-10T14:00:00+02:00"}
        ],
    }
    doc = _doc("2025-04", runs, [ticket])
    doc["as_of"] = "2025-04-10T12:00:00+02:00"
    sub = evaluate_document(doc)["subscriptions"][0]
    assert sub["tickets"] == [
        {"id": "T-LATER", "gtr_s": 3_600, "breach": False, "started_hours": 0, "gti_s": None}
    ]
