"""Operators, their contracts (lots), the service classes and the price list.

Fictional operators; service levels after the industry practice of the period (data README):
fibre 99.9 % 24/7 with GTR 4 h, SDSL GTR 4 h in business hours, ADSL best effort (next business
day), backbone ≥ 99.95 %, 4G backup without GTR.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from inventory.choices import LinkTechnology, Schedule
from simulation.seed.plan import ContractSpec, OperatorSpec, ServiceClassSpec

ACCESS_OP = "Armor Télécom"  # won the access lots
BACKBONE_OP = "Océane Réseaux"  # backbone loop, Internet access and streaming
MOBILE_OP = "Ker Mobile"  # 4G backup and satellite
DIVERSE_OP = "Iroise Fibre"  # second fibre of the dual-homed sites

LOT_FIBRE, LOT_XDSL, LOT_BACKBONE, LOT_BACKUP, LOT_DIVERSE = (
    "MEG-2021-01",
    "MEG-2021-02",
    "MEG-2021-03",
    "MEG-2021-04",
    "MEG-2021-05",
)
CONTRACT_START = date(2021, 7, 1)
CONTRACT_END = date(2027, 6, 30)
CONTRACT_MONTHS = 72

OPERATORS = (
    (ACCESS_OP, "armor-telecom", "Access lots: fibre and xDSL"),
    (BACKBONE_OP, "oceane-reseaux", "Backbone loop, Internet access and streaming"),
    (MOBILE_OP, "ker-mobile", "4G backup and satellite access"),
    (DIVERSE_OP, "iroise-fibre", "Second fibre access for dual-homed sites"),
)
CONTRACTS = (
    (LOT_FIBRE, ACCESS_OP, "Accès fibre optique des sites", "1"),
    (LOT_XDSL, ACCESS_OP, "Accès xDSL des sites (ADSL, SDSL)", "2"),
    (LOT_BACKBONE, BACKBONE_OP, "Boucle régionale, collecte et accès Internet", "3"),
    (LOT_BACKUP, MOBILE_OP, "Secours 4G et accès satellite", "4"),
    (LOT_DIVERSE, DIVERSE_OP, "Second accès fibre (diversité de chemin)", "5"),
)

TIERS_PREMIUM = [["99.95", "0"], ["99.9", "10"], ["99.5", "25"], ["0", "50"]]
TIERS_FIBRE = [["99.9", "0"], ["99.5", "10"], ["99.0", "25"], ["0", "50"]]
TIERS_SDSL = [["99.5", "0"], ["99.0", "10"], ["0", "25"]]


def _sc(contract: str, name: str, slug: str, **terms: object) -> ServiceClassSpec:
    values: dict = {
        "availability_schedule": Schedule.ALWAYS,
        "availability_target_pct": None,
        "availability_tiers": [],
        "gtr_minutes": None,
        "gtr_clock": Schedule.ALWAYS,
        "gtr_penalty_pct_per_started_hour": None,
        "gti_minutes": None,
        "gti_clock": Schedule.ALWAYS,
        "gti_penalty_pct": None,
        "description": "",
    }
    values.update(terms)
    return ServiceClassSpec(contract, name, slug, CONTRACT_START, **values)


SERVICE_CLASSES = (
    _sc(
        LOT_FIBRE,
        "Fibre premium (chemin redondé)",
        "fibre-premium",
        availability_target_pct=Decimal("99.95"),
        availability_tiers=TIERS_PREMIUM,
        gtr_minutes=240,
        gtr_penalty_pct_per_started_hour=Decimal("10"),
        gti_minutes=30,
        gti_penalty_pct=Decimal("5"),
        description="University hospitals and universities: 99.95 % 24/7, GTR 4 h 24/7",
    ),
    _sc(
        LOT_FIBRE,
        "Fibre pro",
        "fibre-pro",
        availability_target_pct=Decimal("99.9"),
        availability_tiers=TIERS_FIBRE,
        gtr_minutes=240,
        gtr_penalty_pct_per_started_hour=Decimal("10"),
        gti_minutes=60,
        gti_penalty_pct=Decimal("5"),
        description="Fibre 10 Mbit/s – 1 Gbit/s: 99.9 % monthly, GTR 4 h 24/7",
    ),
    _sc(
        LOT_XDSL,
        "SDSL",
        "sdsl",
        availability_schedule=Schedule.BUSINESS,
        availability_target_pct=Decimal("99.5"),
        availability_tiers=TIERS_SDSL,
        gtr_minutes=240,
        gtr_clock=Schedule.BUSINESS,
        gtr_penalty_pct_per_started_hour=Decimal("5"),
        gti_minutes=120,
        gti_clock=Schedule.BUSINESS,
        gti_penalty_pct=Decimal("2"),
        description="Symmetric DSL: GTR 4 h in business hours",
    ),
    _sc(
        LOT_XDSL,
        "ADSL best effort",
        "adsl",
        gtr_minutes=600,
        gtr_clock=Schedule.BUSINESS,
        gtr_penalty_pct_per_started_hour=Decimal("2"),
        description="Best effort; restoration by the next business day (10 business hours)",
    ),
    _sc(
        LOT_BACKBONE,
        "Backbone",
        "backbone",
        availability_target_pct=Decimal("99.95"),
        availability_tiers=TIERS_PREMIUM,
        gtr_minutes=240,
        gtr_penalty_pct_per_started_hour=Decimal("10"),
        gti_minutes=30,
        gti_penalty_pct=Decimal("5"),
        description="Regional loop and collection: 99.95 % 24/7",
    ),
    _sc(LOT_BACKUP, "Secours 4G", "4g-backup", description="4G backup: best effort, no GTR"),
    _sc(
        LOT_DIVERSE,
        "Fibre diversifiée",
        "fibre-diverse",
        availability_target_pct=Decimal("99.9"),
        availability_tiers=TIERS_FIBRE,
        gtr_minutes=240,
        gtr_penalty_pct_per_started_hour=Decimal("10"),
        gti_minutes=60,
        gti_penalty_pct=Decimal("5"),
        description="Second fibre on a separate path: 99.9 % 24/7, GTR 4 h 24/7",
    ),
)


class Offer(NamedTuple):
    """One line of the price list: what a site buys for its access."""

    technology: str
    down_bps: int
    up_bps: int
    port_bps: int
    contract: str
    service_class: str
    fee: Decimal


M, G = 1_000_000, 1_000_000_000
F = LinkTechnology


def adsl(mbps: float) -> Offer:
    down = int(mbps * M)
    up = min(down // 8, M)
    fee = Decimal("35") if mbps <= 2 else Decimal("45") if mbps <= 8 else Decimal("55")
    return Offer(F.ADSL, down, up, down, LOT_XDSL, "adsl", fee)


def sdsl(mbps: int) -> Offer:
    fee = {2: Decimal("180"), 4: Decimal("260"), 8: Decimal("380")}[mbps]
    return Offer(F.SDSL, mbps * M, mbps * M, mbps * M, LOT_XDSL, "sdsl", fee)


FIBRE_FEES = {10: "390", 20: "450", 50: "590", 100: "750", 1000: "1650"}


def fibre(mbps: int, premium: bool = False) -> Offer:
    port = G if mbps > 100 else 100 * M
    fee = Decimal(FIBRE_FEES[mbps]) + (Decimal("250") if premium else 0)
    cls = "fibre-premium" if premium else "fibre-pro"
    return Offer(F.FTTO, mbps * M, mbps * M, port, LOT_FIBRE, cls, fee)


def diverse_fibre(primary: Offer) -> Offer:
    fee = (Decimal(FIBRE_FEES[primary.down_bps // M]) * Decimal("0.9")).quantize(Decimal("1"))
    return primary._replace(contract=LOT_DIVERSE, service_class="fibre-diverse", fee=fee)


LTE_BACKUP = Offer(F.LTE_BACKUP, 20 * M, 5 * M, 50 * M, LOT_BACKUP, "4g-backup", Decimal("45"))
BACKBONE_RING = Offer(F.BACKBONE, 2 * G, 2 * G, 10 * G, LOT_BACKBONE, "backbone", Decimal("4800"))
BACKBONE_SPUR = Offer(F.BACKBONE, G, G, 10 * G, LOT_BACKBONE, "backbone", Decimal("1200"))
CROSS_CONNECT = Offer(F.BACKBONE, 10 * G, 10 * G, 10 * G, LOT_BACKBONE, "backbone", Decimal("150"))


def operators() -> list[OperatorSpec]:
    return [
        OperatorSpec(
            name=name,
            slug=slug,
            noc_email=f"noc@{slug}.example",
            noc_phone=f"02 61 91 00 {i:02d}",
            portal_url=f"https://portail.{slug}.example/",
            description=description,
        )
        for i, (name, slug, description) in enumerate(OPERATORS, start=10)
    ]


def contracts(monthly_fees: dict[str, Decimal]) -> list[ContractSpec]:
    """The lots, their amount sized on what the network buys over the contract's 72 months."""
    result = []
    for reference, operator, title, lot in CONTRACTS:
        spend = monthly_fees.get(reference, Decimal(0)) * CONTRACT_MONTHS * Decimal("1.15")
        amount = (spend / 10_000).to_integral_value(rounding="ROUND_CEILING") * 10_000
        result.append(
            ContractSpec(
                reference=reference,
                operator=operator,
                title=title,
                lot=lot,
                start_date=CONTRACT_START,
                end_date=CONTRACT_END,
                amount_total_ht=Decimal(amount).quantize(Decimal("0.01")),
            )
        )
    return result
