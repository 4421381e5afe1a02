"""The quality card (RTT, loss, jitter) in chromium: real probe slots written through the metrics
writer and rolled up, drawn by quality.js on the link and establishment pages at a desktop's and
a phone's size, with its range picker, the empty state of a link never probed, no horizontal
overflow and no console error."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from metrics.maintenance import conninfo_for
from metrics.rollups import run_rollups
from metrics.types import LinkProbe
from metrics.writer import MetricsWriter
from tests.factories.inventory import small_network
from tests.inventory.test_browser import Watch, browser, log_in, reader, shoot

__all__ = ["browser", "reader"]  # fixtures shared with the inventory browser tests
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MINUTES = 90
OVERFLOW = "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


def write_probes(tmp_path: Path, link: Any) -> None:
    """A slot a minute for the last 90 minutes: 5 probes, one lost every fourth slot."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    slots = [
        LinkProbe(
            now - timedelta(minutes=m),
            link.pk,
            link.a_interface.device_id,
            "twamp",
            5,
            1 if m % 4 == 0 else 0,
            2.0,
            3.0 + m % 7,
            9.0 + m % 5,
            0.5 + m % 3 / 4,
        )
        for m in range(MINUTES)
    ]
    with MetricsWriter(conninfo_for(connection.settings_dict), tmp_path / "spool") as writer:
        assert writer.write(probes=slots).inserted == MINUTES
    connection.ensure_connection()
    run_rollups(connection.connection)
    connection.connection.commit()


@pytest.fixture(params=[(1440, 900), (390, 844)], ids=["desktop", "phone"])
def screen(request: Any, browser: Any) -> Iterator[tuple[Any, Watch, int]]:
    width, height = request.param
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="en-GB",
        is_mobile=width < 500,
        has_touch=width < 500,
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab, Watch(tab), width
    context.close()


def test_link_page_draws_rtt_loss_and_jitter(
    live_server: Any, screen: tuple[Any, Watch, int], reader: tuple[str, str], tmp_path: Path
) -> None:
    net = small_network()
    link = net["links"][0]
    write_probes(tmp_path, link)
    tab, watch, width = screen
    log_in(tab, live_server.url, *reader, path=f"/links/{link.pk}/")
    card = tab.locator(".quality-card")
    tab.wait_for_selector(".quality-card[data-ready='1']")
    assert card.get_attribute("data-resolution") == "5m"  # 24 h: the probes' 5-minute rollups
    assert 18 <= int(card.get_attribute("data-points") or 0) <= 19
    assert card.locator("canvas").count() == 3  # RTT, loss, jitter
    assert card.locator(".quality-empty").is_hidden()
    assert link.circuit_id in card.locator(".quality-link").inner_text()
    card.get_by_role("button", name="6 h").click()
    tab.wait_for_selector(".quality-card[data-resolution='raw'][data-ready='1']")
    assert card.get_attribute("data-points") == str(MINUTES)
    assert card.get_by_role("button", name="6 h").get_attribute("aria-pressed") == "true"
    # the read-out at the latest slot: its median, lowest and highest RTT, then its loss
    legend = tab.evaluate(
        """() => { const [rtt, loss] = window.menhirQualityCharts[0].plots;
                   const last = rtt.data[0].length - 1;
                   return [rtt.data[1][last], rtt.data[2][last], rtt.data[3][last],
                           loss.data[1][last]]; }"""
    )
    assert legend == [3.0, 2.0, 9.0, 20.0]  # minute 0: 1 of 5 lost
    card.scroll_into_view_if_needed()
    assert tab.evaluate(OVERFLOW) <= width
    shoot(tab, f"link-quality-{width}")
    watch.assert_clean()


def test_a_site_never_probed_shows_the_empty_state(
    live_server: Any, screen: tuple[Any, Watch, int], reader: tuple[str, str]
) -> None:
    net = small_network()
    site = net["sites"][1]
    tab, watch, width = screen
    log_in(tab, live_server.url, *reader, path=f"/establishments/{site.pk}/")
    tab.wait_for_selector(".quality-card[data-ready='1']")
    card = tab.locator(".quality-card")
    assert card.get_attribute("data-points") == "0"
    assert card.locator(".quality-empty").is_visible()
    assert card.locator(".quality-chart").first.is_hidden()
    assert tab.evaluate(OVERFLOW) <= width
    tab.wait_for_selector("#traffic[data-ready='1']")  # the throughput card is still there
    shoot(tab, f"establishment-quality-empty-{width}")
    watch.assert_clean()


def test_home_lists_the_link_of_worst_quality(
    live_server: Any, screen: tuple[Any, Watch, int], reader: tuple[str, str], tmp_path: Path
) -> None:
    net = small_network()
    link = net["links"][0]
    write_probes(tmp_path, link)
    tab, watch, width = screen
    log_in(tab, live_server.url, *reader, path="/")
    # drawn again by home-live.js from the first live status
    tab.wait_for_function("() => Number(document.body.dataset.liveLoads || 0) > 0")
    rows = tab.locator("#worst-quality-table tbody tr")
    assert rows.count() == 1
    cells = rows.first.locator("td").all_inner_texts()
    # the last hour: about 60 slots, one in four losing 1 of 5 probes
    assert cells[0] == link.circuit_id
    assert 4.5 <= float(cells[1].removesuffix(" %")) <= 5.5  # the figures follow the link
    assert rows.first.get_by_role("link", name=link.circuit_id).get_attribute("href") == (
        link.get_absolute_url()
    )
    assert tab.evaluate(OVERFLOW) <= width
    watch.assert_clean()


def test_the_card_reads_in_french(
    live_server: Any, screen: tuple[Any, Watch, int], reader: tuple[str, str], tmp_path: Path
) -> None:
    from core.models import UserPreference

    net = small_network()
    link = net["links"][0]
    write_probes(tmp_path, link)
    UserPreference.objects.create(
        user=get_user_model().objects.get(username=reader[0]), language="fr"
    )
    tab, watch, _ = screen
    log_in(tab, live_server.url, *reader, path=f"/links/{link.pk}/")
    tab.wait_for_selector(".quality-card[data-ready='1']")
    card = tab.locator(".quality-card")
    assert "Qualité (mesure active)" in card.locator("h2").inner_text()
    assert card.locator("h3").all_inner_texts() == [
        "Latence aller-retour (ms)",
        "Perte (%)",
        "Gigue (ms)",
    ]
    legend = card.locator(".u-legend .u-label").all_inner_texts()
    assert {"latence médiane", "minimum", "maximum", "perte", "gigue"} <= set(legend)
    watch.assert_clean()
