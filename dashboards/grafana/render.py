"""Render the dashboards to the JSON committed in dashboards/grafana/build/, byte for byte the
same on every run (sorted keys, fixed indentation, no ids or versions), so a stale file shows as
a diff and `menhir dashboards build --check` can fail on it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grafana_foundation_sdk.builders.dashboard import Dashboard
from grafana_foundation_sdk.cog.encoder import JSONEncoder

from dashboards.grafana.boards import establishment, overview, poller, pop, sla

BUILD_DIR = Path(__file__).parent / "build"
BOARDS: dict[str, Callable[[], Dashboard]] = {
    overview.UID: overview.board,
    pop.UID: pop.board,
    establishment.UID: establishment.board,
    sla.UID: sla.board,
    poller.UID: poller.board,
}


def board_json(uid: str) -> dict[str, Any]:
    """The dashboard model as Grafana stores it (plain JSON types only)."""
    model = BOARDS[uid]().build()
    data: dict[str, Any] = json.loads(json.dumps(model, cls=JSONEncoder))
    return data


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def rendered() -> dict[str, str]:
    """File name → content, for every dashboard."""
    return {f"{uid}.json": dumps(board_json(uid)) for uid in sorted(BOARDS)}


@dataclass(frozen=True)
class BuildReport:
    written: list[str]
    stale: list[str]  # differ from, or missing in, the build directory
    extra: list[str]  # JSON files in the build directory no dashboard renders


def check(build_dir: Path = BUILD_DIR) -> BuildReport:
    files = rendered()
    stale = [
        name
        for name, text in files.items()
        if not (build_dir / name).is_file()
        or (build_dir / name).read_text(encoding="utf-8") != text
    ]
    present = {p.name for p in build_dir.glob("*.json")} if build_dir.is_dir() else set()
    return BuildReport([], stale, sorted(present - set(files)))


def build(build_dir: Path = BUILD_DIR) -> BuildReport:
    """Write what is stale and remove the JSON of dashboards that no longer exist."""
    report = check(build_dir)
    build_dir.mkdir(parents=True, exist_ok=True)
    files = rendered()
    for name in report.stale:
        (build_dir / name).write_text(files[name], encoding="utf-8")
    for name in report.extra:
        (build_dir / name).unlink()
    return BuildReport(report.stale, [], report.extra)
