"""Strictness lives in the configuration (issue 14 §6): the pure cores under mypy's strict flags
and a forbidden-imports contract, and a pre-commit configuration that runs what `make lint`
runs."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import grimp
import yaml

from menhir.env import PROJECT_DIR

CORES = {
    "poller.snmp",
    "poller.counters",
    "topology.analysis",
    "sla.calc",
    "alerting.detector",
    "alerting.correlation",
}


def _config() -> dict[str, Any]:
    return tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())


def test_the_pure_cores_are_under_mypy_strict_flags() -> None:
    (override,) = [o for o in _config()["tool"]["mypy"]["overrides"] if "sla.calc.*" in o["module"]]
    assert {m.removesuffix(".*") for m in override["module"]} == CORES
    for flag in (
        "disallow_untyped_defs",
        "disallow_any_generics",
        "warn_return_any",
        "disallow_untyped_calls",
        "strict_equality",
        "no_implicit_reexport",
    ):
        assert override[flag] is True, flag


def test_the_pure_cores_are_forbidden_the_frameworks() -> None:
    contracts = _config()["tool"]["importlinter"]["contracts"]
    (forbidden,) = [c for c in contracts if "django" in c.get("forbidden_modules", ())]
    sources = {re.sub(r"\.(ber|values|usm|v3message)$", "", s) for s in forbidden["source_modules"]}
    assert sources == CORES
    assert {"django", "rest_framework", "psycopg"} <= set(forbidden["forbidden_modules"])


def test_no_domain_package_may_import_the_simulation() -> None:
    """Issue 14 §3: the simulated world depends on the domain, never the other way round."""
    config = _config()["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c.get("forbidden_modules") == ["simulation"]]
    assert contract["type"] == "forbidden"
    domain = set(config["root_packages"]) - {"menhir", "simulation"}
    assert set(contract["source_modules"]) == domain


def test_only_the_cli_and_the_demo_import_the_simulation_from_menhir() -> None:
    graph = grimp.build_graph("menhir", "simulation")
    modules = {"simulation"} | graph.find_descendants("simulation")
    importers = {
        importer
        for module in modules
        for importer in graph.find_modules_that_directly_import(module)
        if importer.startswith("menhir")
    }
    assert importers, "the CLI imports the lab, the seed and the generated history"
    assert {i for i in importers if not i.startswith("menhir.cli.") and i != "menhir.demo"} == set()


def test_pre_commit_runs_what_make_lint_runs() -> None:
    hooks = yaml.safe_load((PROJECT_DIR / ".pre-commit-config.yaml").read_text())["repos"][0]
    entries = " | ".join(h["entry"] for h in hooks["hooks"])
    lint = (PROJECT_DIR / "Makefile").read_text().split("\nlint:", 1)[1].split("\n\n", 1)[0]
    for tool in re.findall(r"\$\(BIN\)/([\w-]+(?: [\w-]+)?)", lint):
        assert f".venv/bin/{tool}" in entries, tool
