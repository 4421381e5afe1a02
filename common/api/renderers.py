"""Renderers: CSV export of any list (`?format=csv`) and a browsable API without forms.

The CSV header is the serializer's field names (without `url`); relations are written as their
natural key (the view asks the serializer for `natural_keys`), lists are joined with commas and
structured values are written as JSON. Secrets never reach a renderer: serializers keep them
write-only.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from rest_framework import renderers

from common.cells import neutralise
from common.csv_dialects import MACHINE, CsvDialect

EXCLUDED_COLUMNS = ("url",)


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b""
        if isinstance(data, Mapping) and "results" in data:
            data = data["results"]
        rows = [data] if isinstance(data, Mapping) else list(data)
        header = _header(rows, renderer_context)
        # The API answers machines (MACHINE); a web page's download passes its reader's dialect.
        dialect: CsvDialect = (renderer_context or {}).get("csv_dialect", MACHINE)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n", delimiter=dialect.delimiter)
        writer.writerow(header)
        for row in rows:
            writer.writerow([_cell(row.get(name), dialect) for name in header])
        return dialect.encode(out.getvalue())


def _header(rows: list[Mapping[str, Any]], context: Mapping[str, Any] | None) -> list[str]:
    names: list[str] = []
    view: Any = (context or {}).get("view")
    response = (context or {}).get("response")
    ok = response is None or response.status_code < 400
    if ok and getattr(view, "action", None) in ("list", "retrieve"):
        try:
            names = [
                name for name, field in view.get_serializer().fields.items() if not field.write_only
            ]
        except Exception:  # not a model view (an error body, a custom action)
            names = []
    if not names:
        for row in rows:
            names.extend(k for k in row if k not in names)
    return [n for n in names if n not in EXCLUDED_COLUMNS]


def _cell(value: Any, dialect: CsvDialect = MACHINE) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal | float):
        return dialect.number(value)
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return ",".join(_cell(v, dialect) for v in value)
    if isinstance(value, dict | list):
        return neutralise(json.dumps(value, sort_keys=True, ensure_ascii=False))
    return neutralise(str(value))


class FormlessBrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """The browsable API without its HTML forms, which would list whole tables as choices."""

    def show_form_for_method(self, *args: Any, **kwargs: Any) -> bool:
        return False

    def get_filter_form(self, data: Any, view: Any, request: Any) -> None:
        return None
