"""The SNMPv3 message envelope (RFC 3412 header, RFC 3414 security parameters) in plain BER."""

from __future__ import annotations

from dataclasses import dataclass

from simulation.lab import ber

FLAG_AUTH = 0x01
FLAG_PRIV = 0x02
FLAG_REPORTABLE = 0x04
USM = 3


@dataclass(slots=True)
class V3Message:
    msg_id: int
    max_size: int
    flags: int
    engine_id: bytes
    boots: int
    time: int
    user: bytes
    auth_params: bytes
    auth_offset: int  # where auth_params starts in the message, to zero it for the digest
    priv_params: bytes
    data: bytes  # the plaintext ScopedPDU (a SEQUENCE), or the encrypted bytes


def parse(message: bytes) -> V3Message:
    end = len(message)
    start, end = ber.expect(message, 0, end, ber.SEQUENCE)
    version, p = ber.read_int(message, start, end)
    if version != 3:
        raise ber.DecodeError("not SNMPv3")
    gs, ge = ber.expect(message, p, end, ber.SEQUENCE)
    msg_id, q = ber.read_int(message, gs, ge)
    max_size, q = ber.read_int(message, q, ge)
    flags, q = ber.read_octets(message, q, ge)
    model, q = ber.read_int(message, q, ge)
    if model != USM or len(flags) != 1:
        raise ber.DecodeError("not a USM message")
    ss, se = ber.expect(message, ge, end, ber.OCTET_STRING)
    us, ue = ber.expect(message, ss, se, ber.SEQUENCE)
    engine_id, r = ber.read_octets(message, us, ue)
    boots, r = ber.read_int(message, r, ue)
    time, r = ber.read_int(message, r, ue)
    user, r = ber.read_octets(message, r, ue)
    a_start, a_end = ber.expect(message, r, ue, ber.OCTET_STRING)
    priv, r = ber.read_octets(message, a_end, ue)
    tag, ds, de = ber.header(message, se, end)
    if tag == ber.OCTET_STRING:
        data = message[ds:de]
    elif tag == ber.SEQUENCE:
        data = message[se:de]
    else:
        raise ber.DecodeError("bad msgData")
    return V3Message(
        msg_id,
        max_size,
        flags[0],
        engine_id,
        boots,
        time,
        user,
        message[a_start:a_end],
        a_start,
        priv,
        data,
    )


def build(
    msg_id: int,
    max_size: int,
    flags: int,
    engine_id: bytes,
    boots: int,
    time: int,
    user: bytes,
    digest_size: int,
    priv_params: bytes,
    data: bytes,
) -> tuple[bytes, int]:
    """Encode a message whose auth parameter is `digest_size` zero bytes: (bytes, its offset)."""
    header = ber.tlv(
        ber.SEQUENCE,
        ber.encode_int(msg_id)
        + ber.encode_int(max_size)
        + ber.tlv(ber.OCTET_STRING, bytes((flags,)))
        + ber.encode_int(USM),
    )
    before_auth = (
        ber.tlv(ber.OCTET_STRING, engine_id)
        + ber.encode_int(boots)
        + ber.encode_int(time)
        + ber.tlv(ber.OCTET_STRING, user)
    )
    auth_tlv = ber.tlv(ber.OCTET_STRING, bytes(digest_size))
    usm_content = before_auth + auth_tlv + ber.tlv(ber.OCTET_STRING, priv_params)
    usm = ber.tlv(ber.SEQUENCE, usm_content)
    params = ber.tlv(ber.OCTET_STRING, usm)
    msg_data = data if not flags & FLAG_PRIV else ber.tlv(ber.OCTET_STRING, data)
    content = b"\x02\x01\x03" + header + params
    whole = ber.tlv(ber.SEQUENCE, content + msg_data)
    outer_header = len(whole) - len(content) - len(msg_data)
    offset = (
        outer_header
        + 3
        + len(header)
        + (len(params) - len(usm))
        + (len(usm) - len(usm_content))
        + len(before_auth)
        + (len(auth_tlv) - digest_size)
    )
    return whole, offset
