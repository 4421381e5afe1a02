"""PollService over a scope of devices (one shard of the network) against the real lab."""

from __future__ import annotations

import pytest

from inventory.models import Device
from menhir.polling import PollService
from tests.simulation.lab.conftest import RunningLab, lab, running_lab, small  # noqa: F401
from tests.simulation.lab.small_network import build

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_scoped_service_polls_only_its_devices_and_the_default_polls_all(
    lab: RunningLab,  # noqa: F811
) -> None:
    build(lab.net)
    scoped = PollService(60, detect=False, devices=Device.objects.filter(role="cpe"))
    try:
        summary = scoped.run_once()
    finally:
        scoped.close()
    assert (summary.devices, summary.devices_unreachable, summary.errors) == (4, 0, 0)
    assert summary.interfaces == 16
    everything = PollService(60, detect=False)
    try:
        assert everything.run_once().devices == len(lab.network.devices)
    finally:
        everything.close()
