"""The fast BER codec decodes exactly what pysnmp decodes, and rejects garbage cleanly."""

from __future__ import annotations

import contextlib
import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyasn1.codec.ber import decoder, encoder
from pysnmp.proto import api, rfc1902

from poller.snmp.ber import (
    GET_BULK_REQUEST,
    GET_REQUEST,
    RESPONSE,
    decode_response,
    encode_oid,
    encode_request,
)
from poller.snmp.errors import MalformedReply
from tests.poller.snmp.reference import pysnmp_decode

REPLIES = json.loads((Path(__file__).parent.parent / "data" / "replies.json").read_text())
v2c = api.v2c


def _id(reply: dict[str, str]) -> str:
    return f"{reply['agent']}-{reply['request']}"


@pytest.mark.parametrize("reply", REPLIES, ids=[_id(r) for r in REPLIES])
def test_recorded_reply_decodes_exactly_like_pysnmp(reply: dict[str, str]) -> None:
    data = bytes.fromhex(reply["hex"])
    assert decode_response(data) == pysnmp_decode(data)


def test_recordings_cover_every_value_type_and_exception() -> None:
    tags = {tag for r in REPLIES for _, tag, _ in decode_response(bytes.fromhex(r["hex"])).varbinds}
    assert {0x02, 0x04, 0x06, 0x40, 0x41, 0x42, 0x43, 0x46, 0x80, 0x81, 0x82} <= tags
    assert sum(len(decode_response(bytes.fromhex(r["hex"])).varbinds) for r in REPLIES) > 5000


def test_recordings_include_real_devices_served_by_snmpsim() -> None:
    assert len({r["agent"] for r in REPLIES if r["agent"].startswith("snmpsim:")}) >= 4


def _corruptions(data: bytes, rng: random.Random) -> list[bytes]:
    out = [data[:cut] for cut in sorted(rng.sample(range(len(data)), min(3, len(data))))]
    for _ in range(6):
        mutated = bytearray(data)
        mutated[rng.randrange(len(data))] = rng.randrange(256)
        out.append(bytes(mutated))
    return out


def test_corrupted_replies_never_decode_to_something_pysnmp_would_not() -> None:
    rng = random.Random(20261128)
    agreed = rejected_both = 0
    for reply in rng.sample(REPLIES, 100):
        for data in _corruptions(bytes.fromhex(reply["hex"]), rng):
            try:
                ours = decode_response(data)
            except MalformedReply:
                rejected_both += 1  # pysnmp may accept a few of these (e.g. negative error-index)
                continue
            assert ours == pysnmp_decode(data)
            agreed += 1
    assert agreed > 100
    assert rejected_both > 100


@given(st.binary(max_size=300))
def test_garbage_raises_malformed_reply_and_nothing_else(data: bytes) -> None:
    with contextlib.suppress(MalformedReply):  # any other exception fails the test
        decode_response(data)


# --- generated messages: every type, every size, encoded by pyasn1 -------------------------

oids_strategy = st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=12).map(
    lambda arcs: (1, 3, *arcs)
)
values_strategy = st.one_of(
    st.integers(-(2**31), 2**31 - 1).map(rfc1902.Integer32),
    st.binary(max_size=300).map(rfc1902.OctetString),
    st.integers(0, 2**32 - 1).map(rfc1902.Counter32),
    st.integers(0, 2**32 - 1).map(rfc1902.Gauge32),
    st.integers(0, 2**32 - 1).map(rfc1902.TimeTicks),
    st.integers(0, 2**64 - 1).map(rfc1902.Counter64),
    st.binary(min_size=4, max_size=4).map(rfc1902.IpAddress),
    oids_strategy.map(rfc1902.ObjectName),
    st.sampled_from([v2c.NoSuchObject(""), v2c.NoSuchInstance(""), v2c.EndOfMibView("")]),
    st.just(v2c.Null("")),
)


def _message(request_id: int, varbinds: list[tuple[Any, Any]], community: bytes) -> bytes:
    pdu = v2c.ResponsePDU()
    v2c.apiPDU.set_defaults(pdu)
    v2c.apiPDU.set_request_id(pdu, request_id)
    v2c.apiPDU.set_varbinds(pdu, varbinds)
    message = v2c.Message()
    v2c.apiMessage.set_defaults(message)
    v2c.apiMessage.set_community(message, community)
    v2c.apiMessage.set_pdu(message, pdu)
    return encoder.encode(message)


