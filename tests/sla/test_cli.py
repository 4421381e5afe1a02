"""`menhir sla evaluate`: the JSON output of docs/sla.md, and the readable tables."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from menhir.cli import app

GOLDEN = Path(__file__).parent / "golden"


def test_json_output_is_exactly_the_worked_example() -> None:
    result = CliRunner().invoke(
        app, ["sla", "evaluate", str(GOLDEN / "april-one-outage.json"), "--json"]
    )
    assert result.exit_code == 0, result.stderr
    expected = json.loads((GOLDEN / "april-one-outage.expected.json").read_text())
    assert json.loads(result.stdout) == expected


def test_table_output_shows_figures_penalties_and_totals() -> None:
    result = CliRunner().invoke(app, ["sla", "evaluate", str(GOLDEN / "april-one-outage.json")])
    assert result.exit_code == 0, result.stderr
    for text in ("99.791", "479/480", "availability", "45.00", "Exemption applies: yes"):
        assert text in result.stdout


def test_notes_go_to_stderr_and_keep_the_json_clean() -> None:
    case = GOLDEN / "collector-gap-filled-by-ticket.json"
    result = CliRunner().invoke(app, ["sla", "evaluate", str(case), "--json"])
    assert result.exit_code == 0
    json.loads(result.stdout)
    assert "ticket T2: no downtime evidence for it, declared restoration used" in result.stderr


def test_open_outage_is_flagged_in_the_table() -> None:
    result = CliRunner().invoke(app, ["sla", "evaluate", str(GOLDEN / "open-outage-as-of.json")])
    assert "subscription P: an outage is still open" in result.stdout
