"""Bad SNMPv3 input: truncated, corrupted, forged or undecryptable messages give domain errors."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from poller.snmp.ber import GET_REQUEST, REPORT, RESPONSE, Pdu, VarBind, encode_pdu
from poller.snmp.errors import AuthError, MalformedReply, SnmpError
from poller.snmp.usm import UserKeys, user_keys
from poller.snmp.v3message import encode_message, parse_message, scoped_pdu
from poller.snmp.v3session import (
    DECRYPTION_ERROR,
    NOT_IN_TIME_WINDOW,
    UNKNOWN_ENGINE_ID,
    UNKNOWN_USER_NAME,
    UNSUPPORTED_SEC_LEVEL,
    WRONG_DIGEST,
    open_reply,
    report_error,
)
from tests.poller.snmp.reference_v3 import pysnmp_response

REPLIES = json.loads((Path(__file__).parent.parent / "data" / "replies.json").read_text())
ENGINE_ID = bytes.fromhex("80001f888059dc486145a26322")
USER = b"menhir"


def _keys(priv_key: str = "priv-pass-1", auth_key: str = "auth-pass-1") -> UserKeys:
    return user_keys("sha256", auth_key, "aes128", priv_key, ENGINE_ID)


@cache
def _response() -> bytes:
    """The smallest recorded reply, signed and encrypted by pysnmp (SHA-256, AES-128)."""
    smallest = min(REPLIES, key=lambda r: len(r["hex"]))
    return pysnmp_response(
        user=USER.decode(),
        auth="sha256",
        auth_key="auth-pass-1",
        priv="aes128",
        priv_key="priv-pass-1",
        engine_id=ENGINE_ID,
        msg_id=4242,
        v2c_message=bytes.fromhex(smallest["hex"]),
    )


def _open(data: bytes, keys: UserKeys | None = None) -> Pdu:
    return open_reply(keys or _keys(), USER, parse_message(data), "agent")


def test_the_valid_response_opens() -> None:
    assert _open(_response()).varbinds


def test_every_truncation_is_malformed() -> None:
    data = _response()
    for cut in range(len(data)):
        with pytest.raises(MalformedReply):
            parse_message(data[:cut])


def test_every_single_byte_corruption_is_refused() -> None:
    """The digest covers every byte: a change anywhere is malformed or fails authentication."""
    data = _response()
    for position in range(len(data)):
        for flip in (0x01, 0x80):
            corrupted = bytearray(data)
            corrupted[position] ^= flip
            with pytest.raises((MalformedReply, AuthError)):
                _open(bytes(corrupted))


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 400), st.integers(0, 40), st.binary(max_size=40))
def test_spliced_messages_never_escape_as_another_exception(
    start: int, length: int, insert: bytes
) -> None:
    data = _response()
    start = min(start, len(data))
    spliced = data[:start] + insert + data[start + length :]
    if spliced == data:
        return
    with pytest.raises((MalformedReply, AuthError)):
        _open(spliced)


def test_wrong_digest_is_an_auth_error() -> None:
    with pytest.raises(AuthError, match="wrong digest"):
        _open(_response(), _keys(auth_key="another-auth-key"))


def test_undecryptable_reply_is_an_auth_error_naming_the_privacy_key() -> None:
    with pytest.raises(AuthError, match="wrong privacy key"):
        _open(_response(), _keys(priv_key="another-priv-key"))


def test_reply_for_another_user_is_refused() -> None:
    message = parse_message(_response())
    with pytest.raises(AuthError, match="another user"):
        open_reply(_keys(), b"someone-else", message, "agent")


def test_unauthenticated_response_to_an_authenticated_request_is_refused() -> None:
    """A forged plaintext Response (no digest) must not pass for the agent's answer."""
    pdu = bytearray(encode_pdu(GET_REQUEST, 7, [(1, 3, 6, 1, 2, 1, 1, 3, 0)]))
    pdu[0] = RESPONSE
    forged, _ = encode_message(
        msg_id=7,
        flags=0,
        engine_id=ENGINE_ID,
        boots=1,
        time=1,
        user=USER,
        digest_size=0,
        priv_params=b"",
        data=scoped_pdu(ENGINE_ID, b"", bytes(pdu)),
    )
    with pytest.raises(AuthError, match="below the requested security level"):
        _open(bytes(forged))


@pytest.mark.parametrize(
    "oid",
    [
        UNSUPPORTED_SEC_LEVEL,
        NOT_IN_TIME_WINDOW,
        UNKNOWN_USER_NAME,
        UNKNOWN_ENGINE_ID,
        WRONG_DIGEST,
        DECRYPTION_ERROR,
    ],
)
def test_usm_reports_are_auth_errors(oid: tuple[int, ...]) -> None:
    error = report_error(Pdu(REPORT, 1, 0, 0, [(oid, 0x41, 3)]), "agent")
    assert isinstance(error, AuthError)
    assert "rejected the credentials" in str(error)


@pytest.mark.parametrize("oid", [(1, 3, 6, 1, 6, 3, 11, 2, 1, 2, 0), (1, 3, 6, 1, 4, 1, 9), ()])
def test_other_reports_are_snmp_errors(oid: tuple[int, ...]) -> None:
    varbinds: list[VarBind] = [(oid, 0x41, 1)] if oid else []
    error = report_error(Pdu(REPORT, 1, 0, 0, varbinds), "agent")
    assert type(error) is SnmpError
