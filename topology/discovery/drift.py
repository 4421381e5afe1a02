"""Drift between the documented network and the discovered one — a pure comparison.

Findings:
- `missing`: a documented link whose ends were queried, but which no side reports;
- `wrong_port`: the two devices are neighbours, but on other ports than documented;
- `undocumented`: an adjacency between two inventory devices that no link documents;
- `unknown_neighbour`: a neighbour whose system name is no inventory device.
Port and system names compare case-insensitively; system names lose their domain part.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from topology.discovery.types import Neighbour, normalise_system_name


@dataclass(frozen=True, slots=True)
class DocumentedLink:
    link_id: int
    a_device: str
    a_port: str
    z_device: str
    z_port: str


@dataclass(frozen=True)
class Finding:
    kind: str  # missing | wrong_port | undocumented | unknown_neighbour
    a_device: str
    a_port: str
    z_device: str
    z_port: str
    link_id: int | None = None
    detail: str = ""
    # wrong_port: the ports the adjacency was really seen on, for the A and Z devices
    seen_a_port: str = ""
    seen_z_port: str = ""


End = tuple[str, str]  # (device, port), lower-case


def _end(device: str, port: str) -> End:
    return (device.lower(), port.strip().lower())


def compare(
    documented: Iterable[DocumentedLink],
    neighbours: Iterable[Neighbour],
    inventory_devices: Iterable[str],
    queried: Iterable[str],
) -> list[Finding]:
    """Findings for the links touching the queried devices, sorted for stable reports."""
    names = {d.lower(): d for d in inventory_devices}
    queried_set = {q.lower() for q in queried}
    findings: list[Finding] = []
    seen: set[frozenset[End]] = set()
    display: dict[End, tuple[str, str]] = {}
    for n in neighbours:
        remote = normalise_system_name(n.remote_system)
        local = _end(n.local_device, n.local_port)
        display[local] = (names.get(local[0], n.local_device), n.local_port)
        if remote not in names:
            findings.append(
                Finding(
                    "unknown_neighbour",
                    display[local][0],
                    n.local_port,
                    n.remote_system,
                    n.remote_port,
                    detail=f"chassis {n.remote_chassis}".strip(),
                )
            )
            continue
        far = _end(remote, n.remote_port)
        display.setdefault(far, (names[remote], n.remote_port))
        seen.add(frozenset((local, far)))
    by_devices: dict[frozenset[str], list[frozenset[End]]] = defaultdict(list)
    for pair in seen:
        by_devices[frozenset(e[0] for e in pair)].append(pair)
    explained: set[frozenset[End]] = set()
    for link in documented:
        a, z = _end(link.a_device, link.a_port), _end(link.z_device, link.z_port)
        if a[0] not in queried_set and z[0] not in queried_set:
            continue
        pair = frozenset((a, z))
        if pair in seen:
            explained.add(pair)
            continue
        candidates = [p for p in by_devices.get(frozenset((a[0], z[0])), []) if p not in explained]
        if candidates:
            got = candidates[0]
            explained.add(got)
            ports = ", ".join(f"{display[e][0]} {display[e][1]}" for e in sorted(got))
            seen_on = {display[e][0].lower(): display[e][1] for e in got}
            findings.append(
                Finding(
                    "wrong_port",
                    link.a_device,
                    link.a_port,
                    link.z_device,
                    link.z_port,
                    link.link_id,
                    f"seen on {ports}",
                    seen_on.get(link.a_device.lower(), ""),
                    seen_on.get(link.z_device.lower(), ""),
                )
            )
        else:
            findings.append(_about(link, "missing", "documented, not reported by LLDP"))
    for pair in sorted(seen - explained, key=sorted):
        (ad, ap), (zd, zp) = sorted(display[e] for e in pair)
        findings.append(
            Finding("undocumented", ad, ap, zd, zp, detail="LLDP adjacency with no link")
        )
    findings.sort(key=lambda f: (f.kind, f.a_device, f.a_port, f.z_device, f.z_port))
    return findings


def _about(link: DocumentedLink, kind: str, detail: str) -> Finding:
    return Finding(
        kind, link.a_device, link.a_port, link.z_device, link.z_port, link.link_id, detail
    )
