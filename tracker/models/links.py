"""Claims that answer each other: one contradicts, supports or is the same as another."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Greatest, Least
from simple_history.models import HistoricalRecords

from tracker.choices import LinkRelation
from tracker.models.claims import Claim


class ClaimLinkQuerySet(models.QuerySet):
    def touching(self, claim_id: int) -> ClaimLinkQuerySet:
        """The links of a claim from both ends, with both claims: one query."""
        return (
            self.filter(models.Q(claim_id=claim_id) | models.Q(other_id=claim_id))
            .select_related("claim", "other")
            .order_by("relation", "pk")
        )


class ClaimLink(models.Model):
    """One claim answering another, shown from both ends (see `seen_from`)."""

    Relation = LinkRelation

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="links_from")
    other = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="links_to", verbose_name="other claim"
    )
    relation = models.CharField(max_length=16, choices=LinkRelation)

    objects = ClaimLinkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["relation", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(claim=models.F("other")),
                name="claimlink_not_self",
                violation_error_message="A claim cannot be linked to itself.",
            ),
            models.CheckConstraint(
                condition=models.Q(relation__in=[r.value for r in LinkRelation]),
                name="claimlink_relation_valid",
            ),
            # One link per pair and relation, whichever end it was written from.
            models.UniqueConstraint(
                Least("claim", "other"),
                Greatest("claim", "other"),
                "relation",
                name="claimlink_unique_pair_relation",
                violation_error_message="These two claims already have this link.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim} {self.get_relation_display().lower()} {self.other}"

    def seen_from(self, claim_id: int) -> tuple[str, Claim]:
        """The relation in words and the claim at the other end, read from this claim."""
        if claim_id == self.claim_id:
            return LinkRelation(self.relation).label, self.other
        return PASSIVE[LinkRelation(self.relation)], self.claim


# How a link reads from the claim it points at.
PASSIVE = {
    LinkRelation.CONTRADICTS: "Contradicted by",
    LinkRelation.SUPPORTS: "Supported by",
    LinkRelation.SAME_AS: "The same as",
}
