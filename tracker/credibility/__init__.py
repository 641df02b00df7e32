"""Credibility: verdicts set claim statuses; track records score how sources and actors fared.

The rules, as implemented (tests/tracker/credibility/ check them on hand-computed cases):

- A rated claim has a truth value t: confirmed 1, mostly true 0.75, mixed 0.5, mostly false
  0.25, refuted 0. Unproven and not-yet-rated claims have none and are never scored.
- An assertion of a claim counts t for the source and 1 - t against it; a denial counts 1 - t
  for and t against. So asserting a confirmed claim or denying a refuted one is 1 for; asserting
  a refuted claim or denying a confirmed one is 1 against; the partial ratings split the one.
- "Declined to comment" and "did not respond" on rated claims (unproven ones included) are
  counted and shown, never scored: not answering is not evidence either way.
- One claim counts once per (source, claim, stance), however many articles repeat it. A source
  that both asserted and denied the same claim has both counted (it said both, and one of them
  was wrong): the record is of what it said, not of one position per claim.
- An actor's record is the sum of the records of the sources that speak for it or for any actor
  under it (the sub-tree); a claim two of those sources asserted counts twice, as two statements.
  Sources that only belong to an actor (a member, an employee, an academic) are left out: their
  words are not the actor's. An actor's page asked for `affiliated=1` computes the record with
  them, unstored.
  `rated_claims` counts the distinct claims behind the scored statements.
- The score is the mean of the Beta(1 + for, 1 + against) posterior of a uniform prior,
  (1 + for) / (2 + for + against), with its 90% credible interval (the 5% and 95% quantiles).
- With fewer than TrackRecord.MIN_RECORD (3) scored statements, pages show the score with its
  (wide) interval and say that it is too few to judge; rankings leave such records out.

A rating is read from the claim's status, which the latest verdict sets; statuses written
around the verdicts (a bulk import) count once `manage.py recompute_credibility` has run.

Records are computed in SQL, a GROUP BY for sources and one for actors (the sub-tree roll-up
walks up `parent` with a recursive CTE, which uses the primary key index where a LIKE join on
`path` could not), and written with INSERT ... ON CONFLICT DO UPDATE, one executemany for each;
only the Beta quantiles are computed in Python, once per distinct (for, against) pair, never per
claim. After a verdict only the records of the claim's sources, their actors and those actors'
ancestors are recomputed, by the same queries restricted to them.
"""

from tracker.credibility.beta import (
    INTERVAL,
    Score,
    beta_quantile,
    beta_score,
    number,
    regularized_incomplete_beta,
)
from tracker.credibility.claimreview import claim_review, json_ld
from tracker.credibility.records import (
    Counts,
    Recomputed,
    actor_counts,
    affiliated_record,
    apply_verdicts,
    attribution_changed,
    recompute_all,
    refresh_for_claims,
    refresh_records,
    source_counts,
)
from tracker.credibility.rules import CONTRADICTING, MIN_RECORD, SCORED_STANCES, TRUTH, contribution
from tracker.credibility.statements import (
    Statement,
    contradicted,
    statements_contradicted,
    statements_scored,
)

__all__ = [
    "CONTRADICTING",
    "INTERVAL",
    "MIN_RECORD",
    "SCORED_STANCES",
    "TRUTH",
    "Counts",
    "Recomputed",
    "Score",
    "Statement",
    "actor_counts",
    "affiliated_record",
    "apply_verdicts",
    "attribution_changed",
    "beta_quantile",
    "beta_score",
    "claim_review",
    "contradicted",
    "contribution",
    "json_ld",
    "number",
    "recompute_all",
    "refresh_for_claims",
    "refresh_records",
    "regularized_incomplete_beta",
    "source_counts",
    "statements_contradicted",
    "statements_scored",
]
