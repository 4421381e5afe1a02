"""Query every device that has a NAPALM platform; one failing device never stops the others."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any

from topology.discovery.napalm_source import DeviceReport, napalm_report, open_driver


def query_devices(
    devices: list[tuple[str, str, str]],
    *,
    mock_dir: Path | None = None,
    username: str = "",
    password: str = "",
    allow_non_loopback: bool = False,
) -> tuple[list[DeviceReport], dict[str, str]]:
    """`devices` are (name, platform, management address). With `mock_dir`, every device is read
    through NAPALM's mock driver from `mock_dir/<name>/`. Returns the reports and, per device
    that failed, its error."""
    reports: list[DeviceReport] = []
    errors: dict[str, str] = {}
    for name, platform, address in devices:
        try:
            if mock_dir is not None:
                folder = mock_dir / name
                if not folder.is_dir():
                    raise FileNotFoundError(f"no recordings in {folder}")
                driver: Any = open_driver("mock", address or name, path=str(folder))
            else:
                if not allow_non_loopback and not ipaddress.ip_address(address).is_loopback:
                    raise PermissionError(
                        f"{address} is outside 127.0.0.0/8 (MENHIR_ALLOW_NON_LOOPBACK)"
                    )
                driver = open_driver(platform, address, username=username, password=password)
            try:
                reports.append(napalm_report(name, driver))
            finally:
                driver.close()
        except Exception as error:  # a failing device is a result, not an abort
            errors[name] = f"{type(error).__name__}: {error}"
    return reports, errors
