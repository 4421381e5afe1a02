"""File names and download headers built from data (a contract reference, a model's name):
never by formatting the raw text into a path or a header (issue 13, finding 9)."""

from __future__ import annotations

import re

from django.utils.http import content_disposition_header

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(text: str, *, limit: int = 120) -> str:
    """`text` as one path component: ASCII letters, digits, `.`, `_` and `-` only (anything
    else becomes `_`), never empty, never starting with a dot, so `x/../../pwned` stays in its
    folder and a quote or a line break cannot leave a header's value."""
    name = _UNSAFE.sub("_", text).lstrip(".")[:limit]
    return name or "download"


def attachment(filename: str) -> str:
    """A `Content-Disposition` value that makes the browser save `filename` (sanitised)."""
    stem, dot, ext = filename.rpartition(".")
    name = f"{safe_filename(stem)}.{safe_filename(ext)}" if dot else safe_filename(filename)
    header = content_disposition_header(as_attachment=True, filename=name)
    assert header is not None
    return header
