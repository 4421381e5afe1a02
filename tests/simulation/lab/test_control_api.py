"""The control API refuses bad input with a clear 4xx and changes nothing."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from simulation.lab.control import ControlError, call
from tests.simulation.lab.conftest import RunningLab

# the network is read from the database once per module; one lab per module, on one worker
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("lab-control")]


def raw(lab: RunningLab, method: str, path: str, body: bytes) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(lab.url + path, data=body, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_bad_json_is_a_400(lab: RunningLab) -> None:
    status, body = raw(lab, "POST", "/faults", b'{"fault": "silent", ')
    assert status == 400
    assert "invalid JSON" in body["error"]
    status, body = raw(lab, "POST", "/faults", b'["silent"]')
    assert status == 400
    assert "object" in body["error"]
    assert lab.api("GET", "/faults")["faults"] == {}


def test_unknown_fault_is_a_422_naming_the_known_ones(lab: RunningLab) -> None:
    status, body = raw(lab, "POST", "/faults", b'{"fault": "explode", "target": "cpe-0350001a"}')
    assert status == 422
    assert "explode" in body["error"]
    assert "iface-down" in body["error"]


def test_unknown_target_is_a_404(lab: RunningLab) -> None:
    for target in ("no-such-device", "pop:Atlantis"):
        with pytest.raises(ControlError, match="404"):
            call(lab.url, "POST", "/faults", {"fault": "silent", "target": target})
    with pytest.raises(ControlError, match="404"):
        call(lab.url, "DELETE", "/faults", {"target": "nowhere"})
    assert lab.api("GET", "/faults")["faults"] == {}


def test_missing_fields_bad_delay_wrong_path_and_method(lab: RunningLab) -> None:
    assert raw(lab, "POST", "/faults", b'{"fault": "silent"}')[0] == 400
    body = b'{"fault": "slow", "target": "cpe-0350001a", "delay_s": -1}'
    assert raw(lab, "POST", "/faults", body)[0] == 400
    assert raw(lab, "GET", "/nothing", b"")[0] == 404
    assert raw(lab, "PUT", "/faults", b"{}")[0] == 405
    assert lab.api("GET", "/faults")["faults"] == {}


def test_status_reports_the_agents_and_readiness(lab: RunningLab) -> None:
    status = lab.api("GET", "/status")
    assert status == {"agents": len(lab.network.devices), "ready": True, "workers": 2}


def test_client_reports_a_lab_that_is_not_running() -> None:
    with pytest.raises(ControlError, match="no lab answers"):
        call("http://127.0.0.1:9", "GET", "/faults")
