"""`menhir probe --once --json` against the lab: the summary's fields and counts."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from menhir.cli import app
from tests.simulation.lab.conftest import RunningLab
from tests.simulation.lab.small_network import build

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("prober")]


def test_probe_once_prints_the_run_as_json(lab: RunningLab) -> None:
    build(lab.net)  # the lab's network, in this test's transaction
    lab.api("POST", "/faults", {"fault": "silent", "target": "cpe-0350001a"})
    result = CliRunner().invoke(app, ["probe", "--once", "--json", "--no-store"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert {"targets", "answered", "lost", "rtt_ms_median", "duration_s"} <= set(summary)
    assert (summary["targets"], summary["answered"], summary["lost"]) == (4, 15, 5)
    assert 0 < summary["rtt_ms_median"] < 30
    assert summary["duration_s"] > 0


def test_probe_once_sends_icmp_where_the_device_says_so(lab: RunningLab) -> None:
    """One CPE set to ICMP: probed by echo (the loopback's kernel answers), the others by
    TWAMP-Light; the summary says which ICMP socket the run had."""
    from inventory.models import Device

    build(lab.net)
    Device.objects.filter(name="cpe-0350001a").update(probe_method="icmp")
    result = CliRunner().invoke(app, ["probe", "--once", "--json", "--no-store"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["targets"] == 4
    if os.geteuid() == 0:
        assert summary["icmp_socket"] == "raw"
        assert (summary["answered"], summary["lost"]) == (20, 0)
    else:
        assert summary["icmp_socket"] in {"datagram", "refused"}
