"""Every page of the navigation read in French in Chromium (issue 17): no text on screen (text
nodes, and the labels a screen reader or a tooltip shows) is the English of a catalogue entry
whose French differs, the page says it is French, and dates are written the French way."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import polib
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from common.roles import ADMIN
from core.accounts import set_role
from core.models import UserPreference
from menhir.catalogues import catalogue_files
from tests.factories.alerting import MaintenanceWindowFactory, TicketFactory, incident
from tests.factories.inventory import small_network
from tests.inventory.test_browser import Watch, browser, log_in, page, shoot

__all__ = ["browser", "page"]
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXTS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => ["SCRIPT", "STYLE"].includes(n.parentElement.tagName)
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
  while (walker.nextNode()) out.push(walker.currentNode.nodeValue);
  for (const e of document.querySelectorAll("[title], [placeholder], [aria-label]"))
    for (const a of ["title", "placeholder", "aria-label"])
      if (e.getAttribute(a)) out.push(e.getAttribute(a));
  return out.map((t) => t.replace(/\\s+/g, " ").trim()).filter((t) => t.length > 1);
}"""


def english_with_a_french_translation() -> dict[str, str]:
    english: dict[str, str] = {}
    for path in catalogue_files():
        for entry in polib.pofile(str(path)):
            if not entry.msgid_plural and entry.msgstr and entry.msgstr != entry.msgid:
                english[entry.msgid] = entry.msgstr
    # A French word that is also an English entry of another meaning is French here.
    return {k: v for k, v in english.items() if k not in set(english.values())}


@pytest.fixture
def french_admin(settings: Any) -> tuple[str, str]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = get_user_model().objects.create_user(username="gwenaelle", password="menhir-pw")
    set_role(user, ADMIN)
    UserPreference.objects.create(user=user, language="fr")
    return "gwenaelle", "menhir-pw"


def test_every_page_of_the_navigation_is_in_french(
    live_server: Any, page: tuple[Any, Watch], french_admin: tuple[str, str]
) -> None:
    net = small_network()
    start = timezone.now() - dt.timedelta(hours=2)
    outage = incident(
        net["pops"][0], start=start, isolated=net["sites"][:2], operator=net["operator"]
    )
    ticket = TicketFactory.create(link=net["links"][0], operator=net["operator"])
    MaintenanceWindowFactory.create(operator=net["operator"])
    english = english_with_a_french_translation()
    tab, watch = page
    base = live_server.url
    # The login page follows the browser (English here); the account's choice takes over.
    log_in(tab, base, *french_admin, path="/")
    menu = tab.locator("#main-menu a").evaluate_all("links => links.map(a => a.pathname)")
    paths = [p for p in menu if not p.startswith(("/admin/", "/api/"))]
    paths += [
        f"/establishments/{net['sites'][0].pk}/", f"/links/{net['links'][0].pk}/",
        f"/pops/{net['pops'][0].pk}/", f"/devices/{net['links'][0].a_interface.device_id}/",
        f"/operators/{net['operator'].pk}/", outage.get_absolute_url(),
        ticket.get_absolute_url(), "/account/", "/search/?q=quimper", "/topology/logical/",
    ]  # fmt: skip
    assert len(paths) >= 20
    found: dict[str, list[str]] = {}
    for path in paths:
        tab.goto(base + path)
        tab.wait_for_load_state("networkidle")
        assert tab.locator("html").get_attribute("lang") == "fr", path
        texts = tab.evaluate(TEXTS)
        left = sorted({t for t in texts if t in english})
        if left:
            found[path] = left
    shoot(tab, "i18n-fr-ticket")
    assert found == {}, f"English left on French pages: {found}"
    tab.goto(base + outage.get_absolute_url())
    since = tab.locator("dl.facts").inner_text()
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", since), since
    shoot(tab, "i18n-fr-incident")
    watch.assert_clean()
