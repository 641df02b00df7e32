"""The claim list: claims matching the filters, a keyset page of them, facets, exports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.db.models import (
    Prefetch,
    QuerySet,
)
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from tracker.choices import RESPONSES_GROUP, STANCE_FILTER_CHOICES, Stance
from tracker.counters.claims_total import claims_total
from tracker.filtersets import CLAIM_IDS_CAP, AttributionFilterSet
from tracker.models import (
    Anonymity,
    Attribution,
    Claim,
    ClaimStatus,
)
from tracker.pagination import BadCursor, keyset_page
from tracker.querysets import AttributionQuerySet
from tracker.views.errors import BadParameters, bad_request
from tracker.views.exports import export_attributions
from tracker.views.facets import FACET_SAMPLE, _active_filters, _facets, facet_counts
from tracker.views.params import _choice, _filterset, querystring

PAGE_SIZE = 25
SORTS = {"newest": "Newest first", "most_sourced": "Most sourced first"}
# What the list reads besides its filters.
LIST_PARAMS = ("format", "sort", "cursor")


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


def _sorted(claims: QuerySet[Claim], sort: str) -> tuple[QuerySet[Claim], tuple[str, ...]]:
    """The claims with what the sort reads, and the sort (ending in the unique id)."""
    if sort == "most_sourced":
        # The distinct sources kept on each claim (tracker/counters.py), on its own index.
        return claims, ("-source_total", "-id")
    return claims, ("-first_reported_on", "-id")


def _page(
    request: HttpRequest, claims: QuerySet[Claim], sort: str, size: int
) -> tuple[list[Claim], str | None]:
    """A keyset page of the claims (tracker.pagination), and the URL of the next one."""
    claims, order = _sorted(claims, sort)
    try:
        # An empty cursor ("?cursor=", as a form sends it) is the first page.
        page = keyset_page(claims, order, size, request.GET.get("cursor") or None)
    except BadCursor as error:
        raise BadParameters([("cursor", str(error))]) from None
    next_url = querystring(request.GET, cursor=page.next) if page.next else None
    return page.rows, next_url


# -- Counting ---------------------------------------------------------------------------------


def _total(filterset: AttributionFilterSet) -> tuple[int, bool]:
    """How many claims match, and whether there are more than that (past CLAIM_IDS_CAP).

    Filtered, the distinct claim ids that claims() read (no query of its own; a COUNT over
    every claim with an EXISTS each walked the whole claims table); unfiltered, the claims'
    kept total (tracker/counters/claims_total.py). Call after filterset.claims().
    """
    if not filterset.is_filtered:
        return claims_total(), False
    if filterset.claim_ids is None:
        return CLAIM_IDS_CAP, True
    return len(filterset.claim_ids), False


# -- Pages ------------------------------------------------------------------------------------


@require_safe
def claim_list(request: HttpRequest) -> HttpResponseBase:
    """Claims with at least one attribution matching the filters, facets, and the export."""
    try:
        filterset = _filterset(request, also=LIST_PARAMS)
        wanted = _choice(request, "format", ("html", "csv", "json"), "html")
        if wanted != "html":
            return export_attributions(filterset.qs, wanted, request)
        sort = _choice(request, "sort", SORTS, "newest")
        claims = filterset.claims()
        # Each listed claim's matching attributions (the search is already the claims' own).
        # (The filterset filters Attribution.objects; django-filter types .qs as any queryset.)
        shown = cast(AttributionQuerySet, filterset.within_claims)
        rows, next_url = _page(
            request,
            claims.prefetch_related(
                Prefetch(
                    "attributions",
                    queryset=(shown if filterset.is_filtered else Attribution.objects.all())
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
    total, more = _total(filterset)
    facets = facet_counts(
        cast(AttributionQuerySet, filterset.for_sample(FACET_SAMPLE + 1)),
        filtered=filterset.is_filtered,
        affiliated=bool(filterset.form.cleaned_data.get("affiliated")),
    )
    return render(
        request,
        "tracker/claim_list.html",
        {
            "nav": "responses" if request.GET.getlist("stance") == [RESPONSES_GROUP] else "claims",
            "filterset": filterset,
            "claims": [ClaimRow.of(claim) for claim in rows],
            "total": total,
            "more_than_total": more,
            "facets": _facets(request.GET, facets),
            "facets_sampled": facets["sampled"],
            "facet_sample": FACET_SAMPLE,
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
