"""A live home page that never lies (issue 16, point 2): the page is held open in Chromium while
the lab silences the Brest PoP and real poll cycles (SNMP against the lab, samples, detection)
open an incident, then while the PoP answers again and the incident closes. Every live element
(the counters, PoPs down, the open incidents with their links, open incidents by operator, the
saturated links, the map's colours) must show the outage, then the recovery, from the same
status answer."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from alerting.models import Incident
from core.accounts import set_role
from inventory.models import Pop, SNMPProfile
from menhir.polling import PollService
from tests.inventory.test_browser import Watch, browser, log_in, page, shoot
from tests.menhir.conftest import Cluster, cluster

__all__ = ["browser", "cluster", "page"]
pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def live(tab: Any) -> dict[str, Any]:
    """What the page shows right now, element by element."""
    return tab.evaluate(
        """() => ({
        down: document.querySelector(".status-tiles [data-status-count='down']").textContent,
        up: document.querySelector(".status-tiles [data-status-count='up']").textContent,
        popsDown: document.querySelector("[data-live='pops_down']").textContent,
        incidents: [...document.querySelectorAll("[data-live='open_incidents'] a")]
                     .map(a => a.getAttribute("href")),
        byOperator: [...document.querySelectorAll("[data-live='open_by_operator'] tr")]
                     .map(tr => tr.innerText.replace(/\\s+/g, " ").trim()),
        topLinks: document.querySelectorAll("[data-live='top_links'] tr").length,
        liveLoads: Number(document.body.dataset.liveLoads || 0),
        brest: window.menhirMap ? window.menhirMap.popStatus[BREST] : null,
      })""".replace("BREST", f"'{Pop.objects.get(slug='brest').pk}'")
    )


def in_thread(call: Any, *args: Any) -> Any:
    """Run a poll cycle on a thread of its own: Playwright's loop holds this one (asyncio.run
    refuses to nest), and the cycle's database connection is that thread's, closed after."""
    from django.db import connections

    def run() -> Any:
        try:
            return call(*args)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result(timeout=120)


def wait_for_refresh(tab: Any) -> dict[str, Any]:
    """The state after the page's next refresh (so it reflects the database as it is now)."""
    loads = live(tab)["liveLoads"]
    tab.wait_for_function(f"() => Number(document.body.dataset.liveLoads || 0) > {loads}")
    return live(tab)


def test_the_home_page_follows_an_outage_and_its_recovery(
    cluster: Cluster, live_server: Any, page: tuple[Any, Watch]
) -> None:
    settings = cluster.settings
    settings.MENHIR_DETECT_N_DOWN = 2
    settings.MENHIR_DETECT_N_UP = 2
    settings.MENHIR_STATUS_REFRESH_SECONDS = 1
    settings.MENHIR_STATUS_STALE_SECONDS = 3600  # the cycles below are stamped minutes ago
    settings.METRICS_SPOOL_DIR = cluster.tmp / "spool"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    SNMPProfile.objects.update(timeout_ms=1000, retries=0)
    user = get_user_model().objects.create_user("noc-screen", password="menhir-pw")
    set_role(user, "read")

    base = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=12)
    slots = iter(base + timedelta(minutes=k) for k in range(12))
    service = PollService(60)
    try:
        for _ in range(2):  # all well
            in_thread(service.run_once, next(slots))
        tab, watch = page
        log_in(tab, live_server.url, "noc-screen", "menhir-pw", path="/")
        tab.wait_for_selector("#map[data-ready='1'][data-status-loads]")
        before = wait_for_refresh(tab)
        assert before["down"] == "0"
        assert before["popsDown"] == "0"
        assert before["incidents"] == []
        assert before["brest"] == "up"
        shoot(tab, "live-home-1-before")

        cluster.lab.inject("silent", "pop:brest")
        for _ in range(3):  # n_down = 2: the incident opens, backdated
            in_thread(service.run_once, next(slots))
        incident = Incident.objects.get(end__isnull=True)
        assert incident.kind == "pop_down"
        during = wait_for_refresh(tab)
        assert int(during["down"]) == incident.impacted_count > 0
        assert int(during["up"]) < int(before["up"])
        assert during["popsDown"] == "1"
        assert during["incidents"] == [f"/alerting/incidents/{incident.pk}/"]
        assert any(row.endswith(" 1") for row in during["byOperator"])
        assert during["brest"] == "down"
        assert during["topLinks"] >= 1  # the saturated-links table is drawn from the payload
        shoot(tab, "live-home-2-outage")
        tab.locator("[data-live='open_incidents'] a").first.click()
        tab.wait_for_url(f"**/alerting/incidents/{incident.pk}/")
        tab.go_back()
        tab.wait_for_selector("#map[data-ready='1'][data-status-loads]")

        cluster.lab.clear()
        for _ in range(3):  # n_up = 2: recovered
            in_thread(service.run_once, next(slots))
        incident.refresh_from_db()
        assert incident.end is not None
        after = wait_for_refresh(tab)
        assert after["down"] == "0"
        assert after["popsDown"] == "0"
        assert after["incidents"] == []
        assert after["byOperator"] == ["No open incident."]
        assert after["brest"] == "up"
        assert after["up"] == before["up"]
        shoot(tab, "live-home-3-recovered")
        watch.assert_clean()
    finally:
        service.close()
