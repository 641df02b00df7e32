"""The actor reach rows equal a recomputation after every kind of write, and the actor page's
newest rows read from them are the rows the sub-tree's own query finds."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article, Outlet
from tests.conftest import BODY, grow, span_of
from tracker import counters
from tracker.counters import reach
from tracker.models import Actor, ActorReach, Attribution, Claim, Source
from tracker.querysets import spoken_for
from tracker.views import pages as views

DENIAL = 'A spokesman denied it. "We never did that," he said.'


def recomputed() -> list[tuple]:
    """Every row there should be, from the attributions and the actors' paths (in Python, apart
    from the SQL that recount() and differences() run)."""
    rows = Attribution.objects.filter(source__actor__isnull=False).values_list(
        "pk", "stance", "source__tie", "source__actor__path", "article__published_on"
    )
    return sorted(
        (actor_id, pk, stance, tie, day)
        for pk, stance, tie, path, day in rows
        for actor_id in reach.chain(path)
    )


def kept() -> list[tuple]:
    columns = ("actor_id", "attribution_id", "stance", "tie", "published_on")
    return sorted(ActorReach.objects.values_list(*columns))


def assert_reach_agrees() -> None:
    assert kept() == recomputed()
    assert counters.differences() == []


def test_the_newsroom_has_a_row_per_attribution_and_actor_above_its_source(newsroom):
    # The ministry's non-response counts for the ministry, the government and Russia.
    rows = ActorReach.objects.filter(attribution=newsroom.no_response)
    assert sorted(rows.values_list("actor_id", flat=True)) == sorted(
        [newsroom.ministry.pk, newsroom.government.pk, newsroom.russia.pk]
    )
    assert_reach_agrees()


def test_a_created_or_deleted_attribution_brings_or_takes_its_rows(newsroom):
    extra = Attribution.objects.create(
        claim=newsroom.claim, source=newsroom.ministry_source, article=newsroom.article,
        stance="denies", **span_of(BODY, DENIAL),
    )  # fmt: skip
    assert ActorReach.objects.filter(attribution=extra).count() == 3
    assert_reach_agrees()
    extra.delete()
    assert not ActorReach.objects.filter(attribution_id=extra.pk).exists()
    assert_reach_agrees()


def test_an_edit_of_stance_source_or_article_moves_its_rows(newsroom):
    later = Article.objects.create(
        title="Later", slug="later", outlet=newsroom.outlet,
        published_on=datetime.date(2020, 6, 20), body=BODY,
    )  # fmt: skip
    denial = newsroom.denial
    for change in (
        {"stance": "declined"},
        {"article": later},  # the same month: the counts stay, the date changes
        {"source": newsroom.opposition_sources},  # another actor's tree
        {"source": newsroom.ministry_source},  # under the same root
        {"anonymity": "named"},  # nothing of its rows
    ):
        for name, value in change.items():
            setattr(denial, name, value)
        denial.save()
        assert_reach_agrees()
    assert set(
        ActorReach.objects.filter(attribution=denial).values_list("stance", "published_on")
    ) == {("declined", datetime.date(2020, 6, 20))}


def test_a_source_moved_to_another_actor_or_tie_moves_its_rows(newsroom):
    spokesman = newsroom.spokesman
    spokesman.tie = "belongs_to"
    spokesman.save()
    assert set(ActorReach.objects.filter(attribution=newsroom.denial).values_list("tie")) == {
        ("belongs_to",)
    }
    assert_reach_agrees()
    for actor in (newsroom.opposition, None, newsroom.ministry):
        spokesman.actor = actor
        spokesman.save()
        assert_reach_agrees()
    spokesman.tie = "speaks_for"
    spokesman.actor = newsroom.russia
    spokesman.save()
    assert_reach_agrees()


def test_an_article_with_another_date_dates_its_rows(newsroom):
    article = Article.objects.get(pk=newsroom.article.pk)
    for day in (datetime.date(2020, 6, 1), datetime.date(2023, 2, 1), "2019-12-31"):
        article.published_on = day
        article.save()
        assert_reach_agrees()
    assert set(ActorReach.objects.values_list("published_on", flat=True)) == {
        datetime.date(2019, 12, 31)
    }


def test_an_actor_moved_in_the_tree_takes_its_sub_trees_rows(newsroom):
    grow(newsroom, 4)  # sub-actors of Russia with attributions of their own
    government = Actor.objects.get(pk=newsroom.government.pk)
    for parent in (newsroom.opposition, None, newsroom.russia):
        government.parent = parent
        government.save()
        assert_reach_agrees()
    # Deeper: the government under one of Russia's sub-actors, then the ministry out of it.
    sub_actor = Actor.objects.filter(parent=newsroom.russia).exclude(pk=government.pk).first()
    government.parent = sub_actor
    government.save()
    assert_reach_agrees()
    ministry = Actor.objects.get(pk=newsroom.ministry.pk)
    ministry.parent = newsroom.opposition
    ministry.save()
    assert_reach_agrees()
    assert not ActorReach.objects.filter(
        actor=newsroom.russia, attribution=newsroom.no_response
    ).exists()


def test_cascades_of_claims_articles_sources_and_actors_take_their_rows(newsroom):
    grow(newsroom, 3)
    Claim.objects.filter(text__startswith="Claim 3-").first().delete()
    assert_reach_agrees()
    Article.objects.get(slug="article-3-1").delete()
    assert_reach_agrees()
    Attribution.objects.filter(stance="denies").delete()
    assert_reach_agrees()
    newsroom.claim.delete()
    assert_reach_agrees()
    # A source and an actor can go once nothing refers to them (PROTECT).
    Source.objects.get(pk=newsroom.spokesman.pk).delete()
    source = Source.objects.get(pk=newsroom.ministry_source.pk)
    source.actor = newsroom.opposition
    source.save()
    Actor.objects.get(pk=newsroom.ministry.pk).delete()
    assert_reach_agrees()


def test_bulk_writers_fill_them_with_attributions_added_or_recount(newsroom):
    rows = Attribution.objects.bulk_create(
        [
            Attribution(
                claim=Claim.objects.create(text=f"Bulk {i}"), source=newsroom.spokesman,
                article=newsroom.article, stance="denies", **span_of(BODY, DENIAL),
            )
            for i in range(3)
        ]
    )  # fmt: skip
    assert kept() != recomputed()  # bulk_create sends no signals
    counters.attributions_added([row.pk for row in rows])
    assert_reach_agrees()
    with connection.cursor() as cursor:  # as bench/corpus.py writes: raw rows
        cursor.execute(
            "INSERT INTO tracker_attribution (claim_id, source_id, article_id, stance, wording,"
            " count, anonymity, quote, span_start, span_end, created_at, updated_at)"
            " VALUES (%s, %s, %s, 'asserts', '', 1, 'named', '', 0, 5, %s, %s)",
            [rows[0].claim_id, newsroom.ministry_source.pk, newsroom.article.pk,
             datetime.datetime(2024, 1, 1), datetime.datetime(2024, 1, 1)],
        )  # fmt: skip
    assert any("actor reach missing" in problem for problem in counters.differences())
    call_command("recount")
    assert_reach_agrees()


@pytest.mark.parametrize("damage", ["missing", "extra", "duplicate"])
def test_recount_check_finds_a_missing_an_extra_or_a_twice_kept_row_and_recount_mends(
    newsroom, damage
):
    row = ActorReach.objects.filter(attribution=newsroom.no_response).first()
    if damage == "missing":
        row.delete()
    elif damage == "extra":  # the opposition never answered for the ministry
        ActorReach.objects.create(
            actor=newsroom.opposition, attribution=row.attribution, stance=row.stance,
            tie=row.tie, published_on=row.published_on,
        )  # fmt: skip
    else:
        row.pk = None
        row.save()
    expected = {"missing": "actor reach missing", "extra": "actor reach extra"}
    with pytest.raises(CommandError, match=expected.get(damage, "actor reach rows: kept")):
        call_command("recount", "--check")
    call_command("recount")
    call_command("recount", "--check")
    assert_reach_agrees()


# -- The actor page reads the same rows as the sub-tree's own query --------------------------


def newest_by_the_sub_tree_query(actor: Actor, *, affiliated: bool, limit: int) -> dict:
    ids = list(Actor.objects.subtree(actor).values_list("pk", flat=True))
    rows = Attribution.objects.filter(spoken_for(ids, affiliated=affiliated)).for_list()
    return {stance: list(rows.newest_of_stance(stance, limit)) for stance in views.ACTOR_HEADINGS}


@pytest.fixture
def citations(seeded):
    """The seeds, and more citations of each stance on three articles, two of them of one day:
    by a press office that speaks for the Russian Defence Ministry and a member who only
    belongs to the Russian government."""
    outlet = Outlet.objects.create(name="Wire", slug="wire")
    articles = [
        Article.objects.create(
            title=f"Report {i}", slug=f"report-{i}", outlet=outlet, published_on=day, body=BODY
        )
        for i, day in enumerate([datetime.date(2020, 5, 1)] * 2 + [datetime.date(2021, 3, 3)])
    ]
    office = Source.objects.create(
        name="Press office", slug="press-office", kind="organisation",
        actor=Actor.objects.get(slug="russian-defence-ministry"),
    )  # fmt: skip
    member = Source.objects.create(
        name="Member", slug="member", kind="person",
        actor=Actor.objects.get(slug="russian-government"), tie="belongs_to",
    )  # fmt: skip
    for i in range(30):
        for stance in views.ACTOR_HEADINGS:
            for source in (office, member):
                Attribution.objects.create(
                    claim=Claim.objects.create(text=f"Cited {i} {stance} {source.slug}"),
                    source=source, article=articles[(i * 7) % 3], stance=stance,
                    **span_of(BODY, DENIAL),
                )  # fmt: skip


def test_the_newest_rows_are_those_of_the_sub_tree_query_ties_in_dates_by_id(client, citations):
    for affiliated in (False, True):
        for limit in (1, 7, 50):
            for actor in Actor.objects.all():
                expected = newest_by_the_sub_tree_query(actor, affiliated=affiliated, limit=limit)
                found = Attribution.objects.newest_by_stance(
                    actor, stances=views.ACTOR_HEADINGS, affiliated=affiliated, limit=limit
                )
                assert {s: [a.pk for a in rows] for s, rows in found.items()} == {
                    s: [a.pk for a in rows] for s, rows in expected.items()
                }, (actor.slug, affiliated, limit)
    # The page shows them.
    for affiliated in (False, True):
        for slug in ("russia", "russian-government", "turkey"):
            response = client.get(f"/actors/{slug}/?affiliated={int(affiliated)}")
            assert response.status_code == 200
            expected = newest_by_the_sub_tree_query(
                Actor.objects.get(slug=slug), affiliated=affiliated, limit=views.ACTOR_GROUP_LIMIT
            )
            shown = {
                stance: [a.pk for a in rows] for _, stance, rows, _ in response.context["groups"]
            }
            assert shown == {s: [a.pk for a in rows] for s, rows in expected.items() if rows}
            assert shown, slug
