"""A minimal BER encoder/decoder for the agent's hot path: definite lengths, SNMP's types only.

OIDs stay as their encoded content bytes: BER's base-128 sub-identifiers keep numeric order under
byte comparison, so the MIB view sorts and searches raw bytes without decoding them.
"""

from __future__ import annotations

from functools import lru_cache

SEQUENCE = 0x30
INTEGER = 0x02
OCTET_STRING = 0x04
NULL = 0x05
OBJECT_IDENTIFIER = 0x06
IP_ADDRESS = 0x40
COUNTER32 = 0x41
GAUGE32 = 0x42
TIMETICKS = 0x43
COUNTER64 = 0x46
NO_SUCH_OBJECT = 0x80
NO_SUCH_INSTANCE = 0x81
END_OF_MIB_VIEW = 0x82

GET = 0xA0
GETNEXT = 0xA1
RESPONSE = 0xA2
SET = 0xA3
GETBULK = 0xA5
REPORT = 0xA8

UNSIGNED_TAGS = frozenset({COUNTER32, GAUGE32, TIMETICKS, COUNTER64})
EXCEPTION_TAGS = frozenset({NO_SUCH_OBJECT, NO_SUCH_INSTANCE, END_OF_MIB_VIEW})


class BerError(ValueError):
    """The bytes are not the BER this agent understands."""


def length(n: int) -> bytes:
    if n < 0x80:
        return bytes((n,))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes((0x80 | len(body),)) + body


def tlv(tag: int, content: bytes) -> bytes:
    n = len(content)
    if n < 0x80:
        return bytes((tag, n)) + content
    return bytes((tag,)) + length(n) + content


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
    if tag in EXCEPTION_TAGS or tag == NULL:
        return bytes((tag, 0))
    return tlv(tag, value)  # type: ignore[arg-type]


def oid_content(arcs: tuple[int, ...] | list[int]) -> bytes:
    """Encode an OID's arcs (at least two) into BER content bytes."""
    if len(arcs) < 2:
        raise BerError("an OID has at least two arcs")
    return subids(arcs[0] * 40 + arcs[1], *arcs[2:])


def subids(*arcs: int) -> bytes:
    """Content bytes of arcs that follow an OID's first two (append them to a prefix's bytes)."""
    out = bytearray()
    for arc in arcs:
        if arc < 0x80:
            out.append(arc)
            continue
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        out.extend(reversed(chunk))
    return bytes(out)


def oid_arcs(content: bytes) -> tuple[int, ...]:
    """Decode OID content bytes into arcs."""
    if not content or content[-1] & 0x80:
        raise BerError("truncated OID")
    arcs: list[int] = []
    value = 0
    for byte in content:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    first = arcs[0]
    head = (first // 40, first % 40) if first < 80 else (2, first - 80)
    return (*head, *arcs[1:])


@lru_cache(maxsize=4096)
def parse_oid(text: str) -> bytes:
    """'1.3.6.1…' → OID content bytes."""
    return oid_content(tuple(int(part) for part in text.strip(".").split(".")))


def header(data: bytes, pos: int, end: int) -> tuple[int, int, int]:
    """Read the tag and length at `pos`: return (tag, content start, content end)."""
    if pos + 2 > end:
        raise BerError("truncated")
    tag = data[pos]
    n = data[pos + 1]
    pos += 2
    if n & 0x80:
        count = n & 0x7F
        if count == 0 or count > 4 or pos + count > end:
            raise BerError("unsupported length")
        n = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    if pos + n > end:
        raise BerError("length beyond the message")
    return tag, pos, pos + n


def expect(data: bytes, pos: int, end: int, tag: int) -> tuple[int, int]:
    got, start, stop = header(data, pos, end)
    if got != tag:
        raise BerError(f"expected tag {tag:#x}, found {got:#x}")
    return start, stop


def read_int(data: bytes, pos: int, end: int) -> tuple[int, int]:
    """Read an INTEGER at `pos`: return (value, position after it)."""
    start, stop = expect(data, pos, end, INTEGER)
    if start == stop:
        raise BerError("empty INTEGER")
    return int.from_bytes(data[start:stop], "big", signed=True), stop


def read_octets(data: bytes, pos: int, end: int) -> tuple[bytes, int]:
    start, stop = expect(data, pos, end, OCTET_STRING)
    return data[start:stop], stop
