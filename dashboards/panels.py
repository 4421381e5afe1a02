"""What dashboards adds to the inventory's detail pages, as panels (common.panels) registered
when the app is ready: the live state under the title, and the throughput chart with its
stylesheets and scripts. The pages keep the inventory's one route each."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import Model
from django.http import HttpRequest

from common.panels import Panel, register
from dashboards import live
from inventory.models import Device, Establishment, Link, Operator, Pop

PANEL = "dashboards"


def _live(state: Callable[[Any, Any], live.LiveState]) -> Callable[..., Mapping[str, Any]]:
    """The object's live state (status, open incidents, last poll) as seen by the user."""

    def context(obj: Any, request: HttpRequest) -> Mapping[str, Any]:
        return {"live": state(obj, request.user)}

    return context


PANELS: dict[type[Model], Panel] = {
    Establishment: Panel(PANEL, "dashboards/establishment.html", _live(live.establishment_state)),
    Link: Panel(PANEL, "dashboards/link.html", _live(live.link_state)),
    Pop: Panel(PANEL, "dashboards/pop.html", _live(live.pop_state)),
    Device: Panel(PANEL, "dashboards/device.html", _live(live.device_state)),
    Operator: Panel(PANEL, "dashboards/operator.html"),
}


def register_panels() -> None:
    for model, panel in PANELS.items():
        register(model, panel)
