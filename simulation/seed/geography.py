"""The Breton departments and communes shipped in `inventory/data/`, as plain data.

Read once per run from the CSV (INSEE COG 2024) and the GeoJSON (IGN Admin Express), keyed by INSEE
code: names repeat across departments.
"""

from __future__ import annotations

import csv
import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import inventory

DATA_DIR = Path(inventory.__file__).resolve().parent / "data"
COMMUNES_CSV = DATA_DIR / "communes_bretagne.csv"
DEPARTMENTS_GEOJSON = DATA_DIR / "departements_bretagne.geojson"
DEPARTMENT_CODES = ("22", "29", "35", "56")
EARTH_RADIUS_KM = 6371.0


class GeographyError(ValueError):
    """The reference data files are missing or malformed."""


@dataclass(frozen=True, slots=True)
class DepartmentSpec:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class CommuneSpec:
    insee: str
    name: str
    department: str
    latitude: float
    longitude: float
    population: int


class Geography:
    """The departments and communes of a run, with the communes indexed by INSEE code."""

    def __init__(
        self, departments: tuple[DepartmentSpec, ...], communes: tuple[CommuneSpec, ...]
    ) -> None:
        self.departments = departments
        self.communes = communes
        self.by_insee = {c.insee: c for c in communes}
        names = Counter(c.name for c in communes)
        self.by_name = {c.name: c for c in communes if names[c.name] == 1}

    def commune(self, insee: str) -> CommuneSpec:
        return self.by_insee[insee]

    def town(self, name: str) -> CommuneSpec:
        """A commune by name, for the few well-known towns the generator places sites in."""
        try:
            return self.by_name[name]
        except KeyError:
            raise GeographyError(f"no single commune named {name!r}") from None

    def department(self, code: str) -> DepartmentSpec:
        return next(d for d in self.departments if d.code == code)


def load_departments(path: Path = DEPARTMENTS_GEOJSON) -> tuple[DepartmentSpec, ...]:
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
        found = {f["properties"]["code"]: f["properties"]["nom"] for f in features}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise GeographyError(f"{path}: cannot read the department outlines ({exc})") from None
    missing = [code for code in DEPARTMENT_CODES if code not in found]
    if missing:
        raise GeographyError(f"{path}: departments {', '.join(missing)} are missing")
    return tuple(DepartmentSpec(code, found[code]) for code in DEPARTMENT_CODES)


def load_communes(path: Path = COMMUNES_CSV) -> tuple[CommuneSpec, ...]:
    communes: list[CommuneSpec] = []
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                communes.append(_commune(row, path, line))
    except OSError as exc:
        raise GeographyError(f"{path}: cannot read the communes ({exc})") from None
    if len({c.insee for c in communes}) != len(communes):
        raise GeographyError(f"{path}: an INSEE code appears twice")
    return tuple(sorted(communes, key=lambda c: c.insee))


def _commune(row: dict[str, str], path: Path, line: int) -> CommuneSpec:
    try:
        commune = CommuneSpec(
            insee=row["insee"].strip(),
            name=row["name"].strip(),
            department=row["department"].strip(),
            latitude=float(row["lat"]),
            longitude=float(row["lon"]),
            population=int(row["population"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise GeographyError(f"{path}, line {line}: malformed row ({exc})") from None
    if commune.department not in DEPARTMENT_CODES or not commune.insee.startswith(
        commune.department
    ):
        raise GeographyError(f"{path}, line {line}: {commune.insee} is not a Breton commune")
    return commune


def load_geography() -> Geography:
    return Geography(departments=load_departments(), communes=load_communes())


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
