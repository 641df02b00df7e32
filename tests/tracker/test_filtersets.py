"""The FilterSets (tracker/filtersets.py), each filter once: what a good value keeps, and a bad
value refused with an error naming its parameter. The pages and the API apply these same
FilterSets (tests/tracker/views/, tests/tracker/api/)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict

from tests.conftest import BODY, grow, span_of
from tracker import credibility
from tracker.filtersets import (
    ActorChoice,
    AttributionFilterSet,
    TrackRecordFilterSet,
    VerdictFilterSet,
)
from tracker.models import Actor, ActorAlias, Attribution, Claim, TrackRecord, Verdict

pytestmark = pytest.mark.django_db


def attributions(query: str) -> set[str]:
    filterset = AttributionFilterSet(QueryDict(query), queryset=Attribution.objects.all())
    assert filterset.is_valid(), filterset.form.errors
    return set(filterset.qs.values_list("wording", flat=True))


def errors(filterset_class, query: str, queryset) -> dict[str, str]:
    filterset = filterset_class(QueryDict(query), queryset=queryset)
    assert not filterset.is_valid()
    return dict(filterset.error_messages())


FIVE, MINISTRY, SPOKESMAN = (
    "Five Syrian opposition sources",
    "The Russian Defence Ministry",
    "A spokesman",
)
EVERY = {FIVE, MINISTRY, SPOKESMAN}


# -- AttributionFilterSet: the claim list, the matrix, the exports, /api/claims/ ---------------


@pytest.mark.parametrize(
    "query, kept",
    [
        ("", EVERY),
        ("actor=russia", {MINISTRY, SPOKESMAN}),  # the government's and the ministry's sources
        ("actor=russian-government&actor_exact=1", {SPOKESMAN}),
        ("actor=russia&actor_exact=0", {MINISTRY, SPOKESMAN}),
        ("actor=", EVERY),
        ("stance=denies", {SPOKESMAN}),
        ("stance=asserts&stance=no_response", {FIVE, MINISTRY}),
        ("stance=responses", {MINISTRY, SPOKESMAN}),
        ("anonymity=anonymous", {FIVE, SPOKESMAN}),
        ("anonymity=named", {MINISTRY}),
        ("outlet=wire", EVERY),
        ("article=1e30", set()),  # larger than any id: nothing, not an error
        ("status=unrated", EVERY),
        ("status=refuted", set()),
        ("date_from=2020-06-07", EVERY),
        ("date_to=2020-06-06", set()),
        ("q=recruitment", EVERY),
        ("q=Wagner", set()),
        ("contradicted_denials=0", EVERY),
        ("contradicted_denials=1", set()),
    ],
)
def test_each_attribution_filter_keeps_what_it_names(newsroom, query, kept):
    assert attributions(query) == kept


def test_the_article_filter_takes_an_id(newsroom):
    assert attributions(f"article={newsroom.article.pk}") == EVERY
    assert attributions(f"article={newsroom.article.pk + 1}") == set()


def test_contradicted_denials_are_denials_of_claims_since_confirmed(newsroom):
    Verdict.objects.create(claim=newsroom.claim, rating="confirmed", explanation="Checked.")
    assert attributions("contradicted_denials=1") == {SPOKESMAN}


@pytest.mark.parametrize(
    "query, name",
    [
        ("actor=atlantis", "actor"),
        ("actor=%3Cscript%3E", "actor"),
        ("actor=russia&actor_exact=perhaps", "actor_exact"),
        ("stance=maybe", "stance"),
        ("anonymity=secret", "anonymity"),
        ("outlet=nowhere", "outlet"),
        ("article=first", "article"),
        ("status=probably", "status"),
        ("date_from=yesterday", "date_from"),
        ("date_to=2020-02-30", "date_to"),
        ("contradicted_denials=often", "contradicted_denials"),
    ],
)
def test_a_bad_attribution_filter_is_named(newsroom, query, name):
    found = errors(AttributionFilterSet, query, Attribution.objects.all())
    assert list(found) == [name] and found[name]


def test_an_unknown_actor_is_named_by_its_slug(newsroom):
    found = errors(AttributionFilterSet, "actor=atlantis", Attribution.objects.all())
    assert found == {"actor": "There is no actor with the slug, name or alias 'atlantis'."}


# -- Actors and outlets by name or alias (tracker.names) ----------------------------------------


@pytest.mark.parametrize(
    "query, kept",
    [
        ("actor=Russia", {MINISTRY, SPOKESMAN}),  # the name, not the slug
        ("actor=RUSSIA", {MINISTRY, SPOKESMAN}),
        ("actor=russian+government&actor_exact=1", {SPOKESMAN}),
        ("actor=Russian+MoD", {MINISTRY}),  # an alias
        ("actor=russian+mod", {MINISTRY}),
        ("actor=the+Russian+Defence+Ministry", {MINISTRY}),  # "the" does not count
        ("actor=R%C3%BAssia", {MINISTRY, SPOKESMAN}),  # nor accents: Rússia
        ("actor=++Russian+%C2%A0government++&actor_exact=1", {SPOKESMAN}),  # nor spacing
        ("outlet=Wire", EVERY),
        ("outlet=WIRE", EVERY),
    ],
)
def test_actors_and_outlets_are_found_by_name_or_alias(newsroom, query, kept):
    assert attributions(query) == kept


def test_accented_names_are_found_without_their_accents(newsroom):
    erdogan = Actor.objects.create(name="Recep Tayyip Erdoğan", slug="erdogan", kind="person")
    ActorAlias.objects.create(actor=erdogan, name="Türkiye's president")
    field = AttributionFilterSet().form.fields["actor"]
    for text in ("recep tayyip erdogan", "RECEP TAYYİP ERDOĞAN", "turkiye's President"):
        assert field.clean(text).pk == erdogan.pk


def test_a_name_of_two_actors_is_refused_naming_both(newsroom):
    ActorAlias.objects.create(actor=newsroom.opposition, name="Russian MoD")
    found = errors(AttributionFilterSet, "actor=russian+mod", Attribution.objects.all())
    assert found == {
        "actor": "'russian mod' names more than one: Russian Defence Ministry "
        "(russian-defence-ministry), Syrian opposition (syrian-opposition). "
        "Give one of their slugs."
    }


def test_a_slug_wins_over_another_actors_alias(newsroom):
    ActorAlias.objects.create(actor=newsroom.opposition, name="russia")
    assert attributions("actor=russia") == {MINISTRY, SPOKESMAN}


def test_an_unknown_outlet_is_named(newsroom):
    found = errors(AttributionFilterSet, "outlet=Nowhere+Times", Attribution.objects.all())
    assert found == {"outlet": "There is no outlet with the slug or name 'Nowhere Times'."}


@pytest.mark.parametrize("size", [0, 30])
def test_a_name_costs_three_queries_whatever_the_number_of_actors(
    newsroom, size, django_assert_num_queries
):
    if size:
        grow(newsroom, size)
    field = AttributionFilterSet().form.fields["actor"]
    # 1: the text as a slug (none); 2: names, slugs and aliases; 3: the actor's sub-tree
    with django_assert_num_queries(3):
        choice = field.clean("Russian-Government")
    assert choice.pk == newsroom.government.pk
    assert set(choice.subtree_ids) == {newsroom.government.pk, newsroom.ministry.pk}


# -- Parameters that are no filter --------------------------------------------------------------


def test_a_misspelled_parameter_is_named_with_the_likely_one():
    found = dict(AttributionFilterSet.unknown_parameters(["stnace", "actor"], also=["cursor"]))
    assert list(found) == ["stnace"]
    assert found["stnace"].startswith("There is no parameter 'stnace' here. Did you mean stance?")
    # the known ones are the FilterSet's own filters (never a hand list) and what the page reads
    assert set(AttributionFilterSet.base_filters) | {"cursor"} == set(
        found["stnace"].split("Known: ")[1].rstrip(".").split(", ")
    )


def test_campaign_tags_are_no_misspelling():
    assert AttributionFilterSet.unknown_parameters(["utm_source", "utm_campaign"]) == []


# -- The actor filter: one sub-tree resolver, one query -----------------------------------------


def test_an_actor_and_its_sub_tree_are_one_query(newsroom, django_assert_num_queries):
    field = AttributionFilterSet().form.fields["actor"]
    with django_assert_num_queries(1):
        choice = field.clean("russia")
    assert isinstance(choice, ActorChoice)
    assert choice.subtree_ids[0] == choice.pk == newsroom.russia.pk
    assert set(choice.below_ids) == {newsroom.government.pk, newsroom.ministry.pk}
    assert (choice.actor.slug, choice.actor.name) == ("russia", "Russia")
    assert set(choice.subtree_ids) == set(
        Actor.objects.subtree(newsroom.russia).values_list("pk", flat=True)
    )


def test_what_cannot_be_a_slug_is_looked_up_by_name_alone(newsroom, django_assert_num_queries):
    field = AttributionFilterSet().form.fields["actor"]
    # 1: names, slugs and aliases (no slug query for what cannot be one)
    with django_assert_num_queries(1), pytest.raises(ValidationError, match="no actor with"):
        field.clean("not a slug")


# -- VerdictFilterSet: /api/verdicts/ ------------------------------------------------------------


@pytest.fixture
def verdicts(newsroom) -> dict[str, Verdict]:
    other = Claim.objects.create(text="Another claim.", slug="another")
    return {
        "confirmed": Verdict.objects.create(
            claim=newsroom.claim, rating="confirmed", explanation="-"
        ),
        "refuted": Verdict.objects.create(claim=other, rating="refuted", explanation="-"),
    }


def verdict_ids(query: str) -> set[int]:
    filterset = VerdictFilterSet(QueryDict(query), queryset=Verdict.objects.all())
    assert filterset.is_valid(), filterset.form.errors
    return set(filterset.qs.values_list("pk", flat=True))


def test_each_verdict_filter_keeps_what_it_names(newsroom, verdicts):
    confirmed, refuted = verdicts["confirmed"].pk, verdicts["refuted"].pk
    assert verdict_ids("") == verdict_ids("claim=&rating=") == {confirmed, refuted}
    assert verdict_ids(f"claim={newsroom.claim.pk}") == {confirmed}
    assert verdict_ids(f"claim={2**70}") == set()  # larger than any id: nothing, not an error
    assert verdict_ids("rating=refuted") == {refuted}


@pytest.mark.parametrize(
    "query, names",
    [
        ("claim=abc", {"claim"}),
        ("claim=0", {"claim"}),
        ("claim=-3", {"claim"}),
        ("claim=1.5", {"claim"}),
        ("rating=unrated", {"rating"}),  # a status, but no verdict's rating
        ("claim=x&rating=Confirmed", {"claim", "rating"}),
    ],
)
def test_a_bad_verdict_filter_is_named(newsroom, query, names):
    found = errors(VerdictFilterSet, query, Verdict.objects.all())
    assert set(found) == names and all(found.values())


# -- TrackRecordFilterSet: /credibility/ and /api/track-records/ -------------------------------


@pytest.fixture
def records(newsroom) -> dict[str, TrackRecord]:
    """Records for the three sources and their actors: the anonymous five and the ministry with
    three rated claims each (enough to rank), the spokesman with one (too short)."""
    sentence = span_of(BODY, "Five Syrian opposition sources said the drive accelerated.")
    for source, n in ((newsroom.opposition_sources, 3), (newsroom.ministry_source, 3)):
        for i in range(n):
            claim = Claim.objects.create(text=f"{source.slug} {i}", status="confirmed")
            Attribution.objects.create(
                claim=claim, source=source, article=newsroom.article, stance="asserts", **sentence
            )
    newsroom.claim.status = "confirmed"
    newsroom.claim.save()
    credibility.recompute_all()
    return {
        **{
            f"source:{r.source.slug}": r
            for r in TrackRecord.objects.filter(source__isnull=False).select_related("source")
        },
        **{
            f"actor:{r.actor.slug}": r
            for r in TrackRecord.objects.filter(actor__isnull=False).select_related("actor")
        },
    }


def ranked(query: str) -> set[str]:
    filterset = TrackRecordFilterSet(QueryDict(query), queryset=TrackRecord.objects.all())
    assert filterset.is_valid(), filterset.form.errors
    rows = filterset.qs.select_related("source", "actor")
    return {f"source:{r.source.slug}" if r.source else f"actor:{r.actor.slug}" for r in rows}


def test_records_too_short_are_left_out_unless_all(records):
    short = {key for key, record in records.items() if not record.enough}
    assert "source:spokesman" in short
    assert ranked("") == set(records) - short
    assert ranked("all=1") == set(records)
    assert ranked("all=0") == ranked("all=") == ranked("")


@pytest.mark.parametrize(
    "kind, sides",
    [
        ("anonymous", {"source"}),  # only sources are anonymous
        ("organisation", {"source"}),
        ("government_body", {"actor"}),  # only actors are government bodies
        ("movement", {"actor"}),
        ("person", set()),  # a kind of both: nobody here
    ],
)
def test_a_kind_that_only_one_side_has_leaves_out_the_other(records, kind, sides):
    kept = ranked(f"kind={kind}&all=1")
    assert {key.split(":")[0] for key in kept} == sides
    filterset = TrackRecordFilterSet(QueryDict(f"kind={kind}"), queryset=TrackRecord.objects.all())
    assert filterset.is_valid()
    shown = {side for side in ("sources", "actors") if filterset.side(side) is not None}
    assert shown == ({"sources", "actors"} if kind == "person" else {f"{s}s" for s in sides})


def test_an_actor_keeps_its_sources_and_sub_actors_not_itself(records):
    assert ranked("actor=russia&all=1") == {
        "source:mod",
        "source:spokesman",
        "actor:russian-government",
        "actor:russian-defence-ministry",
    }
    assert ranked("actor=russian-defence-ministry&all=1") == {"source:mod"}


@pytest.mark.parametrize(
    "query, names",
    [
        ("kind=planet", {"kind"}),
        ("actor=nobody", {"actor"}),
        ("all=maybe", {"all"}),
        ("kind=x&actor=nobody&all=2", {"kind", "actor", "all"}),
    ],
)
def test_a_bad_ranking_parameter_is_named(db, query, names):
    found = errors(TrackRecordFilterSet, query, TrackRecord.objects.all())
    assert set(found) == names and all(found.values())
