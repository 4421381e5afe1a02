"""SNMPv3 USM cryptography on the manager's side: keys, HMAC digests and AES-128-CFB privacy.

RFC 3414 A.2 (password to key, key localisation) and §6–7 (HMAC-MD5-96, HMAC-SHA-96), RFC 7860
(HMAC-SHA-2: 224/256/384/512 truncated to 128/192/256/384 bits), RFC 3826 (AES-128-CFB, its IV
and salt). Every primitive is the `cryptography` package's; nothing here is a hand-written cipher.
Localising a key hashes a megabyte, so localised keys are cached per (protocol, password, engine
ID): a poller talks to the same few thousand engines every cycle.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import lru_cache

from cryptography.hazmat.primitives import constant_time, hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

try:  # cryptography ≥ 47 files CFB among the "decrepit" modes
    from cryptography.hazmat.decrepit.ciphers.modes import CFB
except ImportError:  # pragma: no cover - older cryptography
    from cryptography.hazmat.primitives.ciphers.modes import CFB


class UsmError(ValueError):
    """Credentials or parameters this USM implementation cannot use."""


@dataclass(frozen=True, slots=True)
class AuthAlgorithm:
    """An authentication protocol: its hash and how many digest bytes travel on the wire."""

    name: str
    hash: type[hashes.HashAlgorithm]
    digest_size: int


AUTH_ALGORITHMS: dict[str, AuthAlgorithm] = {
    "md5": AuthAlgorithm("md5", hashes.MD5, 12),  # RFC 3414 §6: HMAC-MD5-96
    "sha": AuthAlgorithm("sha", hashes.SHA1, 12),  # RFC 3414 §7: HMAC-SHA-96
    "sha224": AuthAlgorithm("sha224", hashes.SHA224, 16),  # RFC 7860: usmHMAC128SHA224
    "sha256": AuthAlgorithm("sha256", hashes.SHA256, 24),  # usmHMAC192SHA256
    "sha384": AuthAlgorithm("sha384", hashes.SHA384, 32),  # usmHMAC256SHA384
    "sha512": AuthAlgorithm("sha512", hashes.SHA512, 48),  # usmHMAC384SHA512
}
#: Privacy protocols served here; DES and the AES-192/256 drafts stay on pysnmp.
PRIV_PROTOCOLS = frozenset({"none", "aes128"})
AES128_KEY_SIZE = 16
SALT_SIZE = 8
_PASSWORD_STREAM = 1_048_576  # RFC 3414 A.2: one megabyte of the repeated password


def supports(auth_protocol: str, priv_protocol: str) -> bool:
    """Whether these protocols can take the fast path (else pysnmp serves them)."""
    if priv_protocol not in PRIV_PROTOCOLS:
        return False
    if auth_protocol == "none":
        return priv_protocol == "none"
    return auth_protocol in AUTH_ALGORITHMS


def _algorithm(auth_protocol: str) -> AuthAlgorithm:
    try:
        return AUTH_ALGORITHMS[auth_protocol]
    except KeyError:
        raise UsmError(f"authentication protocol {auth_protocol!r} is not supported") from None


@lru_cache(maxsize=256)
def password_to_key(auth_protocol: str, password: str) -> bytes:
    """Ku: the hash of the password repeated over one megabyte (RFC 3414 A.2, RFC 7860 §9.3)."""
    raw = password.encode()
    if not raw:
        raise UsmError("an SNMPv3 password cannot be empty")
    digest = hashes.Hash(_algorithm(auth_protocol).hash())
    digest.update((raw * (_PASSWORD_STREAM // len(raw) + 1))[:_PASSWORD_STREAM])
    return digest.finalize()


@lru_cache(maxsize=8192)
def localized_key(auth_protocol: str, password: str, engine_id: bytes) -> bytes:
    """Kul = H(Ku ‖ engine ID ‖ Ku): the key one agent (engine) shares with this user."""
    ku = password_to_key(auth_protocol, password)
    digest = hashes.Hash(_algorithm(auth_protocol).hash())
    digest.update(ku + engine_id + ku)
    return digest.finalize()


@dataclass(frozen=True, slots=True)
class UserKeys:
    """One user's keys localised to one engine: what signing and encrypting a message needs."""

    algorithm: AuthAlgorithm | None
    auth_key: bytes
    priv_key: bytes  # the AES-128 key; empty without privacy
    _mac: hmac.HMAC | None = field(default=None, compare=False, repr=False)

    @property
    def digest_size(self) -> int:
        return self.algorithm.digest_size if self.algorithm else 0

    @property
    def auth(self) -> bool:
        return self.algorithm is not None

    @property
    def priv(self) -> bool:
        return bool(self.priv_key)

    def sign(self, message: bytes) -> bytes:
        """The truncated HMAC of a whole message whose authentication parameter is zeroed."""
        if self._mac is None:
            raise UsmError("this user has no authentication key")
        mac = self._mac.copy()  # the keyed inner/outer state, computed once per key
        mac.update(message)
        return mac.finalize()[: self.digest_size]

    def verify(self, message: bytes, digest: bytes) -> bool:
        """Constant-time check of a received digest (message given with the digest zeroed)."""
        return len(digest) == self.digest_size and constant_time.bytes_eq(
            self.sign(message), digest
        )

    def _cipher(self, boots: int, time: int, salt: bytes) -> Cipher[CFB]:
        if len(salt) != SALT_SIZE:
            raise UsmError("AES privacy parameters are 8 octets")
        iv = boots.to_bytes(4, "big") + time.to_bytes(4, "big") + salt  # RFC 3826 §3.1.2.1
        return Cipher(algorithms.AES(self.priv_key), CFB(iv))

    def encrypt(self, plain: bytes, boots: int, time: int, salt: bytes) -> bytes:
        encryptor = self._cipher(boots, time, salt).encryptor()
        return encryptor.update(plain) + encryptor.finalize()

    def decrypt(self, data: bytes, boots: int, time: int, salt: bytes) -> bytes:
        decryptor = self._cipher(boots, time, salt).decryptor()
        return decryptor.update(data) + decryptor.finalize()


@lru_cache(maxsize=8192)
def user_keys(
    auth_protocol: str,
    auth_password: str,
    priv_protocol: str,
    priv_password: str,
    engine_id: bytes,
) -> UserKeys:
    """The keys of a user at an engine (cached: one localisation per engine, not per request)."""
    if not supports(auth_protocol, priv_protocol):
        raise UsmError(f"protocols {auth_protocol}/{priv_protocol} are not on the fast path")
    if auth_protocol == "none":
        return UserKeys(None, b"", b"")
    algorithm = AUTH_ALGORITHMS[auth_protocol]
    auth_key = localized_key(auth_protocol, auth_password, engine_id)
    priv_key = b""
    if priv_protocol == "aes128":
        # RFC 3826 §1.2: the first 128 bits of the privacy password localised with the auth hash.
        priv_key = localized_key(auth_protocol, priv_password, engine_id)[:AES128_KEY_SIZE]
    mac = hmac.HMAC(auth_key, algorithm.hash())
    return UserKeys(algorithm, auth_key, priv_key, mac)


class SaltCounter:
    """RFC 3826 §3.1.1.1: a 64-bit integer, random at start, incremented for every message."""

    def __init__(self, start: int | None = None) -> None:
        self._next = random.getrandbits(64) if start is None else start & 0xFFFFFFFFFFFFFFFF

    def __call__(self) -> bytes:
        salt = self._next.to_bytes(SALT_SIZE, "big")
        self._next = (self._next + 1) & 0xFFFFFFFFFFFFFFFF
        return salt
