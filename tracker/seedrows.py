"""The seed loader's rows: its errors, its summary, and taking back the rows it no longer holds."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import ProtectedError

from tracker.integrity import explain
from tracker.models import Attribution, Claim, ClaimLink


@dataclass(frozen=True)
class SeedError:
    file: str
    entry: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.entry}" if self.entry else self.file
        return f"{where}: {self.message}"


class SeedErrors(ValueError):
    def __init__(self, errors: list[SeedError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass
class LoadSummary:
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def record(self, kind: str, outcome: str) -> None:
        self.counts[kind][outcome] += 1

    @property
    def changed(self) -> int:
        return sum(c["created"] + c["updated"] + c["removed"] for c in self.counts.values())

    def __str__(self) -> str:
        parts = [f"{sum(c.values()) - c['removed']} {kind}" for kind, c in self.counts.items()]
        totals = sum(self.counts.values(), Counter())
        removed = f", {totals['removed']} removed" if totals["removed"] else ""
        return (
            f"{', '.join(parts)} ({totals['created']} created, {totals['updated']} updated, "
            f"{totals['unchanged']} unchanged{removed})"
        )


# The history reason every row the loader writes carries (articles.history.recorded_as).
LOADER = "load_seeds"


def loader_only(model: type[models.Model], pks: list[int]) -> set[int]:
    """The rows among these that only the seed loader ever wrote (its history says so): the
    seed's own rows, which it may take back. A row an editor created or changed is theirs."""
    reasons: dict[int, list[str]] = defaultdict(list)
    history = model.history.filter(id__in=pks)  # type: ignore[attr-defined]
    for pk, reason in history.values_list("id", "history_change_reason"):
        reasons[pk].append(reason or "")
    return {pk for pk, said in reasons.items() if all(r.startswith(LOADER) for r in said)}


def retire(article: Any, seeded: set[int], defined: set[str], summary: LoadSummary) -> None:
    """Remove the article's attributions that an earlier load wrote and the seed no longer
    holds, and their claims if nothing else rests on them (the seed no longer defines them, no
    other attribution, no verdict, and only the loader wrote them). Editors' rows stay."""
    stale = dict(article.attributions.exclude(pk__in=seeded).values_list("pk", "claim_id"))
    owned = loader_only(Attribution, list(stale))
    for attribution in Attribution.objects.filter(pk__in=owned).order_by("pk"):
        try:
            attribution.delete()
        except ProtectedError as error:
            file = article.source_file or article.title
            raise SeedErrors([SeedError(file, "", explain(error, attribution))]) from None
        summary.record("attributions", "removed")
    orphans = (
        Claim.objects.filter(pk__in={stale[pk] for pk in owned}, attributions__isnull=True)
        .filter(verdicts__isnull=True)
        .exclude(slug__in=defined)
    )
    for claim in orphans.filter(
        pk__in=loader_only(Claim, list(orphans.values_list("pk", flat=True)))
    ):
        claim.delete()
        summary.record("claims", "removed")


def write_links(entries: list[Any], claims: dict[str, Claim], summary: LoadSummary) -> None:
    """The seed's links between claims, each once whichever end the seed writes it from."""
    for entry in entries:
        claim, other = claims[entry.get("claim")], claims[entry.get("other")]
        relation = entry.get("relation")
        pair = models.Q(claim=claim, other=other) | models.Q(claim=other, other=claim)
        if ClaimLink.objects.filter(pair, relation=relation).exists():
            summary.record("links", "unchanged")
            continue
        ClaimLink.objects.create(claim=claim, other=other, relation=relation)
        summary.record("links", "created")


def upsert[M: models.Model](model: type[M], lookup: dict, values: dict) -> tuple[M, str]:
    """Create or update a row, writing only when a value differs (so a reload changes nothing)."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values), "created"
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return obj, "unchanged"
    for name in changed:
        setattr(obj, name, values[name])
    obj.save()
    return obj, "updated"
