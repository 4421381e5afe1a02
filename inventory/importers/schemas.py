"""The columns of each importable model: one declaration read by the importer and the exporter.

A column is a plain model field (`value`), a relation named by its natural key (`relation`),
tags as slugs (`tags`), or one half of an interface named by device + interface name
(`interface_device` / `interface_name`). Service classes are named by slug within the row's
contract (`service_class`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from django.db import models

from core.models import Tag
from inventory.models import (
    Commune,
    Contract,
    Device,
    Establishment,
    Interface,
    Link,
    Operator,
    Pop,
    SNMPProfile,
    Tenant,
)


class Kind(Enum):
    VALUE = "value"
    RELATION = "relation"
    TAGS = "tags"
    INTERFACE_DEVICE = "interface_device"
    INTERFACE_NAME = "interface_name"
    SERVICE_CLASS = "service_class"


@dataclass(frozen=True)
class Relation:
    """How a related object is named in a file: `model.<key>`; `label` words the errors."""

    model: type[models.Model]
    key: str
    label: str


COMMUNE = Relation(Commune, "insee", "commune INSEE code")
TENANT = Relation(Tenant, "slug", "tenant slug")
OPERATOR = Relation(Operator, "slug", "operator slug")
CONTRACT = Relation(Contract, "reference", "contract reference")
SNMP_PROFILE = Relation(SNMPProfile, "name", "SNMP profile name")
POP = Relation(Pop, "slug", "PoP slug")
DEVICE = Relation(Device, "name", "device name")
ESTABLISHMENT = Relation(Establishment, "code", "establishment code")
TAG = Relation(Tag, "slug", "tag slug")


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind = Kind.VALUE
    field: str = ""  # the model field it sets; defaults to the column name
    relation: Relation | None = None
    required: bool = False  # must be in the header (CSV) or in every item (YAML)
    help: str = ""

    @property
    def field_name(self) -> str:
        return self.field or self.name


@dataclass(frozen=True)
class Schema:
    name: str  # establishments, devices…: the YAML top-level key and --model
    model: type[models.Model]
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # natural-key columns
    # Other unique field sets, checked in bulk against the file and the database.
    unique: tuple[tuple[str, ...], ...] = field(default=())

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


def _rel(name: str, relation: Relation, required: bool = False) -> Column:
    return Column(name, Kind.RELATION, relation=relation, required=required)


def _common(tags: bool = True) -> tuple[Column, ...]:
    cols = (Column("description"), Column("comments"))
    return (*cols, Column("tags", Kind.TAGS, relation=TAG)) if tags else cols


ESTABLISHMENTS = Schema(
    "establishments",
    Establishment,
    (
        Column("code", required=True),
        Column("name", required=True),
        Column("category", required=True),
        _rel("commune", COMMUNE, required=True),
        Column("address"),
        Column("latitude"),
        Column("longitude"),
        Column("status"),
        Column("criticality"),
        _rel("tenant", TENANT),
        *_common(),
    ),
    key=("code",),
)

DEVICES = Schema(
    "devices",
    Device,
    (
        Column("name", required=True),
        Column("role", required=True),
        Column("platform"),
        Column("vendor"),
        Column("model"),
        Column("serial"),
        _rel("establishment", ESTABLISHMENT),
        _rel("pop", POP),
        Column("management_address"),
        _rel("snmp_profile", SNMP_PROFILE),
        Column("status"),
        Column("probe_method"),
        *_common(),
    ),
    key=("name",),
    unique=(("management_address",),),
)

INTERFACES = Schema(
    "interfaces",
    Interface,
    (
        _rel("device", DEVICE, required=True),
        Column("name", required=True),
        Column("if_index"),
        Column("type"),
        Column("speed_bps"),
        Column("role"),
        Column("enabled"),
        Column("description"),
    ),
    key=("device", "name"),
    unique=(("device", "if_index"),),
)

LINKS = Schema(
    "links",
    Link,
    (
        _rel("operator", OPERATOR, required=True),
        Column("circuit_id", required=True),
        Column("technology", required=True),
        Column("role"),
        Column("status"),
        _rel("establishment", ESTABLISHMENT),
        Column("a_device", Kind.INTERFACE_DEVICE, field="a_interface"),
        Column("a_interface", Kind.INTERFACE_NAME, field="a_interface"),
        Column("z_device", Kind.INTERFACE_DEVICE, field="z_interface"),
        Column("z_interface", Kind.INTERFACE_NAME, field="z_interface"),
        Column("committed_down_bps"),
        Column("committed_up_bps"),
        Column("port_speed_bps"),
        _rel("contract", CONTRACT),
        Column("service_class", Kind.SERVICE_CLASS, relation=None),
        Column("monthly_fee_ht"),
        Column("service_start"),
        Column("service_end"),
        Column("duct"),
        *_common(),
    ),
    key=("operator", "circuit_id"),
)

SCHEMAS: dict[str, Schema] = {s.name: s for s in (ESTABLISHMENTS, DEVICES, INTERFACES, LINKS)}
MODELS = tuple(SCHEMAS)


def related_paths(schema: Schema) -> list[str]:
    """`select_related` paths that name every column's value without a query per object."""
    paths: list[str] = []
    for col in schema.columns:
        if col.kind is Kind.RELATION:
            paths.append(col.field_name)
        elif col.kind is Kind.INTERFACE_DEVICE:
            paths.append(f"{col.field_name}__device")
        elif col.kind is Kind.SERVICE_CLASS:
            paths.append("service_class__contract")
    return paths


def has_tags(schema: Schema) -> bool:
    return any(c.kind is Kind.TAGS for c in schema.columns)


def queryset(schema: Schema) -> models.QuerySet[models.Model]:
    """Every object of the schema's model, with what its columns need already loaded."""
    qs = schema.model._default_manager.select_related(*related_paths(schema))
    return qs.prefetch_related("tags") if has_tags(schema) else qs
