"""The matrix: claims down, actors across, each cell the stances an actor took."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from tracker.models import (
    Attribution,
    Stance,
)
from tracker.views.claim_list import _page
from tracker.views.errors import BadParameters, bad_request
from tracker.views.exports import export_matrix
from tracker.views.facets import _active_filters
from tracker.views.params import _choice, _filterset, querystring

MATRIX_CLAIMS = 40
MATRIX_COLUMNS = 12
# What the matrix reads besides its filters.
MATRIX_PARAMS = ("format", "cursor")


@dataclass
class Column:
    key: str
    label: str
    url: str | None
    claims: int = 0


def _column_of(attribution: Attribution) -> tuple[str, str, str | None]:
    """Who a matrix column is: the source's actor, or the source itself when it has none."""
    actor = attribution.source.actor
    if actor is not None:
        return f"actor:{actor.slug}", actor.name, reverse("tracker:actor_detail", args=[actor.slug])
    source = attribution.source
    return f"source:{source.pk}", source.name, reverse("tracker:source_detail", args=[source.pk])


@require_safe
def claim_matrix(request: HttpRequest) -> HttpResponseBase:
    """Who asserted what: claims against actors, each cell the stances taken, in words."""
    try:
        filterset = _filterset(request, also=MATRIX_PARAMS)
        wanted = _choice(request, "format", ("html", "csv"), "html")
        if wanted == "csv":
            return export_matrix(filterset, request)
        claims, next_url = _page(request, filterset.claims(), "newest", MATRIX_CLAIMS)
    except BadParameters as error:
        return bad_request(request, error.problems)
    attributions = list(
        filterset.qs.filter(claim__in=[claim.pk for claim in claims])
        .select_related("source", "source__actor")
        .only(
            "claim_id", "stance", "wording", "count",
            "source__name", "source__kind", "source__actor__slug", "source__actor__name",
        )
    )  # fmt: skip
    columns: dict[str, Column] = {}
    cells: dict[tuple[int, str], set[str]] = {}
    for attribution in attributions:
        key, label, url = _column_of(attribution)
        column = columns.setdefault(key, Column(key, label, url))
        stances = cells.setdefault((attribution.claim_id, key), set())
        if not stances:
            column.claims += 1
        stances.add(attribution.stance)
    shown = sorted(columns.values(), key=lambda c: (-c.claims, c.label))[:MATRIX_COLUMNS]
    rows = [
        {
            "claim": claim,
            "cells": [
                [
                    {"stance": s, "label": Stance(s).label}
                    for s in Stance.values
                    if s in cells.get((claim.pk, column.key), ())
                ]
                for column in shown
            ],
        }
        for claim in claims
    ]
    return render(
        request,
        "tracker/claim_matrix.html",
        {
            "nav": "matrix",
            "filterset": filterset,
            "columns": shown,
            "hidden_columns": max(0, len(columns) - len(shown)),
            "rows": rows,
            "next_url": next_url,
            "first_url": querystring(request.GET) if request.GET.get("cursor") else None,
            "active_filters": _active_filters(request, filterset),
            "csv_url": querystring(request.GET, format="csv"),
            "list_url": reverse("tracker:claim_list") + querystring(request.GET),
        },
    )
