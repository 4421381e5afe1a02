"""p95 load time of the home page and of an establishment page with 30 days of data, with the
full reference network in the database (issue 7's figures).

A throwaway database holds the reference network (2,026 establishments), 30 days of one-minute
samples on one establishment's uplink (written through the metrics writer, then rolled up by
the rollup job: 5 min, 1 h, 1 day), the last hour of samples on every access link and every
device (so the status is live and the top-N has the whole network to rank), and open incidents
(a PoP down with every site behind it, a few access links down).

- server time: Django's test client, the whole Django stack and PostgreSQL, no HTTP server;
- browser time: gunicorn (`menhir web`, 2 workers) on 127.0.0.1:27510, chromium through
  Playwright: navigation start → every live element of the home page drawn (the map coloured
  and the panels filled from the status payload), and → the establishment's chart drawn (the
  pages record `performance.now()` at that moment).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench.figures import Figure, median_and_p95
from menhir.env import PROJECT_DIR

DAYS = 30
SERVER_REQUESTS = 30
BROWSER_LOADS = 12
PORT = 27510
USER, PASSWORD = "bench-pages", "bench-pages-pw-1"


def _establishment_with_one_link() -> Any:
    from inventory.models import Link

    link = (
        Link.objects.filter(role="primary", a_interface__isnull=False, establishment__isnull=False)
        .exclude(establishment__links__role="backup")
        .order_by("-committed_down_bps", "pk")
        .select_related("a_interface", "establishment")
        .first()
    )
    assert link is not None, "the reference network has primary links"
    assert link.establishment is not None
    return link.establishment, link


def _samples(iface: Any, start: datetime, minutes: int) -> list[Any]:
    import math

    from metrics.types import InterfaceSample, OperStatus

    out = []
    for m in range(minutes):
        t = start + timedelta(minutes=m)
        daily = 0.5 + 0.45 * math.sin(2 * math.pi * (t.hour * 60 + t.minute) / 1440)
        out.append(
            InterfaceSample(
                time=t,
                device_id=iface.device_id,
                interface_id=iface.pk,
                interval_s=60.0,
                in_bps=3e8 * daily,
                out_bps=6e7 * daily,
                in_errors=0,
                out_errors=0,
                in_discards=0,
                out_discards=0,
                oper_status=OperStatus.UP,
                admin_up=True,
                speed_bps=10**9,
            )
        )
    return out


def _load_data(spool: Path) -> tuple[int, int]:
    """Samples, rollups and incidents; returns (establishment id, raw samples written)."""
    from django.db import connection

    from inventory.models import Device, Link
    from metrics.maintenance import conninfo_for
    from metrics.rollups import run_rollups
    from metrics.types import DeviceSample
    from metrics.writer import MetricsWriter

    site, link = _establishment_with_one_link()
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    written = 0
    with MetricsWriter(conninfo_for(connection.settings_dict), spool) as writer:
        start = now - timedelta(days=DAYS)
        for day in range(DAYS):  # one day per batch
            written += writer.write(
                _samples(link.a_interface, start + timedelta(days=day), 1440), []
            ).inserted
        hour_ago = now - timedelta(minutes=60)
        access = Link.objects.filter(a_interface__isnull=False).exclude(role="backbone")
        for other in access.exclude(pk=link.pk).select_related("a_interface"):
            written += writer.write(_samples(other.a_interface, hour_ago, 60), []).inserted
        devices = [
            DeviceSample(now - timedelta(minutes=1), pk, True, 1000.0, 1.0, None)
            for pk in Device.objects.values_list("pk", flat=True)
        ]
        written += writer.write([], devices).inserted
    connection.ensure_connection()
    run_rollups(connection.connection)
    connection.connection.commit()
    _incidents(now)
    return site.pk, written


def _incidents(now: datetime) -> None:
    from alerting.models import Incident, IncidentImpact
    from inventory.models import Link, Pop

    pop = Pop.objects.filter(kind="secondary").order_by("pk").first() or Pop.objects.first()
    assert pop is not None
    sites = set(
        Link.objects.filter(z_interface__device__pop=pop).values_list("establishment_id", flat=True)
    )
    down = Incident.objects.create(
        kind="pop_down",
        severity="major",
        element_key=f"pop:{pop.pk}",
        root_kind="pop",
        root_id=pop.pk,
        root_name=pop.name,
        start=now - timedelta(minutes=20),
        detected_at=now,
        impacted_count=len(sites),
    )
    IncidentImpact.objects.bulk_create(
        IncidentImpact(
            incident=down, establishment_id=s, state="isolated", imputability="third_party"
        )
        for s in sites
        if s is not None
    )
    primaries = Link.objects.filter(role="primary", establishment__isnull=False)
    for link in primaries.exclude(establishment_id__in=sites)[:20]:
        assert link.establishment_id is not None
        incident = Incident.objects.create(
            kind="access_down",
            severity="minor",
            element_key=f"establishment:{link.establishment_id}",
            root_kind="link",
            root_id=link.pk,
            root_name=link.circuit_id,
            operator_id=link.operator_id,
            start=now - timedelta(hours=3),
            detected_at=now,
            impacted_count=1,
        )
        IncidentImpact.objects.create(
            incident=incident, establishment_id=link.establishment_id, state="isolated"
        )


def _server_times(site_id: int) -> dict[str, list[float]]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from core.accounts import set_role

    user = get_user_model().objects.create_user(USER, password=PASSWORD)
    set_role(user, "read")
    client = Client()
    client.force_login(user)
    from django.db.models import Count

    from inventory.models import Operator

    busiest = Operator.objects.annotate(n=Count("links")).order_by("-n").first()
    assert busiest is not None
    series = f"/dashboards/establishments/{site_id}/series/"
    paths = {
        "home page": "/",
        "establishment page": f"/establishments/{site_id}/",
        "establishment series 24h (5 min)": series + "?range=24h",
        "establishment series 30d (1 h)": series + "?range=30d",
        "status JSON (2,026 sites)": "/dashboards/status/",
        f"operator series 24h (busiest operator, {busiest.n} links)": (
            f"/dashboards/operators/{busiest.pk}/series/?range=24h"
        ),
        "topology map data (the maps' input, topology's API; cached)": "/api/topology/map/",
    }
    times: dict[str, list[float]] = {}
    for name, path in paths.items():
        assert client.get(path).status_code == 200  # warm up
        samples = []
        for _ in range(SERVER_REQUESTS):
            start = time.perf_counter()
            response = client.get(path)
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        times[name] = samples
    times.update(_map_revalidation(client))
    return times


def _map_revalidation(client: Any) -> dict[str, list[float]]:
    """The maps' input as a browser gets it: built (cache emptied), revalidated (304)."""
    from topology import mapdata

    path = "/api/topology/map/"
    built, revalidated = [], []
    for _ in range(SERVER_REQUESTS):
        mapdata._cache.clear()
        start = time.perf_counter()
        first = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
        built.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
        revalidated.append((time.perf_counter() - start) * 1000)
        assert again.status_code == 304, again.status_code
    raw = len(client.get(path).content)
    sent = len(client.get(path, HTTP_ACCEPT_ENCODING="gzip").content)
    return {
        f"topology map data built afresh ({raw // 1024} KiB, {sent // 1024} KiB gzipped)": built,
        "topology map data revalidated (304 Not Modified)": revalidated,
    }


