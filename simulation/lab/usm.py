"""SNMPv3's User-based Security Model for one agent: keys, HMAC digests and AES-128 (CFB).

RFC 3414 (key localisation, HMAC-MD5/SHA-96), RFC 7860 (HMAC-SHA-2), RFC 3826 (AES-128-CFB).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

try:  # cryptography ≥ 47 keeps CFB among the "decrepit" modes
    from cryptography.hazmat.decrepit.ciphers.modes import CFB
except ImportError:  # pragma: no cover - older cryptography
    from cryptography.hazmat.primitives.ciphers.modes import CFB

from simulation.lab.model import SnmpCredentials

# auth protocol → (hash name, digest bytes sent on the wire)
AUTH = {"md5": ("md5", 12), "sha": ("sha1", 12), "sha256": ("sha256", 24), "sha512": ("sha512", 48)}
PRIVACY = frozenset({"aes128"})


class UsmError(ValueError):
    """The credentials cannot be served by this agent."""


@lru_cache(maxsize=256)
def password_to_key(hash_name: str, password: str) -> bytes:
    """RFC 3414 A.2: hash one megabyte of the repeated password."""
    raw = password.encode()
    if not raw:
        raise UsmError("empty SNMPv3 password")
    stream = (raw * (1_048_576 // len(raw) + 1))[:1_048_576]
    return hashlib.new(hash_name, stream).digest()


def localize(hash_name: str, key: bytes, engine_id: bytes) -> bytes:
    return hashlib.new(hash_name, key + engine_id + key).digest()


@dataclass(frozen=True, slots=True)
class UsmUser:
    """A v3 user localised to one engine: what the agent needs to check and answer a message."""

    name: bytes
    hash_name: str | None
    digest_size: int
    auth_key: bytes
    priv_key: bytes  # AES-128 key, empty without privacy

    @classmethod
    def from_credentials(cls, credentials: SnmpCredentials, engine_id: bytes) -> UsmUser:
        auth = credentials.auth_protocol
        priv = credentials.priv_protocol
        if auth == "none":
            if priv != "none":
                raise UsmError("privacy needs authentication")
            return cls(credentials.username.encode(), None, 0, b"", b"")
        if auth not in AUTH:
            raise UsmError(f"authentication protocol {auth!r} is not served by the lab")
        if priv != "none" and priv not in PRIVACY:
            raise UsmError(f"privacy protocol {priv!r} is not served by the lab")
        hash_name, digest_size = AUTH[auth]
        auth_key = localize(hash_name, password_to_key(hash_name, credentials.auth_key), engine_id)
        priv_key = b""
        if priv == "aes128":
            ku = password_to_key(hash_name, credentials.priv_key)
            priv_key = localize(hash_name, ku, engine_id)[:16]
        return cls(credentials.username.encode(), hash_name, digest_size, auth_key, priv_key)

    @property
    def auth(self) -> bool:
        return self.hash_name is not None

    @property
    def priv(self) -> bool:
        return bool(self.priv_key)

    def digest(self, message: bytes) -> bytes:
        """The authentication parameter of `message` (whose own parameter is zeroed)."""
        assert self.hash_name is not None
        return hmac.new(self.auth_key, message, self.hash_name).digest()[: self.digest_size]

    def _cipher(self, boots: int, time: int, salt: bytes) -> Cipher[CFB]:
        iv = boots.to_bytes(4, "big") + time.to_bytes(4, "big") + salt
        return Cipher(algorithms.AES(self.priv_key), CFB(iv))

    def decrypt(self, data: bytes, boots: int, time: int, salt: bytes) -> bytes:
        if len(salt) != 8:
            raise UsmError("AES privacy parameters are 8 bytes")
        decryptor = self._cipher(boots, time, salt).decryptor()
        return decryptor.update(data) + decryptor.finalize()

    def encrypt(self, data: bytes, boots: int, time: int, salt: bytes) -> bytes:
        encryptor = self._cipher(boots, time, salt).encryptor()
        return encryptor.update(data) + encryptor.finalize()
