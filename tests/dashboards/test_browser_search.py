"""Search in the browser (issue 16, point 8): the search box of every page, and the commune
filter that suggests as one types instead of a select of every commune."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.factories.inventory import small_network
from tests.inventory.test_browser import Watch, browser, log_in, page, reader, shoot

__all__ = ["browser", "page", "reader"]
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_search_box_and_the_commune_suggestions(
    live_server: Any, page: tuple[Any, Watch], reader: tuple[str, str]
) -> None:
    small_network()
    tab, watch = page
    base = live_server.url
    log_in(tab, base, *reader, path="/establishments/")
    assert tab.locator("select[name=commune]").count() == 0  # no thousand-option select
    field = tab.get_by_label("Commune")
    field.press_sequentially("quim", delay=30)
    options = tab.locator("datalist#commune-suggestions option")
    options.first.wait_for(state="attached")
    assert options.evaluate_all("os => os.map(o => [o.value, o.label])") == [
        ["29232", "Quimper (29)"]
    ]
    field.fill("29232")
    tab.get_by_role("button", name="Filter").click()
    tab.wait_for_url(re.compile(r".*commune=29232.*"))
    assert tab.locator("table.objects tbody tr").count() == 2
    shoot(tab, "search-01-commune-filter")

    box = tab.get_by_test_id("global-search")
    box.fill("LYCEE cornouaille")
    box.press("Enter")
    tab.wait_for_url(re.compile(r".*/search/\?q=LYCEE.*"))
    results = tab.get_by_test_id("search-group")
    assert results.count() == 1
    assert "Lycée de Cornouaille" in results.first.inner_text()
    shoot(tab, "search-02-results")
    results.first.get_by_role("link", name="Lycée de Cornouaille").click()
    tab.wait_for_url(re.compile(r".*/establishments/\d+/(\?.*)?$"))
    watch.assert_clean()
