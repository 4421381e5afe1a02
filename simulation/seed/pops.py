"""The PoPs: the backbone loop's seven cities and 18 secondary towns hanging off the nearest."""

from __future__ import annotations

import random

from inventory.choices import PopKind
from simulation.seed import landmarks, naming
from simulation.seed.geography import Geography, distance_km
from simulation.seed.plan import PopSpec


def generate_pops(rng: random.Random, geo: Geography) -> list[PopSpec]:
    pops = [_pop(rng, geo, town, PopKind.BACKBONE, None) for town in landmarks.BACKBONE_TOWNS]
    for town in landmarks.SECONDARY_TOWNS:
        commune = geo.town(town)
        parent = min(
            pops[: len(landmarks.BACKBONE_TOWNS)],
            key=lambda p: distance_km(commune.latitude, commune.longitude, p.latitude, p.longitude),
        )
        pops.append(_pop(rng, geo, town, PopKind.SECONDARY, parent.name))
    return pops


def _pop(rng: random.Random, geo: Geography, town: str, kind: str, parent: str | None) -> PopSpec:
    commune = geo.town(town)
    return PopSpec(
        name=town,
        slug=naming.slugify(town),
        kind=kind,
        commune=commune.insee,
        parent=parent,
        address=f"Salle technique, {naming.address(rng, town)}",
        latitude=round(commune.latitude + rng.uniform(-0.01, 0.01), 5),
        longitude=round(commune.longitude + rng.uniform(-0.01, 0.01), 5),
    )


def nearest(pops: list[PopSpec], lat: float, lon: float) -> list[PopSpec]:
    """PoPs from the nearest to the farthest."""
    return sorted(pops, key=lambda p: (distance_km(lat, lon, p.latitude, p.longitude), p.name))
