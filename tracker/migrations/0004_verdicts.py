"""Verdicts on claims, the evidence they rest on, and computed track records; the Editors group
may rate claims and read the records."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


GROUP = "Editors"
# Editors rate claims and cite evidence; track records are computed, so they may only read them.
PERMISSIONS = {
    "verdict": ("add", "change", "delete", "view"),
    "evidence": ("add", "change", "delete", "view"),
    "trackrecord": ("view",),
}


def grant_editors(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; create them now (as 0002 does)
    # so the group can be given them on a fresh database.
    for app_config in apps.get_app_configs():
        if app_config.label in ("tracker", "auth", "contenttypes"):
            app_config.models_module = True
            create_permissions(app_config, apps=apps, verbosity=0)
            app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="tracker", codename__in=codenames)
    )


def revoke_editors(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions]
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="tracker", codename__in=codenames)
        )


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0001_initial'),
        ('tracker', '0003_claim_search'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Verdict',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('rating', models.CharField(choices=[('confirmed', 'Confirmed'), ('mostly_true', 'Mostly true'), ('mixed', 'Mixed'), ('mostly_false', 'Mostly false'), ('refuted', 'Refuted'), ('unproven', 'Unproven')], max_length=16)),
                ('explanation', models.TextField(help_text='What the evidence shows and why it earns this rating; readers see it.')),
                ('rated_at', models.DateTimeField(default=django.utils.timezone.now, help_text="When the evidence was weighed. The latest verdict sets the claim's status.")),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('claim', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='verdicts', to='tracker.claim')),
                ('rated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='verdicts', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-rated_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Evidence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('url', models.URLField(blank=True, max_length=1000, verbose_name='URL')),
                ('title', models.CharField(blank=True, help_text='What the page at the URL is, in a few words.', max_length=300)),
                ('article', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='cited_as_evidence', to='articles.article')),
                ('attribution', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='cited_as_evidence', to='tracker.attribution')),
                ('verdict', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evidence', to='tracker.verdict')),
            ],
            options={
                'verbose_name_plural': 'evidence',
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='TrackRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('for_count', models.FloatField(default=0.0, verbose_name='for')),
                ('against_count', models.FloatField(default=0.0, verbose_name='against')),
                ('scored', models.PositiveIntegerField(default=0)),
                ('rated_claims', models.PositiveIntegerField(default=0, help_text='Distinct claims among the scored ones.')),
                ('declined', models.PositiveIntegerField(default=0)),
                ('no_response', models.PositiveIntegerField(default=0)),
                ('score', models.FloatField(help_text='Mean of the Beta(1 + for, 1 + against) posterior.')),
                ('lower', models.FloatField(help_text='5% quantile of the posterior.')),
                ('upper', models.FloatField(help_text='95% quantile of the posterior.')),
                ('updated_at', models.DateTimeField()),
                ('actor', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='track_record', to='tracker.actor')),
                ('source', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='track_record', to='tracker.source')),
            ],
            options={
                'indexes': [models.Index(fields=['-score', '-lower'], name='trackrecord_ranking')],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('actor__isnull', True), ('source__isnull', False)), models.Q(('actor__isnull', False), ('source__isnull', True)), _connector='OR'), name='trackrecord_source_or_actor'), models.CheckConstraint(condition=models.Q(('against_count__gte', 0), ('for_count__gte', 0)), name='trackrecord_counts_not_negative'), models.CheckConstraint(condition=models.Q(('lower__gte', 0), ('lower__lte', models.F('score')), ('score__lte', models.F('upper')), ('upper__lte', 1)), name='trackrecord_interval_holds_score')],
            },
        ),
        migrations.AddIndex(
            model_name='verdict',
            index=models.Index(fields=['claim', '-rated_at', '-id'], name='verdict_claim_latest'),
        ),
        migrations.AddConstraint(
            model_name='verdict',
            constraint=models.CheckConstraint(condition=models.Q(('rating__in', ['confirmed', 'mostly_true', 'mixed', 'mostly_false', 'refuted', 'unproven'])), name='verdict_rating_valid'),
        ),
        migrations.AddConstraint(
            model_name='evidence',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('article__isnull', False), ('attribution__isnull', True), ('url', '')), models.Q(('article__isnull', True), ('attribution__isnull', False), ('url', '')), models.Q(('article__isnull', True), ('attribution__isnull', True), models.Q(('url', ''), _negated=True)), _connector='OR'), name='evidence_one_of_article_attribution_url', violation_error_message='Give one of an article, an attribution or a URL.'),
        ),
        migrations.AddConstraint(
            model_name='evidence',
            constraint=models.CheckConstraint(condition=models.Q(('url', ''), ('url__startswith', 'http://'), ('url__startswith', 'https://'), _connector='OR'), name='evidence_url_is_web', violation_error_message='Only http and https addresses can be evidence.'),
        ),
        migrations.AddConstraint(
            model_name='evidence',
            constraint=models.UniqueConstraint(fields=('verdict', 'article'), name='evidence_unique_article'),
        ),
        migrations.AddConstraint(
            model_name='evidence',
            constraint=models.UniqueConstraint(fields=('verdict', 'attribution'), name='evidence_unique_attribution'),
        ),
        migrations.AddConstraint(
            model_name='evidence',
            constraint=models.UniqueConstraint(condition=models.Q(('url', ''), _negated=True), fields=('verdict', 'url'), name='evidence_unique_url'),
        ),
        migrations.RunPython(grant_editors, revoke_editors),
    ]
