"""The import's options as people give them (an operator by slug or name, a time-zone name, a
user name), resolved once for the CLI, the API and the upload page."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from alerting.importers import KINDS
from inventory.importers.result import ImportResult


class ImportOptionError(ValueError):
    """An option that names nothing: the file is not read."""


def resolve_operator(name: str) -> Any:
    from django.db.models import Q

    from inventory.models import Operator

    found = Operator.objects.filter(Q(slug=name) | Q(name__iexact=name)).first()
    if found is None:
        raise ImportOptionError(f"unknown operator {name!r}")
    return found


def resolve_timezone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ImportOptionError(f"unknown time zone {name!r} (e.g. Europe/Paris)") from None


def run_import(
    kind: str,
    data: bytes,
    operator: str,
    timezone: str | None = None,
    *,
    user: Any = None,
    username: str | None = None,
) -> ImportResult:
    if kind not in KINDS:
        raise ImportOptionError(f"unknown kind {kind!r}: expected {' or '.join(KINDS)}")
    if username is not None:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise ImportOptionError(f"unknown user {username!r}")
    return KINDS[kind](data, resolve_operator(operator), user=user, tz=resolve_timezone(timezone))
