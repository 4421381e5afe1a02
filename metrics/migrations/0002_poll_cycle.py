"""One row per poll cycle: duration, devices, errors, timeouts, spool (poller health)."""

from django.db import migrations

from metrics.schema import POLL_CYCLE_DDL


class Migration(migrations.Migration):
    dependencies = [("metrics", "0001_initial")]
    operations = [
        migrations.RunSQL(POLL_CYCLE_DDL, "DROP TABLE IF EXISTS metrics_poll_cycle"),
    ]
