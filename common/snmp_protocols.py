"""SNMPv3 USM protocols: one definition for the inventory's profiles (stored values and labels)
and for the poller's sessions. Framework-free, so the poller's pure core can use it."""

from __future__ import annotations

from enum import StrEnum


class AuthProtocol(StrEnum):
    NONE = "none"
    MD5 = "md5"
    SHA = "sha"
    SHA256 = "sha256"
    SHA512 = "sha512"


class PrivProtocol(StrEnum):
    NONE = "none"
    DES = "des"
    AES128 = "aes128"
    AES256 = "aes256"


AUTH_LABELS = {
    AuthProtocol.NONE: "None",
    AuthProtocol.MD5: "HMAC-MD5",
    AuthProtocol.SHA: "HMAC-SHA",
    AuthProtocol.SHA256: "HMAC-SHA-256",
    AuthProtocol.SHA512: "HMAC-SHA-512",
}
PRIV_LABELS = {
    PrivProtocol.NONE: "None",
    PrivProtocol.DES: "DES",
    PrivProtocol.AES128: "AES-128",
    PrivProtocol.AES256: "AES-256",
}
#: (stored value, label) pairs, as a model field's `choices`.
AUTH_CHOICES = [(p.value, AUTH_LABELS[p]) for p in AuthProtocol]
PRIV_CHOICES = [(p.value, PRIV_LABELS[p]) for p in PrivProtocol]
