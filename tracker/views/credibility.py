"""The credibility page: sources and actors ranked by their track records."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Count,
    Q,
    QuerySet,
)
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from tracker.filtersets import RANKING_KINDS, RankingForm
from tracker.models import (
    Actor,
    ActorKind,
    SourceKind,
    TrackRecord,
)
from tracker.views.errors import bad_request

RANKING_LIMIT = 100

# -- Rankings -------------------------------------------------------------------------------------


@dataclass
class Ranking:
    rows: list[TrackRecord]
    ranked: int
    thin: int


def _ranking(records: QuerySet[TrackRecord] | None, *related: str) -> Ranking | None:
    """The best records (only those with enough to score), and how many there are: 2 queries."""
    if records is None:
        return None
    minimum = TrackRecord.MIN_RECORD
    totals = records.aggregate(
        ranked=Count("pk", filter=Q(scored__gte=minimum)),
        thin=Count("pk", filter=Q(scored__lt=minimum)),
    )
    rows = list(records.enough().ranked().select_related(*related)[:RANKING_LIMIT])
    return Ranking(rows=rows, ranked=totals["ranked"], thin=totals["thin"])


@require_safe
def credibility(request: HttpRequest) -> HttpResponse:
    """Sources and actors ranked by their track records, with intervals and the counts behind."""
    form = RankingForm(request.GET)
    if not form.is_valid():
        problems = [(name, " ".join(errors)) for name, errors in form.errors.items()]
        return bad_request(request, problems)
    kind: str = form.cleaned_data["kind"]
    actor: Actor | None = form.cleaned_data["actor"]
    sources: QuerySet[TrackRecord] | None = TrackRecord.objects.of_sources()
    actors: QuerySet[TrackRecord] | None = TrackRecord.objects.of_actors()
    if kind:
        # A kind that only sources have (anonymous) leaves out the actors, and the other way on.
        sources = sources.filter(source__kind=kind) if kind in SourceKind.values else None
        actors = actors.filter(actor__kind=kind) if kind in ActorKind.values else None
    if actor is not None:
        if sources is not None:
            sources = sources.filter(source__actor__path__startswith=actor.path)
        if actors is not None:
            actors = actors.filter(actor__path__startswith=actor.path).exclude(actor=actor)
    return render(
        request,
        "tracker/credibility.html",
        {
            "nav": "credibility",
            "form": form,
            "kind": kind,
            "kind_label": dict(RANKING_KINDS).get(kind, ""),
            "kinds": RANKING_KINDS,
            "actor": actor,
            "sources": _ranking(sources, "source", "source__actor"),
            "actors": _ranking(actors, "actor", "actor__parent"),
            "limit": RANKING_LIMIT,
            "min_record": TrackRecord.MIN_RECORD,
        },
    )
