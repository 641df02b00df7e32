"""The claim list with facets, the who-asserted-what matrix, and their streamed exports."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from itertools import batched
from typing import Any

from django.db import connection
from django.db.models import (
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat, Substr
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from tracker.caching import cache_key, cached
from tracker.filtersets import FILTER_PARAMS, AttributionFilterSet
from tracker.models import Anonymity, Attribution, Claim, ClaimStatus, Stance

PAGE_SIZE = 25
MATRIX_CLAIMS = 40
MATRIX_COLUMNS = 12
MATRIX_CSV_COLUMNS = 60
TOP_ACTORS = 10
SORTS = {"newest": "Newest first", "most_sourced": "Most sourced first"}
STANCE_ORDER = [value for value, _label in Stance.choices]


class BadParameters(ValueError):
    """Query parameters that cannot be honoured: (name, message) for each."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{name}: {message}" for name, message in problems))


def bad_request(request: HttpRequest, problems: list[tuple[str, str]]) -> HttpResponse:
    """A 400 that names every bad parameter, in the format the client asked for."""
    wanted = request.GET.get("format", "")
    if wanted == "json" or request.path.startswith("/api/"):
        return JsonResponse({"errors": dict(problems)}, status=400)
    if wanted == "csv":
        text = "".join(f"{name}: {message}\n" for name, message in problems)
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
    return render(request, "tracker/bad_request.html", {"problems": problems}, status=400)


def _filterset(request: HttpRequest) -> AttributionFilterSet:
    filterset = AttributionFilterSet(request.GET, queryset=Attribution.objects.all())
    if not filterset.is_valid():
        raise BadParameters(filterset.error_messages())
    return filterset


def _filter_params(request: HttpRequest, filterset: AttributionFilterSet) -> list[tuple]:
    """The filters as asked, normalised: the same question gives the same cache key."""
    data = filterset.form.cleaned_data
    params = []
    for name in FILTER_PARAMS:
        value = data.get(name)
        if value in (None, "", []):
            continue
        params.append((name, getattr(value, "pk", value)))
    return params


def _choice(request: HttpRequest, name: str, choices: Iterable[str], default: str) -> str:
    value = request.GET.get(name, default) or default
    if value not in choices:
        raise BadParameters([(name, f"{value!r} is not one of: {', '.join(choices)}.")])
    return value


# -- Query strings ----------------------------------------------------------------------------


def querystring(params: QueryDict, **changes: Any) -> str:
    """The current query string with some parameters replaced (None removes), cursor dropped."""
    updated = params.copy()
    updated.pop("cursor", None)
    for name, value in changes.items():
        if value is None:
            updated.pop(name, None)
        elif isinstance(value, list):
            updated.setlist(name, value)
        else:
            updated[name] = value
    encoded = updated.urlencode()
    return f"?{encoded}" if encoded else "?"


def toggle(params: QueryDict, name: str, value: str, *, multiple: bool = False) -> tuple[str, bool]:
    """The URL that adds (or, if present, removes) name=value, and whether it is present now."""
    current = params.getlist(name)
    active = value in current
    if multiple:
        values = [v for v in current if v != value] if active else [*current, value]
        return querystring(params, **{name: values or None}), active
    return querystring(params, **{name: None if active else value}), active


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
            "nav": "responses" if request.GET.getlist("stance") == ["responses"] else "claims",
            "filterset": filterset,
            "claims": [_group_by_stance(claim) for claim in rows],
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
            "stances": STANCE_CHOICES_FOR_FORM,
            "anonymities": Anonymity.choices,
            "statuses": ClaimStatus.choices,
            "selected_stances": request.GET.getlist("stance"),
        },
    )


STANCE_CHOICES_FOR_FORM = [*Stance.choices, ("responses", "Any response")]


def _group_by_stance(claim: Claim) -> Claim:
    groups: dict[str, list[Attribution]] = {}
    for attribution in claim.shown_attributions:
        groups.setdefault(attribution.stance, []).append(attribution)
    claim.stance_groups = [
        {"stance": stance, "label": Stance(stance).label, "attributions": groups[stance]}
        for stance in STANCE_ORDER
        if stance in groups
    ]
    return claim


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
def claim_matrix(request: HttpRequest) -> HttpResponse:
    """Who asserted what: claims against actors, each cell the stances taken, in words."""
    try:
        filterset = _filterset(request)
        wanted = _choice(request, "format", ("html", "csv"), "html")
        if wanted == "csv":
            return export_matrix(filterset)
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
                    for s in STANCE_ORDER
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


# -- Exports ----------------------------------------------------------------------------------

EXPORT_FIELDS = (
    "claim_id",
    "claim",
    "claim_status",
    "claim_url",
    "source_id",
    "source",
    "source_kind",
    "wording",
    "count",
    "anonymity",
    "actor",
    "actor_slug",
    "stance",
    "quote",
    "passage",
    "article_id",
    "article",
    "article_url",
    "outlet",
    "published_on",
    "span_start",
    "span_end",
)
CHUNK = 2000
COPY_BUFFER = 256 * 1024


