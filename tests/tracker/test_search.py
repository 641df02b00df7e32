"""q: PostgreSQL full-text search over claims and quotes (kept by triggers); LIKE on SQLite."""

from __future__ import annotations

import pytest
from django.db import connection

from tracker.models import Attribution, Claim

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the stored search vector exists on PostgreSQL only"
)


def found(text: str) -> set[str]:
    return set(Claim.objects.search(text).values_list("slug", flat=True))


def test_search_matches_claim_text_and_quotes(newsroom):
    assert found("recruitment") == {"drive"}
    assert found("never did") == {"drive"}  # only in the denial's quote
    assert found("zebra") == set()


def test_search_follows_edits_to_claims_and_quotes(newsroom):
    newsroom.claim.text = "The zebra drive accelerated."
    newsroom.claim.save()
    assert found("zebra") == {"drive"}
    Attribution.objects.filter(pk=newsroom.denial.pk).update(quote="We never did that, quagga")
    assert found("quagga") == {"drive"}
    Attribution.objects.filter(pk=newsroom.denial.pk).delete()
    assert found("quagga") == set()


@postgres_only
def test_search_stems_words_and_reads_web_syntax(newsroom):
    assert found("accelerating") == {"drive"}  # stemmed: accelerated ~ accelerating
    assert found('"drive accelerated" -zebra') == {"drive"}
    assert found("drive -accelerated") == set()


@postgres_only
def test_search_vectors_are_kept_by_the_database_even_for_bulk_writes(newsroom):
    Claim.objects.bulk_create([Claim(text="Bulk inserted ocelot claim", slug="bulk")])
    assert found("ocelot") == {"bulk"}


@postgres_only
def test_the_search_uses_the_gin_index(newsroom):
    # Enough rows, and statistics, for the planner to prefer the index on its own.
    Claim.objects.bulk_create(
        [Claim(text=f"Filler claim number {i} about shipping", slug=f"f{i}") for i in range(3000)]
        + [Claim(text="The ocelot was seen in the port", slug="ocelot")]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tracker_claim")
        # A small test table is cheapest read whole; forbid that to see which index serves.
        cursor.execute("SET enable_seqscan = off")
        plan = Claim.objects.search("ocelot").order_by().explain()
        cursor.execute("RESET enable_seqscan")
    assert "tracker_claim_search_gin" in plan
