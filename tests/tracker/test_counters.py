"""The counts kept with the data equal a recount after every kind of write, and never deadlock."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction

from articles.models import Article, Outlet
from tests.conftest import BODY, grow, span_of
from tests.tracker.api.test_api_write import article
from tracker import counters
from tracker.models import (
    Actor,
    ActorStanceCount,
    Attribution,
    AttributionTally,
    Claim,
    Response,
    Source,
    Verdict,
)

DENIAL = 'A spokesman denied it. "We never did that," he said.'
ASSERTION = "Five Syrian opposition sources said the drive accelerated."


def assert_counts_agree() -> None:
    assert counters.differences() == []


def subtree(actor: Actor) -> dict[str, int]:
    rows = ActorStanceCount.objects.filter(actor=actor).values_list("stance", "subtree")
    totals: dict[str, int] = {}
    for stance, n in rows:
        totals[stance] = totals.get(stance, 0) + n
    return {stance: n for stance, n in totals.items() if n}


def test_the_newsroom_is_counted_as_it_is_written(newsroom):
    claim = Claim.objects.get(pk=newsroom.claim.pk)
    assert (claim.attribution_total, claim.source_total, claim.response_total) == (3, 3, 2)
    # Russia's sub-tree: the ministry did not respond, the government's spokesman denied.
    assert subtree(newsroom.russia) == {"no_response": 1, "denies": 1}
    assert subtree(newsroom.ministry) == {"no_response": 1}
    assert_counts_agree()


def test_a_recount_of_counted_data_changes_nothing(newsroom):
    grow(newsroom, 4)
    before = counters.differences()
    counters.recount()
    assert before == [] and counters.differences() == []


def test_an_edit_of_stance_anonymity_claim_source_or_article_moves_its_counts(newsroom):
    other_claim = Claim.objects.create(text="Another claim.")
    other_article = Article.objects.create(
        title="Later", slug="later", outlet=Outlet.objects.create(name="Post", slug="post"),
        published_on=datetime.date(2021, 1, 1), body=BODY,
    )  # fmt: skip
    denial = newsroom.denial
    denial.stance = "declined"
    denial.save()
    assert_counts_agree()
    denial.anonymity = "named"
    denial.save()
    assert_counts_agree()
    denial.claim = other_claim
    denial.save()
    assert_counts_agree()
    assert Claim.objects.get(pk=other_claim.pk).response_total == 1
    assert Claim.objects.get(pk=newsroom.claim.pk).attribution_total == 2
    denial.source = newsroom.opposition_sources
    denial.save()
    assert_counts_agree()
    assert subtree(newsroom.russia) == {"no_response": 1}
    denial.article = other_article
    denial.save()
    assert_counts_agree()


def test_a_delete_and_cascades_uncount(newsroom):
    grow(newsroom, 3)
    newsroom.no_response.delete()
    assert_counts_agree()
    Attribution.objects.filter(stance="denies").delete()
    assert_counts_agree()
    Claim.objects.filter(text__startswith="Claim 3-").first().delete()
    assert_counts_agree()
    Article.objects.get(slug="article-3-1").delete()
    assert_counts_agree()
    newsroom.claim.delete()
    assert_counts_agree()
    assert subtree(newsroom.ministry) == {}


def test_the_responses_proxy_counts_too(newsroom):
    response = Response.objects.get(pk=newsroom.denial.pk)
    response.stance = "no_response"
    response.save()
    assert_counts_agree()
    response.delete()
    assert_counts_agree()


def test_a_source_moved_to_another_actor_takes_its_counts(newsroom):
    newsroom.spokesman.actor = newsroom.opposition
    newsroom.spokesman.save()
    assert subtree(newsroom.russia) == {"no_response": 1}
    assert subtree(newsroom.opposition) == {"asserts": 1, "denies": 1}
    assert_counts_agree()
    newsroom.spokesman.actor = None
    newsroom.spokesman.save()
    assert_counts_agree()
    source = Source.objects.get(pk=newsroom.spokesman.pk)
    source.actor = newsroom.ministry
    source.save()
    assert_counts_agree()


def test_an_actor_moved_in_the_tree_takes_its_sub_tree_counts(newsroom):
    grow(newsroom, 4)  # sub-actors of Russia with attributions of their own
    government = Actor.objects.get(pk=newsroom.government.pk)
    government.parent = newsroom.opposition
    government.save()
    assert subtree(newsroom.opposition)["no_response"] == 1
    assert "no_response" not in subtree(newsroom.russia)
    assert_counts_agree()
    government.parent = None
    government.save()
    assert_counts_agree()


def test_an_article_moved_to_another_outlet_and_a_claim_rated_move_the_facets(newsroom):
    article = Article.objects.get(pk=newsroom.article.pk)
    article.outlet = Outlet.objects.create(name="Other", slug="other")
    article.save()
    assert_counts_agree()
    verdict = Verdict.objects.create(claim=newsroom.claim, rating="refuted", explanation="No.")
    assert Claim.objects.get(pk=newsroom.claim.pk).status == "refuted"
    assert_counts_agree()
    verdict.delete()
    assert_counts_agree()


def test_a_claim_saved_from_a_stale_copy_keeps_its_counts(newsroom):
    stale = Claim.objects.get(pk=newsroom.claim.pk)
    Attribution.objects.create(
        claim=newsroom.claim, source=newsroom.ministry_source, article=newsroom.article,
        stance="denies", **span_of(BODY, DENIAL),
    )  # fmt: skip
    stale.text = "The recruitment drive sped up."
    stale.save()
    assert Claim.objects.get(pk=stale.pk).attribution_total == 4
    assert_counts_agree()


def test_bulk_writers_count_with_attributions_added_or_recount(newsroom):
    rows = Attribution.objects.bulk_create(
        [
            Attribution(
                claim=Claim.objects.create(text=f"Bulk {i}"),
                source=newsroom.spokesman,
                article=newsroom.article,
                stance="denies",
                **span_of(BODY, DENIAL),
            )
            for i in range(3)
        ]
    )
    assert counters.differences() != []  # bulk_create sends no signals
    counters.attributions_added([row.pk for row in rows])
    assert_counts_agree()
    with connection.cursor() as cursor:  # as bench/corpus.py writes: raw rows
        cursor.execute(
            "INSERT INTO tracker_attribution (claim_id, source_id, article_id, stance, wording,"
            " count, anonymity, quote, span_start, span_end, created_at, updated_at)"
            " VALUES (%s, %s, %s, 'asserts', '', 1, 'named', '', 0, 5, %s, %s)",
            [rows[0].claim_id, newsroom.ministry_source.pk, newsroom.article.pk,
             datetime.datetime(2024, 1, 1), datetime.datetime(2024, 1, 1)],
        )  # fmt: skip
    call_command("recount")
    assert_counts_agree()


def test_the_recount_command_checks(newsroom, capsys):
    call_command("recount", "--check")
    assert "agrees" in capsys.readouterr().out
    Claim.objects.filter(pk=newsroom.claim.pk).update(source_total=99)
    with pytest.raises(Exception, match="1 kept counts differ"):
        call_command("recount", "--check")


def test_folding_the_rows_keeps_the_sums(newsroom):
    grow(newsroom, 3)
    rows_before = ActorStanceCount.objects.count() + AttributionTally.objects.count()
    counters.compact(
        actor_ids=Actor.objects.values_list("pk", flat=True),
        outlet_ids=[*Outlet.objects.values_list("pk", flat=True), None],
    )
    assert ActorStanceCount.objects.count() + AttributionTally.objects.count() < rows_before
    assert_counts_agree()
    # One row per actor and stance after folding.
    assert ActorStanceCount.objects.filter(actor=newsroom.russia).count() == len(
        subtree(newsroom.russia)
    )


# -- Two editors at once (PostgreSQL: real row locks, two connections) -----------------------

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has one writer at a time: nothing to lock"
)


def cite(claim: Claim, source: Source, article: Article, start: int) -> Attribution:
    return Attribution.objects.create(
        claim=claim, source=source, article=article, stance="denies",
        span_start=start, span_end=start + 5,
    )  # fmt: skip


def in_thread(work, errors: list[BaseException]) -> threading.Thread:
    def run() -> None:
        try:
            work()
        except (DatabaseError, threading.BrokenBarrierError) as error:  # deadlock detected
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_editors_citing_the_same_actors_in_opposite_orders_never_deadlock(newsroom):
    """Each editor, in one transaction, cites the ministry and the opposition on claims of its
    own, in opposite orders, each waiting until the other has written its first."""
    ministry, opposition = newsroom.ministry_source, newsroom.opposition_sources
    claims = [Claim.objects.create(text=f"Claim {i}.") for i in range(4)]
    halfway = threading.Barrier(2, timeout=10)
    errors: list[BaseException] = []

    def editor(first: Source, second: Source, own: list[Claim]) -> None:
        with transaction.atomic():
            cite(own[0], first, newsroom.article, 0)
            halfway.wait()
            cite(own[1], second, newsroom.article, 0)

    threads = [
        in_thread(lambda: editor(ministry, opposition, claims[:2]), errors),
        in_thread(lambda: editor(opposition, ministry, claims[2:]), errors),
    ]
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads) and errors == []
    assert Attribution.objects.filter(claim__in=claims).count() == 4
    assert subtree(newsroom.russia)["denies"] == 1 + 2
    assert_counts_agree()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_one_line_save_during_a_long_edit_is_not_held_up(newsroom):
    """The issue's case: an editor cites the ministry on claim A and then on claim B; in
    between, another saves one citation of the ministry on claim B, and must not wait."""
    claim_b = Claim.objects.create(text="Claim B.")
    first_written, second_done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def long_edit() -> None:
        with transaction.atomic():
            cite(newsroom.claim, newsroom.ministry_source, newsroom.article, 0)
            first_written.set()
            assert second_done.wait(timeout=10), "the one-line save waited for this edit"
            cite(claim_b, newsroom.ministry_source, newsroom.article, 0)

    def one_line() -> None:
        assert first_written.wait(timeout=10)
        cite(claim_b, newsroom.ministry_source, newsroom.article, 10)
        second_done.set()

    threads = [in_thread(long_edit, errors), in_thread(one_line, errors)]
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads) and errors == []
    assert Claim.objects.get(pk=claim_b.pk).attribution_total == 2
    assert_counts_agree()


def test_an_article_written_through_the_api_is_counted(editor_client, newsroom):
    response = editor_client.post(
        "/api/articles/", article(newsroom), content_type="application/json"
    )
    assert response.status_code == 201, response.content[:500]
    assert Claim.objects.get(pk=newsroom.claim.pk).attribution_total == 4
    assert_counts_agree()


@pytest.mark.django_db(transaction=True)
def test_a_fold_that_fails_after_the_commit_is_logged_and_the_counts_still_agree(
    newsroom, monkeypatch, caplog
):
    # The write has committed when the rows are folded: a failure there (a lost connection, a
    # lock timeout) must not turn the editor's saved edit into an error page.
    def fails(**kwargs):
        raise DatabaseError("the fold failed")

    monkeypatch.setattr(counters, "compact", fails)
    with transaction.atomic():
        added = Attribution.objects.create(
            claim=newsroom.claim, source=newsroom.spokesman, article=newsroom.article,
            stance="asserts", **span_of(BODY, ASSERTION),
        )  # fmt: skip
    assert Attribution.objects.filter(pk=added.pk).exists()
    assert "the fold failed" in caplog.text
    assert_counts_agree()
