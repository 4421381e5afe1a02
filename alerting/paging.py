"""Who is paged, once: routing by operator and severity, escalation, recovery notices and the
signed single-use acknowledgement links."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from alerting.messages import render
from alerting.models import (
    SEVERITY_RANK,
    AlertRoute,
    Channel,
    Incident,
    IncidentEvent,
    Notification,
    NotificationKind,
)
from alerting.notifiers.base import DeliveryError, Notifier
from alerting.notifiers.email import EmailNotifier
from alerting.notifiers.webhook import WebhookNotifier
from common.mail import Relay

log = logging.getLogger(__name__)
ACK_SALT = "menhir.alerting.ack"


def routes_for(incident: Incident, level: int) -> list[AlertRoute]:
    """Active routes of the incident's operator (or the syndicate's own) at `level` whose
    minimum severity the incident reaches."""
    qs = AlertRoute.objects.filter(active=True, level=level)
    qs = (
        qs.filter(operator=incident.operator)
        if incident.operator
        else qs.filter(operator__isnull=True)
    )
    rank = SEVERITY_RANK[incident.severity]  # type: ignore[index]
    return [r for r in qs if SEVERITY_RANK[r.min_severity] <= rank]  # type: ignore[index]


def ack_url(notification: Notification) -> str:
    token = signing.TimestampSigner(salt=ACK_SALT).sign(notification.ack_nonce)
    return f"{settings.MENHIR_BASE_URL.rstrip('/')}/alerting/ack/{token}/"


class AckRefused(ValueError):
    pass


def notification_for_token(token: str) -> Notification:
    """The notification an acknowledgement link belongs to; refused when tampered with,
    expired or already used."""
    try:
        nonce = signing.TimestampSigner(salt=ACK_SALT).unsign(
            token, max_age=timedelta(days=settings.MENHIR_ACK_LINK_DAYS)
        )
    except signing.SignatureExpired:
        raise AckRefused("This acknowledgement link has expired.") from None
    except signing.BadSignature:
        raise AckRefused("This acknowledgement link is not valid.") from None
    notification = Notification.objects.select_related("incident").filter(ack_nonce=nonce).first()
    if notification is None:
        raise AckRefused("This acknowledgement link is not valid.")
    if notification.ack_used_at is not None:
        raise AckRefused("This acknowledgement link has already been used.")
    return notification


@transaction.atomic
def acknowledge(
    incident: Incident, who: str, source: str, notification: Notification | None = None
) -> bool:
    """Acknowledge once; returns False when it already was."""
    now = timezone.now()
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if notification is not None:
        Notification.objects.filter(pk=notification.pk, ack_used_at__isnull=True).update(
            ack_used_at=now
        )
    if locked.acknowledged_at is not None:
        return False
    locked.acknowledged_at = now
    locked.acknowledged_by = who
    locked.save(update_fields=["acknowledged_at", "acknowledged_by"])
    IncidentEvent.objects.create(
        incident=locked, time=now, kind="acknowledged", detail=f"by {who} ({source})"
    )
    incident.acknowledged_at, incident.acknowledged_by = now, who
    return True


def _notifier(route: AlertRoute) -> Notifier:
    if route.channel == Channel.WEBHOOK:
        return WebhookNotifier(secret=route.secret)
    return EmailNotifier(Relay.from_settings(settings))


def notify(incident: Incident, kind: str, routes: list[AlertRoute]) -> int:
    """Create one notification per route (never twice for the same incident, route and kind)
    and deliver it. Returns how many were delivered."""
    delivered = 0
    for route in routes:
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    incident=incident,
                    route=route,
                    kind=kind,
                    channel=route.channel,
                    recipient=route.target,
                    ack_nonce=secrets.token_hex(16),
                )
        except IntegrityError:
            continue  # already sent (or being sent) for this incident, route and kind
        delivered += deliver(notification, route)
    return delivered


def deliver(notification: Notification, route: AlertRoute) -> int:
    incident = notification.incident
    message = render(incident, notification.kind, ack_url(notification), route.language)
    notification.attempts += 1
    try:
        notification.reference = _notifier(route).send(message, notification.recipient)[:200]
    except DeliveryError as error:
        notification.error = str(error)[:300]
        notification.save(update_fields=["attempts", "error"])
        detail = f"{notification.kind} to {notification.recipient}: {error}"
        IncidentEvent.objects.create(
            incident=incident, time=timezone.now(), kind="notify_failed", detail=detail
        )
        log.warning(
            "page for incident %s to %s failed: %s", incident.pk, notification.recipient, error
        )
        return 0
    notification.sent_at = timezone.now()
    notification.error = ""
    notification.save(update_fields=["attempts", "error", "sent_at", "reference"])
    IncidentEvent.objects.create(
        incident=incident,
        time=notification.sent_at,
        kind=f"{notification.kind}_sent",
        detail=f"{notification.channel} to {notification.recipient}",
    )
    return 1


def retry_failed(max_attempts: int = 5) -> int:
    """Deliver again what failed earlier (the receiver was down); called each cycle."""
    delivered = 0
    pending = Notification.objects.filter(
        sent_at__isnull=True, attempts__lt=max_attempts, route__isnull=False
    )
    for notification in pending.select_related("incident", "route", "incident__operator"):
        assert notification.route is not None
        delivered += deliver(notification, notification.route)
    return delivered


def escalate(now: datetime) -> int:
    """Page the next level for open, unacknowledged incidents whose delay has run out."""
    sent = 0
    open_unacked = Incident.objects.filter(
        end__isnull=True, acknowledged_at__isnull=True, in_maintenance=False
    )
    for incident in open_unacked.select_related("operator"):
        paged_levels = set(
            incident.notifications.filter(
                kind__in=[NotificationKind.PAGE, NotificationKind.ESCALATION]
            ).values_list("route__level", flat=True)
        )
        if not paged_levels:
            continue
        top = max(level for level in paged_levels if level is not None)
        delays = AlertRoute.objects.filter(
            Q(operator=incident.operator) if incident.operator else Q(operator__isnull=True),
            level=top,
            active=True,
            escalate_after_minutes__isnull=False,
        ).values_list("escalate_after_minutes", flat=True)
        minutes = [d for d in delays if d is not None]
        if minutes and now - incident.detected_at >= timedelta(minutes=min(minutes)):
            sent += notify(incident, NotificationKind.ESCALATION, routes_for(incident, top + 1))
    return sent
