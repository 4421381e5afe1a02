"""A minimal BER encoder/decoder for the agent's hot path: definite lengths, SNMP's types only.

OIDs stay as their encoded content bytes: BER's base-128 sub-identifiers keep numeric order under
byte comparison, so the MIB view sorts and searches raw bytes without decoding them.
"""

from __future__ import annotations

from functools import lru_cache

from poller.snmp import errors
from poller.snmp.ber import (  # re-exported: the lab's codecs read one BER module
    COUNTER32 as COUNTER32,
)
from poller.snmp.ber import (
    COUNTER64 as COUNTER64,
)
from poller.snmp.ber import (
    END_OF_MIB_VIEW as END_OF_MIB_VIEW,
)
from poller.snmp.ber import (
    EXCEPTIONS as EXCEPTIONS,
)
from poller.snmp.ber import (
    GAUGE32 as GAUGE32,
)
from poller.snmp.ber import (
    GET_BULK_REQUEST as GET_BULK_REQUEST,
)
from poller.snmp.ber import (
    GET_NEXT_REQUEST as GET_NEXT_REQUEST,
)
from poller.snmp.ber import (
    GET_REQUEST as GET_REQUEST,
)
from poller.snmp.ber import (
    INTEGER as INTEGER,
)
from poller.snmp.ber import (
    IP_ADDRESS as IP_ADDRESS,
)
from poller.snmp.ber import (
    NO_SUCH_INSTANCE as NO_SUCH_INSTANCE,
)
from poller.snmp.ber import (
    NO_SUCH_OBJECT as NO_SUCH_OBJECT,
)
from poller.snmp.ber import (
    NULL as NULL,
)
from poller.snmp.ber import (
    OBJECT_IDENTIFIER as OBJECT_IDENTIFIER,
)
from poller.snmp.ber import (
    OCTET_STRING as OCTET_STRING,
)
from poller.snmp.ber import (
    REPORT as REPORT,
)
from poller.snmp.ber import (
    RESPONSE as RESPONSE,
)
from poller.snmp.ber import (
    SEQUENCE as SEQUENCE,
)
from poller.snmp.ber import (
    SET_REQUEST as SET_REQUEST,
)
from poller.snmp.ber import (
    TIMETICKS as TIMETICKS,
)
from poller.snmp.ber import (
    decode_oid_octets as decode_oid_octets,
)
from poller.snmp.ber import (
    encode_oid as encode_oid,
)
from poller.snmp.ber import (
    header as header,
)
from poller.snmp.ber import (
    length as length,
)
from poller.snmp.ber import (
    subids as subids,
)
from poller.snmp.ber import (
    tlv as tlv,
)

# The tags, the TLV framing and the OID arcs are the domain's (`poller.snmp.ber`): one BER.
DecodeError = errors.DecodeError
UNSIGNED_TAGS = frozenset({COUNTER32, GAUGE32, TIMETICKS, COUNTER64})


def int_content(value: int) -> bytes:
    """Two's complement, minimal length."""
    return value.to_bytes(value.bit_length() // 8 + 1, "big", signed=True)


def uint_content(value: int) -> bytes:
    """An unsigned value as a non-negative INTEGER: a leading zero byte when the top bit is set."""
    return value.to_bytes(value.bit_length() // 8 + 1, "big")


def encode_int(value: int) -> bytes:
    return tlv(INTEGER, int_content(value))


def encode_value(tag: int, value: object) -> bytes:
    """One SNMP value: an int (numbers), bytes (strings, IpAddress, OID content) or None."""
    if tag == INTEGER:
        return tlv(tag, int_content(value))  # type: ignore[arg-type]
    if tag in UNSIGNED_TAGS:
        return tlv(tag, uint_content(value))  # type: ignore[arg-type]
    if tag in EXCEPTIONS or tag == NULL:
        return bytes((tag, 0))
    return tlv(tag, value)  # type: ignore[arg-type]


@lru_cache(maxsize=4096)
def parse_oid(text: str) -> bytes:
    """'1.3.6.1…' → OID content bytes."""
    return encode_oid(tuple(int(part) for part in text.strip(".").split(".")))


def expect(data: bytes, pos: int, end: int, tag: int) -> tuple[int, int]:
    got, start, stop = header(data, pos, end)
    if got != tag:
        raise DecodeError(f"expected tag {tag:#x}, found {got:#x}")
    return start, stop


def read_int(data: bytes, pos: int, end: int) -> tuple[int, int]:
    """Read an INTEGER at `pos`: return (value, position after it)."""
    start, stop = expect(data, pos, end, INTEGER)
    if start == stop:
        raise DecodeError("empty INTEGER")
    return int.from_bytes(data[start:stop], "big", signed=True), stop


def read_octets(data: bytes, pos: int, end: int) -> tuple[bytes, int]:
    start, stop = expect(data, pos, end, OCTET_STRING)
    return data[start:stop], stop
