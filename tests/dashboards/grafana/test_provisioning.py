"""The files mounted into the grafana service: data source, dashboards provider, alerting."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from dashboards.grafana import render
from dashboards.grafana.alerts import CONTACT_POINT_NAME, RULES, escape_dollars, rule_body
from dashboards.grafana.sdk import DATASOURCE_TYPE, DATASOURCE_UID

PROVISIONING = render.ROOT / "provisioning"
# Grafana's own expansion of provisioning files: $NAME or ${NAME}, `$$` for a literal `$`.
ENV_REFERENCE = re.compile(r"(?<!\$)\$(?:\{(\w+)\}|([A-Za-z_]\w*))")


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def environment_references(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8").replace("$$", "")
    return {a or b for a, b in ENV_REFERENCE.findall(text)}


def test_the_datasource_is_the_one_every_panel_names() -> None:
    path = PROVISIONING / "datasources" / "menhir.yaml"
    [source] = load(path)["datasources"]
    assert source["uid"] == DATASOURCE_UID
    assert source["type"] == DATASOURCE_TYPE
    assert source["editable"] is False
    # The password is a reference to the service's environment, never a value.
    assert source["secureJsonData"]["password"] == "${MENHIR_GRAFANA_DB_PASSWORD}"
    assert environment_references(path) == {
        "MENHIR_GRAFANA_DB_HOST", "MENHIR_GRAFANA_DB_USER", "MENHIR_GRAFANA_DB_NAME",
        "MENHIR_GRAFANA_DB_SSLMODE", "MENHIR_GRAFANA_DB_PASSWORD",
    }  # fmt: skip


def test_the_dashboards_provider_reads_the_build_directory() -> None:
    [provider] = load(PROVISIONING / "dashboards" / "menhir.yaml")["providers"]
    assert provider["type"] == "file"
    assert provider["folderUid"] == "menhir"
    assert provider["options"]["path"] == "/var/lib/grafana/dashboards/menhir"
    assert provider["allowUiUpdates"] is False


def test_the_alerting_file_holds_every_rule_and_only_the_noc_address_from_the_environment() -> None:
    path = PROVISIONING / "alerting" / "menhir.yaml"
    document = load(path)
    [group] = document["groups"]
    assert [r["uid"] for r in group["rules"]] == [r.uid for r in RULES]
    assert environment_references(path) == {"MENHIR_GRAFANA_NOC_EMAIL"}
    for spec, written in zip(RULES, group["rules"], strict=True):
        expected = escape_dollars(rule_body(spec, "", CONTACT_POINT_NAME))
        assert written["data"] == expected["data"]
        assert written["notification_settings"] == {"receiver": CONTACT_POINT_NAME}
    [contact] = document["contactPoints"]
    assert contact["name"] == CONTACT_POINT_NAME


def test_escaping_doubles_every_dollar() -> None:
    assert escape_dollars({"a": ["$__timeTo()", 1, "{{ $values }}"]}) == {
        "a": ["$$__timeTo()", 1, "{{ $$values }}"]
    }
