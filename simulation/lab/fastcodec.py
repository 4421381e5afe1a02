"""The hot path: hand-written BER for v2c messages and PDUs (decode the request, join the reply).

Anything this decoder does not understand raises `DecodeError`; the agent then tries the full path
(`fullcodec`, pyasn1), so the fast path never has to be complete, only exact.
"""

from __future__ import annotations

from simulation.lab import ber
from simulation.lab.pdu import Request, Response

REQUEST_TYPES = frozenset(
    {ber.GET_REQUEST, ber.GET_NEXT_REQUEST, ber.GET_BULK_REQUEST, ber.SET_REQUEST}
)


def decode_pdu(data: bytes, pos: int, end: int) -> Request:
    tag, start, stop = ber.header(data, pos, end)
    if tag not in REQUEST_TYPES:
        raise ber.DecodeError(f"not a request PDU: {tag:#x}")
    request_id, p = ber.read_int(data, start, stop)
    first, p = ber.read_int(data, p, stop)
    second, p = ber.read_int(data, p, stop)
    vs, ve = ber.expect(data, p, stop, ber.SEQUENCE)
    oids: list[bytes] = []
    while vs < ve:
        bs, be = ber.expect(data, vs, ve, ber.SEQUENCE)
        os_, oe = ber.expect(data, bs, be, ber.OBJECT_IDENTIFIER)
        if os_ == oe:
            raise ber.DecodeError("empty OID")
        ber.header(data, oe, be)  # the value must be there, whatever it is
        oids.append(data[os_:oe])
        vs = be
    return Request(tag, request_id, first, second, oids)


def encode_pdu(response: Response) -> bytes:
    body = b"".join(vb[3] for vb in response.varbinds)
    return ber.tlv(
        response.pdu_type,
        ber.encode_int(response.request_id)
        + ber.encode_int(response.error_status)
        + ber.encode_int(response.error_index)
        + ber.tlv(ber.SEQUENCE, body),
    )


def decode_v2c(data: bytes) -> tuple[bytes, Request]:
    """A v2c message → (community, request)."""
    start, end = ber.expect(data, 0, len(data), ber.SEQUENCE)
    version, p = ber.read_int(data, start, end)
    if version != 1:
        raise ber.DecodeError("not SNMPv2c")
    community, p = ber.read_octets(data, p, end)
    return community, decode_pdu(data, p, end)


def encode_v2c(community: bytes, response: Response) -> bytes:
    return ber.tlv(
        ber.SEQUENCE, b"\x02\x01\x01" + ber.tlv(ber.OCTET_STRING, community) + encode_pdu(response)
    )


def decode_scoped(data: bytes) -> tuple[bytes, bytes, Request]:
    """A v3 ScopedPDU → (contextEngineID, contextName, request)."""
    start, end = ber.expect(data, 0, len(data), ber.SEQUENCE)
    engine_id, p = ber.read_octets(data, start, end)
    name, p = ber.read_octets(data, p, end)
    return engine_id, name, decode_pdu(data, p, end)


def encode_scoped(engine_id: bytes, name: bytes, response: Response) -> bytes:
    return ber.tlv(
        ber.SEQUENCE,
        ber.tlv(ber.OCTET_STRING, engine_id)
        + ber.tlv(ber.OCTET_STRING, name)
        + encode_pdu(response),
    )
