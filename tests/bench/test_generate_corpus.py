"""manage.py generate_corpus: a realistic archive, reproducible, with valid spans, at small size."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from articles.models import Article, Outlet
from bench.corpus import Sizes, generate
from tracker.models import Actor, Attribution, Claim, Source

pytestmark = pytest.mark.django_db

SIZES = Sizes(claims=600, actors=120, sources=300, articles=200, outlets=8)


def snapshot() -> list:
    """Every row, less the timestamps (the time of the run)."""
    tables = []
    for model in (Actor, Source, Outlet, Article, Claim, Attribution):
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.name not in ("created_at", "updated_at", "search_vector")
        ]
        tables.append(list(model.objects.order_by("pk").values_list(*fields)))
    return tables


def generated(seed: int) -> list:
    """The archive this seed gives in an empty database, rolled back once read (the generator
    numbers rows from the largest id in each table, so each run starts from the same ids)."""
    with transaction.atomic():
        generate(sizes=SIZES, seed=seed, chunk=64)
        rows = snapshot()
        transaction.set_rollback(True)
    return rows


def test_it_generates_the_sizes_asked_for():
    summary = generate(sizes=SIZES, seed=3, chunk=50)
    assert summary.counts["claims"] == Claim.objects.count() == 600
    assert Actor.objects.count() == 120 and Source.objects.count() == 300
    assert Article.objects.count() == 200 and Outlet.objects.count() == 8
    assert 2.2 < Attribution.objects.count() / 600 < 4


def test_the_same_seed_gives_the_same_archive():
    first = generated(7)
    assert first and all(first)
    assert generated(7) == first
    assert generated(8) != first


def test_every_span_rests_on_its_sentence_and_every_row_passes_the_model_checks():
    generate(sizes=SIZES, seed=1)
    for attribution in Attribution.objects.select_related("article"):
        # The database enforced the table's constraints when the rows went in; the model's
        # field and span checks are the ones a bulk writer could get past.
        attribution.full_clean(validate_constraints=False)
        if attribution.quote:
            assert attribution.quote in attribution.passage


def test_stances_and_popularity_look_like_an_archive():
    generate(sizes=SIZES, seed=1)
    stances = Counter(Attribution.objects.values_list("stance", flat=True))
    total = sum(stances.values())
    assert stances["asserts"] / total > 0.5
    assert all(stances[s] > 0 for s in ("denies", "declined", "no_response"))
    by_actor = Counter(Attribution.objects.values_list("source__actor", flat=True))
    top = sum(n for _actor, n in by_actor.most_common(5))
    assert top / total > 0.2  # a few actors are in much of the news
    anonymity = Counter(Attribution.objects.values_list("anonymity", flat=True))
    assert set(anonymity) == {"named", "anonymous", "unattributed"}


def test_the_hierarchy_is_stored_for_sub_tree_queries():
    generate(sizes=SIZES, seed=1)
    for actor in Actor.objects.exclude(parent=None).select_related("parent")[:50]:
        assert actor.path == f"{actor.parent.path}{actor.pk}/"
    root = Actor.objects.filter(parent=None).order_by("pk").first()
    assert root is not None
    assert Actor.objects.subtree(root).count() > 1


def test_the_command_reports_what_it_made():
    out = StringIO()
    call_command(
        "generate_corpus", "--claims", "50", "--actors", "20", "--sources", "40",
        "--articles", "10", "--outlets", "2", stdout=out,
    )  # fmt: skip
    assert out.getvalue().startswith(
        "Generated 20 actors, 2 outlets, 40 sources, 10 articles, 50 claims"
    )
