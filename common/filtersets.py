"""A FilterSet base that gives every field NetBox-style lookups from one declaration.

For each name in `Meta.fields`, the filters generated depend on the model field:
- text: `name`, `name__n` (not), `name__ic` (contains), `name__nic`, `name__ie` (iexact),
  `name__nie`, `name__isw` (starts with), `name__iew` (ends with), `name__empty`;
- numbers and dates: `x`, `x__n`, `x__lt`, `x__lte`, `x__gt`, `x__gte`;
- choices: `status`, `status__n`;
- foreign keys: `commune_id`, `commune_id__n`;
- booleans: `enabled`.
Repeating a parameter ORs its values (`?status=active&status=planned`). `related_filters` maps a
public name to a path across relations (`commune__department` → `commune__department__code`), and
`q` searches `search_fields`.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from typing import Any, ClassVar

import django_filters
from django import forms
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from common import scoping
from common.search import folded

TEXT_LOOKUPS = {
    "": ("exact", False),
    "n": ("exact", True),
    "ic": ("icontains", False),
    "nic": ("icontains", True),
    "ie": ("iexact", False),
    "nie": ("iexact", True),
    "isw": ("istartswith", False),
    "iew": ("iendswith", False),
}
ORDER_LOOKUPS = {
    "": ("exact", False),
    "n": ("exact", True),
    "lt": ("lt", False),
    "lte": ("lte", False),
    "gt": ("gt", False),
    "gte": ("gte", False),
}
CHOICE_LOOKUPS = {"": ("exact", False), "n": ("exact", True)}


class MultiValueField(forms.Field):
    """A form field taking several values of one base field (`?x=1&x=2`)."""

    widget = forms.SelectMultiple

    def __init__(self, base: forms.Field, *args: Any, **kwargs: Any) -> None:
        self.base = base
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> list[Any]:
        if value in (None, "", []):
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [self.base.clean(v) for v in values if v not in (None, "")]

    def validate(self, value: Any) -> None:
        return None


class MultiValueFilter(django_filters.Filter):
    """OR of the given values on one lookup; `exclude=True` negates the whole OR."""

    def __init__(self, *args: Any, base_field: forms.Field | None = None, **kwargs: Any) -> None:
        self.base_field = base_field or forms.CharField()
        super().__init__(*args, **kwargs)

    @property
    def field(self) -> forms.Field:
        if not hasattr(self, "_field"):
            self._field = MultiValueField(self.base_field, required=False, label=self.label)
        return self._field

    def filter(self, qs: QuerySet[Any], value: list[Any]) -> QuerySet[Any]:
        if not value:
            return qs
        condition = Q()
        for item in value:
            condition |= Q(**{f"{self.field_name}__{self.lookup_expr}": item})
        qs = qs.exclude(condition) if self.exclude else qs.filter(condition)
        return qs.distinct() if self.distinct else qs


class DatabaseDateTimeField(forms.DateTimeField):
    """A datetime PostgreSQL can compare with: its UTC offsets stop at ±15:59 (Python's go to
    ±23:59), so a wider one is the caller's error (400), not the database's (500)."""

    MAX_OFFSET = timedelta(hours=15, minutes=59, seconds=59)

    def to_python(self, value: Any) -> datetime | None:
        result = super().to_python(value)
        offset = result.utcoffset() if result is not None else None
        if offset is not None and abs(offset) > self.MAX_OFFSET:
            raise forms.ValidationError("UTC offsets range from -15:59 to +15:59.", code="offset")
        return result


class DatabaseDateTimeFilter(django_filters.DateTimeFilter):
    """A declared datetime filter (e.g. `?active_at=`) with the same PostgreSQL-safe field."""

    field_class = DatabaseDateTimeField


def _base_form_field(
    field: models.Field[Any, Any],
) -> tuple[forms.Field, dict[str, tuple[str, bool]]]:
    if field.choices:
        return forms.ChoiceField(choices=field.choices), CHOICE_LOOKUPS
    if isinstance(field, models.BooleanField):
        return forms.NullBooleanField(), {"": ("exact", False)}
    if isinstance(field, models.DateTimeField):
        return DatabaseDateTimeField(), ORDER_LOOKUPS
    if isinstance(field, models.DateField):
        return forms.DateField(), ORDER_LOOKUPS
    if isinstance(field, models.DecimalField):
        return forms.DecimalField(), ORDER_LOOKUPS
    if isinstance(field, models.FloatField):
        return forms.FloatField(), ORDER_LOOKUPS
    if isinstance(field, models.IntegerField | models.AutoField):
        return forms.IntegerField(), ORDER_LOOKUPS
    if isinstance(field, models.GenericIPAddressField):
        return forms.GenericIPAddressField(), TEXT_LOOKUPS
    return forms.CharField(), TEXT_LOOKUPS


def _resolve(model: type[models.Model], path: str) -> Any:
    """The model field at the end of `path` (`commune__department__code` → Department.code)."""
    return _walk(model, path)[0]


def _walk(model: type[models.Model], path: str) -> tuple[Any, bool]:
    """The field at the end of `path`, and whether the path crosses a to-many relation."""
    field: Any = None
    current: Any = model
    to_many = False
    for part in path.split("__"):
        field = current._meta.get_field(part)
        to_many = to_many or bool(field.one_to_many or field.many_to_many)
        if field.is_relation and field.related_model is not None:
            current = field.related_model
    return field, to_many


def lookups_for(model: type[models.Model], path: str) -> dict[str, MultiValueFilter]:
    """The filters for one field (`path` may cross relations): public suffix → filter."""
    field, to_many = _walk(model, path)
    if field.is_relation:
        base: forms.Field = forms.IntegerField()
        return {
            "": MultiValueFilter(field_name=f"{path}_id", base_field=base, distinct=to_many),
            "n": MultiValueFilter(
                field_name=f"{path}_id", base_field=base, exclude=True, distinct=to_many
            ),
        }
    form_field, table = _base_form_field(field)
    return {
        suffix: MultiValueFilter(
            field_name=path,
            lookup_expr=lookup,
            exclude=negate,
            base_field=form_field,
            distinct=to_many,
        )
        for suffix, (lookup, negate) in table.items()
    }


class BaseFilterSet(django_filters.FilterSet):
    """Subclasses declare `Meta.model`, `Meta.fields`, `related_filters` and `search_fields`."""

    q = django_filters.CharFilter(method="search", label=gettext_lazy("Search"))
    related_filters: ClassVar[dict[str, str]] = {}
    search_fields: ClassVar[tuple[str, ...]] = ()
    # Filters through a scoped relation (e.g. an establishment's `links__`): for an operator's
    # account they consider that operator's own related objects only (issue 13, finding 7), or
    # a filter would tell it who else serves its sites. (prefix, related model, back field)
    operator_relation: ClassVar[tuple[str, type[models.Model], str] | None] = None

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        owner = scoping.operator_id(getattr(self.request, "user", None))
        if owner is None or self.operator_relation is None:
            return super().filter_queryset(queryset)
        prefix, related, back = self.operator_relation
        through = {
            name: value
            for name, value in self.form.cleaned_data.items()
            if self.filters[name].field_name.startswith(prefix) and value not in (None, "", [])
        }
        for name in through:
            self.form.cleaned_data[name] = None  # not through every related object…
        queryset = super().filter_queryset(queryset)
        own = scoping.scope(related._default_manager.all(), self.request.user)
        for name, value in through.items():  # …through the operator's own ones
            flt = copy.copy(self.filters[name])
            flt.field_name = flt.field_name[len(prefix) :]
            own = flt.filter(own, value)
        if through:
            queryset = queryset.filter(pk__in=own.values(back))
        return queryset

    @classmethod
    def get_fields(cls) -> dict[str, list[str]]:
        return {}  # everything is generated in get_filters

    @classmethod
    def get_filters(cls) -> dict[str, django_filters.Filter]:
        filters: dict[str, django_filters.Filter] = {}
        model = cls._meta.model
        if model is None:
            return dict(cls.declared_filters)
        names: list[tuple[str, str]] = [(name, name) for name in (cls._meta.fields or [])]
        names += list(cls.related_filters.items())
        for public, path in names:
            final = _resolve(model, path)
            stem = f"{public}_id" if final.is_relation else public
            for suffix, flt in lookups_for(model, path).items():
                filters[f"{stem}__{suffix}" if suffix else stem] = flt
            if isinstance(final, models.CharField | models.TextField) and not final.choices:
                filters[f"{public}__empty"] = django_filters.BooleanFilter(
                    field_name=path, method="filter_empty"
                )
        filters.update(cls.declared_filters)
        return filters

    def filter_empty(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        empty = Q(**{name: ""}) | Q(**{f"{name}__isnull": True})
        return queryset.filter(empty) if value else queryset.exclude(empty)

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """`q`: the rows matching the whole text on an exact field (`code__iexact`…), or
        where every word is in one of the text fields (`name__icontains`…), ignoring case and
        accents (common.search)."""
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        exact = Q()
        text_fields: list[str] = []
        for path in self.search_fields:
            field, _, lookup = path.rpartition("__")
            if lookup == "icontains":
                text_fields.append(field)
            else:
                exact |= Q(**{path: value})
        aliases, condition = folded(text_fields, value) if text_fields else ({}, Q(pk__in=[]))
        found = queryset.alias(**aliases).filter(exact | condition if exact else condition)
        to_many = any(_walk(queryset.model, f)[1] for f in text_fields)
        return found.distinct() if to_many else found
