"""R15 input errors: `menhir sla evaluate` names the field and the reason, exit code 2, as for
every other bad field; a `kpi_measurements.slots` that the file's own data does not give is one."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from menhir.cli import app
from tests.sla.test_errors import Doc, _run, _set

CASE = Path(__file__).parent / "golden" / "kpi-loss-missed.json"
KPIS = "service_classes/premium/kpis"
MEASURED = "subscriptions/0/kpi_measurements"


def _pop(path: str) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        *parents, last = path.split("/")
        node: Any = doc
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        del node[last]

    return change


def _late_notice(doc: Doc) -> None:
    # notified the day before instead of 14 days before: under the 10 days' notice, the window
    # does not conform, its 120 slots count again and the file's 43,020 is refused.
    doc["maintenance"][0]["notified_at"] = "2025-04-14T10:00:00+02:00"


CASES: dict[str, tuple[Callable[[Doc], None], str, str]] = {
    "slots_mismatch": (
        _set(f"{MEASURED}/slots", 43200),
        "subscriptions[0].kpi_measurements.slots",
        "43200 does not match the 43020 counted slots",
    ),
    "slots_mismatch_when_maintenance_does_not_conform": (
        _late_notice,
        "subscriptions[0].kpi_measurements.slots",
        "does not match the 43140 counted slots",
    ),
    "penalty_pct_missing": (
        _pop(f"{KPIS}/penalty_pct"),
        "service_classes.premium.kpis.penalty_pct",
        "missing",
    ),
    "min_coverage_pct_missing": (
        _pop(f"{KPIS}/min_coverage_pct"),
        "service_classes.premium.kpis.min_coverage_pct",
        "missing",
    ),
    "no_target": (
        _set(KPIS, {"penalty_pct": "5", "min_coverage_pct": "90"}),
        "service_classes.premium.kpis",
        "at least one of rtt_ms, loss_pct, jitter_ms",
    ),
    "target_not_a_string": (
        _set(f"{KPIS}/rtt_ms", 30),
        "service_classes.premium.kpis.rtt_ms",
        "expected a decimal string",
    ),
    "unknown_kpi": (
        _set(f"{KPIS}/mos", "4"),
        "service_classes.premium.kpis.mos",
        "unknown field",
    ),
    "measurements_missing": (
        _pop(MEASURED),
        "subscriptions[0].kpi_measurements",
        "missing (its class has kpis",
    ),
    "lost_over_sent": (
        _set(f"{MEASURED}/lost", 215101),
        "subscriptions[0].kpi_measurements.lost",
        "more than sent",
    ),
    "rtt_null_with_answers": (
        _set(f"{MEASURED}/rtt_ms_p95", None),
        "subscriptions[0].kpi_measurements.rtt_ms_p95",
        "null exactly when no probe was answered",
    ),
    "probed_over_slots": (
        _set(f"{MEASURED}/probed_slots", 43021),
        "subscriptions[0].kpi_measurements.probed_slots",
        "more than slots",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_kpi_input_is_refused_naming_the_field(tmp_path: Path, name: str) -> None:
    change, field, reason = CASES[name]
    doc = copy.deepcopy(json.loads(CASE.read_text()))
    change(doc)
    result = _run(tmp_path, json.dumps(doc))
    assert result.exit_code == 2, result.output
    assert f"field {field}: " in result.stderr
    assert reason in result.stderr
    assert result.stdout == ""


def test_as_of_bounds_the_counted_slots(tmp_path: Path) -> None:
    """A provisional month counts only the slots known at `as_of`: 10 April 00:00 local is 9
    days (12,960 slots) in, less the 3 + 57 slots of the runs before it: 12,900."""
    doc = copy.deepcopy(json.loads(CASE.read_text()))
    doc["as_of"] = "2025-04-10T00:00:00+02:00"
    doc["subscriptions"][0]["kpi_measurements"] = {
        "slots": 12900,
        "probed_slots": 12900,
        "sent": 64500,
        "lost": 0,
        "rtt_ms_p95": "18.250",
        "jitter_ms_mean": None,
    }
    result = _run(tmp_path, json.dumps(doc))
    assert result.exit_code == 0, result.stderr
    kpis = json.loads(result.stdout)["subscriptions"][0]["kpis"]
    assert [(k["kpi"], k["measured"], k["met"]) for k in kpis] == [
        ("rtt_ms", "18.250", True),
        ("loss_pct", "0.000", True),
    ]


def test_the_tables_show_the_kpis_and_their_lines() -> None:
    case = CASE.with_name("kpi-monthly-cap.json")
    result = CliRunner().invoke(app, ["sla", "evaluate", str(case)])
    assert result.exit_code == 0, result.output
    assert "Quality KPIs (R15)" in result.stdout
    lines = [line for line in result.stdout.splitlines() if "│ kpi " in line]
    assert len(lines) == 2
    assert "rtt_ms" in lines[0]
    assert "15.00" in lines[0]
