"""Which access each site buys, by category and size (data README's speeds of the period).

ADSL 0.5–20 Mbit/s for small sites, SDSL 2–8 Mbit/s symmetric for collèges, lycées and local
hospitals, fibre 10–100 Mbit/s for lycées and mid-size sites, 1 Gbit/s for universities, university
hospitals, research centres and the department and region headquarters.
"""

from __future__ import annotations

import random

from simulation.seed.catalogue import Offer, adsl, fibre, sdsl
from simulation.seed.establishments import Site


def offer_for(site: Site, rng: random.Random) -> Offer:
    critical = site.backup == "fibre"
    if site.gigabit:
        return fibre(1000, premium=critical)
    pop, kind, roll = site.population, site.kind, rng.random()
    if kind in ("university", "school", "research"):
        return fibre(100, premium=critical)
    if kind in ("ght_seat", "archives"):
        return fibre(100)
    if kind == "hospital":
        return fibre(100) if pop >= 15_000 else fibre(50)
    if kind == "epci":
        return fibre(100) if pop >= 10_000 else fibre(50) if roll < 0.6 else sdsl(8)
    if kind == "mairie":
        return _town_hall(pop, roll, rng)
    if kind in ("lycee", "lycee_pro"):
        if roll < 0.75:
            return fibre(100) if pop >= 30_000 else fibre(rng.choice((20, 50)))
        return sdsl(8)
    if kind == "lycee_agri":
        return fibre(20) if roll < 0.5 else sdsl(8)
    if kind == "college":
        if roll < 0.4:
            return fibre(rng.choice((10, 20)))
        return sdsl(rng.choice((2, 4, 8))) if roll < 0.85 else adsl(20)
    if kind == "ecole":
        if roll < 0.05 and pop >= 20_000:
            return fibre(10)
        if roll < 0.15:
            return sdsl(2)
        return adsl(2) if pop < 800 else adsl(rng.choice((8, 20)))
    if kind == "care_home":
        return sdsl(rng.choice((4, 8))) if roll < 0.5 else adsl(20)
    if kind == "museum":
        return fibre(20) if pop >= 20_000 else sdsl(rng.choice((4, 8)))
    if kind == "culture":
        return sdsl(4) if roll < 0.25 else adsl(rng.choice((8, 20)))
    if kind == "tourism":
        return adsl(2) if pop < 1_000 else adsl(rng.choice((8, 20)))
    if kind == "training":
        return fibre(20) if roll < 0.5 else sdsl(8)
    if kind == "chamber":
        return (
            fibre(100) if "Bretagne" in site.spec.name else (fibre(20) if roll < 0.6 else sdsl(8))
        )
    return adsl(8)


def _town_hall(pop: int, roll: float, rng: random.Random) -> Offer:
    if pop >= 20_000:
        return fibre(100)
    if pop >= 8_000:
        return fibre(50)
    if pop >= 3_000:
        return fibre(20) if roll < 0.4 else sdsl(rng.choice((4, 8))) if roll < 0.7 else adsl(20)
    if pop >= 500:
        return sdsl(2) if roll < 0.15 else adsl(rng.choice((8, 20)))
    return adsl(rng.choice((0.5, 1, 2)))


def is_large(offer: Offer) -> bool:
    """Sites on fibre get the larger CPE (more LAN ports)."""
    return offer.technology == "ftto"
