"""The OpenAPI schema generates without warnings; Swagger UI is served offline."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_schema_validates_without_warnings() -> None:
    menhir = Path(sys.executable).parent / "menhir"
    result = subprocess.run(
        [str(menhir), "spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_swagger_ui_loads_only_local_assets(reader: Any) -> None:
    page = reader.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, html
    for asset in assets:
        assert asset.startswith("/"), f"{asset} is not served by Menhir"
        assert not asset.startswith("//")
        assert reader.get(asset).status_code == 200, asset
    schema = reader.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/inventory/establishments/{id}/changes/" in schema.content
