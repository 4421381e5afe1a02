"""The 2,026 establishments, spread over real communes weighted by population.

Big sites go where they really are (landmarks); the many small ones (town halls, schools) are drawn
at random, weighted by population, with a random generator seeded by the caller.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from inventory.choices import Criticality, EstablishmentCategory, Status
from simulation.seed import landmarks, naming
from simulation.seed.geography import CommuneSpec, Geography, distance_km
from simulation.seed.plan import EstablishmentSpec, TenantSpec
from simulation.seed.tenants import (
    department_council,
    intercommunal_seats,
    membership,
    of_department,
    tenant,
)

Cat = EstablishmentCategory
TARGETS: dict[str, int] = {
    Cat.LOCAL_AUTHORITY: 740,
    Cat.ECOLE: 420,
    Cat.COLLEGE: 330,
    Cat.LYCEE: 238,
    Cat.HEALTH: 60,
    Cat.HIGHER_EDUCATION: 60,
    Cat.CULTURE: 70,
    Cat.TOURISM: 60,
    Cat.TRAINING: 20,
    Cat.CHAMBER_OF_COMMERCE: 28,
}
TOTAL = sum(TARGETS.values())  # 2,026
PLANNED_SHARE = 0.012  # sites ordered but not yet delivered


@dataclass(frozen=True, slots=True)
class Site:
    """An establishment with what the access design needs to know about it."""

    spec: EstablishmentSpec
    kind: str  # finer than the category: "mairie", "chu", "lycee_pro"…
    population: int  # of its commune
    gigabit: bool = False
    backup: str | None = None  # "fibre" or "lte" for dual-homed sites


@dataclass
class Generated:
    sites: list[Site]
    tenants: list[TenantSpec]


class _Builder:
    def __init__(self, rng: random.Random, geo: Geography) -> None:
        self.rng = rng
        self.geo = geo
        self.sites: list[Site] = []
        self.tenants: dict[str, TenantSpec] = {}
        self._ordinals: Counter[tuple[str, str]] = Counter()
        self._names: dict[str, set[str]] = defaultdict(set)

    def tenant(self, name: str, description: str = "") -> str:
        self.tenants.setdefault(name, tenant(name, description))
        return name

    def add(
        self,
        commune: CommuneSpec,
        prefix: str,
        name: str,
        category: str,
        kind: str,
        tenant_name: str | None,
        *,
        criticality: str = Criticality.NORMAL,
        gigabit: bool = False,
        backup: str | None = None,
        description: str = "",
    ) -> None:
        self._ordinals[(prefix, commune.insee)] += 1
        code = f"{prefix}-{commune.insee}-{self._ordinals[(prefix, commune.insee)]:02d}"
        self._names[commune.insee].add(name)
        lat, lon = self._near(commune)
        dual = backup is not None or criticality == Criticality.CRITICAL
        planned = not dual and self.rng.random() < PLANNED_SHARE
        spec = EstablishmentSpec(
            code=code,
            name=name,
            category=category,
            commune=commune.insee,
            address=naming.address(self.rng, commune.name),
            latitude=lat,
            longitude=lon,
            status=Status.PLANNED if planned else Status.ACTIVE,
            criticality=criticality,
            tenant=tenant_name,
            description=description,
        )
        self.sites.append(Site(spec, kind, commune.population, gigabit, backup))

    def unused_name(self, commune: CommuneSpec, stem: str, pool: tuple[str, ...]) -> str:
        taken = {n[len(stem) + 1 :] for n in self._names[commune.insee] if n.startswith(stem)}
        return f"{stem} {naming.pick_unused(self.rng, pool, taken)}"

    def _near(self, commune: CommuneSpec) -> tuple[float, float]:
        """A point within a radius that grows with the town (Rennes ≈ 2.5 km)."""
        radius_km = 0.4 + 2.0 * math.sqrt(commune.population / 225_000)
        angle = self.rng.uniform(0, 2 * math.pi)
        dist = radius_km * math.sqrt(self.rng.random())
        dlat = dist * math.cos(angle) / 111.2
        dlon = dist * math.sin(angle) / (111.2 * math.cos(math.radians(commune.latitude)))
        return round(commune.latitude + dlat, 5), round(commune.longitude + dlon, 5)


def weighted_draw(
    rng: random.Random,
    communes: list[CommuneSpec],
    k: int,
    *,
    exponent: float = 1.0,
    distinct: bool = False,
) -> list[CommuneSpec]:
    """k communes drawn with probability ∝ population**exponent (distinct: no replacement)."""
    weights = [max(c.population, 1) ** exponent for c in communes]
    if not distinct:
        return rng.choices(communes, weights=weights, k=k)
    # Efraimidis–Spirakis: the k largest u**(1/w) are a weighted sample without replacement.
    keyed = sorted(((rng.random() ** (1.0 / w), i) for i, w in enumerate(weights)), reverse=True)
    return [communes[i] for _, i in keyed[:k]]


def generate_establishments(rng: random.Random, geo: Geography) -> Generated:
    b = _Builder(rng, geo)
    epcis = intercommunal_seats(geo)
    member = membership(geo, epcis)

    def local_tenant(commune: CommuneSpec) -> str:
        return b.tenant(member[commune.insee].name, "Intercommunal authority")

    _local_authorities(b, epcis, local_tenant)
    _schools(b, local_tenant)
    _health(b)
    _higher_education(b)
    _culture(b, local_tenant)
    _tourism(b, local_tenant)
    _training(b)
    _chambers(b)
    counts = Counter(s.spec.category for s in b.sites)
    assert counts == Counter(TARGETS), f"category counts drifted: {counts}"
    return Generated(sites=b.sites, tenants=sorted(b.tenants.values(), key=lambda t: t.name))


def _local_authorities(b: _Builder, epcis: list, local_tenant: Callable) -> None:
    geo, LA = b.geo, Cat.LOCAL_AUTHORITY
    region = b.tenant(landmarks.REGION, "Regional council")
    b.add(
        geo.town("Rennes"),
        "REG",
        "Hôtel de Région Bretagne",
        LA,
        "region_hq",
        region,
        criticality=Criticality.HIGH,
        gigabit=True,
        backup="lte",
    )
    for code, town in landmarks.DEPARTMENT_SEATS.items():
        council = b.tenant(department_council(geo, code), "Department council")
        b.add(
            geo.town(town),
            "DEP",
            f"Hôtel du Département – {council}",
            LA,
            "department_hq",
            council,
            criticality=Criticality.HIGH,
            gigabit=True,
            backup="lte",
        )
    for epci in epcis:
        name = b.tenant(epci.name, "Intercommunal authority")
        b.add(epci.seat, "EPCI", f"Siège de {epci.name}", LA, "epci", name)
    count = TARGETS[LA] - 1 - len(landmarks.DEPARTMENT_SEATS) - len(epcis)
    towns = weighted_draw(b.rng, list(geo.communes), count, exponent=0.6, distinct=True)
    for commune in sorted(towns, key=lambda c: c.insee):
        big = commune.population >= 20_000
        name = (
            f"Hôtel de ville {naming.de(commune.name)}"
            if big
            else (f"Mairie {naming.de(commune.name)}")
        )
        backbone = commune.name in landmarks.BACKBONE_TOWNS
        b.add(
            commune,
            "MAI",
            name,
            LA,
            "mairie",
            local_tenant(commune),
            criticality=Criticality.HIGH if backbone else Criticality.NORMAL,
            backup="lte" if backbone else None,
        )


def _schools(b: _Builder, local_tenant: Callable) -> None:
    geo = b.geo
    region = b.tenant(landmarks.REGION)
    lycee_towns = [c for c in geo.communes if c.population >= 3_000]
    for commune in weighted_draw(b.rng, lycee_towns, TARGETS[Cat.LYCEE]):
        roll = b.rng.random()
        stem, kind, label = (
            ("Lycée professionnel", "lycee_pro", "Lycée professionnel")
            if roll < 0.3
            else ("Lycée agricole", "lycee_agri", "Lycée agricole")
            if roll < 0.36
            else ("Lycée", "lycee", "Lycée général et technologique")
        )
        name = b.unused_name(commune, stem, naming.LYCEE_PATRONS)
        b.add(commune, "LYC", name, Cat.LYCEE, kind, region, description=label)
    college_towns = [c for c in geo.communes if c.population >= 1_500]
    for commune in weighted_draw(b.rng, college_towns, TARGETS[Cat.COLLEGE]):
        council = b.tenant(department_council(geo, commune.department))
        name = b.unused_name(commune, "Collège", naming.SCHOOL_PATRONS)
        b.add(commune, "CLG", name, Cat.COLLEGE, "college", council)
    for commune in weighted_draw(b.rng, list(geo.communes), TARGETS[Cat.ECOLE], exponent=0.8):
        stem = "École publique" if b.rng.random() < 0.7 else "École élémentaire"
        name = b.unused_name(commune, stem, naming.SCHOOL_PATRONS)
        b.add(
            commune,
            "ECO",
            name,
            Cat.ECOLE,
            "ecole",
            local_tenant(commune),
            criticality=Criticality.LOW,
        )


def _group_of(b: _Builder, commune: CommuneSpec) -> str:
    seats = landmarks.HOSPITAL_GROUPS
    town = min(
        seats,
        key=lambda t: distance_km(
            commune.latitude,
            commune.longitude,
            b.geo.town(t).latitude,
            b.geo.town(t).longitude,
        ),
    )
    return b.tenant(seats[town], "Hospital group (GHT)")


def _health(b: _Builder) -> None:
    geo, H = b.geo, Cat.HEALTH
    for site in landmarks.UNIVERSITY_HOSPITALS:
        commune = geo.town(site.town)
        b.add(
            commune,
            "SAN",
            site.name,
            H,
            "chu",
            _group_of(b, commune),
            criticality=Criticality.CRITICAL,
            gigabit=True,
            backup="fibre",
            description="University hospital (CHU)",
        )
    for site in landmarks.GROUP_SEAT_HOSPITALS:
        commune = geo.town(site.town)
        b.add(
            commune,
            "SAN",
            site.name,
            H,
            "ght_seat",
            _group_of(b, commune),
            criticality=Criticality.HIGH,
            backup="lte",
            description="Hospital group seat",
        )
    for commune in (geo.town(t) for t in landmarks.HOSPITAL_TOWNS):
        b.add(
            commune,
            "SAN",
            f"Centre hospitalier {naming.de(commune.name)}",
            H,
            "hospital",
            _group_of(b, commune),
            criticality=Criticality.HIGH,
            backup="lte",
        )
    left = TARGETS[H] - len([s for s in b.sites if s.spec.category == H])
    for commune in weighted_draw(b.rng, list(geo.communes), left, exponent=0.7):
        kind = b.rng.choice(("EHPAD", "Hôpital de proximité", "Centre médico-psychologique"))
        name = (
            b.unused_name(commune, "EHPAD", naming.SCHOOL_PATRONS[30:])
            if kind == "EHPAD"
            else f"{kind} {naming.de(commune.name)}"
        )
        if name in b._names[commune.insee]:
            name = b.unused_name(commune, "EHPAD", naming.SCHOOL_PATRONS[30:])
        b.add(commune, "SAN", name, H, "care_home", _group_of(b, commune))


def _higher_education(b: _Builder) -> None:
    for site in landmarks.HIGHER_EDUCATION:
        university = site.tenant in landmarks.UNIVERSITIES
        research = not university and site.gigabit and "École" not in site.name
        b.add(
            b.geo.town(site.town),
            "SUP",
            site.name,
            Cat.HIGHER_EDUCATION,
            "university" if university else "research" if research else "school",
            b.tenant(site.tenant, "University" if university else "Higher education, research"),
            criticality=Criticality.CRITICAL if site.critical else Criticality.HIGH,
            gigabit=site.gigabit or research,
            backup="fibre" if site.critical else "lte",
        )


def _culture(b: _Builder, local_tenant: Callable) -> None:
    geo, C = b.geo, Cat.CULTURE
    for code, town in landmarks.DEPARTMENT_SEATS.items():
        council = b.tenant(department_council(geo, code))
        name = f"Archives départementales {of_department(geo, code)}"
        b.add(geo.town(town), "CUL", name, C, "archives", council)
    for town, name in landmarks.MUSEUMS:
        commune = geo.town(town)
        b.add(
            commune, "CUL", name, C, "museum", local_tenant(commune), description="Musée de France"
        )
    left = TARGETS[C] - len(landmarks.MUSEUMS) - len(landmarks.DEPARTMENT_SEATS)
    for commune in weighted_draw(b.rng, list(geo.communes), left, exponent=0.9):
        kinds = [k for k, _ in naming.CULTURE_KINDS]
        stem = next(
            (
                k
                for k in b.rng.sample(kinds, len(kinds))
                if f"{k} {naming.de(commune.name)}" not in b._names[commune.insee]
            ),
            None,
        )
        name = (
            f"{stem} {naming.de(commune.name)}"
            if stem
            else b.unused_name(commune, "Médiathèque", naming.SCHOOL_PATRONS)
        )
        b.add(commune, "CUL", name, C, "culture", local_tenant(commune))


def _tourism(b: _Builder, local_tenant: Callable) -> None:
    geo = b.geo
    towns = [geo.town(t) for t in landmarks.TOURIST_TOWNS]
    rest = [c for c in geo.communes if c.name not in landmarks.TOURIST_TOWNS]
    towns += weighted_draw(b.rng, rest, TARGETS[Cat.TOURISM] - len(towns), distinct=True)
    for commune in towns:
        b.add(
            commune,
            "TOU",
            f"Office de tourisme {naming.de(commune.name)}",
            Cat.TOURISM,
            "tourism",
            local_tenant(commune),
            criticality=Criticality.LOW,
        )


def _training(b: _Builder) -> None:
    geo, T = b.geo, Cat.TRAINING
    region = b.tenant(landmarks.REGION)
    for town, name in landmarks.GRETA:
        b.add(geo.town(town), "FOR", name, T, "training", region)
    towns = [c for c in geo.communes if c.population >= 8_000]
    for commune in weighted_draw(b.rng, towns, TARGETS[T] - len(landmarks.GRETA), distinct=True):
        stem = b.rng.choice(("Centre AFPA", "CFA", "Maison de la formation"))
        b.add(commune, "FOR", f"{stem} {naming.de(commune.name)}", T, "training", region)


def _chambers(b: _Builder) -> None:
    for site in landmarks.CHAMBERS:
        b.add(
            b.geo.town(site.town),
            "CCI",
            site.name,
            Cat.CHAMBER_OF_COMMERCE,
            "chamber",
            b.tenant(site.tenant, "Chamber network"),
        )
