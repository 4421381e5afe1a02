"""A router whose list routes also take PUT, PATCH and DELETE: the bulk operations."""

from __future__ import annotations

import copy
from typing import Any

from rest_framework.routers import DefaultRouter

BULK_METHODS = {"put": "bulk_update", "patch": "bulk_partial_update", "delete": "bulk_destroy"}


class BulkRouter(DefaultRouter):
    """Maps the bulk methods on `/<things>/` when the viewset has them (BaseModelViewSet does)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.routes = copy.deepcopy(self.routes)  # the class attribute is shared by all routers
        self.routes[0].mapping.update(BULK_METHODS)  # type: ignore[union-attr]
