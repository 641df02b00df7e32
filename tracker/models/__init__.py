"""The claims domain's models; the vocabulary they use lives in tracker/choices.py."""

from tracker.choices import ActorKind, Anonymity, ClaimStatus, Rating, SourceKind, Stance
from tracker.models.actors import Actor, ActorAlias, Source
from tracker.models.claims import Attribution, Claim, DataVersion, Response
from tracker.models.verdicts import Evidence, TrackRecord, Verdict

__all__ = [
    "Actor",
    "ActorAlias",
    "ActorKind",
    "Anonymity",
    "Attribution",
    "Claim",
    "ClaimStatus",
    "DataVersion",
    "Evidence",
    "Rating",
    "Response",
    "Source",
    "SourceKind",
    "Stance",
    "TrackRecord",
    "Verdict",
]
