"""Request bodies: JSON nested at most `common.jsondepth.MAX_DEPTH` levels, no larger than
DATA_UPLOAD_MAX_MEMORY_SIZE (413 in JSON, not Django's HTML 400), with no NUL character
anywhere, which no field means and PostgreSQL cannot store (a unique field's check would
otherwise reach the database with it and fail)."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from common.jsondepth import TooDeep, check_depth


def nul_at(value: Any, path: str = "") -> str | None:
    """Where the first NUL character is (`devices[2]`, `name`, a key), or None."""
    if isinstance(value, str):
        return (path or "the body") if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                return f"a key in {path or 'the body'}"
            found = nul_at(item, where)
            if found:
                return found
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = nul_at(item, f"{path}[{i}]")
            if found:
                return found
    return None


class StrictJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        body = stream.read() if stream is not None else b""  # too large: 413 (exceptions.py)
        try:
            check_depth(body)
        except TooDeep as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from None
        data = super().parse(io.BytesIO(body), media_type, parser_context)
        where = nul_at(data)
        if where:
            raise ParseError(
                _("JSON parse error - a NUL character (\\u0000) in %(where)s") % {"where": where}
            )
        return data


def _form_nul_at(data: Any) -> str | None:
    """Where the first NUL character is in a form's fields (a QueryDict), or None."""
    for key, values in data.lists():
        if "\x00" in key:
            return "a field name"
        if any(isinstance(v, str) and "\x00" in v for v in values):
            return key
    return None


class _NoNulInForms:
    """The JSON parser's rule on NUL characters, for URL-encoded and multipart forms."""

    kind = "Form"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        parsed = super().parse(stream, media_type, parser_context)  # type: ignore[misc]
        where = _form_nul_at(getattr(parsed, "data", parsed))  # multipart: DataAndFiles
        if where:
            raise ParseError(
                _("%(kind)s parse error - a NUL character in %(where)s")
                % {"kind": self.kind, "where": where}
            )
        return parsed


class StrictFormParser(_NoNulInForms, FormParser):
    pass


class StrictMultiPartParser(_NoNulInForms, MultiPartParser):
    kind = "Multipart form"
