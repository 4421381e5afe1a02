"""Golden SLA cases: evaluation files with hand-computed expected outputs (arithmetic in each
input's `_arithmetic`). Regenerate the outputs only on purpose: UPDATE_GOLDEN=1."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sla.calc.output import evaluate_document

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p for p in GOLDEN.glob("*.json") if not p.name.endswith(".expected.json"))


def test_golden_folder_holds_the_cases_the_rules_need() -> None:
    assert len(CASES) >= 20
    assert (GOLDEN / "april-one-outage.json").exists()  # the shared worked example, verbatim


@pytest.mark.parametrize("case", CASES, ids=[p.stem for p in CASES])
def test_evaluation_matches_golden_output(case: Path) -> None:
    output = evaluate_document(json.loads(case.read_text()))
    expected_path = case.with_name(f"{case.stem}.expected.json")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        expected_path.write_text(json.dumps(output, indent=1, ensure_ascii=False) + "\n")
    assert output == json.loads(expected_path.read_text())
