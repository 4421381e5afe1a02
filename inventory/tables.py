"""Columns of the inventory's list pages: what each shows, and the ORM ordering behind a sort."""

from __future__ import annotations

from common.tables import Column
from inventory import formatting

ESTABLISHMENT = (
    Column("code", "Code", ("code",), link=True),
    Column("name", "Name", ("name", "code"), link=True),
    Column("category", "Category", ("category", "code")),
    Column("commune", "Commune", ("commune__name", "code")),
    Column("commune.department.code", "Dept.", ("commune__department__code", "code")),
    Column("status", "Status", ("status", "code")),
    Column("criticality", "Criticality", ("criticality", "code")),
    Column("tenant", "Tenant", ("tenant__name", "code")),
)

DEVICE = (
    Column("name", "Name", ("name",), link=True),
    Column("role", "Role", ("role", "name")),
    Column("platform", "Platform", ("platform", "name")),
    Column("model", "Model", ("vendor", "model", "name")),
    Column("management_address", "Management address", ("management_address",)),
    Column("establishment", "Establishment", ("establishment__code", "name")),
    Column("pop", "PoP", ("pop__name", "name")),
    Column("status", "Status", ("status", "name")),
)

LINK = (
    Column("circuit_id", "Circuit", ("circuit_id",), link=True),
    Column("operator", "Operator", ("operator__name", "circuit_id")),
    Column("technology", "Technology", ("technology", "circuit_id")),
    Column("role", "Role", ("role", "circuit_id")),
    Column("establishment", "Establishment", ("establishment__code", "circuit_id")),
    Column(
        "committed_down_bps",
        "Committed down",
        ("committed_down_bps", "circuit_id"),
        format=formatting.mbit_s,
    ),
    Column(
        "committed_up_bps",
        "Committed up",
        ("committed_up_bps", "circuit_id"),
        format=formatting.mbit_s,
    ),
    Column("contract", "Contract", ("contract__reference", "circuit_id")),
    Column("status", "Status", ("status", "circuit_id")),
)

POP = (
    Column("name", "Name", ("name",), link=True),
    Column("kind", "Kind", ("kind", "name")),
    Column("commune", "Commune", ("commune__name", "name")),
    Column("commune.department.code", "Dept.", ("commune__department__code", "name")),
    Column("parent", "Parent", ("parent__name", "name")),
    Column("status", "Status", ("status", "name")),
)

OPERATOR = (
    Column("name", "Name", ("name",), link=True),
    Column("slug", "Slug (CLI, API)", ("slug",)),
    Column("noc_email", "NOC e-mail", ("noc_email", "name")),
    Column("noc_phone", "NOC phone"),
    Column("contract_count", "Contracts", ("contract_count", "name")),
    Column("link_count", "Links", ("link_count", "name")),
)

CONTRACT = (
    Column("reference", "Reference", ("reference",), link=True),
    Column("title", "Title", ("title", "reference")),
    Column("operator", "Operator", ("operator__name", "reference")),
    Column("lot", "Lot", ("lot", "reference")),
    Column("start_date", "Start", ("start_date", "reference")),
    Column("end_date", "End", ("end_date", "reference")),
    Column(
        "amount_total_ht", "Total (€ HT)", ("amount_total_ht", "reference"), format=formatting.euros
    ),
    Column("link_count", "Links", ("link_count", "reference")),
)
