"""Discovery end to end: NAPALM mock recordings → findings → accepted into the inventory via the
API (change-logged) or dismissed; read-only users cannot decide."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from typer.testing import CliRunner

from core.accounts import create_token
from core.models import ObjectChange
from inventory import choices as c
from inventory.models import Link
from menhir.cli import app
from tests.factories.inventory import (
    InterfaceFactory,
    LinkFactory,
    OperatorFactory,
    PopRouterFactory,
)
from topology.models import DriftFinding

pytestmark = pytest.mark.django_db
RECORDINGS = Path(__file__).parent / "napalm"


def backbone() -> dict[str, Any]:
    """quimper-rtr1 documented to brest (right ports), lorient (wrong port) and lannion (absent)."""
    op = OperatorFactory.create(name="Backbone SA", slug="backbone")
    routers = {
        name: PopRouterFactory.create(name=name, platform="junos" if name == "quimper-rtr1" else "")
        for name in ("quimper-rtr1", "brest-rtr1", "lorient-rtr1", "vannes-rtr1", "lannion-rtr1")
    }
    ports: dict[tuple[str, str], Any] = {}

    def port(device: str, name: str) -> Any:
        if (device, name) not in ports:
            ports[(device, name)] = InterfaceFactory.create(
                device=routers[device], name=name, role=c.InterfaceRole.BACKBONE
            )
        return ports[(device, name)]

    for a, ap, z, zp in [
        ("quimper-rtr1", "xe-0/1/0", "brest-rtr1", "xe-0/1/0"),
        ("quimper-rtr1", "xe-0/1/1", "lorient-rtr1", "xe-0/1/1"),
        ("quimper-rtr1", "xe-0/2/0", "lannion-rtr1", "xe-0/2/0"),
    ]:
        LinkFactory.create(
            operator=op,
            role=c.LinkRole.BACKBONE,
            technology=c.LinkTechnology.BACKBONE,
            establishment=None,
            a_interface=port(a, ap),
            z_interface=port(z, zp),
            circuit_id=f"BB-{a}-{z}",
        )
    for device, name in [
        ("quimper-rtr1", "xe-0/1/2"),
        ("quimper-rtr1", "xe-0/1/3"),
        ("vannes-rtr1", "Ethernet1/1"),
    ]:
        port(device, name)
    return {"operator": op, "routers": routers}


def discover() -> None:
    result = CliRunner().invoke(app, ["topology", "discover", "--mock-dir", str(RECORDINGS)])
    assert result.exit_code == 0, result.output


@pytest.fixture
def editor() -> Client:
    _, key = create_token("engineer", "edit")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def test_discovery_run_stores_each_kind_of_finding() -> None:
    backbone()
    discover()
    kinds = sorted(DriftFinding.objects.values_list("kind", flat=True))
    assert kinds == ["missing", "undocumented", "unknown_neighbour", "wrong_port"]


def test_accepting_a_wrong_port_moves_the_link_and_is_change_logged(editor: Client) -> None:
    backbone()
    discover()
    finding = DriftFinding.objects.get(kind="wrong_port")
    response = editor.post(
        f"/api/topology/drift/{finding.pk}/accept/", content_type="application/json"
    )
    assert response.status_code == 200, response.content
    link = Link.objects.get(pk=finding.link_id or 0)
    assert link.a_interface is not None
    assert link.a_interface.name == "xe-0/1/2"
    change = ObjectChange.objects.filter(changed_object_id=link.pk, action="update").latest("time")
    assert change.user_name == "engineer"
    assert change.source == "discovery"
    again = editor.post(
        f"/api/topology/drift/{finding.pk}/accept/", content_type="application/json"
    )
    assert again.status_code == 400


def test_undocumented_needs_operator_and_circuit_then_creates_the_link(editor: Client) -> None:
    backbone()
    discover()
    finding = DriftFinding.objects.get(kind="undocumented")
    url = f"/api/topology/drift/{finding.pk}/accept/"
    assert editor.post(url, content_type="application/json").status_code == 400
    response = editor.post(
        url, {"operator": "backbone", "circuit_id": "BB-NEW-1"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert Link.objects.filter(circuit_id="BB-NEW-1", role="backbone").exists()


def test_missing_link_is_decommissioned_and_unknown_neighbour_only_dismissed(
    editor: Client,
) -> None:
    backbone()
    discover()
    missing = DriftFinding.objects.get(kind="missing")
    assert editor.post(f"/api/topology/drift/{missing.pk}/accept/").status_code == 200
    assert Link.objects.get(pk=missing.link_id or 0).status == "decommissioned"
    unknown = DriftFinding.objects.get(kind="unknown_neighbour")
    assert editor.post(f"/api/topology/drift/{unknown.pk}/accept/").status_code == 400
    assert editor.post(f"/api/topology/drift/{unknown.pk}/dismiss/").status_code == 200


def test_read_only_users_see_findings_but_cannot_decide() -> None:
    backbone()
    discover()
    _, key = create_token("staff", "read")
    reader = Client(HTTP_AUTHORIZATION=f"Token {key}")
    finding = DriftFinding.objects.get(kind="missing")
    assert reader.get("/api/topology/drift/?status=open").json()["count"] == 4
    assert reader.post(f"/api/topology/drift/{finding.pk}/accept/").status_code == 403


def test_a_device_without_recordings_is_an_error_not_an_abort(tmp_path: Path) -> None:
    backbone()
    result = CliRunner().invoke(app, ["topology", "discover", "--mock-dir", str(tmp_path)])
    assert result.exit_code == 0
    assert "quimper-rtr1: FileNotFoundError" in result.output
