"""Plain lab devices for the pure tests (no database), and a clock the tests move by hand."""

from __future__ import annotations

from datetime import UTC, datetime

from simulation.lab.model import LabDevice, LabInterface, Neighbour, SnmpCredentials, Traffic

# A Tuesday at 10:00 in Paris (08:00 UTC, summer time): the working-hours peak.
TUESDAY_PEAK = datetime(2026, 6, 9, 8, 0, tzinfo=UTC).timestamp()


class Clock:
    def __init__(self, now: float = TUESDAY_PEAK) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def device(
    name: str = "cpe-test",
    interfaces: int = 4,
    version: str = "v2c",
    limit_bps: int = 100_000_000,
    category: str = "lycee",
) -> LabDevice:
    credentials = (
        SnmpCredentials(
            "v3",
            username="menhir",
            auth_protocol="sha",
            auth_key="auth-secret-1",
            priv_protocol="aes128",
            priv_key="priv-secret-1",
        )
        if version == "v3"
        else SnmpCredentials("v2c", community="public")
    )
    ifaces = tuple(
        LabInterface(
            if_index=i,
            name=f"Gi0/{i}",
            description=f"port {i}",
            if_type=6,
            speed_bps=1_000_000_000,
            enabled=True,
            traffic=Traffic(limit_bps, limit_bps // 2, category),
            link_id=i,
            neighbour=Neighbour("pop-1", b"\x02\x00\x00\x00\x00\x01", f"xe-{i}", "", "Juniper"),
        )
        for i in range(1, interfaces + 1)
    )
    return LabDevice(
        name=name,
        address="127.0.0.1",
        port=161,
        credentials=credentials,
        sys_descr="Cisco ISR1111 (Menhir lab simulated agent)",
        sys_object_id=(1, 3, 6, 1, 4, 1, 9, 1, 2593),
        sys_location="Rennes",
        chassis_mac=b"\x02\xaa\xbb\xcc\xdd\xee",
        interfaces=ifaces,
    )
