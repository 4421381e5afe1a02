"""The time-series tables: hypertables where TimescaleDB is present, native partitions otherwise."""

from django.db import migrations


def create(apps, schema_editor):
    from metrics.schema import create_schema

    create_schema(schema_editor.connection.connection)


def drop(apps, schema_editor):
    from metrics.schema import drop_schema

    drop_schema(schema_editor.connection.connection)


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [migrations.RunPython(create, drop)]
