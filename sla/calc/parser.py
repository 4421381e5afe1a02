"""Read and validate an evaluation document; every error names the field and the reason.

`parse_evaluation(document)` takes the decoded JSON and returns an `Evaluation`, or raises
`EvaluationError` whose `field` is a path such as `tickets[2].opened_at`. Unknown keys are
refused (a misspelt key must not silently drop a rule), except keys starting with `_`, left for
annotations.
"""

from __future__ import annotations

import enum
import itertools
import re
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from alerting.detector import DetectorParams, SlotState
from common.times import to_seconds
from sla.calc.calendar import WEEKDAYS, BusinessHours
from sla.calc.model import (
    Clock,
    ContractTerms,
    DecisionCode,
    Evaluation,
    ExclusionClaimInput,
    ExclusionType,
    ImputabilityCode,
    KpiMeasurements,
    KpiTargets,
    Maintenance,
    MonitoringRunInput,
    Reopening,
    Role,
    ServiceClassTerms,
    Subscription,
    Suspension,
    TicketInput,
    Tier,
)

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")

SUPPORTED_HOLIDAYS = ("FR",)
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


class EvaluationError(ValueError):
    """A bad evaluation document: `field` (a path) and `reason`."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class Node:
    """A JSON object at a path, read key by key; `done()` refuses keys nobody read."""

    def __init__(self, value: Any, path: str) -> None:
        if not isinstance(value, dict):
            raise EvaluationError(path or "(document)", "expected an object")
        self.value: dict[str, Any] = value
        self.path = path
        self._read: set[str] = set()

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def raw(self, key: str, *, optional: bool = False) -> Any:
        self._read.add(key)
        if key not in self.value:
            if optional:
                return None
            raise EvaluationError(self.at(key), "missing")
        return self.value[key]

    def done(self) -> None:
        for key in self.value:
            if key not in self._read and not key.startswith("_"):
                raise EvaluationError(self.at(key), "unknown field")

    def child(self, key: str) -> Node:
        return Node(self.raw(key), self.at(key))

    def items(self, key: str) -> list[tuple[str, Any]]:
        value = self.raw(key)
        if not isinstance(value, list):
            raise EvaluationError(self.at(key), "expected a list")
        return [(f"{self.at(key)}[{i}]", item) for i, item in enumerate(value)]

    def text(self, key: str) -> str:
        value = self.raw(key)
        if not isinstance(value, str) or not value:
            raise EvaluationError(self.at(key), "expected a non-empty string")
        return value

    def integer(self, key: str, minimum: int = 0, *, nullable: bool = False) -> int | None:
        value = self.raw(key, optional=nullable)
        if value is None and nullable:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise EvaluationError(self.at(key), "expected an integer")
        if value < minimum:
            raise EvaluationError(self.at(key), f"must be at least {minimum}")
        return value

    def count(self, key: str, minimum: int = 0) -> int:
        value = self.integer(key, minimum)
        assert value is not None
        return value

    def boolean(self, key: str) -> bool:
        value = self.raw(key)
        if not isinstance(value, bool):
            raise EvaluationError(self.at(key), "expected true or false")
        return value

    def decimal(self, key: str, *, nullable: bool = False) -> Decimal | None:
        value = self.raw(key, optional=nullable)
        if value is None and nullable:
            return None
        return parse_decimal(value, self.at(key))

    def amount(self, key: str) -> Decimal:
        value = self.decimal(key)
        assert value is not None
        return value

    def choice(self, key: str, kind: type[E], *, nullable: bool = False) -> E | None:
        value = self.raw(key, optional=nullable)
        if value is None and nullable:
            return None
        return parse_choice(value, kind, self.at(key))

    def enum(self, key: str, kind: type[E]) -> E:
        value = self.choice(key, kind)
        assert value is not None
        return value

    def moment(self, key: str, *, nullable: bool = False) -> int | None:
        value = self.raw(key, optional=nullable)
        if value is None and nullable:
            return None
        return parse_moment(value, self.at(key))

    def instant(self, key: str) -> int:
        value = self.moment(key)
        assert value is not None
        return value


def parse_decimal(value: Any, field: str) -> Decimal:
    if not isinstance(value, str) or not _DECIMAL.match(value):
        raise EvaluationError(field, f'expected a decimal string such as "450.00", got {value!r}')
    try:
        number = Decimal(value)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already guards it
        raise EvaluationError(field, f"not a decimal: {value!r}") from exc
    if number < 0:
        raise EvaluationError(field, "must not be negative")
    return number


def parse_choice(value: Any, kind: type[E], field: str) -> E:
    allowed = [m.value for m in kind]
    for member in kind:
        if member.value == value:
            return member
    raise EvaluationError(field, f"unknown value {value!r}; expected one of {allowed}")


def parse_moment(value: Any, field: str) -> int:
    if not isinstance(value, str):
        raise EvaluationError(field, "expected an ISO 8601 time with an offset")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise EvaluationError(field, f"not an ISO 8601 time: {value!r}") from exc
    if moment.tzinfo is None:
        raise EvaluationError(field, f"time without offset: {value!r}")
    try:
        return to_seconds(moment, exact=True)
    except ValueError as exc:
        raise EvaluationError(field, str(exc)) from exc


def _clock_time(node: Node, key: str) -> time:
    value = node.raw(key)
    if not isinstance(value, str) or not re.fullmatch(r"\d\d:\d\d", value):
        raise EvaluationError(node.at(key), f'expected "HH:MM", got {value!r}')
    try:
        return time.fromisoformat(value)
    except ValueError as exc:
        raise EvaluationError(node.at(key), f"not a time of day: {value!r}") from exc


def _business_hours(node: Node) -> BusinessHours:
    days: set[int] = set()
    for path, day in node.items("days"):
        if day not in WEEKDAYS:
            raise EvaluationError(path, f"unknown value {day!r}; expected one of {list(WEEKDAYS)}")
        days.add(WEEKDAYS.index(day))
    start, end = _clock_time(node, "start"), _clock_time(node, "end")
    if end <= start:
        raise EvaluationError(node.at("end"), "end before start")
    node.done()
    return BusinessHours(frozenset(days), start, end)


def _contract(node: Node) -> ContractTerms:
    zone = node.text("timezone")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise EvaluationError(node.at("timezone"), f"unknown time zone {zone!r}") from exc
    country = node.text("holidays")
    if country not in SUPPORTED_HOLIDAYS:
        raise EvaluationError(
            node.at("holidays"), f"unknown value {country!r}; expected one of {SUPPORTED_HOLIDAYS}"
        )
    det = node.child("detector")
    detector = DetectorParams(
        det.count("slot_seconds", 1), det.count("n_down", 1), det.count("n_up", 1)
    )
    det.done()
    contract = ContractTerms(
        reference=node.text("reference"),
        timezone=zone,
        holidays=country,
        business_hours=_business_hours(node.child("business_hours")),
        maintenance_notice_days=node.count("maintenance_notice_days"),
        reopen_window_hours=node.count("reopen_window_hours"),
        skew_tolerance_seconds=node.count("skew_tolerance_seconds"),
        detector=detector,
        amount_total_ht=node.amount("amount_total_ht"),
        penalty_cap_contract_pct=node.amount("penalty_cap_contract_pct"),
        exemption_threshold_ht=node.amount("exemption_threshold_ht"),
        penalties_to_date_ht=node.amount("penalties_to_date_ht"),
    )
    node.done()
    return contract


def _tiers(node: Node) -> tuple[Tier, ...]:
    tiers: list[Tier] = []
    items = node.items("availability_tiers")
    if not items:
        raise EvaluationError(node.at("availability_tiers"), "expected at least one tier")
    for path, pair in items:
        if not isinstance(pair, list) or len(pair) != 2:
            raise EvaluationError(path, 'expected a pair ["threshold %", "rate %"]')
        threshold = parse_decimal(pair[0], f"{path}[0]")
        if threshold > 100:
            raise EvaluationError(f"{path}[0]", "a threshold is at most 100")
        if tiers and threshold >= tiers[-1].threshold_pct:
            raise EvaluationError(
                f"{path}[0]", "tiers must be listed from the highest threshold down"
            )
        tiers.append(Tier(threshold, parse_decimal(pair[1], f"{path}[1]")))
    return tuple(tiers)


def _service_class(name: str, node: Node) -> ServiceClassTerms:
    gtr_rate = node.decimal("gtr_penalty_pct_per_started_hour", nullable=True)
    gti_rate = node.decimal("gti_penalty_pct", nullable=True)
    cls = ServiceClassTerms(
        name=name,
        availability_schedule=node.enum("availability_schedule", Clock),
        availability_tiers=_tiers(node),
        gtr_minutes=node.integer("gtr_minutes", nullable=True),
        gtr_clock=node.enum("gtr_clock", Clock),
        gtr_penalty_pct_per_started_hour=gtr_rate,
        gti_minutes=node.integer("gti_minutes", nullable=True),
        gti_clock=node.enum("gti_clock", Clock),
        gti_penalty_pct=gti_rate,
        monthly_cap_pct=node.amount("monthly_cap_pct"),
        kpis=_kpi_targets(node),
    )
    node.done()
    return cls


def _kpi_targets(parent: Node) -> KpiTargets | None:
    """R15's optional `kpis`: any of the three targets, the penalty and the coverage floor."""
    if parent.raw("kpis", optional=True) is None:
        return None
    node = parent.child("kpis")
    targets = KpiTargets(
        rtt_ms=node.decimal("rtt_ms", nullable=True),
        loss_pct=node.decimal("loss_pct", nullable=True),
        jitter_ms=node.decimal("jitter_ms", nullable=True),
        penalty_pct=node.amount("penalty_pct"),
        min_coverage_pct=node.amount("min_coverage_pct"),
    )
    if not targets.targets():
        raise EvaluationError(node.path, "expected at least one of rtt_ms, loss_pct, jitter_ms")
    if targets.min_coverage_pct > 100:
        raise EvaluationError(node.at("min_coverage_pct"), "a coverage is at most 100")
    node.done()
    return targets


