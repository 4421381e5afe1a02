"""pysnmp 7 as the lab's first client (numeric OIDs, no MIB lookups); Net-SNMP's tools second."""

from __future__ import annotations

import asyncio
import subprocess
from typing import Any

from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    UsmUserData,
    bulk_cmd,
    get_cmd,
    next_cmd,
    usmAesCfb128Protocol,
    usmHMACSHAAuthProtocol,
)

from simulation.lab.model import LabDevice
from tests.simulation.lab.small_network import COMMUNITY, V3_AUTH, V3_PRIV, V3_USER

SYS_UPTIME = "1.3.6.1.2.1.1.3.0"
IF_OPER = "1.3.6.1.2.1.2.2.1.8"
IF_IN_OCTETS = "1.3.6.1.2.1.2.2.1.10"
IF_HC_IN = "1.3.6.1.2.1.31.1.1.1.6"
IF_HC_OUT = "1.3.6.1.2.1.31.1.1.1.10"
LLDP_REM_SYSNAME = "1.0.8802.1.1.2.1.4.1.1.9"
LLDP_REM_PORTID = "1.0.8802.1.1.2.1.4.1.1.7"


def auth(device: LabDevice) -> Any:
    if device.credentials.version == "v3":
        return UsmUserData(
            V3_USER,
            V3_AUTH,
            V3_PRIV,
            authProtocol=usmHMACSHAAuthProtocol,
            privProtocol=usmAesCfb128Protocol,
        )
    return CommunityData(COMMUNITY)


def _objects(oids: tuple[str, ...]) -> list[Any]:
    return [ObjectType(ObjectIdentity(oid)) for oid in oids]


async def _run(device: LabDevice, kind: str, oids: tuple[str, ...], **kw: Any) -> Any:
    engine = kw.pop("engine", None) or SnmpEngine()
    target = await UdpTransportTarget.create(
        (device.address, device.port), timeout=kw.pop("timeout", 2.0), retries=kw.pop("retries", 1)
    )
    if kind == "get":
        result = await get_cmd(
            engine, auth(device), target, ContextData(), *_objects(oids), lookupMib=False
        )
    elif kind == "next":
        result = await next_cmd(
            engine, auth(device), target, ContextData(), *_objects(oids), lookupMib=False
        )
    else:
        result = await bulk_cmd(
            engine,
            auth(device),
            target,
            ContextData(),
            kw.pop("non_repeaters", 0),
            kw.pop("max_repetitions", 10),
            *_objects(oids),
            lookupMib=False,
        )
    return result


def get(device: LabDevice, *oids: str, **kw: Any) -> Any:
    """(errorIndication, errorStatus, errorIndex, [(oid, value)…])"""
    return asyncio.run(_run(device, "get", oids, **kw))


def getnext(device: LabDevice, *oids: str, **kw: Any) -> Any:
    return asyncio.run(_run(device, "next", oids, **kw))


def bulk(device: LabDevice, *oids: str, **kw: Any) -> Any:
    return asyncio.run(_run(device, "bulk", oids, **kw))


def values(result: Any) -> dict[str, Any]:
    error_indication, error_status, _, varbinds = result
    assert error_indication is None, error_indication
    assert int(error_status) == 0, error_status
    return {str(oid): value for oid, value in varbinds}


def net_snmp(
    tool: str, device: LabDevice, *oids: str, timeout: int = 2, options: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """Run one of Net-SNMP's tools (Debian's `snmp` package) against the device's agent."""
    if device.credentials.version == "v3":
        security = [
            "-v3",
            "-l",
            "authPriv",
            "-u",
            V3_USER,
            "-a",
            "SHA",
            "-A",
            V3_AUTH,
            "-x",
            "AES",
            "-X",
            V3_PRIV,
        ]
    else:
        security = ["-v2c", "-c", COMMUNITY]
    command = [tool, *security, *options, "-On", "-r0", f"-t{timeout}"]
    command.append(f"{device.address}:{device.port}")
    return subprocess.run([*command, *oids], capture_output=True, text=True, timeout=60)
