"""The claim list: claims matching the filters, a keyset page of them, facets, exports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from tracker.caching import cache_key, cached
from tracker.choices import RESPONSES_GROUP, STANCE_FILTER_CHOICES, Stance
from tracker.models import (
    Anonymity,
    Attribution,
    Claim,
    ClaimStatus,
)
from tracker.views.errors import BadParameters, bad_request
from tracker.views.exports import export_attributions
from tracker.views.facets import _active_filters, _facets, facet_counts
from tracker.views.params import _choice, _filter_params, _filterset, querystring

PAGE_SIZE = 25
SORTS = {"newest": "Newest first", "most_sourced": "Most sourced first"}


@dataclass(frozen=True)
class StanceGroup:
    stance: str
    label: str
    attributions: list[Attribution]


@dataclass(frozen=True)
class ClaimRow:
    """A claim in the list with its shown attributions grouped by stance (said, then answered)."""

    claim: Claim
    stance_groups: list[StanceGroup]

    @classmethod
    def of(cls, claim: Claim) -> ClaimRow:
        groups: dict[str, list[Attribution]] = {}
        for attribution in claim.shown_attributions:  # type: ignore[attr-defined]
            groups.setdefault(attribution.stance, []).append(attribution)
        return cls(
            claim=claim,
            stance_groups=[
                StanceGroup(stance=stance, label=Stance(stance).label, attributions=groups[stance])
                for stance in Stance.values
                if stance in groups
            ],
        )


# -- Keyset pagination ------------------------------------------------------------------------


def _sorted(claims: QuerySet[Claim], sort: str) -> tuple[QuerySet[Claim], str]:
    if sort == "most_sourced":
        sources = (
            Attribution.objects.filter(claim=OuterRef("pk"))
            .order_by()
            .values("claim")
            .annotate(n=Count("source", distinct=True))
            .values("n")
        )
        claims = claims.annotate(
            n_sources=Coalesce(Subquery(sources, output_field=IntegerField()), Value(0))
        )
        return claims.order_by("-n_sources", "-id"), "n_sources"
    return claims.order_by("-first_reported_on", "-id"), "first_reported_on"


def _after_cursor(claims: QuerySet[Claim], key: str, cursor: str) -> QuerySet[Claim]:
    """Rows after the cursor "value.id": a range on an index, so page 1,000 costs as page 1."""
    try:
        raw_value, raw_id = cursor.rsplit(".", 1)
        last_id = int(raw_id)
        value: Any = date.fromisoformat(raw_value) if key == "first_reported_on" else int(raw_value)
    except ValueError:
        message = "not a cursor from this list; start from the first page."
        raise BadParameters([("cursor", message)]) from None
    # key <= value bounds an index range; the OR then drops the rows of that last value that
    # were already shown (a bare OR of the two would defeat the index).
    return claims.filter(
        Q(**{f"{key}__lte": value}), Q(**{f"{key}__lt": value}) | Q(id__lt=last_id)
    )


def _cursor_of(claim: Claim, key: str) -> str:
    value = getattr(claim, key)
    return f"{value.isoformat() if isinstance(value, date) else value}.{claim.pk}"


def _page(request: HttpRequest, claims: QuerySet[Claim], sort: str, size: int):
    claims, key = _sorted(claims, sort)
    cursor = request.GET.get("cursor")
    if cursor:
        claims = _after_cursor(claims, key, cursor)
    rows = list(claims[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    next_url = querystring(request.GET, cursor=_cursor_of(rows[-1], key)) if more else None
    return rows, next_url


# -- Pages ------------------------------------------------------------------------------------


@require_safe
def claim_list(request: HttpRequest) -> HttpResponse:
    """Claims with at least one attribution matching the filters, facets, and the export."""
    try:
        filterset = _filterset(request)
        wanted = _choice(request, "format", ("html", "csv", "json"), "html")
        if wanted != "html":
            return export_attributions(filterset.qs, wanted)
        sort = _choice(request, "sort", SORTS, "newest")
        attributions = filterset.qs
        rows, next_url = _page(
            request,
            filterset.claims().prefetch_related(
                Prefetch(
                    "attributions",
                    queryset=(attributions if filterset.is_filtered else Attribution.objects.all())
                    .for_list()
                    .order_by("article__published_on", "span_start", "id"),
                    to_attr="shown_attributions",
                )
            ),
            sort,
            PAGE_SIZE,
        )
    except BadParameters as error:
        return bad_request(request, error.problems)
    # The total and the facets scan every matching row: cached until the data changes.
    summary = cached(
        cache_key("claim-list", _filter_params(request, filterset)),
        lambda: {"total": filterset.claims().count(), "facets": facet_counts(attributions)},
    )
    return render(
        request,
        "tracker/claim_list.html",
        {
            "nav": "responses" if request.GET.getlist("stance") == [RESPONSES_GROUP] else "claims",
            "filterset": filterset,
            "claims": [ClaimRow.of(claim) for claim in rows],
            "total": summary["total"],
            "facets": _facets(request.GET, summary["facets"]),
            "active_filters": _active_filters(request, filterset),
            "sorts": [
                {
                    "value": value,
                    "label": label,
                    "url": querystring(request.GET, sort=value),
                    "active": value == sort,
                }
                for value, label in SORTS.items()
            ],
            "next_url": next_url,
            "first_url": querystring(request.GET) if request.GET.get("cursor") else None,
            "csv_url": querystring(request.GET, format="csv"),
            "json_url": querystring(request.GET, format="json"),
            "matrix_url": reverse("tracker:claim_matrix") + querystring(request.GET, sort=None),
            "stances": STANCE_FILTER_CHOICES,
            "anonymities": Anonymity.choices,
            "statuses": ClaimStatus.choices,
            "selected_stances": request.GET.getlist("stance"),
        },
    )
