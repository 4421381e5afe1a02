"""Model fields: secrets encrypted at rest with a key taken from the environment; coordinate
validators."""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

PREFIX = "enc1:"


@lru_cache(maxsize=4)
def _fernet(key_material: str) -> Fernet:
    digest = hashlib.sha256(key_material.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(value: str) -> str:
    token = _fernet(settings.MENHIR_SECRETS_KEY).encrypt(value.encode()).decode()
    return PREFIX + token


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored  # written before encryption, or empty
    try:
        return _fernet(settings.MENHIR_SECRETS_KEY).decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise ValueError(
            "cannot decrypt a stored secret: MENHIR_SECRETS_KEY differs from the key it was "
            "written with"
        ) from None


class EncryptedCharField(models.TextField):
    """A text field stored encrypted (Fernet, AES-128-CBC + HMAC); Python sees the clear value."""

    description = "Text encrypted at rest"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))


def _check_range(value: float, limit: float, what: str) -> None:
    # written so that NaN fails too (every comparison with NaN is false)
    if not -limit <= value <= limit:
        raise ValidationError(f"A {what} is a number from {-limit:g} to {limit:g}.")


def validate_latitude(value: float) -> None:
    """WGS 84 latitude: NaN, infinities and values outside ±90 are refused."""
    _check_range(value, 90, "latitude")


def validate_longitude(value: float) -> None:
    """WGS 84 longitude: NaN, infinities and values outside ±180 are refused."""
    _check_range(value, 180, "longitude")
