"""Pages as JSON webhooks, signed with HMAC-SHA256 so the receiver can trust them.

Headers: `X-Menhir-Event` (page, escalation, recovery), `X-Menhir-Delivery` (unique id),
`X-Menhir-Timestamp` (UNIX seconds) and `X-Menhir-Signature: sha256=<hex>`, the HMAC of
`<timestamp>.<body>` with the route's secret. Receivers recompute it and reject a timestamp older
than a few minutes (replay).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass

from alerting.notifiers.base import DeliveryError, Message


def is_web_url(url: str) -> bool:
    """An absolute http or https URL with a host: the only webhooks Menhir calls."""
    parts = urllib.parse.urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, header: str, max_age_s: int = 300) -> bool:
    """What a receiver does (used by the tests as a real receiver would)."""
    if abs(time.time() - int(timestamp)) > max_age_s:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), header)


@dataclass(frozen=True)
class WebhookNotifier:
    secret: str
    timeout: float = 10.0
    channel: str = "webhook"

    def send(self, message: Message, recipient: str) -> str:
        if not is_web_url(recipient):  # urllib would also open file:, data:, ftp: URLs
            raise DeliveryError("webhook: not an http(s) URL")
        body = json.dumps(message.payload, sort_keys=True, ensure_ascii=False).encode()
        timestamp = str(int(time.time()))
        delivery = str(uuid.uuid4())
        request = urllib.request.Request(
            recipient,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "Menhir-Webhook/1",
                "X-Menhir-Event": message.kind,
                "X-Menhir-Delivery": delivery,
                "X-Menhir-Timestamp": timestamp,
                "X-Menhir-Signature": signature(self.secret, timestamp, body),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            raise DeliveryError(f"webhook {recipient}: HTTP {error.code}") from error
        except (OSError, urllib.error.URLError) as error:
            raise DeliveryError(f"webhook {recipient}: {error}") from error
        if not 200 <= status < 300:
            raise DeliveryError(f"webhook {recipient}: HTTP {status}")
        return delivery
