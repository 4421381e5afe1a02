"""The logical view in a real browser (Debian chromium through Playwright), on the reference
network: its stylesheet is loaded, the backbone loop's links are drawn, every PoP's name fits in
the drawing, the PoPs take their live status colours, a click (or Enter) on a PoP selects it and
shows its secondary PoPs and the tree of its sites in their colours; a phone scrolls no sideways.
Screenshots are kept in test-artifacts/."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from inventory.models import Device, Establishment, Link, Pop
from tests.dashboards.conftest import polled
from tests.factories.alerting import incident
from tests.topology.test_browser_map import ARTIFACTS, browser_page, login, phone_page

__all__ = ["browser_page", "phone_page"]
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
UP, DOWN = "rgb(46, 125, 50)", "rgb(198, 40, 40)"  # topology.css: status-up, status-down
# Each name's box in the drawing's own units, the view box, and the lines' computed style.
GEOMETRY_JS = """() => {
  const svg = document.getElementById("ring"), vb = svg.viewBox.baseVal;
  const labels = [...svg.querySelectorAll("text.ring-label")].map((t) => {
    const b = t.getBBox();
    return {name: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height};
  });
  const lines = [...svg.querySelectorAll("line.ring-link")].map((l) => {
    const s = getComputedStyle(l);
    return [s.stroke, s.strokeWidth];
  });
  return {labels, lines, box: [vb.x, vb.y, vb.width, vb.height]};
}"""
FILL_JS = """(id) =>
  getComputedStyle(document.querySelector(`circle.ring-pop[data-pop='${id}']`)).fill"""


def assert_names_fit(geometry: dict[str, Any]) -> None:
    x0, y0, width, height = geometry["box"]
    for label in geometry["labels"]:
        assert label["w"] > 0, label
        assert x0 <= label["x"], label
        assert label["x"] + label["w"] <= x0 + width, label
        assert y0 <= label["y"], label
        assert label["y"] + label["h"] <= y0 + height, label
    boxes = geometry["labels"]
    for i, a in enumerate(boxes):  # and no name is written over another
        for b in boxes[i + 1 :]:
            apart = (
                a["x"] + a["w"] <= b["x"]
                or b["x"] + b["w"] <= a["x"]
                or a["y"] + a["h"] <= b["y"]
                or b["y"] + b["h"] <= a["y"]
            )
            assert apart, (a, b)


def test_logical_view_draws_the_loop_with_live_status_and_a_pop_tree(
    browser_page: tuple[Any, list[str]], live_server: Any
) -> None:
    from simulation.seed import seed_reference_network

    page, errors = browser_page
    seed_reference_network(seed=1)
    polled(Device.objects.all())
    lannion = Pop.objects.get(name="Lannion")
    behind = Link.objects.filter(z_interface__device__pop=lannion, establishment__isnull=False)
    cut = list(Establishment.objects.filter(pk__in=behind.values("establishment_id")))
    incident(lannion, start=timezone.now() - timedelta(minutes=5), isolated=tuple(cut))
    backbone = Pop.objects.filter(kind="backbone")
    login(page, live_server)
    page.goto(f"{live_server.url}/topology/logical/")
    page.wait_for_selector("#ring[data-status-loads]")
    geometry = page.evaluate(GEOMETRY_JS)
    # The loop: at least one link per backbone PoP, drawn (the stylesheet is loaded).
    assert len(geometry["lines"]) >= backbone.count()
    assert set(map(tuple, geometry["lines"])) == {("rgb(55, 71, 79)", "4px")}
    assert sorted(label["name"] for label in geometry["labels"]) == sorted(p.name for p in backbone)
    assert_names_fit(geometry)
    assert page.evaluate(FILL_JS, lannion.pk) == DOWN
    others = backbone.exclude(pk=lannion.pk)
    assert {page.evaluate(FILL_JS, p.pk) for p in others} == {UP}
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "topology-logical.png"), full_page=True)
    # Selecting Lannion with the keyboard: its tree, its secondary PoPs inside the loop.
    page.focus(f"a.ring-node[data-pop='{lannion.pk}']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/topology/logical/?pop={lannion.pk}")
    page.wait_for_selector("#ring[data-status-loads]")
    assert page.get_attribute("#ring", "data-selected-pop") == str(lannion.pk)
    assert page.locator(f"circle.ring-pop.selected[data-pop='{lannion.pk}']").count() == 1
    secondary = list(Pop.objects.filter(parent=lannion))
    assert page.locator("circle.ring-pop.kind-secondary").count() == len(secondary)
    assert page.locator("line.ring-spoke").count() >= len(secondary)
    geometry = page.evaluate(GEOMETRY_JS)
    assert_names_fit(geometry)
    items = page.locator("#pop-tree li li")
    assert items.count() >= len(cut)
    first = cut[0]
    swatch = page.locator(f"#pop-tree .swatch[data-site='{first.pk}']")
    assert swatch.evaluate("(el) => getComputedStyle(el).backgroundColor") == DOWN
    assert page.locator(f"[data-site-status='{first.pk}']").inner_text() == "· down"
    page.screenshot(path=str(ARTIFACTS / "topology-logical-lannion.png"), full_page=True)
    # A secondary PoP is selected by a click, its parent's fan stays drawn.
    if secondary:
        page.click(f"a.ring-node[data-pop='{secondary[0].pk}']")
        page.wait_for_url(f"**/topology/logical/?pop={secondary[0].pk}")
        selected = page.locator(f"circle.ring-pop.selected[data-pop='{secondary[0].pk}']")
        assert selected.count() == 1
        assert_names_fit(page.evaluate(GEOMETRY_JS))
    assert errors == []


def test_logical_view_on_a_phone(phone_page: tuple[Any, list[str]], live_server: Any) -> None:
    from simulation.seed import seed_reference_network

    page, errors = phone_page
    seed_reference_network(seed=1)
    polled(Device.objects.all())
    brest = Pop.objects.get(name="Brest")
    login(page, live_server)
    page.goto(f"{live_server.url}/topology/logical/?pop={brest.pk}")
    page.wait_for_selector("#ring[data-status-loads]")
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1] == 390, widths
    box = page.locator("#ring").bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    assert_names_fit(page.evaluate(GEOMETRY_JS))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "topology-logical-phone.png"), full_page=True)
    assert errors == []
