"""Tags, API tokens and the change log: tables that every other app relies on."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    color = models.CharField(
        _("color"), max_length=6, default="9e9e9e", help_text=_("RGB hex, without #")
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ObjectChangeAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    BULK = "bulk", _("Bulk load")


class ObjectChange(models.Model):
    """One create/update/delete of one object, or one bulk load as a whole."""

    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    user_name = models.CharField(_("user name"), max_length=150, editable=False)
    request_id = models.UUIDField(_("request id"), editable=False, db_index=True)
    source = models.CharField(
        _("source"), max_length=50, editable=False, help_text=_("web, api, cli, seed, import…")
    )
    action = models.CharField(_("action"), max_length=10, choices=ObjectChangeAction.choices)
    changed_object_type = models.ForeignKey(
        ContentType,
        verbose_name=_("changed object type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_object_id = models.PositiveBigIntegerField(
        _("changed object id"), null=True, blank=True
    )
    changed_object = GenericForeignKey("changed_object_type", "changed_object_id")
    object_repr = models.CharField(_("object repr"), max_length=200, editable=False)
    prechange_data = models.JSONField(_("prechange data"), null=True, blank=True, editable=False)
    postchange_data = models.JSONField(_("postchange data"), null=True, blank=True, editable=False)
    message = models.TextField(_("message"), blank=True, editable=False)

    class Meta:
        verbose_name = _("object change")
        verbose_name_plural = _("object changes")
        ordering = ["-time", "-pk"]
        indexes = [models.Index(fields=["changed_object_type", "changed_object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr} by {self.user_name}"

    def diff(self) -> dict[str, tuple[object, object]]:
        """Fields whose value differs between before and after: name → (before, after)."""
        pre = self.prechange_data or {}
        post = self.postchange_data or {}
        keys = sorted(set(pre) | set(post))
        return {k: (pre.get(k), post.get(k)) for k in keys if pre.get(k) != post.get(k)}


def default_language() -> str:
    return settings.LANGUAGE_CODE


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class Token(models.Model):
    """An API token. Only its hash is stored: the key is shown once, when it is created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="tokens",
    )
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        _("prefix"), max_length=8, editable=False, help_text=_("first characters, to recognise it")
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("token")
        verbose_name_plural = _("tokens")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @classmethod
    def issue(
        cls, user: object, description: str = "", expires: datetime | None = None
    ) -> tuple[Token, str]:
        """Create a token for `user`; returns it with its clear key (never stored)."""
        key = secrets.token_hex(20)
        token = cls.objects.create(
            user=user,
            key_hash=hash_token(key),
            prefix=key[:8],
            description=description,
            expires=expires,
        )
        return token, key

    @property
    def is_expired(self) -> bool:
        return self.expires is not None and self.expires <= timezone.now()


class UserPreference(models.Model):
    """What a signed-in user chose for themselves; today the interface's language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="preference",
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=default_language
    )

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"


class AuditKind(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Login failed")
    LOCKOUT = "lockout", _("Locked out")
    LOGIN_REFUSED = "login_refused", _("Login refused (locked out)")
    LOGOUT = "logout", _("Logged out")
    TOKEN_FAILED = "token_failed", _("Invalid API token")


class AuditEvent(models.Model):
    """One sign-in event. Never a password or a token key: only who, from where and what.

    Changes to objects are in ObjectChange; both carry the user, so the audit page shows a
    person's logins next to what they changed.
    """

    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=AuditKind.choices, db_index=True)
    username = models.CharField(_("username"), max_length=150, db_index=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ip = models.GenericIPAddressField(_("ip"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=200, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-time", "-pk"]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M:%S} {self.kind} {self.username or '-'} {self.ip or ''}"


class LoginThrottle(models.Model):
    """Failed sign-in attempts of one username or one client address, and its lockout."""

    scope = models.CharField(_("scope"), max_length=8)  # "user" or "ip"
    key = models.CharField(_("key"), max_length=150)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    window_start = models.DateTimeField(_("window start"), default=timezone.now)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("login throttle")
        verbose_name_plural = _("login throttles")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="login_throttle_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key} ({self.failures})"
