"""The two SNMP profiles: v2c for the CPEs, v3 authPriv (SHA, AES-128) for the PoP routers.

Secrets are derived from the seed (the same seed gives the same secrets) and are stored encrypted.
"""

from __future__ import annotations

import hashlib

from inventory.choices import AuthProtocol, PrivProtocol, SNMPVersion
from simulation.seed.devices import V2C, V3
from simulation.seed.plan import SNMPProfileSpec

V3_USER = "menhir-poller"


def _secret(seed: int, purpose: str, length: int) -> str:
    return hashlib.sha256(f"menhir-reference-network:{seed}:{purpose}".encode()).hexdigest()[
        :length
    ]


def snmp_profiles(seed: int) -> list[SNMPProfileSpec]:
    return [
        SNMPProfileSpec(
            name=V2C, version=SNMPVersion.V2C, community=f"mh-{_secret(seed, 'c', 16)}"
        ),
        SNMPProfileSpec(
            name=V3,
            version=SNMPVersion.V3,
            username=V3_USER,
            auth_protocol=AuthProtocol.SHA,
            auth_key=_secret(seed, "auth", 24),
            priv_protocol=PrivProtocol.AES128,
            priv_key=_secret(seed, "priv", 24),
        ),
    ]
