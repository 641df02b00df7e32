"""The claim list's facets and active filters: counts by stance, anonymity and status."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    QuerySet,
)
from django.http import HttpRequest, QueryDict

from tracker.filtersets import FILTER_PARAMS, AttributionFilterSet
from tracker.models import (
    Anonymity,
    Attribution,
    ClaimStatus,
    Stance,
)
from tracker.views.params import querystring, toggle

TOP_ACTORS = 10


@dataclass
class FacetItem:
    value: str
    label: str
    count: int
    url: str
    active: bool


@dataclass
class Facet:
    name: str
    title: str
    items: list[FacetItem] = field(default_factory=list)


def facet_counts(attributions: QuerySet[Attribution]) -> dict[str, Any]:
    """Counts of matching attributions by stance, anonymity, claim status, outlet and top actors.

    Three GROUP BY queries over the filtered attributions, whatever their number; attributions
    (not claims) are counted, so the counts of one dimension add up across the others.
    """
    base = attributions.order_by()
    by_stance: Counter = Counter()
    by_anonymity: Counter = Counter()
    by_status: Counter = Counter()
    for row in base.values("stance", "anonymity", "claim__status").annotate(n=Count("id")):
        by_stance[row["stance"]] += row["n"]
        by_anonymity[row["anonymity"]] += row["n"]
        by_status[row["claim__status"]] += row["n"]
    outlets = (
        base.filter(article__outlet__isnull=False)
        .values_list("article__outlet__slug", "article__outlet__name")
        .annotate(n=Count("id"))
        .order_by("-n", "article__outlet__name")[:TOP_ACTORS]
    )
    actors = (
        base.filter(source__actor__isnull=False)
        .values_list("source__actor__slug", "source__actor__name")
        .annotate(n=Count("id"))
        .order_by("-n", "source__actor__name")[:TOP_ACTORS]
    )
    return {
        "stance": dict(by_stance),
        "anonymity": dict(by_anonymity),
        "status": dict(by_status),
        "outlets": [list(row) for row in outlets],
        "actors": [list(row) for row in actors],
    }


def _facets(params: QueryDict, counts: dict[str, Any]) -> list[Facet]:
    """The facets to show, each value with the link that adds or removes its filter."""
    by_stance: Counter = Counter(counts["stance"])
    by_anonymity, by_status = counts["anonymity"], counts["status"]
    outlets, actors = counts["outlets"], counts["actors"]

    def item(name: str, value: str, label: str, count: int, multiple: bool = False) -> FacetItem:
        url, active = toggle(params, name, value, multiple=multiple)
        return FacetItem(value, label, count, url, active)

    stance_items = [
        item("stance", value, label, by_stance[value], multiple=True)
        for value, label in Stance.choices
        if by_stance[value] or value in params.getlist("stance")
    ]
    responses = sum(by_stance[v] for v in Attribution.RESPONSE_STANCES)
    if responses:
        stance_items.append(item("stance", "responses", "Any response", responses, multiple=True))
    return [
        Facet("stance", "Stance", stance_items),
        Facet(
            "anonymity",
            "Sources",
            [
                item("anonymity", value, label, by_anonymity.get(value, 0))
                for value, label in Anonymity.choices
                if by_anonymity.get(value)
            ],
        ),
        Facet(
            "status",
            "Claim status",
            [
                item("status", value, label, by_status.get(value, 0))
                for value, label in ClaimStatus.choices
                if by_status.get(value)
            ],
        ),
        Facet(
            "outlet",
            "Outlet",
            [item("outlet", slug, name, n) for slug, name, n in outlets],
        ),
        Facet(
            "actor",
            "Top actors",
            [item("actor", slug, name, n) for slug, name, n in actors],
        ),
    ]


def _active_filters(request: HttpRequest, filterset: AttributionFilterSet) -> list[dict]:
    """Chips for what is asked, each with the URL that removes it."""
    chips = []
    data = filterset.form.cleaned_data
    labels = {
        "stance": dict(Stance.choices) | {"responses": "Any response"},
        "anonymity": dict(Anonymity.choices),
        "status": dict(ClaimStatus.choices),
    }
    for name in FILTER_PARAMS:
        value = data.get(name)
        if value in (None, "", [], False) or name == "actor_exact":
            continue
        if name == "stance":
            for stance in value:
                url, _ = toggle(request.GET, "stance", stance, multiple=True)
                chips.append({"label": f"Stance: {labels['stance'][stance]}", "url": url})
            continue
        shown = labels.get(name, {}).get(value, value)
        if name == "actor":
            shown = f"{value.name}{' (alone)' if data.get('actor_exact') else ' and sub-actors'}"
            url = querystring(request.GET, actor=None, actor_exact=None)
        else:
            url = querystring(request.GET, **{name: None})
        if name == "outlet":
            shown = value.name
        title = filterset.filters[name].label or name
        # A yes/no filter is named alone ("Denials later contradicted"), not "...: True".
        chips.append({"label": title if value is True else f"{title}: {shown}", "url": url})
    return chips
