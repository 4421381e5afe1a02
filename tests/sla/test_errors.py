"""A bad evaluation file: `menhir sla evaluate` names the field and the reason, exit code 2."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from menhir.cli import app

EXAMPLE = Path(__file__).parent / "golden" / "april-one-outage.json"
Doc = dict[str, Any]


def _run(tmp_path: Path, text: str) -> Any:
    path = tmp_path / "eval.json"
    path.write_text(text)
    return CliRunner().invoke(app, ["sla", "evaluate", str(path), "--json"])


def _mutated(change: Callable[[Doc], None]) -> str:
    doc = copy.deepcopy(json.loads(EXAMPLE.read_text()))
    change(doc)
    return json.dumps(doc)


def _set(path: str, value: Any) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        *parents, last = path.split("/")
        node: Any = doc
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        node[int(last) if last.isdigit() else last] = value

    return change


def _append_run(start: str, end: str) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        doc["monitoring"].append(
            {"subscription": "A1", "start": start, "end": end, "state": "down"}
        )

    return change


def _add_maintenance(doc: Doc) -> None:
    doc["maintenance"].append(
        {
            "subscriptions": ["A1"],
            "notified_at": "2025-03-01T10:00:00+01:00",
            "planned_start": "2025-04-09T01:00:00+02:00",
            "planned_end": "2025-04-09T03:00:00+02:00",
            "curative": "no",
        }
    )


CASES: dict[str, tuple[Callable[[Doc], None], str, str]] = {
    "time_without_offset": (
        _set("tickets/0/opened_at", "2025-04-10T09:10:00"),
        "tickets[0].opened_at",
        "time without offset",
    ),
    "not_a_time": (_set("as_of", "yesterday"), "as_of", "not an ISO 8601 time"),
    "fractional_seconds": (
        _set("monitoring/0/start", "2025-04-10T09:00:00.5+02:00"),
        "monitoring[0].start",
        "fractional seconds",
    ),
    "end_before_start": (
        _set("monitoring/0/end", "2025-04-10T08:00:00+02:00"),
        "monitoring[0].end",
        "end before start",
    ),
    "restored_before_opened": (
        _set("tickets/0/restored_at", "2025-04-10T09:00:00+02:00"),
        "tickets[0].restored_at",
        "before opened_at",
    ),
    "unknown_service_class": (
        _set("subscriptions/0/service_class", "platinum"),
        "subscriptions[0].service_class",
        "unknown service class 'platinum'",
    ),
    "unknown_enumeration_value": (
        _set("tickets/0/imputability", "operator_fault"),
        "tickets[0].imputability",
        "unknown value 'operator_fault'",
    ),
    "unknown_schedule": (
        _set("service_classes/premium/availability_schedule", "24x7"),
        "service_classes.premium.availability_schedule",
        "unknown value '24x7'",
    ),
    "unknown_subscription": (
        _set("monitoring/0/subscription", "Z9"),
        "monitoring[0].subscription",
        "unknown subscription 'Z9'",
    ),
    "overlapping_monitoring_runs": (
        _append_run("2025-04-10T10:00:00+02:00", "2025-04-10T11:00:00+02:00"),
        "monitoring[2].start",
        "overlaps another monitoring run",
    ),
    "run_not_whole_slots": (
        _set("monitoring/0/end", "2025-04-10T10:30:30+02:00"),
        "monitoring[0].end",
        "whole slots",
    ),
    "run_state_up": (_set("monitoring/0/state", "up"), "monitoring[0].state", "unknown value 'up'"),
    "amount_not_a_string": (
        _set("subscriptions/0/monthly_fee_ht", 450.0),
        "subscriptions[0].monthly_fee_ht",
        "expected a decimal string",
    ),
    "negative_amount": (
        _set("contract/penalties_to_date_ht", "-1.00"),
        "contract.penalties_to_date_ht",
        "must not be negative",
    ),
    "missing_field": (
        lambda doc: doc["contract"].pop("timezone"),
        "contract.timezone",
        "missing",
    ),
    "unknown_field": (
        _set("contract/reopen_window_hour", 72),
        "contract.reopen_window_hour",
        "unknown field",
    ),
    "unknown_time_zone": (
        _set("contract/timezone", "Europe/Quimper"),
        "contract.timezone",
        "unknown time zone",
    ),
    "unsupported_holiday_calendar": (
        _set("contract/holidays", "DE"),
        "contract.holidays",
        "unknown value 'DE'",
    ),
    "business_hours_end_before_start": (
        _set("contract/business_hours/end", "07:00"),
        "contract.business_hours.end",
        "end before start",
    ),
    "tiers_not_descending": (
        _set("service_classes/premium/availability_tiers/1", ["99.95", "10"]),
        "service_classes.premium.availability_tiers[1][0]",
        "highest threshold down",
    ),
    "integer_expected": (
        _set("contract/detector/n_down", "5"),
        "contract.detector.n_down",
        "expected an integer",
    ),
    "n_down_zero": (_set("contract/detector/n_down", 0), "contract.detector.n_down", "at least 1"),
    "boolean_expected": (_add_maintenance, "maintenance[0].curative", "expected true or false"),
    "bad_month": (_set("month", "2025-4"), "month", 'expected "YYYY-MM"'),
    "duplicate_subscription": (
        lambda doc: doc["subscriptions"].append(dict(doc["subscriptions"][0])),
        "subscriptions[1].id",
        "duplicate subscription id 'A1'",
    ),
    "reopening_before_restoration": (
        _set("tickets/0/reopenings", [{"at": "2025-04-10T10:00:00+02:00", "restored_at": None}]),
        "tickets[0].reopenings[0].at",
        "follows the previous restoration",
    ),
    "list_expected": (_set("tickets", {}), "tickets", "expected a list"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_is_refused_naming_the_field_and_reason(tmp_path: Path, name: str) -> None:
    change, field, reason = CASES[name]
    result = _run(tmp_path, _mutated(change))
    assert result.exit_code == 2, result.output
    assert f"field {field}: " in result.stderr
    assert reason in result.stderr
    assert result.stdout == ""


def test_file_that_is_not_json_is_refused_with_its_position(tmp_path: Path) -> None:
    result = _run(tmp_path, '{"month": "2025-04",\n  oops}')
    assert result.exit_code == 2
    assert "not JSON" in result.stderr
    assert "line 2" in result.stderr


def test_missing_file_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["sla", "evaluate", str(tmp_path / "none.json")])
    assert result.exit_code == 2
    assert "cannot read" in result.stderr


def test_document_that_is_not_an_object_is_refused(tmp_path: Path) -> None:
    result = _run(tmp_path, "[]")
    assert result.exit_code == 2
    assert "field (document): expected an object" in result.stderr


def test_annotation_keys_starting_with_underscore_are_allowed(tmp_path: Path) -> None:
    result = _run(tmp_path, _mutated(_set("_comment", "hand-written case")))
    assert result.exit_code == 0, result.stderr
