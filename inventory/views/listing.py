"""The inventory's list base: common.views.ObjectListView with the inventory's CSV export
(the columns the importer reads back)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import get_language

from common.csv_dialects import for_language
from common.filenames import attachment
from common.views import ObjectListView


class InventoryListView(ObjectListView):
    # The exporter's name for this model ("establishments"…); empty: no export button.
    export_name: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.export_formats = ("csv",) if cls.export_name else ()

    def export(self, queryset: QuerySet[Any], fmt: str) -> HttpResponse:
        # Imported when used: inventory.exporters belongs to the import/export module.
        from inventory.exporters import export_queryset

        dialect = for_language(get_language())
        body = export_queryset(self.export_name, queryset, fmt, dialect)
        response = HttpResponse(dialect.encode(body), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = attachment(f"{self.export_name}.{fmt}")
        return response
