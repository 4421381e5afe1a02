"""Columns of the inventory's list pages: what each shows, and the ORM ordering behind a sort."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from common.tables import Column
from inventory import formatting

ESTABLISHMENT = (
    Column("code", _("Code"), ("code",), link=True),
    Column("name", _("Name"), ("name", "code"), link=True),
    Column("category", _("Category"), ("category", "code")),
    Column("commune", _("Commune"), ("commune__name", "code")),
    Column("commune.department.code", _("Dept."), ("commune__department__code", "code")),
    Column("status", _("Status"), ("status", "code")),
    Column("criticality", _("Criticality"), ("criticality", "code")),
    Column("tenant", _("Tenant"), ("tenant__name", "code")),
)

DEVICE = (
    Column("name", _("Name"), ("name",), link=True),
    Column("role", _("Role"), ("role", "name")),
    Column("platform", _("Platform"), ("platform", "name")),
    Column("model", _("Model"), ("vendor", "model", "name")),
    Column("management_address", _("Management address"), ("management_address",)),
    Column("establishment", _("Establishment"), ("establishment__code", "name")),
    Column("pop", _("PoP"), ("pop__name", "name")),
    Column("status", _("Status"), ("status", "name")),
)

LINK = (
    Column("circuit_id", _("Circuit"), ("circuit_id",), link=True),
    Column("operator", _("Operator"), ("operator__name", "circuit_id")),
    Column("technology", _("Technology"), ("technology", "circuit_id")),
    Column("role", _("Role"), ("role", "circuit_id")),
    Column("establishment", _("Establishment"), ("establishment__code", "circuit_id")),
    Column(
        "committed_down_bps",
        _("Committed down"),
        ("committed_down_bps", "circuit_id"),
        format=formatting.mbit_s,
    ),
    Column(
        "committed_up_bps",
        _("Committed up"),
        ("committed_up_bps", "circuit_id"),
        format=formatting.mbit_s,
    ),
    Column("contract", _("Contract"), ("contract__reference", "circuit_id")),
    Column("status", _("Status"), ("status", "circuit_id")),
)

POP = (
    Column("name", _("Name"), ("name",), link=True),
    Column("kind", _("Kind"), ("kind", "name")),
    Column("commune", _("Commune"), ("commune__name", "name")),
    Column("commune.department.code", _("Dept."), ("commune__department__code", "name")),
    Column("parent", _("Parent"), ("parent__name", "name")),
    Column("status", _("Status"), ("status", "name")),
)

OPERATOR = (
    Column("name", _("Name"), ("name",), link=True),
    Column("slug", _("Slug (CLI, API)"), ("slug",)),
    Column("noc_email", _("NOC e-mail"), ("noc_email", "name")),
    Column("noc_phone", _("NOC phone")),
    Column("contract_count", _("Contracts"), ("contract_count", "name")),
    Column("link_count", _("Links"), ("link_count", "name")),
)

CONTRACT = (
    Column("reference", _("Reference"), ("reference",), link=True),
    Column("title", _("Title"), ("title", "reference")),
    Column("operator", _("Operator"), ("operator__name", "reference")),
    Column("lot", _("Lot"), ("lot", "reference")),
    Column("start_date", _("Start"), ("start_date", "reference")),
    Column("end_date", _("End"), ("end_date", "reference")),
    Column(
        "amount_total_ht",
        _("Total (€ HT)"),
        ("amount_total_ht", "reference"),
        format=formatting.euros,
    ),
    Column("link_count", _("Links"), ("link_count", "reference")),
)
