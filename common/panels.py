"""Panels: what another app adds to a model's detail page without taking over its address.

A model's detail page is served by the app that owns the model (the inventory's for an
establishment, a link…), at one route. An app further along the data flow (dashboards, which
the inventory may not import) registers a `Panel` for the model in its `AppConfig.ready`:

- its `context(obj, request)` is merged into the page's context by the view (so the page's
  query-count tests count it, and a name clash with the page's own context is an error);
- its `template_name` holds `{% block %}`s named for the page's slots; at each slot the page
  renders that block of every registered panel (`{% panels "slot" %}`, common.templatetags).

Slots of every detail page: `head` (stylesheets), `status` (under the page's title) and
`scripts` (end of the body); each page names its own for its body (`link_charts`…).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

PanelContext = Callable[[Any, HttpRequest], Mapping[str, Any]]


@dataclass(frozen=True)
class Panel:
    """One app's addition to one model's detail page."""

    name: str  # unique per model: registering the same name again replaces it
    template_name: str | None = None
    context: PanelContext | None = None


_registry: dict[type[Model], dict[str, Panel]] = {}


def register(model: type[Model], panel: Panel) -> None:
    _registry.setdefault(model, {})[panel.name] = panel


def unregister(model: type[Model], name: str) -> None:
    _registry.get(model, {}).pop(name, None)


def panels_for(model: type[Model]) -> list[Panel]:
    """The model's panels in the order they were registered."""
    return list(_registry.get(model, {}).values())


class PanelsMixin:
    """For a detail view: the registered panels' context added to the page's once the page
    made its own (so a clash is seen), and their templates in `panel_templates` for the
    slots."""

    object: Any
    request: HttpRequest

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        context = {**context, **panel_context(self.object, self.request, context)}
        return super().render_to_response(context, **kwargs)  # type: ignore[misc]


def panel_context(obj: Model, request: HttpRequest, page: Mapping[str, Any]) -> dict[str, Any]:
    """What the object's panels add to its page's context `page`."""
    added: dict[str, Any] = {}
    templates = []
    for panel in panels_for(type(obj)):
        if panel.context is not None:
            extra = panel.context(obj, request)
            if clash := (page.keys() | added.keys()) & extra.keys():
                raise ImproperlyConfigured(
                    f"panel {panel.name!r} redefines {sorted(clash)} of the page's context"
                )
            added.update(extra)
        if panel.template_name:
            templates.append(panel.template_name)
    added["panel_templates"] = templates
    return added
