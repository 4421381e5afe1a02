"""A federation of regional networks: the reference network's shape repeated `scale` times.

Region 1 is the reference network itself, untouched. Region r (2 … scale) is a copy of it (the
same draw, so every count is exactly `scale` times the reference's), renamed so that nothing
clashes: establishment codes, circuit ids and ducts end in `-R<r>`, PoP, tenant and establishment
names in ` (R<r>)` (so slugs and router names end in `-r<r>`), and every device gets a management
address in its region's blocks (`addressing.regional_address`). Departments, communes, operators,
contracts, service classes and SNMP profiles are shared; the operators' NOC contacts appear once.
Every region's loop attaches to the one backbone core, like the reference network's.
"""

from __future__ import annotations

import dataclasses

from inventory.choices import DeviceRole, InterfaceRole
from simulation.seed import addressing
from simulation.seed.plan import (
    ContactSpec,
    DeviceSpec,
    EstablishmentSpec,
    Findings,
    InterfaceSpec,
    LinkSpec,
    NetworkPlan,
    PopSpec,
    TenantSpec,
)
from simulation.seed.tenants import tenant

MAX_SCALE = 32  # the CPE block 127.2.0.0/16 holds 32 regions of 2,026 CPEs


class Region:
    """How region `number` renames what a draw of the generator built."""

    def __init__(self, number: int, cpe_offset: int) -> None:
        self.number = number
        self.cpe_offset = cpe_offset  # CPEs of the regions before this one

    def code(self, code: str) -> str:
        return f"{code}-R{self.number}"

    def name(self, name: str) -> str:
        return f"{name} (R{self.number})"

    def device(self, name: str) -> str:
        return f"{name}-r{self.number}"

    def end(self, end: tuple[str, str]) -> tuple[str, str]:
        return (self.device(end[0]), end[1])

    def optional_code(self, code: str | None) -> str | None:
        return None if code is None else self.code(code)

    def optional_name(self, name: str | None) -> str | None:
        return None if name is None else self.name(name)


def add_region(plan: NetworkPlan, drawn: NetworkPlan, number: int) -> None:
    """Append region `number` (≥ 2), renamed from `drawn` (region 1), to `plan` (the federation
    so far; new lists, so `plan` may start as a shallow copy of `drawn`)."""
    region = Region(number, cpe_offset=sum(d.role == DeviceRole.CPE for d in plan.devices))
    plan.tenants = plan.tenants + [_tenant(region, t) for t in drawn.tenants]
    plan.establishments = plan.establishments + [
        _establishment(region, e) for e in drawn.establishments
    ]
    plan.contacts = plan.contacts + [
        _contact(region, c) for c in drawn.contacts if c.establishment is not None
    ]
    plan.pops = plan.pops + [_pop(region, p) for p in drawn.pops]
    plan.devices = plan.devices + [_device(region, d) for d in drawn.devices]
    plan.interfaces = plan.interfaces + [_interface(region, i) for i in drawn.interfaces]
    plan.links = plan.links + [_link(region, link) for link in drawn.links]
    plan.findings = Findings(
        dual_homed=plan.findings.dual_homed + tuple(map(region.code, drawn.findings.dual_homed)),
        backup_same_pop=plan.findings.backup_same_pop
        + tuple(map(region.code, drawn.findings.backup_same_pop)),
        backup_same_duct=plan.findings.backup_same_duct
        + tuple(map(region.code, drawn.findings.backup_same_duct)),
    )


def _tenant(region: Region, spec: TenantSpec) -> TenantSpec:
    return tenant(region.name(spec.name), spec.description)


def _establishment(region: Region, spec: EstablishmentSpec) -> EstablishmentSpec:
    return dataclasses.replace(
        spec,
        code=region.code(spec.code),
        name=region.name(spec.name),
        tenant=region.optional_name(spec.tenant),
    )


def _contact(region: Region, spec: ContactSpec) -> ContactSpec:
    return dataclasses.replace(spec, establishment=region.optional_code(spec.establishment))


def _pop(region: Region, spec: PopSpec) -> PopSpec:
    name = region.name(spec.name)
    return dataclasses.replace(
        spec,
        name=name,
        slug=region.device(spec.slug),
        parent=region.optional_name(spec.parent),
    )


def _device(region: Region, spec: DeviceSpec) -> DeviceSpec:
    return dataclasses.replace(
        spec,
        name=region.device(spec.name),
        management_address=addressing.regional_address(
            spec.management_address, region.number, region.cpe_offset
        ),
        establishment=region.optional_code(spec.establishment),
        pop=region.optional_name(spec.pop),
    )


def _interface(region: Region, spec: InterfaceSpec) -> InterfaceSpec:
    return dataclasses.replace(
        spec, device=region.device(spec.device), description=_description(region, spec)
    )


def _description(region: Region, spec: InterfaceSpec) -> str:
    """The descriptions that name a PoP (a CPE's WAN ports) or a site (a router's access ports)."""
    text = spec.description
    if text.startswith(("WAN ", "Backup WAN to ")):  # "… to <PoP name>"
        return region.name(text)[:200]
    if spec.role == InterfaceRole.ACCESS and text.endswith((" (primary)", " (backup)")):
        code, _, rest = text.partition(" ")  # "<code> <site name> (<role>)"
        site, _, role = rest.rpartition(" (")
        return f"{region.code(code)} {region.name(site)} ({role}"[:200]
    return text


def _link(region: Region, spec: LinkSpec) -> LinkSpec:
    return dataclasses.replace(
        spec,
        circuit_id=region.code(spec.circuit_id),
        establishment=region.optional_code(spec.establishment),
        a_end=region.end(spec.a_end),
        z_end=region.end(spec.z_end),
        duct=region.code(spec.duct) if spec.duct else "",
    )
