"""The scoring rules: what a rating is worth, which stances are scored, what contradicts what."""

from __future__ import annotations

from tracker.choices import ClaimStatus, Stance
from tracker.models import TrackRecord

# The truth value of each rating that is scored.
TRUTH: dict[str, float] = {
    ClaimStatus.CONFIRMED: 1.0,
    ClaimStatus.MOSTLY_TRUE: 0.75,
    ClaimStatus.MIXED: 0.5,
    ClaimStatus.MOSTLY_FALSE: 0.25,
    ClaimStatus.REFUTED: 0.0,
}
SCORED_STANCES = (Stance.ASSERTS, Stance.DENIES)
# What the evidence went against, outright or mostly: "denials later contradicted" and
# "assertions later refuted".
CONTRADICTING: dict[str, tuple[str, ...]] = {
    Stance.DENIES: (ClaimStatus.CONFIRMED, ClaimStatus.MOSTLY_TRUE),
    Stance.ASSERTS: (ClaimStatus.REFUTED, ClaimStatus.MOSTLY_FALSE),
}
MIN_RECORD = TrackRecord.MIN_RECORD

# Linked claims (ClaimLink) carry the evidence over into what was contradicted (the filter and
# the lists on actor and source pages):
# - a claim the same as one the evidence went for (or against) counts as rated so too: denying
#   it is contradicted when the other is confirmed or mostly true, asserting it is refuted when
#   the other is refuted or mostly false;
# - a claim that contradicts one confirmed or mostly true (either end of the link) cannot be
#   true too: asserting it counts as refuted. Nothing follows for denying it (both could be
#   false), nor from "supports", which is evidence, not proof.
# Scores stay on each claim's own rating: a link moves what is listed, not the numbers.
SAME_AS_CARRIES = CONTRADICTING
CONTRADICTS_REFUTES_ASSERTIONS = CONTRADICTING[Stance.DENIES]


def contribution(*, stance: str, status: str) -> tuple[float, float] | None:
    """(for, against) that one statement adds to a record, or None when it is not scored."""
    truth = TRUTH.get(status)
    if truth is None or stance not in SCORED_STANCES:
        return None
    if stance == Stance.ASSERTS:
        return truth, 1.0 - truth
    return 1.0 - truth, truth
