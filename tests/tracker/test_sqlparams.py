"""Id lists bound into hand-written SQL go in blocks, so any number of ids can be asked about
(SQLite binds 32,766 parameters in a statement by default; some builds more)."""

from __future__ import annotations

import datetime

from tracker.counters import recount_claims
from tracker.dates import follow_first_reports
from tracker.models import Claim
from tracker.sqlparams import IDS_AT_ONCE, id_blocks

# Enough ids for three blocks, the real claim (the largest id) in the last one.
MANY = 2 * IDS_AT_ONCE + 10


def test_blocks_are_sorted_without_repeats_and_cover_every_id():
    blocks = list(id_blocks([5, 3, 3, 9, 1, 7], size=2))
    assert blocks == [("%s, %s", [1, 3]), ("%s, %s", [5, 7]), ("%s", [9])]
    assert list(id_blocks([])) == []


def test_a_recount_of_more_claims_than_one_statement_binds(newsroom):
    claim = newsroom.claim
    Claim.objects.filter(pk=claim.pk).update(attribution_total=0, source_total=0)
    recount_claims(range(claim.pk - MANY, claim.pk + 1))
    claim.refresh_from_db()
    assert (claim.attribution_total, claim.source_total) == (3, 3)


def test_first_reports_of_more_claims_than_one_statement_binds(newsroom):
    claim = newsroom.claim
    Claim.objects.filter(pk=claim.pk).update(first_reported_on=datetime.date(2001, 1, 1))
    moved = follow_first_reports(claim_ids=range(claim.pk - MANY, claim.pk + 1))
    assert moved == [claim.pk]
    claim.refresh_from_db()
    assert claim.first_reported_on == newsroom.article.published_on
