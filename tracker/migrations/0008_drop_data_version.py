"""The data version goes: no row that every write must update (and lock) until commit.

Caches are now retired by per-model generations kept in the cache itself (tracker/caching.py).
"""

import importlib

from django.db import migrations

data_version = importlib.import_module("tracker.migrations.0004_data_version")


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(data_version.POSTGRES_DROP)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in data_version.sqlite_drop():
            schema_editor.execute(statement)


def create_triggers(apps, schema_editor):
    data_version.create_triggers(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0007_counters")]

    operations = [
        migrations.RunPython(drop_triggers, create_triggers),
        migrations.DeleteModel(name="DataVersion"),
    ]
