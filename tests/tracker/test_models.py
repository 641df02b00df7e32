"""The attribution model: database constraints, span and quote checks, actor tree, querysets."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tracker.models import Actor, Attribution, Claim, Source

pytestmark = pytest.mark.django_db


def attribution_kwargs(newsroom, **overrides):
    values = dict(
        claim=newsroom.claim,
        source=newsroom.ministry_source,
        article=newsroom.article,
        stance="asserts",
        span_start=0,
        span_end=10,
    )
    values.update(overrides)
    return values


@pytest.mark.parametrize(
    "overrides",
    [
        {"stance": "maybe"},
        {"count": 0},
        {"span_start": 10, "span_end": 10},
        {"span_start": 10, "span_end": 3},
        {"anonymity": "secret"},
    ],
    ids=["unknown stance", "count zero", "empty span", "reversed span", "unknown anonymity"],
)
def test_the_database_rejects_invalid_attributions(newsroom, overrides):
    # objects.create skips full_clean(): this is the database's own check constraint speaking.
    with pytest.raises(IntegrityError), transaction.atomic():
        Attribution.objects.create(**attribution_kwargs(newsroom, **overrides))


def test_the_database_rejects_a_duplicate_attribution(newsroom):
    existing = newsroom.denial
    with pytest.raises(IntegrityError), transaction.atomic():
        Attribution.objects.create(
            claim=existing.claim, source=existing.source, article=existing.article,
            stance="denies", span_start=existing.span_start, span_end=existing.span_end,
        )  # fmt: skip


def test_the_same_source_may_say_it_again_elsewhere_in_the_article(newsroom):
    existing = newsroom.denial
    Attribution.objects.create(
        claim=existing.claim, source=existing.source, article=existing.article,
        stance="denies", span_start=0, span_end=5,
    )  # fmt: skip
    assert existing.claim.attributions.filter(source=existing.source, stance="denies").count() == 2


def test_the_same_source_may_take_another_stance_on_the_same_claim(newsroom):
    Attribution.objects.create(**attribution_kwargs(newsroom, source=newsroom.spokesman))
    assert newsroom.claim.attributions.filter(source=newsroom.spokesman).count() == 2


@pytest.mark.parametrize(
    "field, value",
    [("kind", "planet"), ("wikidata_id", "159")],
)
def test_the_database_rejects_invalid_actors(field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        Actor.objects.create(name="X", slug="x", **{field: value})


def test_the_database_rejects_invalid_source_kinds_and_claim_statuses():
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(name="X", slug="x", kind="rumour")
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(text="X", slug="x", status="probably")


def test_clean_rejects_a_span_past_the_end_of_the_body(newsroom):
    length = len(newsroom.article.body)
    attribution = Attribution(**attribution_kwargs(newsroom, span_start=0, span_end=length + 1))
    with pytest.raises(ValidationError) as error:
        attribution.full_clean()
    assert "runs past the end of the article body" in str(error.value.message_dict["span_end"])


def test_clean_rejects_a_quote_that_is_not_in_its_span(newsroom):
    attribution = newsroom.denial
    attribution.quote = "We always did that"
    with pytest.raises(ValidationError) as error:
        attribution.full_clean()
    assert "quote" in error.value.message_dict


def test_clean_points_to_where_a_misplaced_quote_is(newsroom):
    attribution = newsroom.anonymous_five
    attribution.quote = "We never did that,"
    with pytest.raises(ValidationError) as error:
        attribution.full_clean()
    # In words: the sentence the quote is in, not character offsets.
    message = error.value.message_dict["quote"][0]
    assert 'the article has it in “"We never did that," he said.”' in message
    assert not any(char.isdigit() for char in message)


def test_clean_accepts_the_seeded_attributions(newsroom):
    for attribution in Attribution.objects.all():
        attribution.full_clean()


def test_the_passage_is_the_text_at_the_span(newsroom):
    assert newsroom.no_response.passage == (
        "The Russian Defence Ministry did not respond to questions."
    )


# -- The actor tree ---------------------------------------------------------------------------


def test_an_actor_path_lists_its_ancestors(newsroom):
    r, g, m = newsroom.russia, newsroom.government, newsroom.ministry
    assert m.path == f"/{r.pk}/{g.pk}/{m.pk}/"
    assert m.ancestor_ids == [r.pk, g.pk]


def test_moving_an_actor_moves_its_whole_subtree(newsroom):
    new_root = Actor.objects.create(name="Other", slug="other", kind="state")
    newsroom.government.parent = new_root
    newsroom.government.save()
    newsroom.ministry.refresh_from_db()
    assert (
        newsroom.ministry.path == f"/{new_root.pk}/{newsroom.government.pk}/{newsroom.ministry.pk}/"
    )
    assert set(Actor.objects.subtree(new_root)) == {
        new_root,
        newsroom.government,
        newsroom.ministry,
    }
    assert set(Actor.objects.subtree(newsroom.russia)) == {newsroom.russia}


def test_an_actor_cannot_be_put_under_its_own_descendant(newsroom):
    newsroom.russia.parent = newsroom.ministry
    with pytest.raises(ValidationError):
        newsroom.russia.full_clean()
    with pytest.raises(ValidationError), transaction.atomic():
        newsroom.russia.save()
    newsroom.russia.refresh_from_db()
    assert newsroom.russia.parent is None


def test_subtree_does_not_confuse_ids_sharing_a_prefix(newsroom):
    # "/1/" must not match "/12/": the path keeps its closing slash.
    actors = [Actor.objects.create(name=f"A{i}", slug=f"a{i}") for i in range(12)]
    first = actors[0]
    assert list(Actor.objects.subtree(first)) == [first]


# -- The questions analysts ask ---------------------------------------------------------------


def test_by_actor_includes_sub_actors(newsroom):
    attributions = Attribution.objects.by_actor(newsroom.russia)
    assert set(attributions) == {newsroom.no_response, newsroom.denial}


def test_by_actor_can_ask_for_the_actor_alone(newsroom):
    assert set(Attribution.objects.by_actor(newsroom.russia, include_children=False)) == set()
    assert set(Attribution.objects.by_actor(newsroom.government, include_children=False)) == {
        newsroom.denial
    }


def test_responses_are_denials_declines_and_non_responses(newsroom):
    assert set(Attribution.objects.responses()) == {newsroom.no_response, newsroom.denial}
    assert set(Attribution.objects.with_stance("responses")) == {
        newsroom.no_response,
        newsroom.denial,
    }
    assert list(Attribution.objects.with_stance("asserts")) == [newsroom.anonymous_five]


def test_by_anonymity(newsroom):
    assert set(Attribution.objects.anonymous()) == {newsroom.anonymous_five, newsroom.denial}
    assert list(Attribution.objects.named()) == [newsroom.no_response]
    assert list(Attribution.objects.unattributed()) == []


def test_claims_by_actor_and_stance(newsroom):
    other = Claim.objects.create(text="Something else", slug="else")
    Attribution.objects.create(
        **attribution_kwargs(newsroom, claim=other, source=newsroom.opposition_sources)
    )
    assert list(Claim.objects.by_actor(newsroom.russia, stances=["responses"])) == [newsroom.claim]
    assert set(Claim.objects.by_actor(newsroom.opposition)) == {other, newsroom.claim}
    assert list(Claim.objects.by_actor(newsroom.russia, stances=["asserts"])) == []
    assert list(Claim.objects.about(newsroom.russia)) == [newsroom.claim]


def test_claim_and_source_slugs_are_made_when_left_empty(db):
    first = Claim.objects.create(text="Wagner recruits Syrians for Libya")
    second = Claim.objects.create(text="Wagner recruits Syrians for Libya")
    assert first.slug == "wagner-recruits-syrians-for-libya"
    assert second.slug == "wagner-recruits-syrians-for-libya-2"
    assert Source.objects.create(name="A UN report", kind="document").slug == "a-un-report"
