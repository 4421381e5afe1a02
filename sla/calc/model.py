"""The evaluation input (docs/sla.md, "The evaluation file") as typed, validated values.

Times are integer UTC seconds; amounts and rates are `Decimal`; enumerations are `enum`s.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal

from alerting.detector import DetectorParams, SlotState
from sla.calc.calendar import BusinessHours


class Clock(enum.Enum):
    ELAPSED = "24/7"
    BUSINESS = "business"


class ImputabilityCode(enum.Enum):
    OPERATOR = "operator"
    CLIENT = "client"
    THIRD_PARTY = "third_party"
    FORCE_MAJEURE = "force_majeure"
    UNKNOWN = "unknown"


NEVER_BREACHES = frozenset(
    {ImputabilityCode.CLIENT, ImputabilityCode.FORCE_MAJEURE, ImputabilityCode.THIRD_PARTY}
)


class ExclusionType(enum.Enum):
    MAINTENANCE = "maintenance"
    CLIENT = "client"
    THIRD_PARTY = "third_party"
    FORCE_MAJEURE = "force_majeure"
    MONITORING_ERROR = "monitoring_error"


class DecisionCode(enum.Enum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Role(enum.Enum):
    PRIMARY = "primary"
    BACKUP = "backup"


@dataclass(frozen=True)
class ContractTerms:
    reference: str
    timezone: str
    holidays: str
    business_hours: BusinessHours
    maintenance_notice_days: int
    reopen_window_hours: int
    skew_tolerance_seconds: int
    detector: DetectorParams
    amount_total_ht: Decimal
    penalty_cap_contract_pct: Decimal
    exemption_threshold_ht: Decimal
    penalties_to_date_ht: Decimal


@dataclass(frozen=True)
class Tier:
    threshold_pct: Decimal
    rate_pct: Decimal


@dataclass(frozen=True)
class ServiceClassTerms:
    name: str
    availability_schedule: Clock
    availability_tiers: tuple[Tier, ...]
    gtr_minutes: int | None
    gtr_clock: Clock
    gtr_penalty_pct_per_started_hour: Decimal | None
    gti_minutes: int | None
    gti_clock: Clock
    gti_penalty_pct: Decimal | None
    monthly_cap_pct: Decimal
    kpis: KpiTargets | None = None  # R15, optional


KPI_NAMES = ("rtt_ms", "loss_pct", "jitter_ms")  # R15's targets, in output order


@dataclass(frozen=True)
class KpiTargets:
    """A class's R15 quality targets: any of the three (None: not a target of the class)."""

    rtt_ms: Decimal | None
    loss_pct: Decimal | None
    jitter_ms: Decimal | None
    penalty_pct: Decimal  # of the (prorated) fee, per KPI missed
    min_coverage_pct: Decimal

    def targets(self) -> dict[str, Decimal]:
        return {name: value for name in KPI_NAMES if (value := getattr(self, name)) is not None}


@dataclass(frozen=True)
class KpiMeasurements:
    """The month's probe aggregates of one subscription over its counted slots (R15)."""

    slots: int  # counted slots; the engine recounts them from the file
    probed_slots: int  # counted slots with probes sent
    sent: int
    lost: int
    rtt_ms_p95: Decimal | None  # None when nothing was answered
    jitter_ms_mean: Decimal | None  # None when no slot had two answered probes


@dataclass(frozen=True)
class Subscription:
    id: str
    service_class: str
    monthly_fee_ht: Decimal
    service_start: int
    service_end: int | None
    site: str
    role: Role
    kpi_measurements: KpiMeasurements | None = None  # R15


@dataclass(frozen=True)
class MonitoringRunInput:
    subscription: str
    start: int
    end: int
    state: SlotState
    imputability: ImputabilityCode | None


@dataclass(frozen=True)
class Suspension:
    start: int
    end: int
    accepted: bool


@dataclass(frozen=True)
class Reopening:
    at: int
    restored_at: int | None


@dataclass(frozen=True)
class TicketInput:
    id: str
    subscription: str
    opened_at: int
    fault_start: int | None
    acknowledged_at: int | None
    restored_at: int | None
    imputability: ImputabilityCode
    suspensions: tuple[Suspension, ...]
    reopenings: tuple[Reopening, ...]


@dataclass(frozen=True)
class Maintenance:
    subscriptions: tuple[str, ...]
    notified_at: int
    planned_start: int
    planned_end: int
    curative: bool


@dataclass(frozen=True)
class ExclusionClaimInput:
    subscription: str
    start: int
    end: int
    type: ExclusionType
    decision: DecisionCode


@dataclass(frozen=True)
class Evaluation:
    year: int
    month: int
    contract: ContractTerms
    service_classes: dict[str, ServiceClassTerms]
    subscriptions: tuple[Subscription, ...]
    monitoring: tuple[MonitoringRunInput, ...]
    tickets: tuple[TicketInput, ...]
    maintenance: tuple[Maintenance, ...]
    exclusions: tuple[ExclusionClaimInput, ...]
    as_of: int | None
    monitoring_until: int | None = None  # where the monitoring list is complete (R3/R4)
