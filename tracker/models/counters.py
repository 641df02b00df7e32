"""Counts kept as rows written with the data (tracker/counters.py), so that pages read, not scan."""

from __future__ import annotations

from django.db import models

from tracker.choices import Anonymity, ClaimStatus, SourceTie, Stance
from tracker.models.actors import Actor


class ActorStanceCount(models.Model):
    """Attributions of one stance to an actor's own sources (own) and to its whole sub-tree,
    apart for the sources that speak for the actor and those that only belong to it (tie).

    Writers only ever insert rows (+1, -1 ...): two editors citing the same ministry never wait
    for each other's row, and no row is locked by every write. An actor's count is the sum of
    its rows; after each commit the rows an edit touched are folded into one per stance.
    """

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="stance_counts")
    stance = models.CharField(max_length=16, choices=Stance)
    tie = models.CharField(
        max_length=16, choices=SourceTie, default=SourceTie.SPEAKS_FOR, db_default="speaks_for"
    )
    own = models.IntegerField(default=0)
    subtree = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["actor", "stance"], name="actorcount_actor_stance")]

    def __str__(self) -> str:
        own = f"{self.own} own, {self.subtree} with sub-actors"
        return f"{self.actor_id} {self.stance} {self.tie}: {own}"


class ActorMonthCount(models.Model):
    """Attributions of one stance to an actor's own sources, by the month of their articles:
    the actor page's timeline sums these over the sub-tree (a few rows a month per actor)
    instead of scanning every attribution. Insert-only and folded after commit, as above."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="month_counts")
    month = models.DateField()  # the first day of the month
    stance = models.CharField(max_length=16, choices=Stance)
    tie = models.CharField(max_length=16, choices=SourceTie, default=SourceTie.SPEAKS_FOR)
    n = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["actor", "month"], name="actormonth_actor_month")]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.month:%Y-%m} {self.stance} ({self.tie}): {self.n}"


class AttributionTally(models.Model):
    """Attributions by stance, anonymity, claim status and outlet: the unfiltered list's facets.

    Insert-only like ActorStanceCount (a total is the sum of its rows, folded after commit);
    the outlet is a plain id, so counts never hold a lock on the outlet's row.
    """

    stance = models.CharField(max_length=16, choices=Stance)
    anonymity = models.CharField(max_length=16, choices=Anonymity)
    status = models.CharField(max_length=16, choices=ClaimStatus)
    outlet_id = models.IntegerField(null=True)
    n = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.stance}/{self.anonymity}/{self.status}/{self.outlet_id}: {self.n}"


class ClaimTally(models.Model):
    """How many claims there are: the sum of these rows (+1 for each claim created, -1 for each
    deleted), folded into one row after commit. The unfiltered claim list's total, which a
    COUNT over every claim gave at a cost that grows with them (51 ms at 1M on PostgreSQL).
    Insert-only like AttributionTally: no writer waits for another's row.
    """

    n = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.n:+d} claims"


class ActorReach(models.Model):
    """An attribution once for each actor its source counts for: the source's own actor and
    every actor above it, with the stance, the tie and the article's date copied from it.

    The actor page's newest attributions of a stance are then the first rows of one index
    range (actor, stance, tie, newest first) with a LIMIT, instead of a sort of every row of
    the sub-tree by the joined article's date. Plain rows, one per attribution and actor:
    written, changed and deleted with their attribution in the writer's transaction
    (tracker/counters/reach.py), so no row is shared by two writers.
    """

    # The newest-first index starts with the actor: no index of its own.
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="reach", db_index=False)
    attribution = models.ForeignKey(
        "tracker.Attribution", on_delete=models.CASCADE, related_name="reach"
    )
    stance = models.CharField(max_length=16, choices=Stance)
    tie = models.CharField(max_length=16, choices=SourceTie)
    published_on = models.DateField()  # the article's

    class Meta:
        indexes = [
            models.Index(
                fields=["actor", "stance", "tie", "-published_on", "-attribution"],
                name="actorreach_newest",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.actor_id} {self.stance} ({self.tie}) {self.published_on}: {self.attribution_id}"
        )
