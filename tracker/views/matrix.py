"""The matrix: claims down, actors across, each cell the stances an actor took."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponseBase, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from tracker.models import (
    Actor,
    Attribution,
    Stance,
)
from tracker.views.claim_list import _page
from tracker.views.errors import BadParameters, bad_request
from tracker.views.exports import export_matrix
from tracker.views.facets import _active_filters
from tracker.views.params import _choice, _filterset, _whole_number, querystring

MATRIX_CLAIMS = 40
# The most active actors get a column; the others on the page are named under the table, and
# columns=all gives every one of them a column.
MATRIX_COLUMNS = 12
COLUMN_CHOICES = ("top", "all")
# rollup=N counts each actor under its ancestor N levels from the top (1: the top-level actor).
ROLLUP_MOST = 10
# What the matrix reads besides its filters.
MATRIX_PARAMS = ("format", "cursor", "columns", "rollup")


@dataclass
class Column:
    key: str
    label: str
    url: str | None
    claims: int = 0
    # How many distinct actors the column holds (more than 1 once rolled up).
    members: set[str] = field(default_factory=set)

    @property
    def rolled_up(self) -> int:
        """How many actors under this one are counted in its column."""
        return len(self.members - {self.key})


def _actor_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def _rolled_up_ancestors(attributions: list[Attribution], rollup: int) -> dict[int, Actor]:
    """The actors the columns roll up to, by id: one query (always run when rollup is asked)."""
    wanted = set()
    for attribution in attributions:
        actor = attribution.source.actor
        if actor is not None and len(ids := _actor_ids(actor.path)) > rollup:
            wanted.add(ids[rollup - 1])
    return {a.pk: a for a in Actor.objects.filter(pk__in=wanted).only("pk", "slug", "name")}


def _column_of(attribution: Attribution, ancestors: dict[int, Actor], rollup: int) -> Column:
    """Who a matrix column is: the source's actor (or its ancestor at depth `rollup`), or the
    source itself when it has none."""
    actor = attribution.source.actor
    if actor is not None:
        own = f"actor:{actor.slug}"
        if rollup and len(ids := _actor_ids(actor.path)) > rollup:
            actor = ancestors.get(ids[rollup - 1], actor)
        column = Column(
            f"actor:{actor.slug}", actor.name, reverse("tracker:actor_detail", args=[actor.slug])
        )
        column.members.add(own)
        return column
    source = attribution.source
    key = f"source:{source.pk}"
    column = Column(key, source.name, reverse("tracker:source_detail", args=[source.pk]))
    column.members.add(key)
    return column


def _same_page(params: QueryDict, **changes: str | None) -> str:
    """The query string with some presentation parameters changed, the cursor kept."""
    updated = params.copy()
    for name, value in changes.items():
        if value is None:
            updated.pop(name, None)
        else:
            updated[name] = value
    encoded = updated.urlencode()
    return f"?{encoded}" if encoded else "?"


@require_safe
def claim_matrix(request: HttpRequest) -> HttpResponseBase:
    """Who asserted what: claims against actors, each cell the stances taken, in words."""
    try:
        filterset = _filterset(request, also=MATRIX_PARAMS)
        wanted = _choice(request, "format", ("html", "csv"), "html")
        show = _choice(request, "columns", COLUMN_CHOICES, "top")
        rollup = _whole_number(request, "rollup", 0, most=ROLLUP_MOST)
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
            "source__name", "source__kind",
            "source__actor__slug", "source__actor__name", "source__actor__path",
        )
    )  # fmt: skip
    ancestors = _rolled_up_ancestors(attributions, rollup) if rollup else {}
    columns: dict[str, Column] = {}
    cells: dict[tuple[int, str], set[str]] = {}
    for attribution in attributions:
        found = _column_of(attribution, ancestors, rollup)
        column = columns.setdefault(found.key, found)
        column.members |= found.members
        stances = cells.setdefault((attribution.claim_id, column.key), set())
        if not stances:
            column.claims += 1
        stances.add(attribution.stance)
    ranked = sorted(columns.values(), key=lambda c: (-c.claims, c.label.casefold(), c.key))
    shown = ranked if show == "all" else ranked[:MATRIX_COLUMNS]
    hidden = ranked[len(shown) :]

    def stances_of(claim_id: int, column: Column) -> list[dict[str, str]]:
        found = cells.get((claim_id, column.key), ())
        return [{"stance": s, "label": Stance(s).label} for s in Stance.values if s in found]

    rows = [
        {
            "claim": claim,
            "cells": [stances_of(claim.pk, column) for column in shown],
            # Every actor on the claim, hidden columns too: the narrow screen's card.
            "voices": [
                (column, voice) for column in ranked if (voice := stances_of(claim.pk, column))
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
            "hidden": hidden,
            "hidden_columns": len(hidden),
            "all_columns": len(ranked),
            "show": show,
            "show_all_url": _same_page(request.GET, columns="all"),
            "show_top_url": _same_page(request.GET, columns=None),
            "rollup": rollup,
            "rollup_urls": [
                (depth, _same_page(request.GET, rollup=str(depth) if depth else None))
                for depth in (0, 1, 2)
            ],
            "column_limit": MATRIX_COLUMNS,
            "rows": rows,
            "next_url": next_url,
            "first_url": querystring(request.GET) if request.GET.get("cursor") else None,
            "active_filters": _active_filters(request, filterset),
            "csv_url": querystring(request.GET, format="csv"),
            "list_url": reverse("tracker:claim_list") + querystring(request.GET),
        },
    )
