"""A data version raised by triggers on every write, for caches; and the claim list's sort index."""

from django.db import migrations, models

# Tables whose rows the cached counts read (tracker/caching.py).
WATCHED = (
    "tracker_attribution",
    "tracker_claim",
    "tracker_claim_about",
    "tracker_source",
    "tracker_actor",
    "articles_article",
    "articles_outlet",
)

# A new random version, not version + 1: a transaction that rolls back returns the row to the
# old number, and the next write must not reuse the number the rolled-back one had cached under.
POSTGRES_CREATE = """
CREATE OR REPLACE FUNCTION tracker_bump_data_version() RETURNS trigger AS $$
BEGIN
  UPDATE tracker_dataversion SET version = (random() * 9.0e15)::bigint WHERE id = 1;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
""" + "".join(
    # Once per statement, not per row: a bulk insert of a million rows bumps it once.
    f"CREATE TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
    f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION tracker_bump_data_version();\n"
    for table in WATCHED
)
POSTGRES_DROP = "".join(
    f"DROP TRIGGER IF EXISTS {table}_data_version ON {table};\n" for table in WATCHED
) + "DROP FUNCTION IF EXISTS tracker_bump_data_version();\n"


def sqlite_create():
    # SQLite has row triggers only; each is a single-row UPDATE by primary key.
    for table in WATCHED:
        for event in ("INSERT", "UPDATE", "DELETE"):
            yield (
                f"CREATE TRIGGER {table}_data_version_{event.lower()} AFTER {event} ON {table} "
                "BEGIN UPDATE tracker_dataversion SET version = random() WHERE id = 1; END;"
            )


def sqlite_drop():
    for table in WATCHED:
        for event in ("insert", "update", "delete"):
            yield f"DROP TRIGGER IF EXISTS {table}_data_version_{event}"


def create_triggers(apps, schema_editor):
    apps.get_model("tracker", "DataVersion").objects.get_or_create(id=1, defaults={"version": 1})
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in sqlite_create():
            schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in sqlite_drop():
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0003_claim_search"), ("articles", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("id", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ("version", models.BigIntegerField(default=1)),
            ],
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["-first_reported_on", "-id"], name="claim_newest"),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
