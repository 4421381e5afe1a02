"""Panels (common.panels): one route per detail page, the inventory's, which another app
extends by registering a panel; the panel's blocks land in the page's slots."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from django.urls import resolve

from common.panels import Panel, panels_for, register, unregister
from common.roles import READ
from core.accounts import set_role
from inventory import models as m
from tests.factories import inventory as f

pytestmark = pytest.mark.django_db

PANEL_TEMPLATE = """{% block head %}<meta name="test-panel" content="head">{% endblock %}
{% block status %}{% url 'inventory:contract_list' as url %}
<p id="test-panel">{{ note }} <a href="{{ url }}">all</a></p>{% endblock %}
{% block scripts %}<script id="test-panel-script"></script>{% endblock %}
"""


@pytest.fixture
def reader() -> Client:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("panel-reader")
    set_role(user, READ)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def panel_templates(tmp_path: Path) -> Iterator[Path]:
    (tmp_path / "test_panel.html").write_text(PANEL_TEMPLATE)
    templates: list[dict[str, Any]] = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    with override_settings(TEMPLATES=templates):
        yield tmp_path


@pytest.fixture
def contract_panel() -> Iterator[None]:
    yield
    unregister(m.Contract, "test")


def test_each_detail_address_is_served_by_the_inventory_alone() -> None:
    for path, name in (
        ("/establishments/1/", "inventory:establishment"),
        ("/links/1/", "inventory:link"),
        ("/pops/1/", "inventory:pop"),
        ("/operators/1/", "inventory:operator"),
        ("/devices/1/", "inventory:device"),
        ("/contracts/1/", "inventory:contract"),
    ):
        assert resolve(path).view_name == name, path


def test_dashboards_registers_its_panels_on_the_inventory_models() -> None:
    for model in (m.Establishment, m.Link, m.Pop, m.Operator, m.Device):
        assert [p.name for p in panels_for(model)] == ["dashboards"], model
    assert panels_for(m.Contract) == []


def test_a_registered_panel_fills_the_page_slots_in_the_page_context(
    reader: Client, panel_templates: Path, contract_panel: None
) -> None:
    contract = f.small_network()["contract"]
    page = reader.get(contract.get_absolute_url()).content.decode()
    assert 'id="test-panel"' not in page  # nothing registered: the page alone

    def note(obj: Any, request: Any) -> dict[str, Any]:
        return {"note": f"{obj.reference} for {request.user.username}"}

    register(m.Contract, Panel("test", "test_panel.html", note))
    page = reader.get(contract.get_absolute_url()).content.decode()
    said = f"{contract.reference} for panel-reader"
    assert f'<p id="test-panel">{said} <a href="/contracts/">all</a></p>' in page
    head, body = page.split("</head>")
    assert 'name="test-panel"' in head
    # status: under the title, before the page's cards; scripts: after the page's own
    assert body.index("</h1>") < body.index('id="test-panel"') < body.index('class="card"')
    assert body.index("menhir/suggest.js") < body.index('id="test-panel-script"')


def test_a_panel_may_not_redefine_the_page_context(reader: Client, contract_panel: None) -> None:
    contract = f.small_network()["contract"]
    register(m.Contract, Panel("test", context=lambda obj, request: {"link_count": 0}))
    with pytest.raises(ImproperlyConfigured, match="link_count"):
        reader.get(contract.get_absolute_url())
