"""The establishment page's throughput chart in chromium (uPlot, served by Menhir): real samples
written through the metrics writer, the chart draws exactly those points, a hole is a gap with
"no data" in the read-out, the range picker changes the resolution and the URL keeps it."""

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


def write_traffic(tmp_path: Path, *links: Any, skip: range = range(0)) -> None:
    """One sample a minute for the last 90 minutes on each link's uplink, 40 Mbit/s in (none
    for the minutes ago in `skip`)."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    samples = [
        InterfaceSample(
            time=now - timedelta(minutes=m),
            device_id=link.a_interface.device_id,
            interface_id=link.a_interface.pk,
            interval_s=60.0,
            in_bps=40e6,
            out_bps=10e6,
            in_errors=0,
            out_errors=0,
            in_discards=0,
            out_discards=0,
            oper_status=OperStatus.UP,
            admin_up=True,
            speed_bps=10**9,
        )
        for link in links
        for m in range(MINUTES)
        if m not in skip
    ]
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
    chart = tab.locator("#traffic")
    tab.wait_for_selector("#traffic[data-ready='1']")
    assert chart.get_attribute("data-resolution") == "5m"  # 24 h: five-minute rollups
    five_minute = int(chart.get_attribute("data-points") or 0)
    assert 2 * 18 <= five_minute <= 2 * 20  # 90 minutes in 5-minute buckets, two series
    tab.locator(".traffic-card").get_by_role("button", name="6 h").click()
    tab.wait_for_selector("#traffic[data-resolution='raw'][data-ready='1']")
    assert int(chart.get_attribute("data-points") or 0) == 2 * MINUTES
    shoot(tab, "establishment-throughput")
    watch.assert_clean()


def test_a_hole_is_a_gap_with_no_data_and_the_range_is_in_the_url(
    live_server: Any, page: tuple[Any, Watch], reader: tuple[str, str], tmp_path: Path
) -> None:
    net = small_network()
    lycee, link = net["sites"][0], net["links"][0]
    write_traffic(tmp_path, link, skip=range(30, 60))  # nothing measured 60 to 30 minutes ago
    tab, watch = page
    log_in(tab, live_server.url, *reader, path=f"/establishments/{lycee.pk}/?range=6h")
    chart = tab.locator("#traffic")
    tab.wait_for_selector("#traffic[data-resolution='raw'][data-ready='1']")  # from the URL
    assert (
        tab.locator(".traffic-card").get_by_role("button", name="6 h").get_attribute("aria-pressed")
        == "true"
    )
    assert chart.get_attribute("data-gaps") == "1"
    assert int(chart.get_attribute("data-points") or 0) == 2 * (MINUTES - 30)
    # hover in the middle of the hole: the read-out says so instead of a neighbour's value
    over = tab.locator("#traffic .u-over").bounding_box()
    hole = tab.evaluate(
        """() => { const u = window.menhirTrafficChart.plot;
                   return u.valToPos(Date.now() / 1000 - 45 * 60, "x"); }"""
    )
    tab.mouse.move(over["x"] + hole, over["y"] + over["height"] / 2)
    values = tab.locator("#traffic .u-legend .u-value").all_inner_texts()
    assert values[1:3] == ["no data", "no data"], values
    shoot(tab, "establishment-throughput-gap")
    tab.locator(".traffic-card").get_by_role("button", name="7 d").click()
    tab.wait_for_url(lambda url: "range=7d" in url)
    tab.reload()
    tab.wait_for_selector("#traffic[data-ready='1']")
    assert (
        tab.locator(".traffic-card").get_by_role("button", name="7 d").get_attribute("aria-pressed")
        == "true"
    )
    watch.assert_clean()