def _kpi_measurements(parent: Node) -> KpiMeasurements | None:
    """R15's `kpi_measurements`, consistent with itself (the slots are checked by the engine)."""
    if parent.raw("kpi_measurements", optional=True) is None:
        return None
    node = parent.child("kpi_measurements")
    m = KpiMeasurements(
        slots=node.count("slots"),
        probed_slots=node.count("probed_slots"),
        sent=node.count("sent"),
        lost=node.count("lost"),
        rtt_ms_p95=node.decimal("rtt_ms_p95", nullable=True),
        jitter_ms_mean=node.decimal("jitter_ms_mean", nullable=True),
    )
    node.done()
    if m.probed_slots > m.slots:
        raise EvaluationError(node.at("probed_slots"), "more than slots")
    if (m.sent == 0) != (m.probed_slots == 0):
        raise EvaluationError(node.at("sent"), "probes sent without probed slots, or the reverse")
    if m.lost > m.sent:
        raise EvaluationError(node.at("lost"), "more than sent")
    if (m.rtt_ms_p95 is None) != (m.lost == m.sent):
        raise EvaluationError(
            node.at("rtt_ms_p95"), "null exactly when no probe was answered (lost = sent)"
        )
    if m.jitter_ms_mean is not None and m.rtt_ms_p95 is None:
        raise EvaluationError(node.at("jitter_ms_mean"), "a jitter without any answered probe")
    return m


