"""The agent core takes plain values: only the adapter module may import Django or the inventory."""

from __future__ import annotations

import ast
from pathlib import Path

import simulation.lab

LAB = Path(simulation.lab.__file__).parent
ADAPTER = "inventory_adapter.py"


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_only_the_adapter_touches_django_or_the_inventory() -> None:
    modules = sorted(LAB.glob("*.py"))
    assert len(modules) > 10
    for module in modules:
        roots = imported_roots(module)
        if module.name == ADAPTER:
            assert "inventory" in roots
        else:
            assert not roots & {"django", "inventory", "menhir"}, module.name