def _export_query(attributions: QuerySet[Attribution]) -> QuerySet:
    """The export's columns, in EXPORT_FIELDS order, computed by the database."""
    claim_prefix = reverse("tracker:claim_detail", args=[0]).removesuffix("0/")
    article_prefix = reverse("tracker:article_detail", args=[0]).removesuffix("0/")
    as_text = partial(Cast, output_field=CharField())
    return (
        # In the order they were recorded: the primary key streams from the first row with no
        # sort of the whole set (sorting three million rows first would delay the first byte).
        attributions.order_by("id")
        .annotate(
            x_claim_url=Concat(Value(claim_prefix), as_text("claim_id"), Value("/")),
            x_article_url=Concat(
                Value(article_prefix), as_text("article_id"), Value("/#attribution-"),
                as_text("id"),
            ),
            # The passage is cut out by the database: the article body never leaves it.
            x_passage=Substr("article__body", F("span_start") + 1, F("span_end") - F("span_start")),
            x_published_on=as_text("article__published_on"),
        )
        .values_list(
            "claim_id", "claim__text", "claim__status", "x_claim_url", "source_id", "source__name",
            "source__kind", "wording", "count", "anonymity", "source__actor__name",
            "source__actor__slug", "stance", "quote", "x_passage", "article_id", "article__title",
            "x_article_url", "article__outlet__name", "x_published_on", "span_start", "span_end",
        )
    )  # fmt: skip


def export_rows(attributions: QuerySet[Attribution]) -> Iterator[tuple]:
    """One tuple per attribution (EXPORT_FIELDS), read in chunks: memory stays flat."""
    query = _export_query(attributions)
    sql, params = query.query.sql_with_params()
    # A plain cursor (the columns are text and numbers already: no per-value converters), and a
    # server-side one on PostgreSQL, which would otherwise send the whole result at once.
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK):
            yield from rows


def _csv_chunks(rows: Iterable[Sequence], header: Sequence[str] = EXPORT_FIELDS) -> Iterator[str]:
    """CSV text, a chunk of rows at a time (the csv module's C loop does the quoting)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # the BOM lets spreadsheets read UTF-8
    writer.writerow(header)
    for chunk in batched(rows, CHUNK):
        writer.writerows(chunk)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _postgres_csv(attributions: QuerySet[Attribution]) -> Iterator[bytes]:
    """PostgreSQL writes the CSV itself (COPY ... TO STDOUT), a block at a time."""
    sql, params = _export_query(attributions).query.sql_with_params()
    columns = ", ".join(f'c{i} AS "{name}"' for i, name in enumerate(EXPORT_FIELDS))
    names = ", ".join(f"c{i}" for i in range(len(EXPORT_FIELDS)))
    copy_sql = (
        f"COPY (SELECT {columns} FROM ({sql}) AS export({names})) "
        "TO STDOUT WITH (FORMAT csv, HEADER true)"
    )
    buffer = bytearray("\ufeff".encode())
    with connection.cursor() as cursor, cursor.cursor.copy(copy_sql, params) as copy:
        # psycopg hands over a row at a time: gather them into large writes for the server.
        for block in copy:
            buffer += block
            if len(buffer) >= COPY_BUFFER:
                yield bytes(buffer)
                buffer.clear()
    yield bytes(buffer)


def _json_lines(rows: Iterable[tuple]) -> Iterator[str]:
    yield "["
    for index, row in enumerate(rows):
        record = dict(zip(EXPORT_FIELDS, row, strict=True))
        yield ("," if index else "") + "\n" + json.dumps(record, ensure_ascii=False)
    yield "\n]\n"


def _download(lines: Iterator[str], content_type: str, name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}"'
    return response


def export_attributions(attributions: QuerySet[Attribution], wanted: str) -> StreamingHttpResponse:
    if wanted == "csv":
        if connection.vendor == "postgresql":
            lines = _postgres_csv(attributions)
        else:
            lines = _csv_chunks(export_rows(attributions))
        return _download(lines, "text/csv; charset=utf-8", "attributions.csv")
    return _download(
        _json_lines(export_rows(attributions)), "application/json", "attributions.json"
    )


def export_matrix(filterset: AttributionFilterSet) -> StreamingHttpResponse:
    """The matrix as CSV: a row per claim, a column per actor (the most active first)."""
    base = filterset.qs.order_by()
    top_actors = list(
        base.filter(source__actor__isnull=False)
        .values_list("source__actor_id", "source__actor__name")
        .annotate(n=Count("claim", distinct=True))
        .order_by("-n", "source__actor__name")[:MATRIX_CSV_COLUMNS]
    )
    top_sources = list(
        base.filter(source__actor__isnull=True)
        .values_list("source_id", "source__name")
        .annotate(n=Count("claim", distinct=True))
        .order_by("-n", "source__name")[: max(0, MATRIX_CSV_COLUMNS - len(top_actors))]
    )
    keys = [("actor", pk) for pk, _name, _n in top_actors] + [
        ("source", pk) for pk, _name, _n in top_sources
    ]
    header = ["claim_id", "claim"] + [name for _pk, name, _n in top_actors + top_sources]
    position = {key: index for index, key in enumerate(keys)}
    stream = (
        base.order_by("claim_id", "id")
        .values_list("claim_id", "claim__text", "source__actor_id", "source_id", "stance")
        .iterator(chunk_size=CHUNK)
    )

    def rows() -> Iterator[list[Any]]:
        # Attributions arrive ordered by claim: one claim's cells are gathered at a time.
        current, text, cells = None, "", [set() for _ in keys]
        for claim_id, claim_text, actor_id, source_id, stance in stream:
            if claim_id != current:
                if current is not None:
                    yield [current, text, *(_cell(c) for c in cells)]
                current, text, cells = claim_id, claim_text, [set() for _ in keys]
            key = ("actor", actor_id) if actor_id else ("source", source_id)
            if key in position:
                cells[position[key]].add(stance)
        if current is not None:
            yield [current, text, *(_cell(c) for c in cells)]

    return _download(_csv_chunks(rows(), header), "text/csv; charset=utf-8", "who-said-what.csv")


def _cell(stances: set[str]) -> str:
    return "; ".join(Stance(s).label.lower() for s in STANCE_ORDER if s in stances)
