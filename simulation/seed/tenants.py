"""The organisations sites belong to: the Région, the department councils, the intercommunal
authorities (each commune joins the nearest seat), universities, hospital groups, chambers."""

from __future__ import annotations

from dataclasses import dataclass

from simulation.seed import landmarks
from simulation.seed.geography import CommuneSpec, Geography, distance_km
from simulation.seed.naming import de, slugify
from simulation.seed.plan import TenantSpec

SEAT_SPACING_KM = 14.0


# "de" + the department's name with its article.
_OF_DEPARTMENT = {"22": "des Côtes-d'Armor", "29": "du Finistère", "56": "du Morbihan"}


def of_department(geo: Geography, code: str) -> str:
    return _OF_DEPARTMENT.get(code) or de(geo.department(code).name)


def department_council(geo: Geography, code: str) -> str:
    return f"Conseil départemental {of_department(geo, code)}"


@dataclass(frozen=True)
class Intercommunality:
    name: str
    seat: CommuneSpec


def intercommunal_seats(geo: Geography) -> list[Intercommunality]:
    """The 59 seats: the largest towns at least SEAT_SPACING_KM from a larger seat."""
    seats: list[CommuneSpec] = []
    for commune in sorted(geo.communes, key=lambda c: (-c.population, c.insee)):
        if all(
            distance_km(commune.latitude, commune.longitude, s.latitude, s.longitude)
            >= SEAT_SPACING_KM
            for s in seats
        ):
            seats.append(commune)
        if len(seats) == landmarks.INTERCOMMUNAL_COUNT:
            break
    return [Intercommunality(_intercommunal_name(s), s) for s in seats]


def _intercommunal_name(seat: CommuneSpec) -> str:
    known = landmarks.INTERCOMMUNAL_NAMES.get(seat.name)
    if known:
        return known
    return f"Communauté de communes du Pays {de(seat.name)}"


def membership(geo: Geography, epcis: list[Intercommunality]) -> dict[str, Intercommunality]:
    """Commune INSEE code → its intercommunal authority (the nearest seat)."""
    result = {}
    for commune in geo.communes:
        result[commune.insee] = min(
            epcis,
            key=lambda e: distance_km(
                commune.latitude, commune.longitude, e.seat.latitude, e.seat.longitude
            ),
        )
    return result


def tenant(name: str, description: str = "") -> TenantSpec:
    return TenantSpec(name=name, slug=slugify(name)[:150], description=description)
