"""The base viewset of every model: filters, search, ordering, CSV export and bulk writes.

A model's viewset declares `queryset` (with the select_related/prefetch_related its serializer
needs, so a list costs a fixed number of queries whatever the page size), `serializer_class` and
`filterset_class`. Writes are atomic; a list body on the list route is a bulk operation:
- POST   /things/  [{...}, {...}]          create each, in order
- PUT    /things/  [{"id": 1, ...}, ...]   replace each (PATCH: change only the given fields)
- DELETE /things/  [1, 2] or [{"id": 1}]   delete each
All or nothing: one invalid item is a 400 naming it by index (create) or id, and nothing is
written. Each object is saved on its own, so the change log gets one entry per object.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext as _
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from common.api import schema
from common.api.fields import forget_prefetched
from common.api.filters import UsedFiltersBackend
from common.api.renderers import CSVRenderer, FormlessBrowsableAPIRenderer
from common.filenames import attachment
from common.scoping import scope


class BulkIdSerializer(serializers.Serializer):
    id = serializers.IntegerField(min_value=1)


class BulkValidationError(ValidationError):
    """A 400 whose body keeps its numbers (DRF would turn an item's `id` into a string)."""

    def __init__(self, detail: dict[str, Any]) -> None:
        super().__init__()
        self.detail = detail


class ListExportMixin(GenericAPIView):
    """Filters, `?q=` search, `?ordering=`, and `?format=csv` exporting the whole filtered list."""

    filter_backends = [UsedFiltersBackend, OrderingFilter]
    ordering_fields = "__all__"
    renderer_classes = [JSONRenderer, FormlessBrowsableAPIRenderer, CSVRenderer]

    def get_queryset(self) -> Any:
        """The view's queryset as the requesting user may see it (operators: their own part)."""
        queryset = super().get_queryset()
        request = getattr(self, "request", None)
        return scope(queryset, getattr(request, "user", None)) if request else queryset

    def get_serializer_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_serializer_context()
        request = getattr(self, "request", None)
        renderer = getattr(request, "accepted_renderer", None)
        context["natural_keys"] = getattr(renderer, "format", None) == "csv"
        return context

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if getattr(request.accepted_renderer, "format", None) != "csv":
            return super().list(request, *args, **kwargs)  # type: ignore[misc]
        # An export is the whole filtered list, not one page.
        view: Any = self
        queryset = view.filter_queryset(view.get_queryset())
        data = view.get_serializer(queryset, many=True).data
        name = str(queryset.model._meta.verbose_name_plural).replace(" ", "-")
        return Response(data, headers={"Content-Disposition": attachment(f"{name}.csv")})


class BaseReadOnlyModelViewSet(ListExportMixin, viewsets.ReadOnlyModelViewSet):
    """Lists and details only (the change log)."""


class BaseModelViewSet(ListExportMixin, viewsets.ModelViewSet):
    """Full CRUD plus the bulk operations."""

    schema = schema.BulkAutoSchema()

    # Single writes are atomic too (object, tags and change log together) -----------------------

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if isinstance(request.data, list):
            return self.bulk_create(request)
        with transaction.atomic():
            return super().create(request, *args, **kwargs)

    def perform_update(self, serializer: Any) -> None:
        super().perform_update(serializer)
        forget_prefetched(serializer.instance)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            return super().update(request, *args, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            return super().destroy(request, *args, **kwargs)

    # Bulk operations ------------------------------------------------------------------------

    def bulk_create(self, request: Request) -> Response:
        items = self._bulk_items(request.data)
        saved = self._apply_each(
            [(index, self.get_serializer(data=item)) for index, item in enumerate(items)],
            key="index",
        )
        return Response(self._render_many(saved), status=status.HTTP_201_CREATED)

    def bulk_update(self, request: Request, *args: Any, partial: bool = False) -> Response:
        items = self._bulk_items(request.data)
        ids = self._bulk_ids(items)
        objects = self._fetch(ids)
        pairs = []
        for item, pk in zip(items, ids, strict=True):
            data = {k: v for k, v in item.items() if k != "id"}
            pairs.append((pk, self.get_serializer(objects[pk], data=data, partial=partial)))
        saved = self._apply_each(pairs, key="id")
        return Response(self._render_many(saved))

    def bulk_partial_update(self, request: Request, *args: Any) -> Response:
        return self.bulk_update(request, partial=True)

    def bulk_destroy(self, request: Request, *args: Any) -> Response:
        items = self._bulk_items(request.data)
        ids = self._bulk_ids([{"id": i} if not isinstance(i, dict) else i for i in items])
        objects = self._fetch(ids)
        with transaction.atomic():
            for pk in ids:
                self.perform_destroy(objects[pk])
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _bulk_items(self, data: Any) -> list[Any]:
        if not isinstance(data, list) or not data:
            raise ValidationError({"detail": _("Expected a non-empty list of objects.")})
        ceiling = settings.MENHIR_API_MAX_PAGE_SIZE
        if len(data) > ceiling:
            raise ValidationError(
                {"detail": _("At most %(n)s objects per request.") % {"n": ceiling}}
            )
        return data

    def _bulk_ids(self, items: list[Any]) -> list[int]:
        checker = BulkIdSerializer(data=items, many=True)
        if not checker.is_valid():
            raise ValidationError(
                {"detail": _("Each item needs an integer `id`."), "errors": checker.errors}
            )
        ids = [int(item["id"]) for item in checker.validated_data]
        repeated = sorted({pk for pk in ids if ids.count(pk) > 1})
        if repeated:
            raise ValidationError(
                {"detail": _("Ids given more than once: %(ids)s.") % {"ids": repeated}}
            )
        return ids

    def _fetch(self, ids: list[int]) -> dict[int, models.Model]:
        objects = {obj.pk: obj for obj in self.get_queryset().filter(pk__in=ids)}
        missing = [pk for pk in ids if pk not in objects]
        if missing:
            raise ValidationError({"detail": _("No such objects: %(ids)s.") % {"ids": missing}})
        return objects

    def _apply_each(
        self, pairs: list[tuple[int, serializers.BaseSerializer[Any]]], key: str
    ) -> list[models.Model]:
        """Validate and save each in order (later items see earlier ones); all or nothing."""
        errors: list[dict[str, Any]] = []
        saved: list[models.Model] = []
        with transaction.atomic():
            for ident, serializer in pairs:
                if serializer.is_valid():
                    saved.append(serializer.save())
                else:
                    errors.append({key: ident, "errors": serializer.errors})
            if errors:
                transaction.set_rollback(True)
        if errors:
            raise BulkValidationError(
                {
                    "detail": _("%(bad)s of %(n)s objects are invalid: nothing saved.")
                    % {"bad": len(errors), "n": len(pairs)},
                    "errors": errors,
                }
            )
        return saved

    def _render_many(self, objects: list[models.Model]) -> list[Any]:
        fresh = {o.pk: o for o in self.get_queryset().filter(pk__in=[o.pk for o in objects])}
        serializer = self.get_serializer([fresh[o.pk] for o in objects], many=True)
        return serializer.data
