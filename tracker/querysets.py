"""The questions analysts ask, as QuerySet methods: by actor, responses, anonymity."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, OuterRef

if TYPE_CHECKING:
    from tracker.models import Actor

RESPONSES = ("denies", "declined", "no_response")


def expand_stances(stances: Iterable[str]) -> list[str]:
    """Stance values with the group name "responses" expanded to its three stances."""
    expanded: list[str] = []
    for stance in stances:
        for value in RESPONSES if stance == "responses" else (stance,):
            if value not in expanded:
                expanded.append(value)
    return expanded


class ActorQuerySet(models.QuerySet):
    def subtree(self, actor: Actor, *, include_self: bool = True) -> ActorQuerySet:
        """The actor and everything under it, as one indexed prefix query on the stored path."""
        qs = self.filter(path__startswith=actor.path)
        return qs if include_self else qs.exclude(pk=actor.pk)

    def ancestors_of(self, actor: Actor) -> ActorQuerySet:
        return self.filter(pk__in=actor.ancestor_ids)

    def roots(self) -> ActorQuerySet:
        return self.filter(parent__isnull=True)


def _actor_ids(actor: Actor, include_children: bool) -> models.QuerySet | list[int]:
    if not include_children:
        return [actor.pk]
    return type(actor).objects.subtree(actor).values("pk")


class SourceQuerySet(models.QuerySet):
    def by_actor(self, actor: Actor, *, include_children: bool = True) -> SourceQuerySet:
        return self.filter(actor_id__in=_actor_ids(actor, include_children))


class AttributionQuerySet(models.QuerySet):
    def for_list(self) -> AttributionQuerySet:
        """Everything a row of attributions shows, in one query (the body stays unloaded)."""
        return self.select_related(
            "claim", "source", "source__actor", "article", "article__outlet"
        ).defer("article__body")

    def by_actor(self, actor: Actor, *, include_children: bool = True) -> AttributionQuerySet:
        """Attributions to sources that belong to the actor (and, by default, its sub-actors)."""
        return self.filter(source__actor_id__in=_actor_ids(actor, include_children))

    def with_stance(self, *stances: str) -> AttributionQuerySet:
        return self.filter(stance__in=expand_stances(stances))

    def responses(self) -> AttributionQuerySet:
        """Denials, refusals to comment and non-responses: what a source did when asked."""
        return self.filter(stance__in=RESPONSES)

    def assertions(self) -> AttributionQuerySet:
        return self.filter(stance="asserts")

    def by_anonymity(self, anonymity: str) -> AttributionQuerySet:
        return self.filter(anonymity=anonymity)

    def anonymous(self) -> AttributionQuerySet:
        return self.by_anonymity("anonymous")

    def named(self) -> AttributionQuerySet:
        return self.by_anonymity("named")

    def unattributed(self) -> AttributionQuerySet:
        return self.by_anonymity("unattributed")


class ClaimQuerySet(models.QuerySet):
    def _with_attribution(self, **conditions) -> ClaimQuerySet:
        from tracker.models import Attribution

        return self.filter(Exists(Attribution.objects.filter(claim=OuterRef("pk"), **conditions)))

    def by_actor(
        self,
        actor: Actor,
        *,
        include_children: bool = True,
        stances: Iterable[str] | None = None,
    ) -> ClaimQuerySet:
        """Claims that the actor's sources (and its sub-actors' by default) spoke about."""
        conditions: dict = {"source__actor_id__in": _actor_ids(actor, include_children)}
        if stances:
            conditions["stance__in"] = expand_stances(stances)
        return self._with_attribution(**conditions)

    def about(self, actor: Actor, *, include_children: bool = True) -> ClaimQuerySet:
        return self.filter(about__in=_actor_ids(actor, include_children)).distinct()

    def responses(self) -> ClaimQuerySet:
        """Claims with at least one denial, refusal to comment or non-response."""
        return self._with_attribution(stance__in=RESPONSES)

    def with_counts(self) -> ClaimQuerySet:
        """Number of attributions and of responses on each claim, computed in the same query."""
        return self.annotate(
            attribution_count=models.Count("attributions", distinct=True),
            response_count=models.Count(
                "attributions",
                filter=models.Q(attributions__stance__in=RESPONSES),
                distinct=True,
            ),
        )
