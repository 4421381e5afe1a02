"""The establishment page's throughput chart in chromium: real samples written through the metrics
writer, the chart draws exactly those points, and the range picker changes the resolution."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from metrics.maintenance import conninfo_for
from metrics.rollups import run_rollups
from metrics.types import DeviceSample, InterfaceSample, OperStatus
from metrics.writer import MetricsWriter
from tests.factories.inventory import small_network
from tests.inventory.test_browser import Watch, browser, log_in, page, reader, shoot

__all__ = ["browser", "page", "reader"]  # fixtures shared with the inventory browser tests
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MINUTES = 90


def write_traffic(tmp_path: Path, *links: Any) -> None:
    """One sample a minute for the last 90 minutes on each link's uplink, 40 Mbit/s in."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    samples = [
        InterfaceSample(
            time=now - timedelta(minutes=m), device_id=link.a_interface.device_id,
            interface_id=link.a_interface.pk, interval_s=60.0, in_bps=40e6, out_bps=10e6,
            in_errors=0, out_errors=0, in_discards=0, out_discards=0, oper_status=OperStatus.UP,
            admin_up=True, speed_bps=10**9,
        )
        for link in links
        for m in range(MINUTES)
    ]  # fmt: skip
    device_ids = sorted({link.a_interface.device_id for link in links})
    devices = [DeviceSample(now, pk, True, 1000.0, 1.0, None) for pk in device_ids]
    with MetricsWriter(conninfo_for(connection.settings_dict), tmp_path / "spool") as writer:
        assert writer.write(samples, devices).inserted == len(samples) + len(devices)
    connection.ensure_connection()
    run_rollups(connection.connection)
    connection.connection.commit()


def test_chart_draws_the_samples_and_the_range_picker_changes_resolution(
    live_server: Any, page: tuple[Any, Watch], reader: tuple[str, str], tmp_path: Path
) -> None:
    net = small_network()
    lycee, link = net["sites"][0], net["links"][0]
    write_traffic(tmp_path, link)
    tab, watch = page
    log_in(tab, live_server.url, *reader, path=f"/establishments/{lycee.pk}/")
    chart = tab.locator("canvas#traffic")
    tab.wait_for_selector("canvas#traffic[data-ready='1']")
    assert chart.get_attribute("data-resolution") == "5m"  # 24 h: five-minute rollups
    five_minute = int(chart.get_attribute("data-points") or 0)
    assert 2 * 18 <= five_minute <= 2 * 20  # 90 minutes in 5-minute buckets, two series
    tab.get_by_role("button", name="6 h").click()
    tab.wait_for_selector("canvas#traffic[data-resolution='raw'][data-ready='1']")
    assert int(chart.get_attribute("data-points") or 0) == 2 * MINUTES
    shoot(tab, "establishment-throughput")
    watch.assert_clean()
