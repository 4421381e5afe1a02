"""Conversion of pyasn1/pysnmp values into the codec's plain (OID, tag, value) varbinds.

Used by the pysnmp-backed session (SNMPv3) and by the tests that compare the fast decoder with
pysnmp: both paths hand the collectors the same plain values.
"""

from __future__ import annotations

from typing import Any

from poller.snmp.ber import (
    END_OF_MIB_VIEW,
    EXCEPTIONS,
    INTEGER,
    IP_ADDRESS,
    NO_SUCH_INSTANCE,
    NO_SUCH_OBJECT,
    NULL,
    OBJECT_IDENTIFIER,
    OCTET_STRING,
    OPAQUE,
    Value,
    VarBind,
)
from poller.snmp.errors import MalformedReply

_EXCEPTION_BY_CLASS_NAME = {
    "NoSuchObject": NO_SUCH_OBJECT,
    "NoSuchInstance": NO_SUCH_INSTANCE,
    "EndOfMibView": END_OF_MIB_VIEW,
}


def tag_of(value: Any) -> int:
    """The BER identifier octet of a pyasn1 value (class | form | number)."""
    name = type(value).__name__
    if name in _EXCEPTION_BY_CLASS_NAME:
        return _EXCEPTION_BY_CLASS_NAME[name]
    tag = value.tagSet[-1]
    return int(tag.tagClass) | int(tag.tagFormat) | int(tag.tagId)


def plain_value(tag: int, value: Any) -> Value:
    """A pyasn1 value as the codec represents it."""
    if tag in EXCEPTIONS or tag == NULL:
        return None
    if tag in (OCTET_STRING, OPAQUE, IP_ADDRESS):
        return bytes(value.asOctets())
    if tag == OBJECT_IDENTIFIER:
        return tuple(value)
    if tag == INTEGER or tag in (0x41, 0x42, 0x43, 0x46):
        return int(value)
    raise MalformedReply(f"unexpected value type {type(value).__name__}")


def plain_varbinds(var_binds: Any) -> list[VarBind]:
    """pysnmp's (ObjectName, value) pairs (or ObjectType) as plain varbinds."""
    out: list[VarBind] = []
    for var_bind in var_binds:
        name, value = var_bind[0], var_bind[1]
        tag = tag_of(value)
        out.append((tuple(name), tag, plain_value(tag, value)))
    return out
