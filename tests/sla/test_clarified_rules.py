"""The rules SLA's 2026-12 clarifications made explicit (docs/sla.md R5, R7, R9, R11): golden
cases whose expected values are literals worked by hand in each docstring, never regenerated.

Contract and class as in the worked example (fee 450.00 € HT; GTR 4 h, 10 % per started hour;
tiers ≥ 99.9 → 0 %, ≥ 99.5 → 10 %, ≥ 99.0 → 25 %, else 50 %; reopen window 72 h; slot 60 s,
n_down 5, n_up 10). April 2025 has 2,592,000 s; the example's own outage (10 April 09:00–10:30,
5,400 s) and its ticket T1 are removed unless a case says otherwise.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from sla.calc.output import evaluate_document

EXAMPLE = json.loads((Path(__file__).parent / "golden" / "april-one-outage.json").read_text())


def _doc(monitoring: list[dict[str, Any]], tickets: list[dict[str, Any]]) -> Any:
    doc = copy.deepcopy(EXAMPLE)
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


def _run(start: str, end: str, state: str = "down", **extra: Any) -> dict[str, Any]:
    return {
        "start": f"2025-04-{start}:00+02:00",
        "end": f"2025-04-{end}:00+02:00",
        "state": state,
        **extra,
    }


def test_r5_a_reopening_out_of_the_window_is_still_evidence_of_downtime() -> None:
    """UNKNOWN 15 April 09:00–12:00 and 19 April 09:00–12:00 (the collector was blind). Ticket
    opened 15th 10:00, restored 11:00, reopened 19th 10:00 (96 h later: out of the 72 h window),
    restored 11:00. R5: both declared intervals are downtime where monitoring is UNKNOWN:
    3,600 + 3,600 = 7,200 s. A = 2,584,800 / 2,592,000 = 359/360 = 99.722…% → 10 % → 45.00.
    R9: the reopening is a new fault, not this ticket's GTR: GTR = 10:00 → 11:00 = 3,600 s."""
    runs = [_run("15T09:00", "15T12:00", "unknown"), _run("19T09:00", "19T12:00", "unknown")]
    ticket = {
        "id": "T-R5",
        "opened_at": "2025-04-15T10:00:00+02:00",
        "restored_at": "2025-04-15T11:00:00+02:00",
        "reopenings": [
            {"at": "2025-04-19T10:00:00+02:00", "restored_at": "2025-04-19T11:00:00+02:00"}
        ],
    }
    sub = evaluate_document(_doc(runs, [ticket]))["subscriptions"][0]
    assert (sub["downtime_s"], sub["unknown_s"]) == (7_200, 14_400)
    assert sub["availability_exact"] == "359/360"
    assert sub["tickets"] == [
        {"id": "T-R5", "gtr_s": 3_600, "breach": False, "started_hours": 0, "gti_s": None}
    ]
    assert sub["penalties"] == [{"type": "availability", "amount_ht": "45.00"}]


def test_r7_an_up_gap_next_to_a_run_without_third_party_is_not_excluded() -> None:
    """One outage on 10 April: DOWN 10:00–10:10 (third party), 3 UP slots, DOWN 10:13–11:00
    (operator). Excluded: the third-party run alone, 600 s; the gap 10:10–10:13 is next to a run
    without third_party, so it stays downtime: D = 3,600 − 600 = 3,000 s, D_excl = 600 s,
    T_req = 2,591,400 → A = 2,588,400 / 2,591,400 = 4,314/4,319 = 99.884…% → 10 % → 45.00."""
    runs = [
        _run("10T10:00", "10T10:10", imputability="third_party"),
        _run("10T10:13", "10T11:00"),
    ]
    sub = evaluate_document(_doc(runs, []))["subscriptions"][0]
    assert (sub["downtime_s"], sub["excluded_s"], sub["required_s"]) == (3_000, 600, 2_591_400)
    assert sub["availability_exact"] == "4314/4319"
    assert sub["penalties"] == [{"type": "availability", "amount_ht": "45.00"}]


