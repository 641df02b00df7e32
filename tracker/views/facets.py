"""The claim list's facets and active filters: counts by stance, anonymity and status."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    QuerySet,
    Sum,
)
from django.http import HttpRequest, QueryDict
from django.utils.functional import Promise

from articles.models import Outlet
from tracker.choices import RESPONSES_GROUP, RESPONSES_LABEL, STANCE_FILTER_CHOICES, SourceTie
from tracker.filtersets import FILTER_PARAMS, AttributionFilterSet
from tracker.models import (
    Actor,
    Anonymity,
    Attribution,
    AttributionTally,
    ClaimStatus,
    Stance,
)
from tracker.views.params import querystring, toggle

TOP_ACTORS = 10
# Filtered facets count over at most this many matching attributions, and then say "more than",
# as the admin's changelists do: a broad filter costs what a narrow one does.
FACET_SAMPLE = 5000


@dataclass
class FacetItem:
    value: str
    label: str
    count: int
    url: str
    active: bool
    more: bool = False  # counted over a sample: at least `count`


@dataclass
class Facet:
    name: str
    title: str
    items: list[FacetItem] = field(default_factory=list)


def facet_counts(
    attributions: QuerySet[Attribution], *, filtered: bool = True, affiliated: bool = False
) -> dict[str, Any]:
    """Counts of matching attributions by stance, anonymity, claim status, outlet and top actors.

    Attributions (not claims) are counted, so the counts of one dimension add up across the
    others. Unfiltered, three small queries read the counts kept with the data
    (tracker/counters.py); filtered, one query reads at most FACET_SAMPLE + 1 matching rows
    ("sampled" then says the counts are lower bounds). An actor counts the attributions of the
    sources speaking for it, as its filter does (and of those belonging to it: `affiliated`).
    """
    if not filtered:
        return _kept_counts()
    # One query: the facets' columns of at most FACET_SAMPLE + 1 matching rows, counted here.
    rows = attributions.order_by().values_list(
        "stance", "anonymity", "claim__status", "article__outlet__slug", "article__outlet__name",
        "source__actor__slug", "source__actor__name", "source__tie",
    )[: FACET_SAMPLE + 1]  # fmt: skip
    by_stance: Counter = Counter()
    by_anonymity: Counter = Counter()
    by_status: Counter = Counter()
    outlets: Counter = Counter()
    actors: Counter = Counter()
    for stance, anonymity, status, outlet_slug, outlet, actor_slug, actor, tie in rows:
        by_stance[stance] += 1
        by_anonymity[anonymity] += 1
        by_status[status] += 1
        if outlet_slug is not None:
            outlets[(outlet_slug, outlet)] += 1
        if actor_slug is not None and (affiliated or tie == SourceTie.SPEAKS_FOR):
            actors[(actor_slug, actor)] += 1
    return {
        "stance": dict(by_stance),
        "anonymity": dict(by_anonymity),
        "status": dict(by_status),
        "outlets": _top(outlets),
        "actors": _top(actors),
        "sampled": sum(by_stance.values()) > FACET_SAMPLE,
    }


def _top(counts: Counter) -> list[list]:
    """The TOP_ACTORS most counted (slug, name) pairs, most first, then by name."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0][1]))[:TOP_ACTORS]
    return [[slug, name, n] for (slug, name), n in ranked]


def _kept_counts() -> dict[str, Any]:
    """The unfiltered facets from the kept counts: the tallies, the outlets, the top actors."""
    by_stance: Counter = Counter()
    by_anonymity: Counter = Counter()
    by_status: Counter = Counter()
    by_outlet: Counter = Counter()
    tallies = (
        AttributionTally.objects.order_by()
        .values_list("stance", "anonymity", "status", "outlet_id")
        .annotate(Sum("n"))
    )
    for stance, anonymity, status, outlet, n in tallies:
        by_stance[stance] += n
        by_anonymity[anonymity] += n
        by_status[status] += n
        if outlet is not None:
            by_outlet[outlet] += n
    named = Outlet.objects.filter(pk__in=[pk for pk, n in by_outlet.items() if n > 0])
    ranked = sorted(
        ((by_outlet[pk], slug, name) for pk, slug, name in named.values_list("pk", "slug", "name")),
        key=lambda row: (-row[0], row[1]),
    )[:TOP_ACTORS]
    outlets = [[slug, name, n] for n, slug, name in ranked]
    actors = Actor.objects.most_cited().values_list("slug", "name", "citations")[:TOP_ACTORS]
    return {
        "stance": {k: n for k, n in by_stance.items() if n},
        "anonymity": {k: n for k, n in by_anonymity.items() if n},
        "status": {k: n for k, n in by_status.items() if n},
        "outlets": outlets,
        "actors": [list(row) for row in actors],
        "sampled": False,
    }


def _facets(params: QueryDict, counts: dict[str, Any]) -> list[Facet]:
    """The facets to show, each value with the link that adds or removes its filter."""
    by_stance: Counter = Counter(counts["stance"])
    by_anonymity, by_status = counts["anonymity"], counts["status"]
    outlets, actors = counts["outlets"], counts["actors"]

    sampled = counts.get("sampled", False)

    def item(name: str, value: str, label: str, count: int, multiple: bool = False) -> FacetItem:
        url, active = toggle(params, name, value, multiple=multiple)
        return FacetItem(value, label, count, url, active, more=sampled)

    stance_items = [
        item("stance", value, label, by_stance[value], multiple=True)
        for value, label in Stance.choices
        if by_stance[value] or value in params.getlist("stance")
    ]
    responses = sum(by_stance[v] for v in Attribution.RESPONSE_STANCES)
    if responses:
        stance_items.append(
            item("stance", RESPONSES_GROUP, RESPONSES_LABEL, responses, multiple=True)
        )
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
    chips: list[dict[str, str | Promise]] = []  # a filter's label may be lazily translated
    data = filterset.form.cleaned_data
    labels = {
        "stance": dict(STANCE_FILTER_CHOICES),
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
            alone = " (alone)" if data.get("actor_exact") else " and sub-actors"
            shown = f"{value.actor.name}{alone}"
            url = querystring(request.GET, actor=None, actor_exact=None)
        else:
            url = querystring(request.GET, **{name: None})
        if name == "outlet":
            shown = value.name
        title = filterset.filters[name].label or name
        # A yes/no filter is named alone ("Denials later contradicted"), not "...: True".
        chips.append({"label": title if value is True else f"{title}: {shown}", "url": url})
    return chips