def _subscription(node: Node, classes: dict[str, ServiceClassTerms]) -> Subscription:
    cls = node.text("service_class")
    if cls not in classes:
        raise EvaluationError(node.at("service_class"), f"unknown service class {cls!r}")
    start = node.instant("service_start")
    end = node.moment("service_end", nullable=True)
    if end is not None and end <= start:
        raise EvaluationError(node.at("service_end"), "end before start")
    sub = Subscription(
        id=node.text("id"),
        service_class=cls,
        monthly_fee_ht=node.amount("monthly_fee_ht"),
        service_start=start,
        service_end=end,
        site=node.text("site"),
        role=node.enum("role", Role),
        kpi_measurements=_kpi_measurements(node),
    )
    if classes[cls].kpis is not None and sub.kpi_measurements is None:
        raise EvaluationError(node.at("kpi_measurements"), "missing (its class has kpis, R15)")
    node.done()
    return sub


def _known(node: Node, key: str, known: set[str] | dict[str, Any]) -> str:
    value = node.text(key)
    if value not in known:
        raise EvaluationError(node.at(key), f"unknown subscription {value!r}")
    return value


def _span(node: Node, start_key: str, end_key: str) -> tuple[int, int]:
    start, end = node.instant(start_key), node.instant(end_key)
    if end <= start:
        raise EvaluationError(node.at(end_key), "end before start (or equal to it)")
    return start, end


def _run(node: Node, subs: set[str], slot: int) -> MonitoringRunInput:
    sub = _known(node, "subscription", subs)
    start, end = _span(node, "start", "end")
    if (end - start) % slot:
        raise EvaluationError(
            node.at("end"), f"a run is whole slots: its length is not a multiple of {slot} s"
        )
    state_value = node.raw("state")
    if state_value not in ("down", "unknown"):
        raise EvaluationError(
            node.at("state"), f"unknown value {state_value!r}; expected one of ['down', 'unknown']"
        )
    run = MonitoringRunInput(
        subscription=sub,
        start=start,
        end=end,
        state=SlotState(state_value),
        imputability=node.choice("imputability", ImputabilityCode, nullable=True),
    )
    node.done()
    return run


def _check_no_overlap(runs: list[tuple[str, MonitoringRunInput]]) -> None:
    by_sub: dict[str, list[tuple[str, MonitoringRunInput]]] = defaultdict(list)
    for path, run in runs:
        by_sub[run.subscription].append((path, run))
    for items in by_sub.values():
        items.sort(key=lambda item: item[1].start)
        for (_, before), (path, after) in itertools.pairwise(items):
            if after.start < before.end:
                raise EvaluationError(
                    f"{path}.start", "overlaps another monitoring run of its subscription"
                )


