"""The global search: establishments (name, code, commune), communes, PoPs, devices, links (by
circuit id) and incidents (by number), ignoring case and accents (common.search), ranked, and
narrowed to what the user may see (an operator: its own links, sites, devices and incidents).

Ranking within a group: an exact code, name or number first, then names starting with the
query, then by trigram similarity of the folded name to the query, then alphabetically.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Case, F, IntegerField, Model, QuerySet, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alerting.models import Incident
from common.roles import is_operator
from common.scoping import is_scoped, scope
from common.search import Fold, matching, words
from common.tables import Label
from inventory import models as m

LIMIT = 10  # rows shown per group; the group links to its full list


@dataclass
class Group:
    """One kind of result: its rows (at most LIMIT), their total, and the full list's URL."""

    title: Label
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # (url, label, detail)
    total: int = 0
    more_url: str = ""


@dataclass(frozen=True)
class Target:
    title: Label
    model: type[Model]
    paths: tuple[str, ...]  # the folded text fields every word is looked for in
    exact: str  # the field an exact (case-insensitive) match ranks first
    ranked_by: str  # the name the similarity is measured on
    row: Callable[[Any], tuple[str, str, str]]
    list_name: str = ""  # the list page that shows them all (`?q=`)
    related: tuple[str, ...] = ()


TARGETS = (
    Target(
        _("Establishments"),
        m.Establishment,
        ("name", "code", "commune__name"),
        "code",
        "name",
        lambda e: (
            e.get_absolute_url(),
            f"{e.name}",
            f"{e.code} · {e.get_category_display()} · {e.commune.name}",
        ),
        "inventory:establishment_list",
        ("commune",),
    ),
    Target(
        _("Communes"),
        m.Commune,
        ("name", "insee"),
        "insee",
        "name",
        lambda c: (
            reverse("inventory:establishment_list") + f"?commune={c.insee}",
            c.name,
            f"INSEE {c.insee} · {c.department.name}",
        ),
        related=("department",),
    ),
    Target(
        _("PoPs"),
        m.Pop,
        ("name", "slug", "commune__name"),
        "slug",
        "name",
        lambda p: (p.get_absolute_url(), p.name, f"{p.get_kind_display()} · {p.commune.name}"),
        "inventory:pop_list",
        ("commune",),
    ),
    Target(
        _("Devices"),
        m.Device,
        ("name",),
        "name",
        "name",
        lambda d: (
            d.get_absolute_url(),
            d.name,
            f"{d.get_role_display()} · {d.management_address or 'no address'}",
        ),
        "inventory:device_list",
    ),
    Target(
        _("Links"),
        m.Link,
        ("circuit_id",),
        "circuit_id",
        "circuit_id",
        lambda lk: (
            lk.get_absolute_url(),
            lk.circuit_id,
            f"{lk.operator.name} · {lk.get_technology_display()}"
            + (f" · {lk.establishment.name}" if lk.establishment else ""),
        ),
        "inventory:link_list",
        ("operator", "establishment"),
    ),
)


def _ranked(queryset: QuerySet[Any], target: Target, text: str) -> QuerySet[Any]:
    first = words(text)[0]
    exact = {f"{target.exact}__iexact": text.strip()}
    return queryset.annotate(
        _exact=Case(When(**exact, then=Value(0)), default=Value(1), output_field=IntegerField()),
        _prefix=Case(
            When(**{"_name__startswith": Fold(Value(first))}, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        _similarity=TrigramSimilarity("_name", Fold(Value(text))),  # type: ignore[arg-type]
    ).order_by("_exact", "_prefix", "-_similarity", target.ranked_by)


def _group(target: Target, text: str, user: Any) -> Group:
    found = matching(scope(target.model._default_manager.all(), user), target.paths, text)
    found = found.alias(_name=Fold(F(target.ranked_by)))
    group = Group(target.title, total=found.count())
    if group.total:
        rows = _ranked(found.select_related(*target.related), target, text)[:LIMIT]
        group.rows = [target.row(obj) for obj in rows]
    if target.list_name and group.total > LIMIT:
        group.more_url = reverse(target.list_name) + "?" + urlencode({"q": text})
    return group


def _incidents(text: str, user: Any) -> Group:
    """`123` or `#123`: that incident, if the user may see it."""
    group = Group(_("Incidents"))
    number = text.strip().lstrip("#")
    if number.isdigit():
        found = scope(Incident.objects.filter(pk=int(number)), user)
        group.rows = [
            (
                i.get_absolute_url(),
                f"#{i.pk} {i.get_kind_display()}: {i.root_name}",
                f"{i.get_severity_display()} · since {i.start:%Y-%m-%d %H:%M}"
                + (" · closed" if i.end else " · open"),
            )
            for i in found
        ]
        group.total = len(group.rows)
    return group


def search(text: str, user: Any) -> list[Group]:
    """Every group with a result, in the order of TARGETS, incidents last."""
    if not words(text):
        return []
    groups = [_group(t, text, user) for t in TARGETS if _visible(t.model, user)]
    groups.append(_incidents(text, user))
    return [g for g in groups if g.total]


def _visible(model: type[Model], user: Any) -> bool:
    return not is_operator(user) or is_scoped(model)
