"""Limit/offset pagination with a ceiling, so `?limit=100000` cannot exhaust the server."""

from __future__ import annotations

from django.conf import settings
from rest_framework import pagination


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    def get_limit(self, request: object) -> int | None:
        self.max_limit = settings.MENHIR_API_MAX_PAGE_SIZE
        return super().get_limit(request)  # type: ignore[arg-type]
