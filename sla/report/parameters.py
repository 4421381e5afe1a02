"""The names of the evaluation file's parameters (the contract's and each service class's
terms) as the method annex shows them: a reader sees words, never the file's keys."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.dates import WEEKDAYS_ABBR
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from common.quantities import NBSP, Duration, amount, milliseconds, number, percent, text

if TYPE_CHECKING:
    from sla.report.tables import Cell

NAMES: dict[str, Promise] = {
    "timezone": _("Time zone"),
    "holidays": _("Public holidays (country)"),
    "business_hours": _("Business hours"),
    "days": _("days of the week"),
    "start": _("from"),
    "end": _("to"),
    "maintenance_notice_days": _("Notice required for planned works (days)"),
    "reopen_window_hours": _("A ticket reopened within (hours) continues the same incident"),
    "skew_tolerance_seconds": _("Clock skew tolerated (seconds)"),
    "detector": _("Outage detector"),
    "slot_seconds": _("polling slot (seconds)"),
    "n_down": _("failed polls before down"),
    "n_up": _("successful polls before up"),
    "amount_total_ht": _("Contract amount (€ HT)"),
    "penalty_cap_contract_pct": _("Contract cap on penalties (% of the amount)"),
    "exemption_threshold_ht": _("Exemption threshold (€ HT)"),
    "penalties_to_date_ht": _("Penalties before this month (€ HT)"),
    "availability_schedule": _("Availability measured over"),
    "availability_tiers": _(
        "Availability tiers (availability ≥ % → penalty in % of the monthly fee)"
    ),
    "gtr_minutes": _("GTR guaranteed"),
    "gtr_clock": _("GTR clock"),
    "gtr_penalty_pct_per_started_hour": _("GTR penalty per started hour over (% of the fee)"),
    "gti_minutes": _("GTI guaranteed"),
    "gti_clock": _("GTI clock"),
    "gti_penalty_pct": _("GTI penalty (% of the fee)"),
    "monthly_cap_pct": _("Monthly cap on penalties (% of the fee)"),
    "kpis": _("Quality of service targets"),
    "rtt_ms": _("latency, p95 (ms)"),
    "loss_pct": _("loss (%)"),
    "jitter_ms": _("jitter, mean (ms)"),
    "penalty_pct": _("penalty per indicator missed (% of the fee)"),
    "min_coverage_pct": _("minimum probe coverage (%)"),
}


def parameter_name(key: str) -> str:
    """The parameter's name in the active language (an unknown key as it is)."""
    name = NAMES.get(key)
    return key if name is None else str(name)


VALUES: dict[str, Promise] = {
    "business": _("business hours"),
    "24/7": _("around the clock (24/7)"),
}


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parameter_value(key: str, value: object) -> Cell:
    """A parameter's value as the annex shows it: money and rates as figures with their unit,
    nested terms named, clocks and weekdays in words."""
    if value is None:
        return "—"
    if key.endswith("_ht"):
        return amount(str(value))
    if key.endswith("_minutes") and isinstance(value, int):
        return Duration(value * 60)
    if "_pct" in key and not isinstance(value, list):
        return percent(str(value), places=decimals(str(value)))
    if key.endswith("_ms"):
        return milliseconds(str(value), places=decimals(str(value)))
    if key == "availability_tiers" and isinstance(value, list):
        return " · ".join(
            f"≥ {number(Decimal(t))}{NBSP}% → {number(Decimal(r))}{NBSP}%" for t, r in value
        )
    if key == "days" and isinstance(value, list):
        return " ".join(
            str(WEEKDAYS_ABBR[WEEKDAYS.index(d)]) if d in WEEKDAYS else str(d) for d in value
        )
    if isinstance(value, dict):
        return ", ".join(
            f"{parameter_name(k)} {text(parameter_value(k, v))}" for k, v in value.items()
        )
    if isinstance(value, list):
        return " ".join(map(str, value))
    if isinstance(value, str) and value in VALUES:
        return str(VALUES[value])
    return str(value)


def decimals(value: str) -> int:
    """The decimals a rate is written with ("25" → 0, "2.5" → 1)."""
    return len(value.split(".", 1)[1]) if "." in value else 0
