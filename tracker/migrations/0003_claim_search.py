"""Claims: a first-reported date always set, and full-text search kept by PostgreSQL triggers."""

import django.contrib.postgres.search
import django.utils.timezone
from django.db import migrations, models

# A bulk load (tracker.corpus) sets tracker.bulk_load = 'on' for its session and computes the
# vectors in one statement at the end, instead of one claim update per attribution.
# The vector holds the claim's text (weight A) and its attributions' quotes (weight B). Triggers
# keep it right whatever writes the rows: the admin, the seed loader, bulk inserts, raw SQL.
CREATE = """
CREATE OR REPLACE FUNCTION tracker_claim_vector(p_claim bigint, p_text text) RETURNS tsvector AS $$
  SELECT setweight(to_tsvector('english', coalesce(p_text, '')), 'A') ||
         setweight(to_tsvector('english', coalesce(
           (SELECT string_agg(a.quote, ' ') FROM tracker_attribution a
             WHERE a.claim_id = p_claim AND a.quote <> ''), '')), 'B')
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION tracker_claim_search_trigger() RETURNS trigger AS $$
BEGIN
  IF current_setting('tracker.bulk_load', true) = 'on' THEN RETURN NEW; END IF;
  NEW.search_vector := tracker_claim_vector(NEW.id, NEW.text);
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER tracker_claim_search BEFORE INSERT OR UPDATE OF text ON tracker_claim
  FOR EACH ROW EXECUTE FUNCTION tracker_claim_search_trigger();

CREATE OR REPLACE FUNCTION tracker_attribution_search_trigger() RETURNS trigger AS $$
BEGIN
  IF current_setting('tracker.bulk_load', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE tracker_claim SET search_vector = tracker_claim_vector(id, text) WHERE id = OLD.claim_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE tracker_claim SET search_vector = tracker_claim_vector(id, text) WHERE id = NEW.claim_id;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER tracker_attribution_search AFTER INSERT OR DELETE OR UPDATE OF quote, claim_id
  ON tracker_attribution FOR EACH ROW EXECUTE FUNCTION tracker_attribution_search_trigger();

CREATE INDEX tracker_claim_search_gin ON tracker_claim USING gin (search_vector);

UPDATE tracker_claim SET search_vector = tracker_claim_vector(id, text);
"""

DROP = """
DROP INDEX IF EXISTS tracker_claim_search_gin;
DROP TRIGGER IF EXISTS tracker_attribution_search ON tracker_attribution;
DROP TRIGGER IF EXISTS tracker_claim_search ON tracker_claim;
DROP FUNCTION IF EXISTS tracker_attribution_search_trigger();
DROP FUNCTION IF EXISTS tracker_claim_search_trigger();
DROP FUNCTION IF EXISTS tracker_claim_vector(bigint, text);
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("tracker", "0002_editors_group")]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: (
                apps.get_model("tracker", "Claim")
                .objects.filter(first_reported_on__isnull=True)
                .update(first_reported_on=django.utils.timezone.localdate())
            ),
            migrations.RunPython.noop,
        ),
        migrations.AlterField(
            model_name="claim",
            name="first_reported_on",
            field=models.DateField(
                db_index=True,
                default=django.utils.timezone.localdate,
                help_text="The date of the earliest article that carries the claim.",
            ),
        ),
        migrations.AddField(
            model_name="claim",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP)),
    ]
