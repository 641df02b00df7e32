"""The receivers that keep the counts (tracker/counters) with every write: connected in ready()."""

from __future__ import annotations

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count, Model, Sum
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from articles.models import Article
from tracker.counters import Deltas, marks, month_of, reach, recount_claims
from tracker.models import Actor, Attribution, Claim, Response, Source, Verdict


def _attribution_before(sender, instance: Attribution, raw: bool = False, **kwargs) -> None:
    # What the stored row counts towards now, before this save or delete changes it.
    if raw or instance.pk is None or instance._state.adding:
        return
    instance._counted_as = marks([instance.pk]).get(instance.pk)  # type: ignore[attr-defined]


def _attribution_saved(sender, instance: Attribution, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    was = getattr(instance, "_counted_as", None)
    now = marks([instance.pk]).get(instance.pk)
    instance._counted_as = now  # type: ignore[attr-defined]
    if was == now:
        return
    using = kwargs.get("using") or DEFAULT_DB_ALIAS
    deltas = Deltas()
    if was is not None:
        deltas.add(was, -1)
    if now is not None:
        deltas.add(now, 1)
    deltas.write(using=using)
    # Its actor reach rows; on delete they go with it (the foreign key's cascade).
    reach.changed(
        instance.pk,
        was.placed if was is not None else None,
        now.placed if now is not None else None,
        using=using,
    )


def _attribution_deleted(sender, instance: Attribution, **kwargs) -> None:
    was = getattr(instance, "_counted_as", None)
    if was is None:
        return
    instance._counted_as = None  # type: ignore[attr-defined]
    deltas = Deltas()
    deltas.add(was, -1)
    deltas.write(using=kwargs.get("using") or DEFAULT_DB_ALIAS)


def _source_before(sender, instance: Source, raw: bool = False, **kwargs) -> None:
    if raw or instance._state.adding:
        return
    stored = Source.objects.filter(pk=instance.pk).values_list("actor_id", "tie")
    instance._counted_actor = list(stored)  # type: ignore[attr-defined]


def _source_saved(sender, instance: Source, raw: bool = False, **kwargs) -> None:
    stored = getattr(instance, "_counted_actor", None)
    now = (instance.actor_id, instance.tie)
    instance._counted_actor = [now]  # type: ignore[attr-defined]
    if raw or not stored or tuple(stored[0]) == now:
        return
    # The source moved to another actor or changed its tie to it: its attributions move with
    # it, stance by stance.
    (old, old_tie), (new, new_tie) = stored[0], now
    by_day = (
        instance.attributions.order_by()
        .values_list("stance", "article__published_on")
        .annotate(Count("pk"))
    )
    # The source may have left every actor (new is None): its attributions then count nowhere.
    paths: dict[int | None, str] = dict(
        Actor.objects.filter(pk__in=[old, new]).values_list("pk", "path")
    )
    deltas = Deltas()
    for stance, day, n in by_day:
        deltas.actor(paths.get(old, ""), stance, -n, tie=old_tie)
        deltas.actor(paths.get(new, ""), stance, n, tie=new_tie)
        if old is not None:
            deltas.months[(old, month_of(day), stance, old_tie)] -= n
        if new is not None:
            deltas.months[(new, month_of(day), stance, new_tie)] += n
    using = kwargs.get("using") or DEFAULT_DB_ALIAS
    deltas.write(using=using)
    reach.source_moved(
        instance.pk, (paths.get(old, ""), old_tie), (paths.get(new, ""), new_tie), using=using
    )


def _actor_before(sender, instance: Actor, raw: bool = False, **kwargs) -> None:
    if raw or instance._state.adding:
        return
    stored = Actor.objects.filter(pk=instance.pk).values_list("path", flat=True).first()
    instance._counted_path = stored  # type: ignore[attr-defined]


def _actor_saved(sender, instance: Actor, raw: bool = False, **kwargs) -> None:
    old = getattr(instance, "_counted_path", None)
    instance._counted_path = instance.path  # type: ignore[attr-defined]
    if raw or not old or old == instance.path or not instance.path:
        return
    # The actor moved in the tree: its sub-tree's counts leave its old ancestors for the new.
    totals = instance.stance_counts.order_by().values_list("stance", "tie").annotate(Sum("subtree"))
    deltas = Deltas()
    for stance, tie, n in totals:
        deltas.actor(old, stance, -n, tie=tie, ancestors_only=True)
        deltas.actor(instance.path, stance, n, tie=tie, ancestors_only=True)
    using = kwargs.get("using") or DEFAULT_DB_ALIAS
    deltas.write(using=using)
    reach.actor_moved(instance.pk, old, instance.path, using=using)


def _article_before(sender, instance: Article, raw: bool = False, **kwargs) -> None:
    if raw or instance._state.adding:
        return
    stored = Article.objects.filter(pk=instance.pk).values_list("outlet_id", "published_on")
    instance._counted_outlet = list(stored)  # type: ignore[attr-defined]


def _article_saved(sender, instance: Article, raw: bool = False, **kwargs) -> None:
    stored = getattr(instance, "_counted_outlet", None)
    now = (instance.outlet_id, instance.published_on)
    instance._counted_outlet = [now]  # type: ignore[attr-defined]
    if raw or not stored:
        return
    (old_outlet, old_day), (new_outlet, new_day) = stored[0], now
    deltas = Deltas()
    if old_outlet != new_outlet:
        rows = (
            Attribution.objects.filter(article=instance)
            .order_by()
            .values_list("stance", "anonymity", "claim__status")
            .annotate(Count("pk"))
        )
        for stance, anonymity, status, n in rows:
            deltas.tally[(stance, anonymity, status, old_outlet)] -= n
            deltas.tally[(stance, anonymity, status, new_outlet)] += n
    if new_day is not None and month_of(old_day) != month_of(new_day):
        # Its attributions move to the actors' timelines at the article's new month.
        moved = (
            Attribution.objects.filter(article=instance, source__actor__isnull=False)
            .order_by()
            .values_list("source__actor_id", "stance", "source__tie")
            .annotate(Count("pk"))
        )
        for actor_id, stance, tie, n in moved:
            deltas.months[(actor_id, month_of(old_day), stance, tie)] -= n
            deltas.months[(actor_id, month_of(new_day), stance, tie)] += n
    using = kwargs.get("using") or DEFAULT_DB_ALIAS
    deltas.write(using=using)
    if new_day is not None and str(old_day) != str(new_day)[:10]:
        reach.article_redated(instance.pk, new_day, using=using)


def _restatus(claim_id: int, old: str, new: str, using: str) -> None:
    """A claim's attributions move to the facet counts of its new status."""
    rows = (
        Attribution.objects.filter(claim_id=claim_id)
        .order_by()
        .values_list("stance", "anonymity", "article__outlet_id")
        .annotate(Count("pk"))
    )
    deltas = Deltas()
    for stance, anonymity, outlet, n in rows:
        deltas.tally[(stance, anonymity, old, outlet)] -= n
        deltas.tally[(stance, anonymity, new, outlet)] += n
    deltas.write(using=using)


def _claim_status(claim_id: int) -> str | None:
    return Claim.objects.filter(pk=claim_id).values_list("status", flat=True).first()


def _claim_before(sender, instance: Claim, raw: bool = False, **kwargs) -> None:
    if raw or instance._state.adding:
        return
    instance._counted_status = _claim_status(instance.pk)  # type: ignore[attr-defined]


def _claim_saved(sender, instance: Claim, created: bool, raw: bool = False, **kwargs) -> None:
    if raw or created:
        return
    using = kwargs.get("using") or DEFAULT_DB_ALIAS
    # save() wrote the columns as loaded, perhaps before an attribution was added since.
    recount_claims([instance.pk], using=using)
    old = getattr(instance, "_counted_status", None)
    instance._counted_status = instance.status  # type: ignore[attr-defined]
    if old and old != instance.status:
        _restatus(instance.pk, old, instance.status, using)


def _verdict_before(sender, instance: Verdict, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    instance._counted_status = _claim_status(instance.claim_id)  # type: ignore[attr-defined]


def _verdict_after(sender, instance: Verdict, raw: bool = False, **kwargs) -> None:
    # Runs after tracker.credibility.signals has set the claim's status from its verdicts.
    old = getattr(instance, "_counted_status", None)
    if raw or old is None:
        return
    new = _claim_status(instance.claim_id)
    if new is not None and new != old:
        _restatus(instance.claim_id, old, new, kwargs.get("using") or DEFAULT_DB_ALIAS)


def connect() -> None:
    """Connect the receivers (after the credibility ones, which set claim statuses)."""
    for model in (Attribution, Response):
        uid = f"counters-{model._meta.model_name}"
        pre_save.connect(_attribution_before, sender=model, dispatch_uid=f"{uid}-pre-save")
        post_save.connect(_attribution_saved, sender=model, dispatch_uid=f"{uid}-save")
        pre_delete.connect(_attribution_before, sender=model, dispatch_uid=f"{uid}-pre-delete")
        post_delete.connect(_attribution_deleted, sender=model, dispatch_uid=f"{uid}-delete")
    receivers: tuple[tuple[type[Model], Callable[..., None], Callable[..., None]], ...] = (
        (Source, _source_before, _source_saved),
        (Actor, _actor_before, _actor_saved),
        (Article, _article_before, _article_saved),
        (Claim, _claim_before, _claim_saved),
    )
    for sender, before, after in receivers:
        uid = f"counters-{sender._meta.model_name}"
        pre_save.connect(before, sender=sender, dispatch_uid=f"{uid}-pre-save")
        post_save.connect(after, sender=sender, dispatch_uid=f"{uid}-save")
    pre_save.connect(_verdict_before, sender=Verdict, dispatch_uid="counters-verdict-pre-save")
    post_save.connect(_verdict_after, sender=Verdict, dispatch_uid="counters-verdict-save")
    pre_delete.connect(_verdict_before, sender=Verdict, dispatch_uid="counters-verdict-pre-del")
    post_delete.connect(_verdict_after, sender=Verdict, dispatch_uid="counters-verdict-delete")
