"""Who is changing things right now: the context attached to every change-log entry.

The web middleware sets it per request; commands (seed, import) set it around their work.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ChangeContext:
    user: Any = None
    source: str = "web"
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)
    # When False the signal handlers write nothing (bulk loads log one summary entry instead).
    log_each_object: bool = True


_current: ContextVar[ChangeContext | None] = ContextVar("menhir_change_context", default=None)


def current_context() -> ChangeContext:
    return _current.get() or ChangeContext(source="system")


@contextlib.contextmanager
def change_context(
    user: Any = None, source: str = "cli", *, log_each_object: bool = True
) -> Iterator[ChangeContext]:
    ctx = ChangeContext(user=user, source=source, log_each_object=log_each_object)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
