"""A claim's first-reported date: the earliest article that carries it, unless an editor set it.

Kept in the writer's transaction by the receivers below (connected in TrackerConfig.ready()):
when an attribution is added, moved to another claim or article, or deleted, and when an
article's date changes. Bulk writers that bypass signals call `follow_first_reports` themselves.

A claim with no article yet keeps the date it was given when added (the day it was entered,
for a claim added in the admin) until an article carries it; then the article's date replaces
it, whether earlier or later. A claim whose last article goes keeps its last date.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import F, Min, OuterRef, Subquery
from django.db.models.signals import post_delete, post_save, pre_save
from simple_history.utils import bulk_update_with_history

from articles.history import current_user, reason_with
from articles.models import Article
from tracker.models import Attribution, Claim, Response
from tracker.sqlparams import id_blocks

FOLLOWS = "first-reported date follows the earliest article"


def _earliest(claim: Any) -> Subquery:
    return Subquery(
        Attribution.objects.filter(claim=claim)
        .order_by()
        .values("claim")
        .annotate(earliest=Min("article__published_on"))
        .values("earliest")[:1]
    )


def earliest_article_date(claim_id: int | None) -> datetime.date | None:
    """The date of the earliest article carrying the claim (None when none carries it)."""
    if claim_id is None:
        return None
    return (
        Attribution.objects.filter(claim_id=claim_id)
        .order_by()
        .aggregate(earliest=Min("article__published_on"))["earliest"]
    )


def _moving(claim_ids: set[int]) -> list[int]:
    """Of these claims, those whose date differs from their earliest article's, editor-set ones
    aside: one plain query, as every attribution save asks it and most move nothing."""
    moving = []
    with connection.cursor() as cursor:
        for marks, block in id_blocks(claim_ids):
            cursor.execute(
                "SELECT c.id FROM tracker_claim c JOIN (SELECT a.claim_id, MIN(r.published_on)"
                " AS day FROM tracker_attribution a JOIN articles_article r ON r.id = a.article_id"
                f" WHERE a.claim_id IN ({marks}) GROUP BY a.claim_id) e ON e.claim_id = c.id"
                " WHERE NOT c.first_reported_by_editor AND c.first_reported_on <> e.day",
                block,
            )
            moving += [row[0] for row in cursor.fetchall()]
    return moving


def follow_first_reports(
    *, claim_ids: Iterable[int | None] | None = None, article_id: int | None = None
) -> list[int]:
    """Give the claims (or the claims an article carries) the date of their earliest article,
    except those whose date an editor set. One query when nothing moves; the claims that move
    get a history row. Returns their ids."""
    claims = Claim.objects.filter(first_reported_by_editor=False)
    if article_id is not None:
        claims = claims.filter(
            pk__in=Attribution.objects.filter(article_id=article_id).values("claim_id")
        )
    else:
        ids = _moving({pk for pk in claim_ids or () if pk is not None})
        if not ids:
            return []
        claims = claims.filter(pk__in=ids)
    moved = list(
        claims.annotate(earliest=_earliest(OuterRef("pk")))
        .exclude(earliest=None)
        .exclude(first_reported_on=F("earliest"))
        .order_by("pk")
    )
    for claim in moved:
        claim.first_reported_on = claim.earliest
    if moved:
        # Only the date is written: the rest of each row stays as other writers left it.
        bulk_update_with_history(
            moved,
            Claim,
            ["first_reported_on"],
            default_user=current_user(),
            default_change_reason=reason_with(FOLLOWS),
        )
    return [claim.pk for claim in moved]


# -- Receivers -------------------------------------------------------------------------------


def _attribution_before(sender: type, instance: Attribution, raw: bool = False, **kw: Any) -> None:
    if raw or instance._state.adding or instance.pk is None:
        return
    # The claim it leaves (if it moves) may now have a later first report.
    instance._dates_was = (  # type: ignore[attr-defined]
        Attribution.objects.filter(pk=instance.pk).values_list("claim_id", flat=True).first()
    )


def _attribution_after(sender: type, instance: Attribution, raw: bool = False, **kw: Any) -> None:
    if raw:
        return
    was = instance.__dict__.pop("_dates_was", None)
    follow_first_reports(claim_ids={instance.claim_id, was})


def _article_after(
    sender: type, instance: Article, created: bool, raw: bool = False, **kw: Any
) -> None:
    update_fields = kw.get("update_fields")
    if raw or created or (update_fields is not None and "published_on" not in update_fields):
        return
    follow_first_reports(article_id=instance.pk)


def _claim_after(
    sender: type, instance: Claim, created: bool, raw: bool = False, **kw: Any
) -> None:
    # An editor untied the date: it follows the articles again at once.
    update_fields = kw.get("update_fields")
    if raw or created or instance.first_reported_by_editor:
        return
    if update_fields is not None and "first_reported_by_editor" not in update_fields:
        return
    follow_first_reports(claim_ids=[instance.pk])


def connect() -> None:
    for model in (Attribution, Response):
        uid = f"dates-{model._meta.model_name}"
        pre_save.connect(_attribution_before, sender=model, dispatch_uid=f"{uid}-pre-save")
        post_save.connect(_attribution_after, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_attribution_after, sender=model, dispatch_uid=f"{uid}-delete")
    post_save.connect(_article_after, sender=Article, dispatch_uid="dates-article-save")
    post_save.connect(_claim_after, sender=Claim, dispatch_uid="dates-claim-save")
