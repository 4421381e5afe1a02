"""Times as the evaluation file writes them: UTC, ISO 8601 with a `Z`."""

from __future__ import annotations

from datetime import UTC, datetime


def iso(moment: datetime) -> str:
    """Whole seconds: the engine counts seconds and refuses fractions; a time entered with
    microseconds (the API accepts them) is floored, every time alike."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def iso_or_none(moment: datetime | None) -> str | None:
    return None if moment is None else iso(moment)
