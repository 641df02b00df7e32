"""The credibility page: sources and actors ranked by their track records."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from tracker.filtersets import RANKING_KINDS, ActorChoice, TrackRecordFilterSet
from tracker.models import TrackRecord
from tracker.models.verdicts import TrackRecordQuerySet
from tracker.views.errors import bad_request

RANKING_LIMIT = 100

# -- Rankings -------------------------------------------------------------------------------------


@dataclass
class Ranking:
    rows: list[TrackRecord]
    ranked: int
    thin: int


def _ranking(records: TrackRecordQuerySet | None, *related: str) -> Ranking | None:
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
    # The API's /api/track-records/ applies the same FilterSet: the rules are written once.
    unknown = TrackRecordFilterSet.unknown_parameters(request.GET)
    filterset = TrackRecordFilterSet(request.GET, queryset=TrackRecord.objects.all())
    if unknown or not filterset.is_valid():
        return bad_request(request, [*unknown, *filterset.error_messages()])
    kind: str = filterset.form.cleaned_data.get("kind") or ""
    choice: ActorChoice | None = filterset.form.cleaned_data.get("actor")
    return render(
        request,
        "tracker/credibility.html",
        {
            "nav": "credibility",
            "kind": kind,
            "kind_label": dict(RANKING_KINDS).get(kind, ""),
            "kinds": RANKING_KINDS,
            "actor": None if choice is None else choice.actor,
            "sources": _ranking(filterset.side("sources"), "source", "source__actor"),
            "actors": _ranking(filterset.side("actors"), "actor", "actor__parent"),
            "limit": RANKING_LIMIT,
            "min_record": TrackRecord.MIN_RECORD,
        },
    )
