"""Explaining a record: the statements behind it, and those the evidence went against."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse

from tracker.choices import ClaimStatus, LinkRelation, Stance
from tracker.credibility.beta import number
from tracker.credibility.rules import (
    CONTRADICTING,
    CONTRADICTS_REFUTES_ASSERTIONS,
    SAME_AS_CARRIES,
    SCORED_STANCES,
    TRUTH,
    contribution,
)
from tracker.models import (
    Attribution,
    Claim,
    ClaimLink,
)
from tracker.querysets import WALK_FROM

# -- Explaining a record -------------------------------------------------------------------------


def _linked(relation: str, statuses: tuple[str, ...]) -> Q:
    """The attribution's claim is linked (either end) by `relation` to a claim so rated."""
    links = ClaimLink.objects.filter(relation=relation)
    forward = links.filter(claim_id=OuterRef("claim_id"), other__status__in=statuses)
    backward = links.filter(other_id=OuterRef("claim_id"), claim__status__in=statuses)
    return Q(Exists(forward)) | Q(Exists(backward))


def contradicted() -> Q:
    """Attributions the evidence went against outright or mostly: denials of claims confirmed
    or mostly true, assertions of claims refuted or mostly false; and through linked claims
    (rules.py): the same claim so rated elsewhere, or asserting a claim that contradicts one
    confirmed or mostly true."""
    condition = Q()
    for stance, statuses in CONTRADICTING.items():
        condition |= Q(stance=stance, claim__status__in=statuses)
        condition |= Q(stance=stance) & _linked(LinkRelation.SAME_AS, SAME_AS_CARRIES[stance])
    condition |= Q(stance=Stance.ASSERTS) & _linked(
        LinkRelation.CONTRADICTS, CONTRADICTS_REFUTES_ASSERTIONS
    )
    return condition


@dataclass(frozen=True)
class Statement:
    """One (source, claim, stance) of a record, as the explanation of a score lists it."""

    claim_id: int
    claim_text: str
    status: str
    stance: str
    source_id: int
    source_name: str

    @property
    def claim_url(self) -> str:
        return reverse("tracker:claim_detail", args=[self.claim_id])

    @property
    def source_url(self) -> str:
        return reverse("tracker:source_detail", args=[self.source_id])

    @property
    def status_label(self) -> str:
        return ClaimStatus(self.status).label

    @property
    def contribution(self) -> tuple[float, float] | None:
        return contribution(stance=self.stance, status=self.status)

    @property
    def effect(self) -> str:
        """What it did to the score, in words: "1 for", "0.75 for, 0.25 against"."""
        moved = self.contribution
        if moved is None:
            return "not scored"
        for_count, against_count = moved
        parts = [f"{number(for_count)} for"] if for_count else []
        if against_count:
            parts.append(f"{number(against_count)} against")
        return ", ".join(parts)

    @property
    def direction(self) -> str:
        moved = self.contribution
        if moved is None:
            return "none"
        return "for" if moved[0] > moved[1] else "against" if moved[1] > moved[0] else "even"


# (stances, claim statuses) pairs: what counts as a statement of a record, and as contradicted.
_SCORED = ((SCORED_STANCES, tuple(TRUTH)),)
_CONTRADICTED = tuple(((stance,), statuses) for stance, statuses in CONTRADICTING.items())


def _day(value: date | str) -> int:
    """A claim's date as a number to sort by (SQLite's raw values() may give ISO text)."""
    return (date.fromisoformat(value) if isinstance(value, str) else value).toordinal()


_STATEMENT_FIELDS = (
    "claim_id",
    "claim__text",
    "claim__status",
    "stance",
    "source_id",
    "source__name",
    "claim__first_reported_on",
)


def _statement_rows(
    attributions: QuerySet[Attribution],
    pairs: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...],
    limit: int,
) -> list[tuple]:
    """One row per (source, claim, stance) among the attributions matching a pair, for the
    `limit` newest claims that have one; two queries (the ids of the claims so rated, read
    no further than WALK_FROM, then the rows).

    The newest claims are found first, from the claims side (rated claims through the status
    index, each checked for a matching attribution), so that a large actor's sub-tree is not
    sorted whole; PostgreSQL wants the ORDER BY columns selected, as they are, with DISTINCT.
    """
    claims, rows = Q(), Q()
    statuses: set[str] = set()
    for stances, wanted in pairs:
        matching = attributions.filter(claim=OuterRef("pk"), stance__in=stances)
        claims |= Q(status__in=wanted) & Q(Exists(matching))
        rows |= Q(stance__in=stances, claim__status__in=wanted)
        statuses.update(wanted)
    rated = Claim.objects.filter(status__in=sorted(statuses))
    # Where few claims are so rated, their ids go in as a list: walking the newest claims in
    # order for them would pass every claim (and planners, counting a status common, do).
    few = list(rated.order_by().values_list("pk", flat=True)[:WALK_FROM])
    if len(few) < WALK_FROM:
        rated = Claim.objects.filter(pk__in=few)
    newest = rated.filter(claims).order_by("-first_reported_on", "-pk").values("pk")[:limit]
    return list(
        attributions.filter(rows, claim__in=Subquery(newest))
        .order_by("-claim__first_reported_on", "-claim_id", "stance", "source__name", "source_id")
        .values_list(*_STATEMENT_FIELDS)
        .distinct()[:limit]
    )


def statements_scored(*, attributions: QuerySet[Attribution], limit: int) -> list[Statement]:
    """The claims that moved a record: its assertions and denials of scored claims (one query)."""
    return [Statement(*row[:6]) for row in _statement_rows(attributions, _SCORED, limit)]


def statements_contradicted(*, attributions: QuerySet[Attribution], limit: int) -> list[Statement]:
    """Denials later contradicted and assertions later refuted, through linked claims too, as
    the contradicted filter finds them (contradicted()): two queries.

    The rated claims' statements come from the claims side (_statements); those of linked
    claims from the links' table, small beside the claims, each side cut at `limit`.
    """
    rows = {row[:6]: row for row in _statement_rows(attributions, _CONTRADICTED, limit)}
    linked = ClaimLink.objects.values("claim_id").union(ClaimLink.objects.values("other_id"))
    # The condition goes in a subquery on the row itself: the planner then starts from the
    # linked claims' ids (their index), not from every attribution of a stance.
    is_contradicted = Attribution.objects.filter(pk=OuterRef("pk")).filter(contradicted())
    through_links = (
        attributions.filter(claim_id__in=linked)
        .filter(Exists(is_contradicted))
        .order_by("-claim__first_reported_on", "-claim_id", "stance", "source__name", "source_id")
        .values_list(*_STATEMENT_FIELDS)
        .distinct()[:limit]
    )
    for row in through_links:
        rows.setdefault(row[:6], row)
    # Newest claims first; within a claim by stance, source name and id, as the queries order.
    newest = sorted(rows.values(), key=lambda r: (-_day(r[6]), -r[0], r[3], r[5], r[4]))
    return [Statement(*row[:6]) for row in newest[:limit]]
