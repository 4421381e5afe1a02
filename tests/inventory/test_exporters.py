"""Export: the import columns, every object or a filtered list, no secrets, re-imports unchanged."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from typer.testing import CliRunner

from core.models import ObjectChange, Tag
from inventory.exporters import ExportError, export_model, export_queryset
from inventory.importers import import_content, import_file
from inventory.importers.schemas import MODELS, SCHEMAS
from inventory.models import Establishment, Link, SNMPProfile
from menhir.cli import app
from tests.factories.inventory import LinkFactory, TenantFactory, small_network

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "fixtures" / "golden"
FORMATS = ("csv", "yaml")


@pytest.fixture
def network() -> dict[str, Any]:
    """small_network() with a tenant and tags, so that every kind of column holds a value."""
    net = small_network()
    region = TenantFactory(name="Région Bretagne", slug="region")
    education = Tag.objects.create(name="Education", slug="education")
    health = Tag.objects.create(name="Health", slug="health")
    chu = net["sites"][2]
    chu.tenant = region
    chu.latitude, chu.longitude = 48.1185, -1.6935
    chu.comments = "Main site, 24/7\nsecond line"
    chu.save()
    chu.tags.set([health, education])
    net["links"][3].tags.set([health])
    return net


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    assert text == path.read_text()


@pytest.mark.parametrize("fmt", FORMATS)
def test_establishments_export_matches_the_golden_file(network: Any, fmt: str) -> None:
    check_golden(f"establishments.{fmt}", export_model("establishments", fmt))


def test_csv_header_is_the_import_columns_and_values_are_natural_keys(network: Any) -> None:
    lines = export_model("links", "csv").splitlines()
    assert lines[0] == ",".join(SCHEMAS["links"].column_names)
    backup = network["links"][3]
    assert lines[4] == (
        f"armor,{backup.circuit_id},ftto,backup,active,CHU-35-001,cpe-chu-35-001,wan1,"
        f"quimper-rtr1,{backup.z_interface.name},100000000,100000000,1000000000,LOT-1,premium,"
        "450.00,2024-01-01T00:00:00+00:00,,,,,health"
    )


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_an_export_reimports_without_any_change(network: Any, model: str, fmt: str) -> None:
    text = export_model(model, fmt)
    before = ObjectChange.objects.count()
    result = import_content(text.encode(), fmt, model=model)
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged == SCHEMAS[model].model._default_manager.count() > 0
    assert ObjectChange.objects.count() == before


@pytest.mark.parametrize("fmt", FORMATS)
def test_reimporting_an_export_restores_what_was_changed_since(network: Any, fmt: str) -> None:
    text = export_model("links", fmt)
    link = network["links"][3]
    link.monthly_fee_ht = None
    link.duct = "Rocade nord"
    link.save()
    link.tags.clear()
    result = import_content(text.encode(), fmt, model="links")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    link.refresh_from_db()
    assert (str(link.monthly_fee_ht), link.duct) == ("450.00", "")
    assert list(link.tags.values_list("slug", flat=True)) == ["health"]


def test_a_filtered_queryset_exports_only_its_objects(network: Any) -> None:
    quimper = Establishment.objects.filter(commune__insee="29232")
    lines = export_queryset("establishments", quimper, "csv").splitlines()
    assert [line.split(",")[0] for line in lines] == ["code", "LYC-29-001", "MAI-29-002"]
    text = export_queryset("links", Link.objects.filter(role="backup"), "yaml")
    assert text.count("circuit_id:") == 1


def test_export_queries_do_not_grow_with_the_number_of_objects(network: Any) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            export_model("links", "csv")
        return len(ctx.captured_queries)

    few = queries()
    LinkFactory.create_batch(5, operator=network["operator"])
    assert queries() == few


def test_no_secret_column_exists_and_snmp_profiles_are_not_exportable(network: Any) -> None:
    secrets = set(SNMPProfile.secret_fields)
    assert secrets == {"community", "auth_key", "priv_key"}
    for schema in SCHEMAS.values():
        assert schema.model.secret_fields == ()  # type: ignore[attr-defined]
        assert not secrets & {c.field_name for c in schema.columns}
    for fmt in FORMATS:
        devices = export_model("devices", fmt)
        assert "test-community" not in devices  # the factories' SNMP community
        assert "enc1:" not in devices  # nor its encrypted form
    with pytest.raises(ExportError, match="unknown model 'snmp_profiles'"):
        export_model("snmp_profiles", "csv")
    with pytest.raises(ExportError, match="expected a queryset of Establishment"):
        export_queryset("establishments", SNMPProfile.objects.all(), "csv")
    with pytest.raises(ExportError, match="unknown format 'xlsx'"):
        export_model("devices", "xlsx")


def test_cli_export_writes_stdout_or_a_file_that_imports_back(network: Any, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["inventory", "export", "devices", "--format", "yaml"])
    assert result.exit_code == 0, result.output
    assert result.stdout == export_model("devices", "yaml")
    path = tmp_path / "links.csv"
    result = runner.invoke(app, ["inventory", "export", "links", "-o", str(path)])
    assert result.exit_code == 0
    assert result.stderr == f"wrote {path}\n"
    result = runner.invoke(app, ["inventory", "import", str(path), "--model", "links"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "links: 0 created, 0 updated, 4 unchanged (4 rows)\n"
    assert import_file(path, model="links").unchanged == 4


def test_cli_export_refuses_an_unknown_model(network: Any) -> None:
    result = CliRunner().invoke(
        app, ["inventory", "export", "snmp_profiles"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 2
    assert "expected one of establishments, devices, interfaces, links" in result.stderr


@pytest.mark.parametrize("model", MODELS)
def test_a_french_spreadsheet_export_reimports_without_any_change(network: Any, model: str) -> None:
    """The web page's download in French: `;`, decimal comma, a byte-order mark; the importer
    reads it back as it is."""
    from common.csv_dialects import FRENCH

    objects = SCHEMAS[model].model._default_manager.all()
    body = FRENCH.encode(export_queryset(model, objects, "csv", FRENCH))
    assert body.startswith(b"\xef\xbb\xbf")
    header = body.decode("utf-8-sig").splitlines()[0]
    assert header == ";".join(SCHEMAS[model].column_names)
    result = import_content(body, "csv", model=model)
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged == objects.count() > 0


def test_french_numbers_have_a_decimal_comma(network: Any) -> None:
    from common.csv_dialects import FRENCH

    links = export_queryset("links", Link.objects.all(), "csv", FRENCH)
    assert ";450,00;" in links
    sites = export_queryset("establishments", Establishment.objects.all(), "csv", FRENCH)
    assert "48,1185;-1,6935" in sites, sites.splitlines()[1]
