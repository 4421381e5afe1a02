"""Strictness lives in the configuration (issue 14 §6): the pure cores under mypy's strict flags
and a forbidden-imports contract, and a pre-commit configuration that runs what `make lint`
runs."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import yaml

from menhir.env import PROJECT_DIR

CORES = {"poller.snmp", "poller.counters", "topology.analysis", "sla.calc", "alerting.detector",
         "alerting.correlation"}  # fmt: skip


def _config() -> dict[str, Any]:
    return tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())


def test_the_pure_cores_are_under_mypy_strict_flags() -> None:
    (override,) = [o for o in _config()["tool"]["mypy"]["overrides"] if "sla.calc.*" in o["module"]]
    assert {m.removesuffix(".*") for m in override["module"]} == CORES
    for flag in ("disallow_untyped_defs", "disallow_any_generics", "warn_return_any",
                 "disallow_untyped_calls", "strict_equality", "no_implicit_reexport"):  # fmt: skip
        assert override[flag] is True, flag


def test_the_pure_cores_are_forbidden_the_frameworks() -> None:
    contracts = _config()["tool"]["importlinter"]["contracts"]
    (forbidden,) = [c for c in contracts if "django" in c.get("forbidden_modules", ())]
    sources = {re.sub(r"\.(ber|values|usm|v3message)$", "", s) for s in forbidden["source_modules"]}
    assert sources == CORES
    assert {"django", "rest_framework", "psycopg"} <= set(forbidden["forbidden_modules"])


def test_pre_commit_runs_what_make_lint_runs() -> None:
    hooks = yaml.safe_load((PROJECT_DIR / ".pre-commit-config.yaml").read_text())["repos"][0]
    entries = " | ".join(h["entry"] for h in hooks["hooks"])
    lint = (PROJECT_DIR / "Makefile").read_text().split("\nlint:", 1)[1].split("\n\n", 1)[0]
    for tool in re.findall(r"\$\(BIN\)/([\w-]+(?: [\w-]+)?)", lint):
        assert f".venv/bin/{tool}" in entries, tool
