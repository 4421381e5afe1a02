"""The SNMPv3 message on the wire (RFC 3412 §6, RFC 3414 §2.4): framing only, no keys, no state.

A request is built in one pass with a zeroed authentication parameter whose offset is returned,
so signing is one HMAC over the bytes and one slice assignment. Parsing returns the same offset
to check a reply's digest. The PDU inside the scoped PDU is the v2c codec's (`ber.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

from poller.snmp.ber import (
    INTEGER,
    OCTET_STRING,
    SEQUENCE,
    Pdu,
    decode_pdu,
    header,
    integer,
    signed,
    tlv,
)
from poller.snmp.errors import MalformedReply

VERSION_3 = 3
USM = 3  # msgSecurityModel of the User-based Security Model
FLAG_AUTH = 0x01
FLAG_PRIV = 0x02
FLAG_REPORTABLE = 0x04
MAX_SIZE = 65507  # msgMaxSize we announce: the largest UDP payload over IPv4
_MAX_INT = 0x7FFFFFFF


@dataclass(frozen=True, slots=True)
class V3Message:
    """A parsed SNMPv3 message; `data` is the plaintext scoped PDU or the encrypted octets."""

    msg_id: int
    max_size: int
    flags: int
    engine_id: bytes
    boots: int
    time: int
    user: bytes
    auth_params: bytes
    auth_offset: int  # where auth_params starts in `raw`, to zero it when checking the digest
    priv_params: bytes
    data: bytes
    raw: bytes

    def zeroed(self) -> bytes:
        """The message with its authentication parameter zeroed, as the digest covers it."""
        end = self.auth_offset + len(self.auth_params)
        return self.raw[: self.auth_offset] + bytes(len(self.auth_params)) + self.raw[end:]


def scoped_pdu(context_engine_id: bytes, context_name: bytes, pdu: bytes) -> bytes:
    """ScopedPDU ::= SEQUENCE { contextEngineID, contextName, data } (RFC 3412 §6)."""
    context = tlv(OCTET_STRING, context_engine_id) + tlv(OCTET_STRING, context_name)
    return tlv(SEQUENCE, context + pdu)


def encode_message(
    *,
    msg_id: int,
    flags: int,
    engine_id: bytes,
    boots: int,
    time: int,
    user: bytes,
    digest_size: int,
    priv_params: bytes,
    data: bytes,
    max_size: int = MAX_SIZE,
) -> tuple[bytearray, int]:
    """The message with `digest_size` zero octets of authentication parameter, and their offset.

    `data` is the scoped PDU's encoding, or its ciphertext when FLAG_PRIV is set.
    """
    global_data = tlv(
        SEQUENCE,
        integer(msg_id) + integer(max_size) + tlv(OCTET_STRING, bytes((flags,))) + integer(USM),
    )
    before_auth = (
        tlv(OCTET_STRING, engine_id) + integer(boots) + integer(time) + tlv(OCTET_STRING, user)
    )
    auth = tlv(OCTET_STRING, bytes(digest_size))
    usm_content = before_auth + auth + tlv(OCTET_STRING, priv_params)
    usm = tlv(SEQUENCE, usm_content)
    security = tlv(OCTET_STRING, usm)
    msg_data = tlv(OCTET_STRING, data) if flags & FLAG_PRIV else data
    content = integer(VERSION_3) + global_data + security + msg_data
    message = bytearray(tlv(SEQUENCE, content))
    # Offsets from the end of each wrapper's header: outer, security string, USM sequence.
    offset = len(message) - len(content)
    offset += len(integer(VERSION_3)) + len(global_data)
    offset += len(security) - len(usm)
    offset += len(usm) - len(usm_content)
    offset += len(before_auth) + len(auth) - digest_size
    return message, offset


def _int_at(data: bytes, pos: int, end: int, what: str) -> tuple[int, int]:
    tag, start, stop = header(data, pos, end)
    if tag != INTEGER:
        raise MalformedReply(f"SNMPv3 {what} is not an INTEGER")
    value = signed(data, start, stop)
    if not 0 <= value <= _MAX_INT:
        raise MalformedReply(f"SNMPv3 {what} out of range: {value}")
    return value, stop


def _octets_at(data: bytes, pos: int, end: int, what: str) -> tuple[int, int]:
    tag, start, stop = header(data, pos, end)
    if tag != OCTET_STRING:
        raise MalformedReply(f"SNMPv3 {what} is not an OCTET STRING")
    return start, stop


def parse_message(data: bytes) -> V3Message:
    """Parse an SNMPv3/USM message; MalformedReply on anything else, truncated or trailing."""
    end = len(data)
    tag, pos, stop = header(data, 0, end)
    if tag != SEQUENCE or stop != end:
        raise MalformedReply("an SNMP message is one SEQUENCE")
    version, pos = _int_at(data, pos, end, "version")
    if version != VERSION_3:
        raise MalformedReply(f"not an SNMPv3 message (version {version})")
    tag, gpos, gend = header(data, pos, end)
    if tag != SEQUENCE:
        raise MalformedReply("no SNMPv3 header")
    msg_id, gpos = _int_at(data, gpos, gend, "msgID")
    max_size, gpos = _int_at(data, gpos, gend, "msgMaxSize")
    start, gpos = _octets_at(data, gpos, gend, "msgFlags")
    if gpos - start != 1:
        raise MalformedReply("SNMPv3 msgFlags is not one octet")
    flags = data[start]
    if flags & FLAG_PRIV and not flags & FLAG_AUTH:
        raise MalformedReply("SNMPv3 privacy without authentication")
    model, gpos = _int_at(data, gpos, gend, "msgSecurityModel")
    if model != USM or gpos != gend:
        raise MalformedReply(f"not a USM message (security model {model})")
    spos, send = _octets_at(data, gend, end, "msgSecurityParameters")
    tag, upos, uend = header(data, spos, send)
    if tag != SEQUENCE or uend != send:
        raise MalformedReply("bad USM security parameters")
    start, upos = _octets_at(data, upos, uend, "msgAuthoritativeEngineID")
    engine_id = data[start:upos]
    boots, upos = _int_at(data, upos, uend, "msgAuthoritativeEngineBoots")
    time, upos = _int_at(data, upos, uend, "msgAuthoritativeEngineTime")
    start, upos = _octets_at(data, upos, uend, "msgUserName")
    user = data[start:upos]
    auth_offset, upos = _octets_at(data, upos, uend, "msgAuthenticationParameters")
    auth_params = data[auth_offset:upos]
    start, upos = _octets_at(data, upos, uend, "msgPrivacyParameters")
    priv_params = data[start:upos]
    if upos != uend:
        raise MalformedReply("trailing data in the USM security parameters")
    tag, dpos, dend = header(data, send, end)
    if dend != end:
        raise MalformedReply("trailing data after the scoped PDU")
    if flags & FLAG_PRIV:
        if tag != OCTET_STRING:
            raise MalformedReply("an encrypted scoped PDU is an OCTET STRING")
        payload = data[dpos:dend]
    else:
        if tag != SEQUENCE:
            raise MalformedReply("a plaintext scoped PDU is a SEQUENCE")
        payload = data[send:dend]
    return V3Message(
        msg_id,
        max_size,
        flags,
        engine_id,
        boots,
        time,
        user,
        auth_params,
        auth_offset,
        priv_params,
        payload,
        data,
    )


def decode_scoped_pdu(data: bytes) -> tuple[bytes, bytes, Pdu]:
    """(contextEngineID, contextName, PDU) of a plaintext scoped PDU.

    Octets after the SEQUENCE are tolerated: a block cipher's padding may follow it (RFC 3414
    §8.1.1.3), and the decoded PDU must still fill the SEQUENCE exactly.
    """
    tag, pos, end = header(data, 0, len(data))
    if tag != SEQUENCE:
        raise MalformedReply("a scoped PDU is a SEQUENCE")
    start, pos = _octets_at(data, pos, end, "contextEngineID")
    context_engine_id = data[start:pos]
    start, pos = _octets_at(data, pos, end, "contextName")
    context_name = data[start:pos]
    return context_engine_id, context_name, decode_pdu(data, pos, end)
