"""The SNMPv3 fast path against pysnmp's USM: byte-identical requests, identical decoded replies.

pysnmp is an independent implementation (the lab's USM is not: it may share a bug with the
client). Inputs a real engine draws at random (msgID, salt) or learns (the agent's boots and
time) are injected into both.
"""

from __future__ import annotations

import hashlib
import json
import random
from functools import cache
from pathlib import Path

import pytest
from pyasn1.type.univ import OctetString
from pysnmp.proto.secmod.rfc3414 import localkey

from poller.collectors.interfaces import HC_COLUMNS
from poller.snmp import oids
from poller.snmp.ber import GET_BULK_REQUEST, GET_REQUEST
from poller.snmp.usm import (
    AUTH_ALGORITHMS,
    UserKeys,
    localized_key,
    password_to_key,
    user_keys,
)
from poller.snmp.v3message import parse_message
from poller.snmp.v3session import encode_request, open_reply
from tests.poller.snmp.reference import pysnmp_decode
from tests.poller.snmp.reference_v3 import pysnmp_request, pysnmp_response

REPLIES = json.loads((Path(__file__).parent.parent / "data" / "replies.json").read_text())
USER = "menhir-user"
AUTH_KEY = "auth-pass-phrase"
PRIV_KEY = "priv-pass-phrase"
ENGINE_ID = bytes.fromhex("80001f8880c71100000000000000000005")
PROTOCOLS = [("none", "none")] + [
    (auth, priv) for auth in AUTH_ALGORITHMS for priv in ("none", "aes128")
]


def test_rfc3414_key_localisation_vectors() -> None:
    """RFC 3414 A.3.1 and A.3.2: "maplesyrup" localised to engine 00…02."""
    engine_id = bytes.fromhex("000000000000000000000002")
    assert password_to_key("md5", "maplesyrup").hex() == "9faf3283884e92834ebc9847d8edd963"
    assert localized_key("md5", "maplesyrup", engine_id).hex() == (
        "526f5eed9fcce26f8964c2930787d82b"
    )
    assert password_to_key("sha", "maplesyrup").hex() == (
        "9fb5cc0381497b3793528939ff788d5d79145211"
    )
    assert localized_key("sha", "maplesyrup", engine_id).hex() == (
        "6695febc9288e36282235fc7151f128497b38f3f"
    )


@pytest.mark.parametrize("auth", list(AUTH_ALGORITHMS))
def test_localised_keys_match_pysnmp(auth: str) -> None:
    hash_function = getattr(hashlib, {"md5": "md5", "sha": "sha1"}.get(auth, auth))
    expected = localkey.localize_key(
        localkey.hash_passphrase(AUTH_KEY, hash_function),
        OctetString(ENGINE_ID),
        hash_function,
    )
    assert localized_key(auth, AUTH_KEY, ENGINE_ID) == bytes(expected)


def _keys(auth: str, priv: str, engine_id: bytes = ENGINE_ID) -> UserKeys:
    return user_keys(auth, AUTH_KEY, priv, PRIV_KEY, engine_id)


@pytest.mark.parametrize(("auth", "priv"), PROTOCOLS, ids=[f"{a}-{p}" for a, p in PROTOCOLS])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_requests_are_byte_identical_to_pysnmp(auth: str, priv: str, seed: int) -> None:
    rng = random.Random(seed)
    msg_id = rng.randrange(1, 0x7FFFFFFF)
    request_id = rng.randrange(1, 0x7FFFFFFF)
    salt = rng.getrandbits(64)
    boots, engine_time = rng.randrange(0, 0x7FFFFFFF), rng.randrange(0, 0x7FFFFFFF)
    engine_id = ENGINE_ID if seed != 3 else bytes(rng.getrandbits(8) for _ in range(12))
    if seed == 2:
        pdu_type, nr, mr = GET_REQUEST, 0, 0
        request_oids = [oids.SYS_UPTIME_0, (1, 3, 6, 1, 2, 1, 1, 5, 0)]
    else:
        pdu_type, nr, mr = GET_BULK_REQUEST, 1, rng.randrange(1, 300)
        request_oids = [oids.SYS_UPTIME, *HC_COLUMNS]
    ours = encode_request(
        _keys(auth, priv, engine_id),
        USER.encode(),
        engine_id,
        boots,
        engine_time,
        msg_id,
        request_id,
        salt.to_bytes(8, "big"),
        pdu_type,
        request_oids,
        non_repeaters=nr,
        max_repetitions=mr,
    )
    theirs = pysnmp_request(
        user=USER,
        auth=auth,
        auth_key=AUTH_KEY,
        priv=priv,
        priv_key=PRIV_KEY,
        engine_id=engine_id,
        boots=boots,
        engine_time=engine_time,
        msg_id=msg_id,
        request_id=request_id,
        salt=salt,
        pdu_type=pdu_type,
        oids=request_oids,
        non_repeaters=nr,
        max_repetitions=mr,
    )
    assert ours.hex() == theirs.hex()


@cache
def _wrapped(index: int, auth: str, priv: str) -> bytes:
    return pysnmp_response(
        user=USER,
        auth=auth,
        auth_key=AUTH_KEY,
        priv=priv,
        priv_key=PRIV_KEY,
        engine_id=ENGINE_ID,
        msg_id=1000 + index,
        v2c_message=bytes.fromhex(REPLIES[index]["hex"]),
    )


@pytest.mark.parametrize("index", range(len(REPLIES)), ids=[r["agent"] for r in REPLIES])
def test_recorded_replies_wrapped_by_pysnmp_decode_identically(index: int) -> None:
    """Every recorded reply, under one protocol pair each (all pairs covered in turn)."""
    auth, priv = PROTOCOLS[index % len(PROTOCOLS)]
    raw = bytes.fromhex(REPLIES[index]["hex"])
    message = parse_message(_wrapped(index, auth, priv))
    assert message.msg_id == 1000 + index
    pdu = open_reply(_keys(auth, priv), USER.encode(), message, "test")
    reference = pysnmp_decode(raw)
    assert pdu.request_id == reference.request_id
    assert (pdu.error_status, pdu.error_index) == (reference.error_status, reference.error_index)
    assert pdu.varbinds == reference.varbinds
