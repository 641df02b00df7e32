"""Search in each entity's own index: claims, attributions, sources, actors, aliases, articles.

PostgreSQL: a text search configuration (English stemming after unaccent), the claim's stored
vector on its text alone (its quotes are now searched in the attributions' own index, so a write
to an attribution no longer rewrites its claim), and GIN indexes on the other tables' text.
SQLite: FTS5 tables kept by triggers (tracker/search.py). The rules are in tracker/search.py.
"""

from django.db import migrations

from tracker import search

INDEXES = {
    "tracker_attribution_search_gin": ("tracker_attribution", "attribution"),
    "articles_article_search_gin": ("articles_article", "article"),
    "tracker_source_search_gin": ("tracker_source", "source"),
    "tracker_actor_search_gin": ("tracker_actor", "actor"),
    "tracker_actoralias_search_gin": ("tracker_actoralias", "alias"),
}

POSTGRES_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    f"CREATE TEXT SEARCH CONFIGURATION {search.CONFIG} (COPY = english)",
    f"ALTER TEXT SEARCH CONFIGURATION {search.CONFIG} "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
    # The claim trigger of 0003 calls this function: its text only, in the new configuration.
    f"""CREATE OR REPLACE FUNCTION tracker_claim_vector(p_claim bigint, p_text text)
    RETURNS tsvector AS $$
      SELECT to_tsvector('{search.CONFIG}'::regconfig, coalesce(p_text, ''))
    $$ LANGUAGE sql STABLE""",
    "DROP TRIGGER IF EXISTS tracker_attribution_search ON tracker_attribution",
    "DROP FUNCTION IF EXISTS tracker_attribution_search_trigger()",
    "UPDATE tracker_claim SET search_vector = tracker_claim_vector(id, text)",
    *[
        f"CREATE INDEX {name} ON {table} USING gin ({search.tsvector_sql(entity)})"
        for name, (table, entity) in INDEXES.items()
    ],
]

# Back to 0003: the claim's vector holds its text and its quotes, an attribution's write
# rewrites its claim's vector.
POSTGRES_DROP = [
    *[f"DROP INDEX IF EXISTS {name}" for name in INDEXES],
    """CREATE OR REPLACE FUNCTION tracker_claim_vector(p_claim bigint, p_text text)
    RETURNS tsvector AS $$
      SELECT setweight(to_tsvector('english', coalesce(p_text, '')), 'A') ||
             setweight(to_tsvector('english', coalesce(
               (SELECT string_agg(a.quote, ' ') FROM tracker_attribution a
                 WHERE a.claim_id = p_claim AND a.quote <> ''), '')), 'B')
    $$ LANGUAGE sql STABLE""",
    """CREATE OR REPLACE FUNCTION tracker_attribution_search_trigger() RETURNS trigger AS $$
    BEGIN
      IF current_setting('tracker.bulk_load', true) = 'on' THEN RETURN NULL; END IF;
      IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE tracker_claim SET search_vector = tracker_claim_vector(id, text)
          WHERE id = OLD.claim_id;
      END IF;
      IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE tracker_claim SET search_vector = tracker_claim_vector(id, text)
          WHERE id = NEW.claim_id;
      END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    "CREATE TRIGGER tracker_attribution_search AFTER INSERT OR DELETE OR UPDATE OF quote, "
    "claim_id ON tracker_attribution FOR EACH ROW "
    "EXECUTE FUNCTION tracker_attribution_search_trigger()",
    "UPDATE tracker_claim SET search_vector = tracker_claim_vector(id, text)",
    f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {search.CONFIG}",
]


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)
    elif connection.vendor == "sqlite":
        search.create_sqlite_index(connection)


def drop(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for statement in POSTGRES_DROP:
            schema_editor.execute(statement)
    elif connection.vendor == "sqlite":
        search.drop_sqlite_index(connection)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0008_drop_data_version"),
        ("articles", "0003_import_key_and_text_help"),
    ]

    operations = [migrations.RunPython(create, drop)]