@settings(max_examples=120, deadline=None)
@given(
    st.integers(-(2**31), 2**31 - 1),
    st.lists(st.tuples(oids_strategy, values_strategy), max_size=40),
    st.binary(max_size=40),
)
def test_generated_responses_decode_exactly_like_pysnmp(
    request_id: int, varbinds: list[tuple[Any, Any]], community: bytes
) -> None:
    data = _message(request_id, varbinds, community)
    ours = decode_response(data)
    assert ours == pysnmp_decode(data)
    assert ours.pdu_type == RESPONSE
    assert len(ours.varbinds) == len(varbinds)


@given(oids_strategy)
def test_oid_encoding_matches_pyasn1(oid: tuple[int, ...]) -> None:
    encoded = encoder.encode(rfc1902.ObjectName(oid))
    assert encoded.endswith(encode_oid(oid))


def test_getbulk_request_is_what_pysnmp_reads() -> None:
    oids = [(1, 3, 6, 1, 2, 1, 1, 3), (1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 6)]
    data = encode_request(
        GET_BULK_REQUEST, b"public", 4242, oids, non_repeaters=1, max_repetitions=7
    )
    message, rest = decoder.decode(data, asn1Spec=v2c.Message())
    assert rest == b""
    pdu = v2c.apiMessage.get_pdu(message)
    assert bytes(v2c.apiMessage.get_community(message)) == b"public"
    assert int(v2c.apiMessage.get_version(message)) == 1
    assert isinstance(pdu, v2c.GetBulkRequestPDU)
    assert int(v2c.apiPDU.get_request_id(pdu)) == 4242
    assert int(v2c.apiBulkPDU.get_non_repeaters(pdu)) == 1
    assert int(v2c.apiBulkPDU.get_max_repetitions(pdu)) == 7
    assert [tuple(o) for o, _ in v2c.apiPDU.get_varbinds(pdu)] == oids


def test_get_request_is_what_pysnmp_reads() -> None:
    data = encode_request(GET_REQUEST, b"c", -5, [(1, 3, 6, 1, 2, 1, 1, 5, 0)])
    message, _ = decoder.decode(data, asn1Spec=v2c.Message())
    pdu = v2c.apiMessage.get_pdu(message)
    assert isinstance(pdu, v2c.GetRequestPDU)
    assert int(v2c.apiPDU.get_request_id(pdu)) == -5


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "truncated"),
        (b"\x30\x80\x00\x00", "indefinite"),
        (bytes.fromhex("300702010304007000"), "not an SNMPv1/v2c"),
        (bytes.fromhex("300b020101040170a003020101"), "not a response PDU"),
    ],
)
def test_malformed_replies_say_what_is_wrong(data: bytes, message: str) -> None:
    with pytest.raises(MalformedReply, match=message):
        decode_response(data)


def test_counter32_that_does_not_fit_is_malformed_like_in_pysnmp() -> None:
    good = _message(1, [((1, 3, 6), rfc1902.Counter32(5))], b"c")
    bad = good.replace(b"\x41\x01\x05", b"\x41\x01\xff")  # -1 as a Counter32
    with pytest.raises(MalformedReply, match="out of range"):
        decode_response(bad)
    with pytest.raises(Exception):  # noqa: B017, PT011 - pyasn1 raises its own error types
        pysnmp_decode(bad)


def test_oid_cache_gives_the_same_answers_and_never_keeps_a_malformed_oid() -> None:
    """Decoding every recording twice (second time from the cache) gives pysnmp's answers; a
    malformed OID raises every time; the cache stays bounded."""
    from poller.snmp import ber

    ber._OID_CACHE.clear()
    for _ in range(2):
        for reply in REPLIES[:40]:
            data = bytes.fromhex(reply["hex"])
            assert decode_response(data) == pysnmp_decode(data)
    for bad, message in ((b"\x2b\x80\x06", "non-minimal"), (b"\x2b\x86", "truncated")):
        for _ in range(2):
            with pytest.raises(MalformedReply, match=message):
                ber._decode_oid(bad, 0, len(bad))
        assert bad not in ber._OID_CACHE
    for n in range(ber._OID_CACHE_SIZE + 10):
        raw = encode_oid((1, 3, 6, 1, 4, 1, n))
        assert ber._decode_oid(raw, 0, len(raw)) == (1, 3, 6, 1, 4, 1, n)
    assert len(ber._OID_CACHE) <= ber._OID_CACHE_SIZE
