"""The claims' kept total (ClaimTally) follows every claim created or deleted, folds into one
row after each commit, and is what the unfiltered claim list shows."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import DatabaseError, transaction

from tests.conftest import grow
from tracker import counters
from tracker.counters import claims_total as kept
from tracker.models import Claim, ClaimTally

committed = pytest.mark.django_db(transaction=True)


def total() -> int:
    return kept.claims_total()


def test_claims_created_and_deleted_are_counted(newsroom):
    assert total() == Claim.objects.count() == 1
    grow(newsroom, 3)
    made = Claim.objects.create(text="One more.")
    assert total() == Claim.objects.count()
    made.delete()
    Claim.objects.filter(pk__in=Claim.objects.order_by("-pk").values("pk")[:2]).delete()
    assert total() == Claim.objects.count()
    assert counters.differences() == []


@committed
def test_each_commit_folds_the_rows_into_one(newsroom):
    with transaction.atomic():
        for i in range(3):
            Claim.objects.create(text=f"Claim {i}.")
        Claim.objects.order_by("pk").first().delete()
        assert ClaimTally.objects.count() > 1  # insert-only inside the transaction
    assert list(ClaimTally.objects.values_list("n", flat=True)) == [Claim.objects.count()] == [3]
    Claim.objects.all().delete()
    assert ClaimTally.objects.count() == 0 and total() == 0


@committed
def test_a_rolled_back_claim_is_not_counted(newsroom):
    with pytest.raises(RuntimeError), transaction.atomic():
        Claim.objects.create(text="Never saved.")
        raise RuntimeError
    assert total() == Claim.objects.count() == 1


@committed
def test_a_fold_that_fails_after_the_commit_is_logged_and_the_total_still_holds(
    newsroom, monkeypatch, caplog
):
    def fails(**kwargs):
        raise DatabaseError("the fold failed")

    monkeypatch.setattr(kept, "fold", fails)
    Claim.objects.create(text="Saved all the same.")
    assert "the fold failed" in caplog.text
    assert ClaimTally.objects.count() == 2 and total() == Claim.objects.count() == 2


def test_writers_past_the_orm_are_set_right_by_a_recount(newsroom):
    Claim.objects.bulk_create([Claim(text=f"Bulk {i}.", slug=f"bulk-{i}") for i in range(4)])
    assert total() == 1
    assert "claims in all: kept 1, counted 5" in counters.differences()
    call_command("recount", verbosity=0)
    assert total() == Claim.objects.count() == 5
    assert counters.differences() == []


def test_the_unfiltered_list_shows_the_kept_total(client, newsroom):
    grow(newsroom, 3)
    response = client.get("/claims/")
    assert response.status_code == 200
    assert response.context["total"] == Claim.objects.count()
    # It is the kept total the page reads, not a count of the claims.
    ClaimTally.objects.create(n=1000)
    cache.clear()
    assert client.get("/claims/").context["total"] == Claim.objects.count() + 1000
