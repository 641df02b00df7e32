"""Attributions follow their passages when an article's text changes, or the change is refused."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.text import Truncator
from simple_history.utils import bulk_update_with_history

from articles.models import Article
from articles.text import BodyChangeRefused, body_changing, normalise_text
from tracker import spans
from tracker.models import Attribution


class PassagesLost(BodyChangeRefused):
    """The new text no longer holds the passages some attributions rest on."""

    def __init__(self, lost: list[Attribution], old_body: str) -> None:
        self.lost = lost
        named = "; ".join(
            f"{excerpt_claim(a)} ({a.source.name}, {a.get_stance_display().lower()}), on "
            f"{spans.excerpt(old_body[a.span_start : a.span_end], 120)}"
            for a in lost
        )
        which = "an attribution rests" if len(lost) == 1 else f"{len(lost)} attributions rest"
        super().__init__(
            f"The new text no longer has the passage {which} on: {named}. Point "
            f"{'it' if len(lost) == 1 else 'them'} at another passage (or delete "
            f"{'it' if len(lost) == 1 else 'them'}) and save, then change the text."
        )


def excerpt_claim(attribution: Attribution) -> str:
    return spans.excerpt(Truncator(attribution.claim.text).chars(90))


@dataclass(frozen=True)
class Plan:
    """Where each attribution of an article goes in its new text."""

    moved: list[Attribution]
    lost: list[Attribution]
    old_body: str


def plan(article: Article, body: str, *, placed: Collection[int] = ()) -> Plan:
    """Find every attribution's passage (as the stored text has it) in the new body.

    `placed`: ids of attributions the caller places itself (the seed loader, from its own
    passages); they are neither moved nor counted as lost.
    """
    body = normalise_text(body)
    old_body = Article.objects.filter(pk=article.pk).values_list("body", flat=True).first() or ""
    moved: list[Attribution] = []
    lost: list[Attribution] = []
    if old_body == body:
        return Plan(moved, lost, old_body)
    rows = article.attributions.select_related("claim", "source").order_by("span_start", "pk")
    for attribution in rows:
        if attribution.pk in placed:
            continue
        found = spans.reanchor(old_body, body, attribution.span_start, attribution.span_end)
        if found is None:
            lost.append(attribution)
        elif found != (attribution.span_start, attribution.span_end):
            attribution.span_start, attribution.span_end = found
            moved.append(attribution)
    return Plan(moved, lost, old_body)


def reanchor(article: Article, body: str, *, placed: Collection[int] = ()) -> int:
    """Move the article's attributions to their passages in the new body, or refuse.

    Call it before the article is saved with the new body (it reads the stored one), inside the
    transaction that saves it. Raises PassagesLost naming the attributions that cannot be
    placed, having written nothing; returns how many attributions moved.
    """
    result = plan(article, body, placed=placed)
    if result.lost:
        raise PassagesLost(result.lost, result.old_body)
    if result.moved:
        now = timezone.now()
        for attribution in result.moved:
            attribution.updated_at = now
        with transaction.atomic():
            bulk_update_with_history(
                result.moved,
                Attribution,
                ["span_start", "span_end", "updated_at"],
                default_change_reason="Moved with its passage: the article's text changed.",
            )
    return len(result.moved)


@receiver(body_changing, sender=Article, dispatch_uid="tracker.anchoring.reanchor")
def _follow_the_new_text(
    sender: type[Article], *, article: Article, body: str, placed: Collection[int] = (), **kwargs
) -> None:
    # Sent by articles/importing.py, which cannot know about attributions.
    reanchor(article, body, placed=placed)