def _database_url(name: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + name))


def _start_gunicorn(db_name: str, data_dir: Path) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        DATABASE_URL=_database_url(db_name),
        MENHIR_DATA_DIR=str(data_dir),
        MENHIR_ACCESS_LOG=str(data_dir / "access.log"),
    )
    with open(data_dir / "web.log", "wb") as log:  # the child keeps its own descriptor
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "menhir"), "web", "--port", str(PORT)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
            cwd=PROJECT_DIR,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/health", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError(f"gunicorn did not answer on port {PORT}: see {data_dir / 'web.log'}")


def _browser_times(site_id: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{PORT}"
    home, chart = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        tab = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        tab.goto(base + "/login/")
        tab.get_by_label("User name").fill(USER)
        tab.get_by_label("Password").fill(PASSWORD)
        tab.get_by_role("button", name="Log in").click()
        tab.wait_for_url(base + "/")
        for n in range(BROWSER_LOADS + 1):
            tab.goto(base + "/")
            tab.wait_for_selector("#map[data-coloured-at]", timeout=60_000)
            tab.wait_for_selector("body[data-live-drawn-at]", timeout=60_000)
            if n:  # the first load warms the caches; every live element: the map and the panels
                map_at = float(tab.locator("#map").get_attribute("data-coloured-at") or 0)
                panels_at = float(tab.locator("body").get_attribute("data-live-drawn-at") or 0)
                home.append(max(map_at, panels_at))
            tab.goto(f"{base}/establishments/{site_id}/")
            tab.wait_for_selector("#traffic[data-ready='1']", timeout=60_000)
            points = int(tab.locator("#traffic").get_attribute("data-points") or 0)
            assert points >= 2 * 280, points  # 24 h of 5-minute buckets, two series
            if n:
                chart.append(float(tab.locator("#traffic").get_attribute("data-drawn-at") or 0))
        browser.close()
    return {"home page, every live element drawn": home, "establishment page, chart drawn": chart}


def run() -> list[Figure]:
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop shares this thread
    from bench.db import reference_database

    figures: list[Figure] = []
    with reference_database() as name, tempfile.TemporaryDirectory() as tmp:
        from django.db import connections

        from inventory.models import Establishment

        sites = Establishment.objects.count()
        site_id, written = _load_data(Path(tmp) / "spool")
        server = _server_times(site_id)
        connections.close_all()
        web = _start_gunicorn(name, Path(tmp))
        try:
            browser = _browser_times(site_id)
        finally:
            web.terminate()
            web.wait(timeout=30)
        connections.close_all()
    label = f"({sites} sites, {written:,} samples, 30 days on the site)"
    for what, samples in server.items():
        median, p95 = median_and_p95(samples)
        figures.append(Figure(f"pages server {what} {label} p95", p95, "ms", median, "median"))
    for what, samples in browser.items():
        median, p95 = median_and_p95(samples)
        figures.append(Figure(f"pages chromium {what} (gunicorn) p95", p95, "ms", median, "median"))
    return figures
