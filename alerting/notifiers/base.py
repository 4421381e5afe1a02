"""What a notifier sends and how it fails."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


class DeliveryError(RuntimeError):
    """The channel refused or could not take the message; the caller records it and retries."""


@dataclass(frozen=True)
class Message:
    """One notification about one incident, rendered for every channel."""

    kind: str  # page | escalation | recovery
    incident_id: int
    subject: str
    text: str
    html: str = ""  # the same, for mail clients that show HTML
    payload: dict[str, Any] = field(default_factory=dict)  # the webhook body


class Notifier(Protocol):
    @property
    def channel(self) -> str: ...

    def send(self, message: Message, recipient: str) -> str:
        """Deliver to `recipient` (an address or a URL); return a delivery reference."""
        ...
