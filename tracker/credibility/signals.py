"""Keeping statuses and track records current: connected in TrackerConfig.ready().

Verdicts set their claim's status and the track records of everyone who spoke to the claim.
Signals rather than save()/delete(), so that queryset deletes and cascades are covered too.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from tracker.credibility.records import apply_verdicts, attribution_changed, refresh_records
from tracker.models import Attribution, Source, Verdict


@receiver(post_save, sender=Verdict)
@receiver(post_delete, sender=Verdict)
def _verdict_changed(
    sender: type[Verdict], instance: Verdict, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    status = apply_verdicts(claim_ids=[instance.claim_id])
    if Verdict.claim.is_cached(instance) and instance.claim_id in status:
        instance.claim.status = status[instance.claim_id]


@receiver(pre_save, sender=Attribution)
def _attribution_before(
    sender: type[Attribution], instance: Attribution, raw: bool = False, **kwargs: Any
) -> None:
    # An edit may move an attribution to another source or claim: the old ones need a refresh.
    # The old keys ride on the instance from pre_save to post_save: the one object both signals
    # are given, and it lives exactly as long as the save (a private name on no model field).
    if raw or instance._state.adding or instance.pk is None:
        return
    instance._credibility_was = (  # type: ignore[attr-defined]
        Attribution.objects.filter(pk=instance.pk).values_list("source_id", "claim_id").first()
    )


@receiver(post_save, sender=Attribution)
@receiver(post_delete, sender=Attribution)
def _attribution_changed(
    sender: type[Attribution], instance: Attribution, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    sources, claims = {instance.source_id}, {instance.claim_id}
    was = getattr(instance, "_credibility_was", None)
    if was:
        sources.add(was[0])
        claims.add(was[1])
    attribution_changed(source_ids=sources, claim_ids=claims)


@receiver(pre_save, sender=Source)
def _source_before(
    sender: type[Source], instance: Source, raw: bool = False, **kwargs: Any
) -> None:
    # Which actor the source's words counted for before the save (its path), if any.
    if raw or instance._state.adding or instance.pk is None:
        return
    instance._credibility_tie = (  # type: ignore[attr-defined]
        Source.objects.filter(pk=instance.pk).values_list("actor_id", "tie", "actor__path").first()
    )


@receiver(post_save, sender=Source)
def _source_saved(sender: type[Source], instance: Source, raw: bool = False, **kwargs: Any) -> None:
    # A source that moved to another actor, or that now speaks for its actor or no longer does,
    # moves its statements between the actors' records.
    was = getattr(instance, "_credibility_tie", None)
    if raw or was is None or (was[0], was[1]) == (instance.actor_id, instance.tie):
        return
    refresh_records(source_ids=[instance.pk], actor_paths=[was[2] or ""])
