"""The reference network as plain data: what the generator builds and the writer stores.

References between specs go by natural key (an establishment's code, a device's name…), never by
database id, so a plan can be compared with what the database already holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from simulation.seed.geography import CommuneSpec, DepartmentSpec


@dataclass(frozen=True, slots=True)
class TenantSpec:
    name: str
    slug: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class EstablishmentSpec:
    code: str
    name: str
    category: str
    commune: str  # INSEE code
    address: str
    latitude: float
    longitude: float
    status: str
    criticality: str
    tenant: str | None  # tenant name
    description: str = ""


@dataclass(frozen=True, slots=True)
class ContactSpec:
    name: str
    role: str
    email: str
    phone: str
    establishment: str | None = None  # establishment code
    operator: str | None = None  # operator name


@dataclass(frozen=True, slots=True)
class OperatorSpec:
    name: str
    slug: str
    noc_email: str
    noc_phone: str
    portal_url: str
    description: str


@dataclass(frozen=True, slots=True)
class ContractSpec:
    reference: str
    operator: str
    title: str
    lot: str
    start_date: date
    end_date: date
    amount_total_ht: Decimal
    penalty_cap_contract_pct: Decimal = Decimal("10")
    exemption_threshold_ht: Decimal = Decimal("1000")


@dataclass(frozen=True, slots=True)
class ServiceClassSpec:
    contract: str  # contract reference
    name: str
    slug: str
    effective_from: date
    availability_schedule: str
    availability_target_pct: Decimal | None
    availability_tiers: list[list[str]]
    gtr_minutes: int | None
    gtr_clock: str
    gtr_penalty_pct_per_started_hour: Decimal | None
    gti_minutes: int | None
    gti_clock: str
    gti_penalty_pct: Decimal | None
    description: str
    monthly_cap_pct: Decimal = Decimal("100")


@dataclass(frozen=True, slots=True)
class PopSpec:
    name: str
    slug: str
    kind: str
    commune: str  # INSEE code
    parent: str | None  # parent PoP name
    address: str
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class SNMPProfileSpec:
    name: str
    version: str
    community: str = ""
    username: str = ""
    auth_protocol: str = "none"
    auth_key: str = ""
    priv_protocol: str = "none"
    priv_key: str = ""


@dataclass(frozen=True, slots=True)
class DeviceSpec:
    name: str
    role: str
    platform: str
    vendor: str
    model: str
    serial: str
    management_address: str
    snmp_profile: str
    status: str
    establishment: str | None = None  # establishment code
    pop: str | None = None  # PoP name


@dataclass(frozen=True, slots=True)
class InterfaceSpec:
    device: str  # device name
    name: str
    if_index: int
    type: str
    speed_bps: int | None
    role: str
    enabled: bool = True
    description: str = ""


@dataclass(frozen=True, slots=True)
class LinkSpec:
    operator: str
    circuit_id: str
    technology: str
    role: str
    status: str
    establishment: str | None
    a_end: tuple[str, str]  # (device name, interface name)
    z_end: tuple[str, str]
    committed_down_bps: int
    committed_up_bps: int
    port_speed_bps: int
    contract: str
    service_class: str  # slug, within the contract
    monthly_fee_ht: Decimal
    service_start: datetime | None
    duct: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class Findings:
    """What the reference network deliberately gets wrong, for topology to report."""

    dual_homed: tuple[str, ...]  # establishment codes
    backup_same_pop: tuple[str, ...]
    backup_same_duct: tuple[str, ...]


@dataclass
class NetworkPlan:
    seed: int
    departments: list[DepartmentSpec] = field(default_factory=list)
    communes: list[CommuneSpec] = field(default_factory=list)
    tenants: list[TenantSpec] = field(default_factory=list)
    establishments: list[EstablishmentSpec] = field(default_factory=list)
    operators: list[OperatorSpec] = field(default_factory=list)
    contracts: list[ContractSpec] = field(default_factory=list)
    service_classes: list[ServiceClassSpec] = field(default_factory=list)
    contacts: list[ContactSpec] = field(default_factory=list)
    pops: list[PopSpec] = field(default_factory=list)
    snmp_profiles: list[SNMPProfileSpec] = field(default_factory=list)
    devices: list[DeviceSpec] = field(default_factory=list)
    interfaces: list[InterfaceSpec] = field(default_factory=list)
    links: list[LinkSpec] = field(default_factory=list)
    findings: Findings = field(default_factory=lambda: Findings((), (), ()))

    def counts(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in PLAN_SECTIONS}


# In writing order: every section refers only to sections before it.
PLAN_SECTIONS = (
    "departments",
    "communes",
    "tenants",
    "establishments",
    "operators",
    "contracts",
    "service_classes",
    "contacts",
    "pops",
    "snmp_profiles",
    "devices",
    "interfaces",
    "links",
)
