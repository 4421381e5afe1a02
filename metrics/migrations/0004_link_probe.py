"""Active measurement per access link and slot (prober): a time table like the samples'."""

from django.db import migrations


def create(apps, schema_editor):
    from metrics import schema

    conn = schema_editor.connection.connection
    backend = schema.detect_backend(conn)
    schema.create_time_table(conn, schema.PROBE, backend)
    conn.execute("CREATE INDEX IF NOT EXISTS metrics_link_probe_time ON metrics_link_probe (time)")
    if backend is schema.Backend.PARTITIONS:
        schema.ensure_upcoming_partitions(conn)


def drop(apps, schema_editor):
    schema_editor.connection.connection.execute("DROP TABLE IF EXISTS metrics_link_probe CASCADE")


class Migration(migrations.Migration):
    dependencies = [("metrics", "0003_poll_cycle_model")]
    operations = [migrations.RunPython(create, drop)]
