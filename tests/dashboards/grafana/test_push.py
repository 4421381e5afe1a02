"""`menhir dashboards push` against a Grafana stand-in on a real socket that checks every request
as Grafana's HTTP API documents it: folder, dashboards, contact point, alert rules; idempotent."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from dashboards.grafana.alerts import CONTACT_POINT_NAME, CONTACT_POINT_UID, RULES
from dashboards.grafana.push import Contact, PushError, connect, folder_uid_for, push
from dashboards.grafana.render import BOARDS, BUILD_DIR
from menhir.cli import app
from tests.dashboards.grafana.grafana_double import GrafanaDouble

TOKEN = "glsa_menhirTestToken_0123456789abcdef"
PROVISIONING = "/api/v1/provisioning/"


def test_first_push_creates_everything_with_the_documented_requests() -> None:
    with GrafanaDouble(TOKEN) as grafana:
        report = push(
            connect(grafana.url, TOKEN), folder="Menhir NOC", contact=Contact("email", "noc@x.bzh")
        )
    state = grafana.state
    assert state.unexpected == []
    assert report.folder_uid == "menhir-noc"
    assert report.folder_created
    assert report.contact_point == "created"
    assert report.rules_created == [r.uid for r in RULES]
    calls = [(r.method, r.path) for r in state.requests]
    assert calls[:2] == [("GET", "/api/folders"), ("POST", "/api/folders")]
    assert state.requests[1].body == {"uid": "menhir-noc", "title": "Menhir NOC"}
    for request in state.requests:
        assert request.headers["authorization"] == f"Bearer {TOKEN}"
        if request.method in ("POST", "PUT"):
            assert request.headers["content-type"].split(";")[0] == "application/json"
        if request.path.startswith(PROVISIONING) and request.method in ("POST", "PUT"):
            assert request.headers["x-disable-provenance"] == "true"
    saves = [r for r in state.requests if r.path == "/api/dashboards/db"]
    assert [r.method for r in saves] == ["POST"] * len(BOARDS)
    for save in saves:
        assert save.body["overwrite"] is True
        assert save.body["folderUid"] == "menhir-noc"
        uid = save.body["dashboard"]["uid"]
        assert save.body["dashboard"] == json.loads((BUILD_DIR / f"{uid}.json").read_text())
    assert set(state.dashboards) == set(BOARDS)
    assert [c["uid"] for c in state.contact_points.values()] == [CONTACT_POINT_UID]
    assert state.contact_points[CONTACT_POINT_UID]["settings"]["addresses"] == "noc@x.bzh"
    assert set(state.rules) == {r.uid for r in RULES}
    for rule in state.rules.values():
        assert rule["provenance"] == ""  # editable in Grafana's UI
        assert rule["folderUID"] == "menhir-noc"
        assert rule["notification_settings"] == {"receiver": CONTACT_POINT_NAME}


def test_a_second_push_updates_in_place_and_duplicates_nothing() -> None:
    with GrafanaDouble(TOKEN) as grafana:
        api = connect(grafana.url, TOKEN)
        push(api, contact=Contact("webhook", "https://pager.example/hook"))
        first_ids = {uid: d["id"] for uid, d in grafana.state.dashboards.items()}
        grafana.state.requests.clear()
        report = push(api, contact=Contact("webhook", "https://pager.example/hook2"))
    state = grafana.state
    assert state.unexpected == []
    assert not report.folder_created
    assert ("POST", "/api/folders") not in [(r.method, r.path) for r in state.requests]
    assert len(state.folders) == 1
    assert {uid: d["id"] for uid, d in state.dashboards.items()} == first_ids
    assert {d["version"] for d in state.dashboards.values()} == {2}
    assert report.rules_updated == [r.uid for r in RULES]
    assert report.rules_created == []
    rule_calls = {(r.method, r.path) for r in state.requests if "alert-rules" in r.path}
    assert ("POST", PROVISIONING + "alert-rules") not in rule_calls
    assert len(state.rules) == len(RULES)
    assert report.contact_point == "updated"
    assert len(state.contact_points) == 1
    assert state.contact_points[CONTACT_POINT_UID]["settings"]["url"].endswith("hook2")


def test_without_a_contact_point_rules_follow_the_notification_policies() -> None:
    with GrafanaDouble(TOKEN) as grafana:
        report = push(connect(grafana.url, TOKEN))
    assert report.contact_point == ""
    assert grafana.state.contact_points == {}
    assert all("notification_settings" not in r for r in grafana.state.rules.values())


def test_no_alerts_pushes_only_dashboards() -> None:
    with GrafanaDouble(TOKEN) as grafana:
        push(connect(grafana.url, TOKEN), alerts=False)
    assert not [r for r in grafana.state.requests if r.path.startswith(PROVISIONING)]
    assert set(grafana.state.dashboards) == set(BOARDS)


def test_a_wrong_token_is_a_clear_error_that_never_shows_the_token() -> None:
    with GrafanaDouble(TOKEN) as grafana:
        with pytest.raises(PushError, match="401"):
            push(connect(grafana.url, "wrong-token"))
        result = CliRunner().invoke(
            app, ["dashboards", "push", "--url", grafana.url, "--token", "wrong-token"]
        )
    assert result.exit_code == 2
    assert "401" in result.output
    assert "wrong-token" not in result.output
    assert grafana.state.dashboards == {}


def test_a_failing_grafana_is_reported() -> None:
    with GrafanaDouble(TOKEN) as grafana:
        grafana.state.fail_with = 503
        with pytest.raises(PushError, match="503"):
            push(connect(grafana.url, TOKEN))


def test_the_command_pushes_and_reports() -> None:
    with GrafanaDouble(TOKEN) as grafana:
        args = ["dashboards", "push", "--url", grafana.url, "--token", TOKEN, "--folder", "NOC"]
        result = CliRunner().invoke(app, [*args, "--contact-email", "noc@x.bzh"])
        again = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "folder noc (created)" in result.output
    assert f"alert rules: {len(RULES)} created, 0 updated" in result.output
    assert TOKEN not in result.output
    assert "folder noc (exists)" in again.output
    assert f"alert rules: 0 created, {len(RULES)} updated" in again.output
    assert grafana.state.unexpected == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--url", "grafana:3000", "--token", TOKEN], "must start with http"),
        (["--url", "http://127.0.0.1:1", "--token", ""], "token is required"),
        (
            [
                "--url",
                "http://x",
                "--token",
                TOKEN,
                "--contact-email",
                "a@b",
                "--contact-webhook",
                "https://h",
            ],
            "not both",
        ),
        (["--url", "http://x", "--token", TOKEN, "--contact-webhook", "ftp://h"], "http(s) URL"),
        (["--url", "http://x", "--token", TOKEN, "--folder", "!!!"], "no usable uid"),
    ],
)
def test_bad_input_is_refused_before_anything_is_sent(args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["dashboards", "push", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_folder_uids_are_stable_and_valid() -> None:
    assert folder_uid_for("Menhir") == "menhir"
    assert folder_uid_for("Réseau — NOC") == "r-seau-noc"
    assert len(folder_uid_for("x" * 80)) == 40