def _ticket(node: Node, subs: set[str]) -> TicketInput:
    sub = _known(node, "subscription", subs)
    opened = node.instant("opened_at")
    fault = node.moment("fault_start", nullable=True)
    if fault is not None and fault > opened:
        raise EvaluationError(node.at("fault_start"), "after opened_at")
    ack = node.moment("acknowledged_at", nullable=True)
    if ack is not None and ack < opened:
        raise EvaluationError(node.at("acknowledged_at"), "before opened_at")
    restored = node.moment("restored_at", nullable=True)
    if restored is not None and restored < opened:
        raise EvaluationError(node.at("restored_at"), "end before start (before opened_at)")
    suspensions = []
    for path, item in node.items("suspensions"):
        s = Node(item, path)
        start, end = _span(s, "start", "end")
        suspensions.append(Suspension(start, end, s.boolean("accepted")))
        s.done()
    reopenings = []
    previous = restored
    for path, item in node.items("reopenings"):
        r = Node(item, path)
        at = r.instant("at")
        if previous is None or at < previous:
            raise EvaluationError(r.at("at"), "a reopening follows the previous restoration")
        again = r.moment("restored_at", nullable=True)
        if again is not None and again < at:
            raise EvaluationError(r.at("restored_at"), "end before start (before at)")
        reopenings.append(Reopening(at, again))
        r.done()
        previous = again
    ticket = TicketInput(
        id=node.text("id"),
        subscription=sub,
        opened_at=opened,
        fault_start=fault,
        acknowledged_at=ack,
        restored_at=restored,
        imputability=node.enum("imputability", ImputabilityCode),
        suspensions=tuple(suspensions),
        reopenings=tuple(reopenings),
    )
    node.done()
    return ticket


def _maintenance(node: Node, subs: set[str]) -> Maintenance:
    names = []
    for path, name in node.items("subscriptions"):
        if name not in subs:
            raise EvaluationError(path, f"unknown subscription {name!r}")
        names.append(name)
    start, end = _span(node, "planned_start", "planned_end")
    window = Maintenance(
        tuple(names), node.instant("notified_at"), start, end, node.boolean("curative")
    )
    node.done()
    return window


def _claim(node: Node, subs: set[str]) -> ExclusionClaimInput:
    sub = _known(node, "subscription", subs)
    start, end = _span(node, "start", "end")
    claim = ExclusionClaimInput(
        sub, start, end, node.enum("type", ExclusionType), node.enum("decision", DecisionCode)
    )
    node.done()
    return claim


def _unique(items: list[tuple[str, T]], key: Callable[[T], str], what: str) -> None:
    seen: set[str] = set()
    for path, item in items:
        if key(item) in seen:
            raise EvaluationError(f"{path}.id", f"duplicate {what} id {key(item)!r}")
        seen.add(key(item))


def parse_evaluation(document: Any) -> Evaluation:
    root = Node(document, "")
    month = root.raw("month")
    match = re.fullmatch(r"(\d{4})-(\d{2})", month) if isinstance(month, str) else None
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise EvaluationError("month", f'expected "YYYY-MM", got {month!r}')
    contract = _contract(root.child("contract"))
    classes_node = root.child("service_classes")
    classes = {
        name: _service_class(name, Node(value, classes_node.at(name)))
        for name, value in classes_node.value.items()
    }
    subs = [(p, _subscription(Node(v, p), classes)) for p, v in root.items("subscriptions")]
    _unique(subs, lambda s: s.id, "subscription")
    ids = {s.id for _, s in subs}
    slot = contract.detector.slot_seconds
    runs = [(p, _run(Node(v, p), ids, slot)) for p, v in root.items("monitoring")]
    _check_no_overlap(runs)
    tickets = [(p, _ticket(Node(v, p), ids)) for p, v in root.items("tickets")]
    _unique(tickets, lambda t: t.id, "ticket")
    evaluation = Evaluation(
        year=int(match.group(1)),
        month=int(match.group(2)),
        contract=contract,
        service_classes=classes,
        subscriptions=tuple(s for _, s in subs),
        monitoring=tuple(r for _, r in runs),
        tickets=tuple(t for _, t in tickets),
        maintenance=tuple(_maintenance(Node(v, p), ids) for p, v in root.items("maintenance")),
        exclusions=tuple(_claim(Node(v, p), ids) for p, v in root.items("exclusions")),
        as_of=root.moment("as_of", nullable=True),
        monitoring_until=root.moment("monitoring_until", nullable=True),
    )
    root.done()
    return evaluation
