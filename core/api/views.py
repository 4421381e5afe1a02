"""Viewsets of the core API, and the per-object history every change-logged model's API has."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.views import BaseModelViewSet, BaseReadOnlyModelViewSet
from common.roles import ADMIN, has_role
from common.scoping import scope
from core.api import filtersets, schema, serializers  # noqa: F401  (schema: auth extension)
from core.models import AuditEvent, ObjectChange, Tag, Token


class ObjectHistoryMixin:
    """`GET /<things>/{id}/changes/`: the change-log entries of one object, newest first."""

    @extend_schema(responses=serializers.ObjectChangeSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], url_path="changes", filter_backends=[])
    def changes(self, request: Request, pk: str | None = None) -> Response:
        """The change-log entries of this object, newest first (paginated)."""
        view: Any = self
        obj = view.get_object()
        entries = ObjectChange.objects.filter(
            changed_object_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
            changed_object_id=obj.pk,
        ).select_related("user", "changed_object_type")
        # The change log is staff business: an operator gets an empty history of its objects.
        entries = scope(entries, request.user)
        page = view.paginate_queryset(entries)
        context = view.get_serializer_context()
        data = serializers.ObjectChangeSerializer(page, many=True, context=context).data
        return view.get_paginated_response(data)


class ChangeLoggedModelViewSet(ObjectHistoryMixin, BaseModelViewSet):
    """The base of every change-logged model's API (inventory and later apps)."""


class TagViewSet(BaseModelViewSet):
    queryset = Tag.objects.all()
    serializer_class = serializers.TagSerializer
    filterset_fields = ("name", "slug")


class UserViewSet(BaseModelViewSet):
    """Users and their role: administrators only."""

    read_role = ADMIN
    write_role = ADMIN
    queryset = get_user_model().objects.prefetch_related("groups").order_by("username")
    serializer_class = serializers.UserSerializer
    filterset_class = filtersets.UserFilterSet


class TokenViewSet(BaseModelViewSet):
    """Administrators manage every token; other users list their own. Keys are shown once."""

    write_role = ADMIN
    queryset = Token.objects.select_related("user")
    serializer_class = serializers.TokenSerializer
    filterset_class = filtersets.TokenFilterSet

    def get_queryset(self) -> QuerySet[Token]:
        queryset = super().get_queryset()
        if has_role(self.request.user, ADMIN):
            return queryset
        return queryset.filter(user=self.request.user)

    @extend_schema(responses={201: serializers.IssuedTokenSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if isinstance(request.data, list):
            raise ValidationError(
                {"detail": _("Create tokens one at a time: each key is shown once.")}
            )
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token = serializer.save()
        out = serializers.IssuedTokenSerializer(token, context=self.get_serializer_context())
        return Response(out.data, status=status.HTTP_201_CREATED)


class ObjectChangeViewSet(BaseReadOnlyModelViewSet):
    """The change log, read-only: who changed what and when."""

    queryset = ObjectChange.objects.select_related("user", "changed_object_type")
    serializer_class = serializers.ObjectChangeSerializer
    filterset_class = filtersets.ObjectChangeFilterSet


class AuditEventViewSet(BaseReadOnlyModelViewSet):
    """The audit log of sign-ins (logins, failures, lockouts, logouts, bad tokens): admins only."""

    read_role = ADMIN
    queryset = AuditEvent.objects.select_related("user")
    serializer_class = serializers.AuditEventSerializer
    filterset_class = filtersets.AuditEventFilterSet
