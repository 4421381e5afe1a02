"""The numeric OIDs the poller asks for (no MIB files are loaded anywhere)."""

from __future__ import annotations

Oid = tuple[int, ...]


def oid(dotted: str) -> Oid:
    """A dotted OID string as a tuple of ints."""
    return tuple(int(part) for part in dotted.strip(".").split("."))


SYS_UPTIME = oid("1.3.6.1.2.1.1.3")  # as a GETBULK non-repeater: GETNEXT gives .0
SYS_UPTIME_0 = oid("1.3.6.1.2.1.1.3.0")
SYS_NAME_0 = oid("1.3.6.1.2.1.1.5.0")

# IF-MIB ifTable (1.3.6.1.2.1.2.2.1.x)
IF_SPEED = oid("1.3.6.1.2.1.2.2.1.5")
IF_ADMIN_STATUS = oid("1.3.6.1.2.1.2.2.1.7")
IF_OPER_STATUS = oid("1.3.6.1.2.1.2.2.1.8")
IF_IN_OCTETS = oid("1.3.6.1.2.1.2.2.1.10")
IF_IN_DISCARDS = oid("1.3.6.1.2.1.2.2.1.13")
IF_IN_ERRORS = oid("1.3.6.1.2.1.2.2.1.14")
IF_OUT_OCTETS = oid("1.3.6.1.2.1.2.2.1.16")
IF_OUT_DISCARDS = oid("1.3.6.1.2.1.2.2.1.19")
IF_OUT_ERRORS = oid("1.3.6.1.2.1.2.2.1.20")

# IF-MIB ifXTable (1.3.6.1.2.1.31.1.1.1.x)
IF_HC_IN_OCTETS = oid("1.3.6.1.2.1.31.1.1.1.6")
IF_HC_OUT_OCTETS = oid("1.3.6.1.2.1.31.1.1.1.10")
IF_HIGH_SPEED = oid("1.3.6.1.2.1.31.1.1.1.15")
