"""A small contract-month for the SLA's database side, with figures worked out by hand.

June 2025 in Paris: 30 days = 2,592,000 s. Contract LOT-T, class `premium` 24/7, tiers
99.9 → 0 %, 99.5 → 10 %, 99.0 → 25 %, else 50 %; GTR 240 min at 10 % per started hour.
- link A (450.00 €, site S-A, dept 29, school): DOWN 10 June 10:00–11:00 UTC (3,600 s)
  → A = 2,588,400 / 2,592,000 = 99.8611… % → tier 10 % → 45.00 €.
- link B (300.00 €, site S-B, dept 35, local authority): nothing → 100 %.
Fleet = (2,592,000 × 2 − 3,600) / 5,184,000 = 99.9305… → "99.930".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from inventory import choices as c
from inventory import models as m
from sla.collect import record_window
from sla.models import MonitoringRun
from tests.factories import inventory as f

UTC = dt.UTC
NOW = dt.datetime(2025, 7, 5, tzinfo=UTC)  # the month is over


def at(day: int, hour: int, minute: int = 0, month: int = 6) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, minute, tzinfo=UTC)


@dataclass
class Month:
    contract: m.Contract
    link_a: m.Link
    link_b: m.Link


def small_month() -> Month:
    operator = f.OperatorFactory.create(name="Armor Test", slug="armor-test")
    contract = f.ContractFactory.create(
        operator=operator, reference="LOT-T", amount_total_ht=Decimal("100000.00")
    )
    premium = f.ServiceClassFactory.create(
        contract=contract,
        name="Premium",
        slug="premium",
        gtr_minutes=240,
        gtr_penalty_pct_per_started_hour=Decimal("10"),
    )
    d29 = f.DepartmentFactory.create(code="29", name="Finistère")
    d35 = f.DepartmentFactory.create(code="35", name="Ille-et-Vilaine")
    site_a = f.EstablishmentFactory.create(
        code="S-A",
        name="Collège A",
        category=c.EstablishmentCategory.COLLEGE,
        commune=f.CommuneFactory.create(insee="29001", department=d29),
    )
    site_b = f.EstablishmentFactory.create(
        code="S-B",
        name="Mairie B & <annexe>",
        commune=f.CommuneFactory.create(insee="35001", department=d35),
    )
    common = {"operator": operator, "contract": contract, "service_class": premium}
    link_a = f.LinkFactory.create(
        circuit_id="A", establishment=site_a, monthly_fee_ht=Decimal("450.00"), **common
    )
    link_b = f.LinkFactory.create(
        circuit_id="B", establishment=site_b, monthly_fee_ht=Decimal("300.00"), **common
    )
    MonitoringRun.objects.create(link=link_a, start=at(10, 10), end=at(10, 11), state="down")
    # the poller's daily collections: June and the day after are complete (a final report)
    record_window(at(30, 0, month=5), at(2, 0, month=7), "poller")
    return Month(contract, link_a, link_b)
