"""The claims domain's models; the vocabulary they use lives in tracker/choices.py."""

from tracker.choices import (
    ActorKind,
    Anonymity,
    ClaimStatus,
    Rating,
    SourceKind,
    SourceTie,
    Stance,
)
from tracker.models.actors import Actor, ActorAlias, ActorWord, Source
from tracker.models.claims import Attribution, Claim, Response
from tracker.models.counters import (
    ActorMonthCount,
    ActorReach,
    ActorStanceCount,
    AttributionTally,
    ClaimTally,
)
from tracker.models.links import ClaimLink
from tracker.models.verdicts import Evidence, TrackRecord, Verdict

__all__ = [
    "Actor",
    "ActorAlias",
    "ActorKind",
    "ActorMonthCount",
    "ActorReach",
    "ActorStanceCount",
    "ActorWord",
    "Anonymity",
    "Attribution",
    "AttributionTally",
    "Claim",
    "ClaimLink",
    "ClaimStatus",
    "ClaimTally",
    "Evidence",
    "Rating",
    "Response",
    "Source",
    "SourceKind",
    "SourceTie",
    "Stance",
    "TrackRecord",
    "Verdict",
]
