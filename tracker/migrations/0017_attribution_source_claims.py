from django.db import migrations, models


class Migration(migrations.Migration):
    """A source's attributions by stance with their claims: the claim list's actor filter reads
    an actor's claims from the index alone (it replaces the index on source and stance)."""

    dependencies = [
        ("tracker", "0016_actor_reach"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="attribution",
            index=models.Index(
                fields=["source", "stance", "claim"], name="attribution_source_claims"
            ),
        ),
        migrations.RemoveIndex(
            model_name="attribution",
            name="attribution_source_stance",
        ),
    ]
