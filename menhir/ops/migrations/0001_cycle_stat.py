from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="CycleStat",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("finished_at", models.DateTimeField(db_index=True)),
                ("slot_start", models.DateTimeField(blank=True, null=True)),
                ("runner", models.CharField(default="", max_length=200)),
                ("shard", models.CharField(default="", max_length=100)),
                ("duration_s", models.FloatField()),
                ("interval_s", models.IntegerField()),
                ("devices", models.IntegerField()),
                ("devices_unreachable", models.IntegerField()),
                ("interfaces", models.IntegerField()),
                ("samples_written", models.IntegerField()),
                ("errors", models.IntegerField()),
                ("spooled", models.BooleanField(default=False)),
            ],
            options={"db_table": "ops_cycle_stat"},
        ),
    ]
