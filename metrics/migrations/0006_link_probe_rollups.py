"""The probes' 5-minute, hourly and daily rollups per link: time tables like the samples'."""

from django.db import migrations


def create(apps, schema_editor):
    from metrics import schema

    conn = schema_editor.connection.connection
    backend = schema.detect_backend(conn)
    for table in schema.PROBE_ROLLUP_TABLES.values():
        schema.create_time_table(conn, table, backend)
    for statement in schema.PROBE_ROLLUP_INDEXES:
        conn.execute(statement)
    if backend is schema.Backend.PARTITIONS:
        schema.ensure_upcoming_partitions(conn)


def drop(apps, schema_editor):
    conn = schema_editor.connection.connection
    for name in ("metrics_link_probe_5m", "metrics_link_probe_1h", "metrics_link_probe_1d"):
        conn.execute(f"DROP TABLE IF EXISTS {name} CASCADE")


class Migration(migrations.Migration):
    dependencies = [("metrics", "0005_verbose_names")]
    operations = [migrations.RunPython(create, drop)]
