"""Bulk import: natural keys, create/update/unchanged, every error of a file, all or nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from typer.testing import CliRunner

from core.models import ObjectChange, Tag
from inventory.importers import ImportFailed, import_content, import_file
from inventory.models import Device, Establishment, Interface, Link, Tenant
from menhir.cli import app
from tests.factories.inventory import (
    InterfaceFactory,
    SNMPProfileFactory,
    TenantFactory,
    small_network,
)

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
CATEGORIES = (
    "higher_education, health, local_authority, lycee, college, ecole, culture, tourism, "
    "chamber_of_commerce, training"
)
ESTABLISHMENT_COLUMNS = (
    "code, name, category, commune, address, latitude, longitude, status, criticality, tenant, "
    "description, comments, tags"
)


@pytest.fixture
def network() -> dict[str, Any]:
    net = small_network()
    TenantFactory(name="Région Bretagne", slug="region")
    Tag.objects.create(name="Education", slug="education")
    Tag.objects.create(name="Culture", slug="culture")
    SNMPProfileFactory(name="v2-default")
    return net


def errors_of(name: str, **kwargs: Any) -> list[str]:
    with pytest.raises(ImportFailed) as info:
        import_file(FIXTURES / name, **kwargs)
    return [str(e) for e in info.value.errors]


def counts() -> tuple[int, ...]:
    return (
        Establishment.objects.count(),
        Device.objects.count(),
        Interface.objects.count(),
        Link.objects.count(),
        ObjectChange.objects.count(),
    )


# Create, update, unchanged ------------------------------------------------------------------


def test_csv_creates_updates_and_leaves_unchanged_by_establishment_code(network: Any) -> None:
    result = import_file(FIXTURES / "establishments.csv", model="establishments")
    assert (result.created, result.updated, result.unchanged) == (2, 1, 1)
    assert result.describe() == "establishments: 2 created, 1 updated, 1 unchanged (4 rows)"
    lycee = Establishment.objects.get(code="LYC-29-001")
    assert (lycee.criticality, lycee.address) == ("high", "8 avenue des Oiseaux")
    assert lycee.tenant is not None
    assert lycee.tenant.slug == "region"
    assert (lycee.latitude, lycee.longitude) == (47.9963, -4.1125)
    assert list(lycee.tags.values_list("slug", flat=True)) == ["education"]
    media = Establishment.objects.get(code="MED-35-001")
    assert media.name == "Médiathèque des Champs Libres, Rennes"
    assert media.commune.insee == "35238"
    assert media.comments == "Two links\nplanned"
    assert sorted(media.tags.values_list("slug", flat=True)) == ["culture", "education"]
    mairie = Establishment.objects.get(code="MAI-29-003")
    assert (mairie.status, mairie.latitude, mairie.tenant) == ("active", None, None)


def test_importing_the_same_file_again_changes_nothing(network: Any) -> None:
    import_file(FIXTURES / "establishments.csv", model="establishments")
    before = counts()
    result = import_file(FIXTURES / "establishments.csv", model="establishments")
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert counts() == before


def test_an_empty_cell_keeps_a_required_value_on_update_and_takes_the_default_on_create(
    network: Any,
) -> None:
    Establishment.objects.filter(code="MAI-29-002").update(status="decommissioned")
    data = (
        b"code,name,category,commune,status\n"
        b"MAI-29-002,Mairie de Quimper,local_authority,29232,\n"
        b"NEW-1,Mairie,local_authority,29232,\n"
    )
    import_content(data, "csv", model="establishments")
    assert Establishment.objects.get(code="MAI-29-002").status == "decommissioned"
    assert Establishment.objects.get(code="NEW-1").status == "active"


def test_columns_left_out_of_the_file_are_left_as_they_are(network: Any) -> None:
    site = network["sites"][0]
    site.address = "1 rue du Lycée"
    site.save()
    data = b"code,name,category,commune,criticality\nLYC-29-001,Lycee,lycee,29232,high\n"
    assert import_content(data, "csv", model="establishments").updated == 1
    site.refresh_from_db()
    assert (site.name, site.criticality, site.address) == ("Lycee", "high", "1 rue du Lycée")


def test_yaml_items_create_and_update_with_tags_as_list_or_pipes(network: Any) -> None:
    result = import_file(FIXTURES / "establishments.yaml")
    assert result.describe() == "establishments: 1 created, 1 updated, 0 unchanged (2 rows)"
    bib = Establishment.objects.get(code="BIB-29-001")
    assert bib.commune.insee == "29232"  # an unquoted INSEE code is read as text
    assert sorted(bib.tags.values_list("slug", flat=True)) == ["culture", "education"]
    assert Establishment.objects.get(code="LYC-29-001").criticality == "high"


def test_semicolon_separated_csv_is_read(network: Any) -> None:
    result = import_file(FIXTURES / "semicolons.csv", model="establishments")
    assert result.created == 1
    assert Establishment.objects.get(code="NEW-001").name == "Ecole du Port, annexe"


def test_devices_interfaces_and_links_are_imported_by_natural_keys(network: Any) -> None:
    assert import_file(FIXTURES / "devices.csv", model="devices").created == 2
    cpe = Device.objects.get(name="cpe-mai-29-003")
    assert cpe.establishment is not None
    assert cpe.establishment.code == "MAI-29-002"
    assert cpe.snmp_profile is not None
    assert cpe.snmp_profile.name == "v2-default"
    assert (cpe.platform, str(cpe.management_address)) == ("ios", "127.10.0.5")
    switch = Device.objects.get(name="quimper-sw1")
    assert switch.pop is not None
    assert switch.pop.slug == "quimper"

    result = import_file(FIXTURES / "interfaces.csv", model="interfaces")
    assert (result.created, result.updated) == (1, 1)
    lan0 = Interface.objects.get(device__name="cpe-mai-29-002", name="lan0")
    assert lan0.enabled is False
    assert lan0.description == "Disabled LAN port"

    result = import_file(FIXTURES / "links.yaml")
    assert result.created == 1
    link = Link.objects.get(circuit_id="CIR-NEW-1")
    assert link.a_interface == lan0
    assert link.z_interface is not None
    assert str(link.z_interface) == "quimper-rtr1 xe-1/0/0"
    assert link.service_class == network["service_class"]
    assert link.monthly_fee_ht == Decimal("380.50")
    assert link.service_start == dt.datetime(2025, 2, 28, 23, 0, tzinfo=dt.UTC)
    assert list(link.tags.values_list("slug", flat=True)) == ["education"]


def test_a_link_keeps_its_service_class_version_and_new_links_take_the_latest(
    network: Any,
) -> None:
    from tests.factories.inventory import ServiceClassFactory

    newer = ServiceClassFactory(
        contract=network["contract"], slug="premium", effective_from=dt.date(2026, 1, 1)
    )
    link = network["links"][0]
    data = (
        "operator,circuit_id,technology,contract,service_class\n"
        f"armor,{link.circuit_id},ftto,LOT-1,premium\n"
        "armor,CIR-NEW-9,ftto,LOT-1,premium\n"
    )
    with pytest.raises(ImportFailed) as info:
        import_content(data.encode(), "csv", model="links")
    assert [str(e) for e in info.value.errors] == [
        "line 3, column establishment: An access link belongs to an establishment."
    ]
    data = (
        "operator,circuit_id,technology,establishment,contract,service_class\n"
        f"armor,{link.circuit_id},ftto,LYC-29-001,LOT-1,premium\n"
        "armor,CIR-NEW-9,ftto,MAI-29-002,LOT-1,premium\n"
    )
    result = import_content(data.encode(), "csv", model="links")
    assert (result.created, result.unchanged) == (1, 1)
    assert Link.objects.get(pk=link.pk).service_class == network["service_class"]
    assert Link.objects.get(circuit_id="CIR-NEW-9").service_class == newer


# The change log ------------------------------------------------------------------------------


def test_each_imported_change_is_logged_once_per_object_under_the_user(network: Any) -> None:
    user = get_user_model().objects.create(username="alice")
    before = ObjectChange.objects.count()
    import_file(FIXTURES / "establishments.csv", model="establishments", username="alice")
    entries = list(ObjectChange.objects.order_by("pk")[before:])
    assert sorted((e.action, e.object_repr) for e in entries) == [
        ("create", "Mairie d'Ergué-Gabéric [MAI-29-003]"),
        ("create", "Médiathèque des Champs Libres, Rennes [MED-35-001]"),
        ("update", "Lycée de Cornouaille [LYC-29-001]"),
    ]
    assert {(e.user, e.user_name, e.source) for e in entries} == {(user, "alice", "import")}
    assert len({e.request_id for e in entries}) == 1  # one import, one request id
    update = next(e for e in entries if e.action == "update")
    assert update.diff() == {
        "address": ("", "8 avenue des Oiseaux"),
        "criticality": ("normal", "high"),
        "latitude": (None, 47.9963),
        "longitude": (None, -4.1125),
        "tags": ([], ["Education"]),
        "tenant": (None, Tenant.objects.get(slug="region").pk),
    }
    created = next(e for e in entries if "MED-35-001" in e.object_repr)
    assert (created.postchange_data or {})["tags"] == ["Culture", "Education"]
    assert created.changed_object_id == Establishment.objects.get(code="MED-35-001").pk


def test_without_a_user_the_log_says_import(network: Any) -> None:
    import_file(FIXTURES / "establishments.yaml")
    entry = ObjectChange.objects.order_by("-pk").first()
    assert entry is not None
    assert (entry.user, entry.user_name, entry.source) == (None, "import", "import")


def test_an_unknown_user_is_refused_before_anything_is_read(network: Any) -> None:
    assert errors_of("establishments.yaml", username="nobody") == [
        "unknown user 'nobody': create it first (menhir createsuperuser)"
    ]


# Every error of a file, and nothing changed --------------------------------------------------


def test_a_bad_csv_reports_every_bad_row_with_line_column_and_reason(network: Any) -> None:
    assert errors_of("establishments_bad.csv", model="establishments") == [
        "line 2, column commune: unknown commune INSEE code 99999",
        f"line 3, column category: invalid choice 'collège'; expected one of: {CATEGORIES}",
        "line 4, column name: a value is required",
        "line 5, column code: duplicate code NEW-001 within the file: already on line 2",
        "line 6: Give both latitude and longitude, or neither.",
        "line 7, column latitude: expected a number, not 'north'",
        "line 8, column tenant: unknown tenant slug nowhere",
        "line 8, column tags: unknown tag slug unknown-tag",
        "line 9, column code: Ensure this value has at most 20 characters (it has 23).",
    ]


def test_a_file_with_one_bad_row_among_good_ones_changes_nothing(network: Any) -> None:
    good = (FIXTURES / "establishments.csv").read_text()
    data = good + "BAD-1,Mairie,local_authority,99999,,,,,,,,,\n"
    before = counts()
    with pytest.raises(ImportFailed) as info:
        import_content(data.encode(), "csv", model="establishments")
    assert [str(e) for e in info.value.errors] == [
        "line 7, column commune: unknown commune INSEE code 99999"
    ]
    assert counts() == before
    assert Establishment.objects.get(code="LYC-29-001").criticality == "normal"


def test_a_file_the_database_refuses_while_writing_is_rolled_back_whole(network: Any) -> None:
    # A rule only PostgreSQL knows (as a concurrent change would be), on the change log: the
    # checks pass, the establishments are inserted, the change log is refused, and the inserted
    # establishments are rolled back with it.
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks: the table can change
        cur.execute(
            "ALTER TABLE core_objectchange ADD CONSTRAINT test_refuse_z "
            "CHECK (object_repr <> 'Mairie [Z-1]')"
        )
    data = b"code,name,category,commune\nA-1,Mairie,local_authority,29232\nZ-1,Mairie,ecole,29232\n"
    before = counts()
    with pytest.raises(ImportFailed) as info:
        import_content(data, "csv", model="establishments")
    assert str(info.value).startswith(
        'the database refused the file: new row for relation "core_objectchange"'
    )
    assert "test_refuse_z" in str(info.value)
    assert counts() == before


def test_device_errors_from_the_model_the_file_and_the_database(network: Any) -> None:
    assert errors_of("devices_bad.csv", model="devices") == [
        "line 2, column establishment: A CPE belongs to an establishment.",
        "line 3, column snmp_profile: unknown SNMP profile name v2-missing",
        "line 4, column management_address: management_address 127.10.0.8 is also on line 3",
        "line 5, column management_address: Enter a valid IPv4 or IPv6 address.",
    ]
    router = network["routers"][0]
    data = (
        f"name,role,pop,management_address\nnew-rtr,pop_router,rennes,{router.management_address}\n"
    )
    with pytest.raises(ImportFailed) as info:
        import_content(data.encode(), "csv", model="devices")
    assert [str(e) for e in info.value.errors] == [
        f"line 2, column management_address: management_address {router.management_address} "
        "is already used by device quimper-rtr1"
    ]


def test_interface_if_index_must_be_unique_on_its_device(network: Any) -> None:
    data = b"device,name,if_index\ncpe-mai-29-002,lan9,1\n"
    with pytest.raises(ImportFailed) as info:
        import_content(data, "csv", model="interfaces")
    assert [str(e) for e in info.value.errors] == [
        "line 2, column if_index: if_index 1 is already used by interface cpe-mai-29-002 wan0"
    ]


def test_link_errors_name_the_interface_and_the_link_holding_it(network: Any) -> None:
    InterfaceFactory(device=network["routers"][0], name="xe-1/0/0", if_index=100)
    holder = network["links"][1]
    before = counts()
    assert errors_of("links_bad.csv", model="links") == [
        f"line 2, column a_interface: interface cpe-mai-29-002 wan0 is already used by "
        f"another link ({holder})",
        "line 3, column z_interface: interface quimper-rtr1 xe-1/0/0 is also the Z end of the "
        "link on line 2",
        "line 3, column service_class: unknown service class slug gold in contract LOT-1",
        "line 3, column service_start: '2025-03-01' has no time zone: add one, e.g. +00:00 for UTC",
        "line 4, column a_interface: unknown interface lan9 on device cpe-mai-29-002",
        "line 4, column z_interface: give both the device and the interface name, or neither",
        "line 4, column service_class: a service class is named within its contract: give "
        "the contract too",
        "line 5, column establishment: A backbone link belongs to no establishment.",
    ]
    assert counts() == before


def test_an_interface_used_on_the_other_end_of_a_link_is_refused(network: Any) -> None:
    port = network["links"][0].z_interface
    data = (
        "operator,circuit_id,technology,establishment,a_device,a_interface\n"
        f"armor,CIR-NEW-5,ftto,MAI-29-002,{port.device.name},{port.name}\n"
    )
    with pytest.raises(ImportFailed) as info:
        import_content(data.encode(), "csv", model="links")
    assert [str(e) for e in info.value.errors] == [
        f"line 2, column a_interface: interface {port} is already used by another link "
        f"({network['links'][0]})"
    ]


def test_yaml_errors_are_located_by_item_and_line(network: Any) -> None:
    assert errors_of("establishments_bad.yaml") == [
        f"item 2 (line 6), column colour: unknown column for establishments; the columns are: "
        f"{ESTABLISHMENT_COLUMNS}",
        "item 2 (line 6): missing required column: name",
        f"item 2 (line 6), column category: invalid choice 'library'; expected one of: "
        f"{CATEGORIES}",
        "item 2 (line 6), column commune: unknown commune INSEE code 00000",
        "item 3 (line 10): expected a mapping of column: value",
    ]
    assert not Establishment.objects.filter(code="BIB-29-001").exists()


# Broken files ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "model", "expected"),
    [
        ("missing_column.csv", "establishments", ["line 1: missing required column: commune"]),
        (
            "unknown_column.csv",
            "establishments",
            [
                "line 1, column colour: unknown column for establishments; the columns are: "
                f"{ESTABLISHMENT_COLUMNS}"
            ],
        ),
        (
            "wrong_column_count.csv",
            "establishments",
            [
                "line 3: 3 values for 4 columns (the header's)",
                "line 4: 5 values for 4 columns (the header's)",
            ],
        ),
        (
            "latin1.csv",
            "establishments",
            [
                "line 2: the file is not UTF-8 text (byte 0xc9); save it as UTF-8 "
                "(in a spreadsheet: CSV UTF-8)"
            ],
        ),
        (
            "empty.csv",
            "establishments",
            ["the file is empty: expected a header line naming the columns"],
        ),
        (
            "establishments.csv",
            None,
            ["a CSV file needs a model: one of establishments, devices, interfaces, links"],
        ),
        (
            "establishments.csv",
            "sites",
            ["unknown model 'sites': expected one of establishments, devices, interfaces, links"],
        ),
        (
            "establishments_syntax_error.yaml",
            None,
            ["YAML syntax error at line 3, column 23: mapping values are not allowed here"],
        ),
        (
            "wrong_key.yaml",
            None,
            [
                "unknown top-level key 'sites': expected one of establishments, devices, "
                "interfaces, links"
            ],
        ),
        ("establishments.yaml", "devices", ["the file holds establishments, not devices"]),
    ],
)
def test_broken_files_get_one_clear_error(
    network: Any, name: str, model: str | None, expected: list[str]
) -> None:
    before = counts()
    assert errors_of(name, model=model) == expected
    assert counts() == before


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'code,name\n"NEW-1,foo\n', ["line 2: unreadable CSV: unexpected end of data"]),
        (b'code,name\nA,"b"x\n', ["line 2: unreadable CSV: ',' expected after '\"'"]),
        (
            b"code,name,category,commune,code\nA,b,ecole,29232,A\n",
            ["line 1, column code: the column appears twice in the header"],
        ),
        (
            b"code,name,,category,commune\nA,b,,ecole,29232\n",
            ["line 1: a column of the header has no name"],
        ),
    ],
)
def test_malformed_csv_is_refused_with_its_line(
    network: Any, data: bytes, expected: list[str]
) -> None:
    with pytest.raises(ImportFailed) as info:
        import_content(data, "csv", model="establishments")
    assert [str(e) for e in info.value.errors] == expected


def test_a_header_without_rows_imports_nothing(network: Any) -> None:
    result = import_content(b"code,name,category,commune\n", "csv", model="establishments")
    assert result.describe() == "establishments: 0 created, 0 updated, 0 unchanged (0 rows)"


def test_yaml_that_is_not_a_list_under_one_key_is_refused(network: Any) -> None:
    for text, message in [
        (b"- code: X\n", "expected one top-level key naming the model"),
        (b"establishments: []\ndevices: []\n", "expected one top-level key naming the model"),
        (b"establishments:\n  code: X\n", "`establishments:` must be followed by a list"),
        (b"", "the file is empty: expected a top-level key such as `establishments:`"),
    ]:
        with pytest.raises(ImportFailed) as info:
            import_content(text, "yaml")
        assert str(info.value).startswith(message)


def test_a_file_type_other_than_csv_or_yaml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sites.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(ImportFailed) as info:
        import_file(path)
    assert str(info.value) == "unknown file type '.xlsx': expected .csv or .yaml"


# Natural keys are resolved per file, not per row ----------------------------------------------


def _establishments_csv(count: int, prefix: str) -> bytes:
    lines = ["code,name,category,commune,tenant,tags"]
    lines += [f"{prefix}-{n},Mairie,local_authority,29232,region,education" for n in range(count)]
    return ("\n".join(lines) + "\n").encode()


def test_queries_do_not_grow_with_the_number_of_rows(network: Any) -> None:
    def queries(data: bytes) -> int:
        with CaptureQueriesContext(connection) as ctx:
            import_content(data, "csv", model="establishments")
        return len(ctx.captured_queries)

    ContentType.objects.get_for_model(Establishment)  # cached once per process
    small, large = queries(_establishments_csv(5, "S")), queries(_establishments_csv(60, "L"))
    assert small == large == 10
    assert queries(_establishments_csv(60, "L")) == 5  # all unchanged: reads only


# The command line --------------------------------------------------------------------------


def test_cli_import_prints_the_summary_and_exits_0(network: Any) -> None:
    get_user_model().objects.create(username="bob")
    path = FIXTURES / "establishments.csv"
    result = CliRunner().invoke(
        app, ["inventory", "import", str(path), "--model", "establishments", "--user", "bob"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "establishments: 2 created, 1 updated, 1 unchanged (4 rows)\n"
    assert ObjectChange.objects.filter(user_name="bob", source="import").count() == 3


def test_cli_import_of_a_bad_file_prints_each_error_and_exits_1(network: Any) -> None:
    before = counts()
    path = FIXTURES / "establishments_bad.yaml"
    result = CliRunner().invoke(app, ["inventory", "import", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == (
        f"item 2 (line 6), column colour: unknown column for establishments; the columns are: "
        f"{ESTABLISHMENT_COLUMNS}"
    )
    assert lines[-1] == f"{path}: nothing imported (5 error(s))."
    assert len(lines) == 6
    assert counts() == before
