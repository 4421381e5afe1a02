"""The committed JSON is what the builders render today, byte for byte; `build --check` fails
when it is not; the rendering is deterministic and each panel is a typed SDK panel."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from dashboards.grafana import render
from dashboards.grafana.sdk import DATASOURCE_UID
from menhir.cli import app


def test_committed_json_is_up_to_date() -> None:
    report = render.check()
    assert report.stale == [], "run `menhir dashboards build` and commit dashboards/grafana/build"
    assert report.extra == []


def test_rendering_is_deterministic() -> None:
    assert render.rendered() == render.rendered()


def test_check_exits_1_on_a_stale_file_and_build_repairs_it(tmp_path: Path) -> None:
    for part in ("build", "provisioning"):
        shutil.copytree(render.ROOT / part, tmp_path / part)
    runner = CliRunner()
    check = ["dashboards", "build", "--check", "--root", str(tmp_path)]
    ok = runner.invoke(app, check)
    assert ok.exit_code == 0, ok.output
    target = tmp_path / "build" / "menhir-overview.json"
    target.write_text(target.read_text().replace("Backbone traffic", "Old title"))
    (tmp_path / "build" / "menhir-gone.json").write_text("{}")
    (tmp_path / render.ALERTING_FILE).unlink()
    stale = runner.invoke(app, check)
    assert stale.exit_code == 1
    assert "stale: build/menhir-overview.json" in stale.output
    assert f"stale: {render.ALERTING_FILE}" in stale.output
    assert "not built by any dashboard: build/menhir-gone.json" in stale.output
    assert "Old title" in target.read_text()  # --check changes nothing
    built = runner.invoke(app, ["dashboards", "build", "--root", str(tmp_path)])
    assert built.exit_code == 0, built.output
    assert not (tmp_path / "build" / "menhir-gone.json").exists()
    assert runner.invoke(app, check).exit_code == 0


def test_a_missing_build_directory_is_stale(tmp_path: Path) -> None:
    report = render.check(tmp_path)
    assert sorted(report.stale) == sorted(render.rendered())


def test_every_panel_reads_the_menhir_datasource_by_raw_sql() -> None:
    for uid in render.BOARDS:
        model = json.loads((render.BUILD_DIR / f"{uid}.json").read_text())
        assert model["uid"] == uid
        assert "id" not in model or model["id"] is None
        positions = set()
        for panel in model["panels"]:
            assert panel["datasource"]["uid"] == DATASOURCE_UID
            assert panel["targets"], panel["title"]
            for target in panel["targets"]:
                assert target["rawQuery"] is True
                assert target["datasource"]["uid"] == DATASOURCE_UID
            grid = panel["gridPos"]
            assert grid["x"] + grid["w"] <= 24, panel["title"]  # nothing off the grid
            assert (grid["x"], grid["y"]) not in positions
            positions.add((grid["x"], grid["y"]))