def test_r9_a_reopening_is_measured_against_the_last_counted_restoration() -> None:
    """Ticket opened 10 April 09:00, restored 10:00 (DOWN 09:00–10:00 backs it). Reopening A on
    13 April 11:00 (73 h after 10:00: out of the 72 h window, a new fault), restored 11:20;
    reopening B at 11:30, restored 12:30: 10 min after A's restoration, but B is measured against
    the last *counted* restoration (10 April 10:00, 73.5 h earlier): out too. GTR = 3,600 s, no
    breach. Downtime: the monitored outage alone, 3,600 s (A and B fall in UP monitoring: a
    discrepancy for a human, never downtime) → A = 719/720 = 99.861 % → 10 % → 45.00."""
    ticket = {
        "id": "T-R9",
        "opened_at": "2025-04-10T09:00:00+02:00",
        "restored_at": "2025-04-10T10:00:00+02:00",
        "reopenings": [
            {"at": "2025-04-13T11:00:00+02:00", "restored_at": "2025-04-13T11:20:00+02:00"},
            {"at": "2025-04-13T11:30:00+02:00", "restored_at": "2025-04-13T12:30:00+02:00"},
        ],
    }
    sub = evaluate_document(_doc([_run("10T09:00", "10T10:00")], [ticket]))["subscriptions"][0]
    assert sub["downtime_s"] == 3_600
    assert sub["tickets"] == [
        {"id": "T-R9", "gtr_s": 3_600, "breach": False, "started_hours": 0, "gti_s": None}
    ]
    assert sub["penalties"] == [{"type": "availability", "amount_ht": "45.00"}]


def test_r9_a_reopening_inside_the_window_adds_its_segment() -> None:
    """Same ticket, one reopening on 11 April 09:00 (23 h after the restoration: inside the
    72 h window), restored 12:30, backed by DOWN 09:00–12:30: GTR = 3,600 + 12,600 = 16,200 s
    > 14,400 s: breach, overrun 1,800 s → 1 started hour → 45.00. Downtime 3,600 + 12,600 =
    16,200 s → A = 2,575,800 / 2,592,000 = 159/160 = 99.375 % → 25 % → 112.50; total 157.50."""
    ticket = {
        "id": "T-R9B",
        "opened_at": "2025-04-10T09:00:00+02:00",
        "restored_at": "2025-04-10T10:00:00+02:00",
        "reopenings": [
            {"at": "2025-04-11T09:00:00+02:00", "restored_at": "2025-04-11T12:30:00+02:00"}
        ],
    }
    runs = [_run("10T09:00", "10T10:00"), _run("11T09:00", "11T12:30")]
    sub = evaluate_document(_doc(runs, [ticket]))["subscriptions"][0]
    assert sub["tickets"] == [
        {"id": "T-R9B", "gtr_s": 16_200, "breach": True, "started_hours": 1, "gti_s": None}
    ]
    assert sub["availability_exact"] == "159/160"
    assert sub["penalties"] == [
        {"type": "availability", "amount_ht": "112.50"},
        {"type": "gtr", "ticket": "T-R9B", "amount_ht": "45.00"},
    ]
    assert sub["total_ht"] == "157.50"


def test_r11_a_line_whose_rule_applies_is_listed_even_at_zero_cents() -> None:
    """Fee 0.04 € HT; the 10 April outage 09:00–10:30 (5,400 s) gives 99.791 % → the 10 % tier:
    0.004 € rounds half-up to 0.00, and the line is still listed (its rule applies)."""
    doc = _doc([_run("10T09:00", "10T10:30")], [])
    doc["subscriptions"][0]["monthly_fee_ht"] = "0.04"
    sub = evaluate_document(doc)["subscriptions"][0]
    assert sub["tier_rate_pct"] == "10"
    assert sub["penalties"] == [{"type": "availability", "amount_ht": "0.00"}]
    assert sub["total_ht"] == "0.00"


def test_r9_a_reopening_exactly_at_the_window_counts() -> None:
    """The window is inclusive: a reopening on 13 April 10:00, exactly 72 h after the 10 April
    10:00 restoration, restored 10:30 (no monitoring evidence: the declared time is used),
    adds its 1,800 s: GTR = 3,600 + 1,800 = 5,400 s, no breach."""
    ticket = {
        "id": "T-72H",
        "opened_at": "2025-04-10T09:00:00+02:00",
        "restored_at": "2025-04-10T10:00:00+02:00",
        "reopenings": [
            {"at": "2025-04-13T10:00:00+02:00", "restored_at": "2025-04-13T10:30:00+02:00"}
        ],
    }
    sub = evaluate_document(_doc([_run("10T09:00", "10T10:00")], [ticket]))["subscriptions"][0]
    assert sub["tickets"] == [
        {"id": "T-72H", "gtr_s": 5_400, "breach": False, "started_hours": 0, "gti_s": None}
    ]
