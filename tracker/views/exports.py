"""Exports: the whole filtered set as CSV or JSON, streamed; the matrix as CSV.

One vocabulary everywhere (the API's too): a stance is its value (`no_response`) with its label
in a column of its own (`stance_label`, "Did not respond"); links are absolute; an actor comes
with the root of its tree and its path from the root ("Russia > Russian government > ...").
"""

from __future__ import annotations

import csv
import gc
import io
import itertools
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from itertools import batched
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat, Substr
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from tracker.filtersets import AttributionFilterSet
from tracker.models import (
    Actor,
    Attribution,
    Stance,
)

MATRIX_CSV_COLUMNS = 60

# -- Exports ----------------------------------------------------------------------------------

EXPORT_FIELDS = (
    "attribution_id",
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
    "actor_root",
    "actor_path",
    "stance",
    "stance_label",
    "quote",
    "said_on",
    "passage",
    "article_id",
    "article",
    "article_url",
    "outlet",
    "published_on",
    "span_start",
    "span_end",
)
# The columns that hold numbers; every other one is text a spreadsheet could read as a formula.
NUMBER_FIELDS = frozenset(
    {"attribution_id", "claim_id", "source_id", "count", "article_id", "span_start", "span_end"}
)
# Their names in the export's query (_export_query).
NUMBER_COLUMNS = frozenset(
    {"id", "claim_id", "source_id", "count", "article_id", "span_start", "span_end"}
)
# The columns the actors' tree gives (actor_chains), not the export's query.
CHAIN_FIELDS = ("actor_root", "actor_path")
QUERY_FIELDS = tuple(name for name in EXPORT_FIELDS if name not in CHAIN_FIELDS)
CHAIN_AT = EXPORT_FIELDS.index(CHAIN_FIELDS[0])
PATH_SEPARATOR = " > "
# A cell starting with one of these is a formula to a spreadsheet (=HYPERLINK(...), +, -, @, and
# the tab and carriage return that some spreadsheets skip before reading one).
FORMULA_STARTS = "=+-@\t\r"
CHUNK = 2000
# Joins a column's cells to look at them all at once; a cell starting with a formula character
# then shows as the separator followed by it (a separator inside a cell makes a false alarm,
# which costs only time).
SEPARATOR = "\x1f"
SEPARATED_FORMULA = re.compile(f"{SEPARATOR}[{re.escape(FORMULA_STARTS)}]")
COPY_BUFFER = 256 * 1024


def neutralise(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, quoted so that it shows as text."""
    if isinstance(value, str) and value and value[0] in FORMULA_STARTS:
        return "'" + value
    return value


def _export_query(
    attributions: QuerySet[Attribution], request: HttpRequest, *, numbers_as_text: bool = False
) -> QuerySet:
    """The export's columns (QUERY_FIELDS order, then the actor's id), computed by the database;
    the numbers as text too if asked (the CSV's cells)."""
    claim_prefix = reverse("tracker:claim_detail", args=[0]).removesuffix("0/")
    article_prefix = reverse("tracker:article_detail", args=[0]).removesuffix("0/")
    as_text = partial(Cast, output_field=CharField())
    columns = [
        "id", "claim_id", "claim__text", "claim__status", "x_claim_url", "source_id",
        "source__name", "source__kind", "wording", "count", "anonymity", "source__actor__name",
        "source__actor__slug", "stance", "x_stance_label", "quote", "x_said_on", "x_passage",
        "article_id", "article__title", "x_article_url", "article__outlet__name",
        "x_published_on", "span_start", "span_end", "source__actor_id",
    ]  # fmt: skip
    numbers = {}
    if numbers_as_text:
        numbers = {f"t_{name}": as_text(name) for name in columns if name in NUMBER_COLUMNS}
        columns = [f"t_{name}" if name in NUMBER_COLUMNS else name for name in columns]
    return (
        # In the order they were recorded: the primary key streams from the first row with no
        # sort of the whole set (sorting three million rows first would delay the first byte).
        attributions.order_by("id")
        .annotate(
            x_claim_url=Concat(
                Value(request.build_absolute_uri(claim_prefix)), as_text("claim_id"), Value("/")
            ),
            x_article_url=Concat(
                Value(request.build_absolute_uri(article_prefix)),
                as_text("article_id"),
                Value("/#attribution-"),
                as_text("id"),
            ),
            x_stance_label=stance_label("stance"),
            # The passage is cut out by the database: the article body never leaves it.
            x_passage=Substr("article__body", F("span_start") + 1, F("span_end") - F("span_start")),
            x_published_on=as_text("article__published_on"),
            # When it was said, as ISO 8601 cut to what is known: "2020-01" for January 2020.
            x_said_on=Case(
                When(said_on_precision="year", then=Substr(as_text("said_on"), 1, 4)),
                When(said_on_precision="month", then=Substr(as_text("said_on"), 1, 7)),
                default=as_text("said_on"),
            ),
            **numbers,
        )
        .values_list(*columns)
    )


def stance_label(field: str) -> Case:
    """A stance's label (choices.Stance), by the database: the same words as every page."""
    return Case(
        *(When(**{field: value}, then=Value(str(label))) for value, label in Stance.choices),
        default=Value(""),
        output_field=CharField(),
    )


def actor_chains() -> dict[int, tuple[str, str]]:
    """For every actor, the name of its tree's root and its path of names from the root: one
    query over the actors (their stored paths), not one per row."""
    actors = list(Actor.objects.order_by().values_list("pk", "name", "path"))
    names = {pk: name for pk, name, _path in actors}
    chains = {}
    for pk, _name, path in actors:
        line = [names[int(i)] for i in path.strip("/").split("/") if i and int(i) in names]
        chains[pk] = (line[0], PATH_SEPARATOR.join(line)) if line else ("", "")
    return chains


def export_rows(attributions: QuerySet[Attribution], request: HttpRequest) -> Iterator[tuple]:
    """One tuple per attribution (EXPORT_FIELDS), read in chunks: memory stays flat."""
    chains = actor_chains()
    query = _export_query(attributions, request)
    try:
        sql, params = query.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (no claim found by q): no rows
        return
    # A plain cursor (the columns are text and numbers already: no per-value converters), and a
    # server-side one on PostgreSQL, which would otherwise send the whole result at once.
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK):
            for row in rows:
                chain = chains.get(row[-1], ("", "")) if row[-1] is not None else ("", "")
                yield (*row[:CHAIN_AT], *chain, *row[CHAIN_AT:-1])


def _csv_chunks(rows: Iterable[Sequence], header: Sequence[str] = EXPORT_FIELDS) -> Iterator[str]:
    """CSV text, a chunk of rows at a time (the csv module's C loop does the quoting)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # the BOM lets spreadsheets read UTF-8
    writer.writerow([neutralise(name) for name in header])
    for chunk in batched(rows, CHUNK):
        writer.writerows([neutralise(value) for value in row] for row in chunk)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _sqlite_csv(attributions: QuerySet[Attribution], request: HttpRequest) -> Iterator[str]:
    """The attributions' CSV, a block of rows at a time, worked on column by column: a column
    with nothing to quote or neutralise (most of them) goes out as it came, joined in C; only
    the cells of the others go through csv_cell(). The bytes are csv.writer's (csv_cell)."""
    chains = {
        pk: f"{csv_cell(root)},{csv_cell(path)}" for pk, (root, path) in actor_chains().items()
    }
    # The BOM and the header go out with the first block: the query runs before the first
    # byte (see _download).
    header = "".join(_csv_chunks(()))
    try:
        query = _export_query(attributions, request, numbers_as_text=True)
        sql, params = query.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing: the header alone
        yield header
        return
    numbers = [name in NUMBER_FIELDS for name in QUERY_FIELDS]
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while True:
            with _without_cycle_collection():
                if not (rows := cursor.fetchmany(CHUNK)):
                    break
                *columns, actors = zip(*rows, strict=True)
                cells = [
                    _number_cells(column) if number else _text_cells(column)
                    for column, number in zip(columns, numbers, strict=True)
                ]
                # An actor's two cells are one here ("root,path"), and "," with no actor.
                cells.insert(CHAIN_AT, list(map(chains.get, actors, itertools.repeat(","))))
                block = "\r\n".join(map(",".join, zip(*cells, strict=True))) + "\r\n"
            yield header + block
            header = ""
    if header:  # no rows
        yield header


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """A block's rows make no reference cycles, but the collector would walk each new tuple
    (a fifth of the export's time): it waits until the block is made."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def csv_cell(value: str) -> str:
    """A text cell as csv.writer writes it (QUOTE_MINIMAL), neutralise()d first."""
    return _quoted("'" + value if value and value[0] in FORMULA_STARTS else value)


def _quoted(text: str) -> str:
    if '"' in text:
        return '"' + text.replace('"', '""') + '"'
    if "," in text or "\n" in text or "\r" in text:
        return '"' + text + '"'
    return text


def _any_cell(value: Any) -> str:
    """A cell of any type as csv.writer writes it, neutralise()d if it is text."""
    if value is None:
        return ""
    return csv_cell(value) if isinstance(value, str) else _quoted(str(value))


def _number_cells(column: Sequence[str | None]) -> Sequence[str]:
    """A column of numbers (as text): nothing to quote or neutralise, NULLs aside."""
    try:
        SEPARATOR.join(column)  # type: ignore[arg-type]
    except TypeError:
        return ["" if value is None else value for value in column]
    return column  # type: ignore[return-value]


def _text_cells(column: Sequence[Any]) -> Sequence[str]:
    """A column's cells, each as csv_cell() makes it; looked at whole first (C scans of the
    column joined): most columns of most blocks need nothing, and most of the others only
    quotes around some cells."""
    try:
        joined = SEPARATOR.join(column)
    except TypeError:  # NULLs, written as empty cells (or a value that is not text)
        column = ["" if value is None else value for value in column]
        try:
            joined = SEPARATOR.join(column)
        except TypeError:
            return [_any_cell(value) for value in column]
    if '"' in joined or joined[:1] in FORMULA_STARTS or SEPARATED_FORMULA.search(joined):
        return list(map(csv_cell, column))
    if "," in joined or "\n" in joined or "\r" in joined:
        return [f'"{v}"' if "," in v or "\n" in v or "\r" in v else v for v in column]
    return column


def _postgres_csv(attributions: QuerySet[Attribution], request: HttpRequest) -> Iterator[bytes]:
    """PostgreSQL writes the CSV itself (COPY ... TO STDOUT), a block at a time, in the export's
    order; the actors' chains (actor_chains) are looked up in one JSON object by actor id, as
    the other exports add them. (Joined in from arrays, they let the planner sort every row by
    actor for a merge join, and the rows came out in that order.)"""
    try:
        sql, params = _export_query(attributions, request).query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing: the header alone
        yield from (chunk.encode() for chunk in _csv_chunks(()))
        return
    chains = actor_chains()
    # Cells that cannot start with a formula character are not looked at: the links (their
    # scheme first), the dates, the stance labels unless one does; the actors' chains come
    # neutralised.
    plain = {*NUMBER_FIELDS, *CHAIN_FIELDS, "claim_url", "article_url", "said_on", "published_on"}
    if not any(str(label).startswith(tuple(FORMULA_STARTS)) for label in Stance.labels):
        plain.add("stance_label")
    actor_column = f"c{len(QUERY_FIELDS)}"
    selected = iter(range(len(QUERY_FIELDS)))
    columns, chain_params = [], []
    lookup = json.dumps(
        {pk: [neutralise(root), neutralise(path)] for pk, (root, path) in chains.items()},
        ensure_ascii=False,
    )
    for name in EXPORT_FIELDS:
        if name in CHAIN_FIELDS:
            part = CHAIN_FIELDS.index(name)
            value = f"coalesce((%s::jsonb -> export.{actor_column}::text) ->> {part}, '')"
            chain_params.append(lookup)
        else:
            value = f"c{next(selected)}"
        columns.append(value if name in plain else _pg_neutralised(value))
    listed = ", ".join(
        f'{column} AS "{name}"' for column, name in zip(columns, EXPORT_FIELDS, strict=True)
    )
    names = ", ".join(f"c{i}" for i in range(len(QUERY_FIELDS) + 1))
    copy_sql = (
        f"COPY (SELECT {listed} FROM ({sql}) AS export({names})) "
        "TO STDOUT WITH (FORMAT csv, HEADER true)"
    )
    buffer = bytearray("\ufeff".encode())
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(copy_sql, (*chain_params, *params)) as copy,
    ):
        # psycopg hands over a row at a time: gather them into large writes for the server.
        for block in copy:
            buffer += block
            if len(buffer) >= COPY_BUFFER:
                yield bytes(buffer)
                buffer.clear()
    yield bytes(buffer)


def _pg_neutralised(column: str) -> str:
    """neutralise() in SQL, for the CSV that PostgreSQL writes itself."""
    starts = ", ".join(f"chr({ord(c)})" for c in FORMULA_STARTS)
    return f"CASE WHEN left({column}, 1) IN ({starts}) THEN '''' || {column} ELSE {column} END"


def _json_lines(rows: Iterable[tuple]) -> Iterator[str]:
    rows = iter(rows)
    first = next(rows, None)  # the query runs before the opening bracket is written
    yield "["
    for index, row in enumerate(itertools.chain([first], rows) if first is not None else ()):
        record = dict(zip(EXPORT_FIELDS, row, strict=True))
        yield ("," if index else "") + "\n" + json.dumps(record, ensure_ascii=False)
    yield "\n]\n"


def _download(
    lines: Iterator[str] | Iterator[bytes], content_type: str, name: str
) -> StreamingHttpResponse:
    # The first chunk is made before the response starts: the query runs (and a failure is an
    # error status) before any byte goes out, so a client never takes a short file for a whole
    # one. A failure later in the stream breaks the chunked body, which clients report.
    first = next(iter_lines := iter(lines), None)
    body = itertools.chain([first], iter_lines) if first is not None else iter(())
    response = StreamingHttpResponse(body, content_type=content_type)
    # The date before the extension, so that a double click opens the file in a spreadsheet.
    stem, _dot, extension = name.rpartition(".")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.{extension}"'
    return response


def export_attributions(
    attributions: QuerySet[Attribution], wanted: str, request: HttpRequest
) -> StreamingHttpResponse:
    if wanted == "csv":
        lines: Iterator[str] | Iterator[bytes]
        if connection.vendor == "postgresql":
            lines = _postgres_csv(attributions, request)
        else:
            lines = _sqlite_csv(attributions, request)
        return _download(lines, "text/csv; charset=utf-8", "attributions.csv")
    return _download(
        _json_lines(export_rows(attributions, request)), "application/json", "attributions.json"
    )


def export_matrix(filterset: AttributionFilterSet, request: HttpRequest) -> StreamingHttpResponse:
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
    header = ["claim_id", "claim", "claim_url"] + [
        name for _pk, name, _n in top_actors + top_sources
    ]
    claim_prefix = request.build_absolute_uri(
        reverse("tracker:claim_detail", args=[0]).removesuffix("0/")
    )
    position = {key: index for index, key in enumerate(keys)}
    stream = (
        base.order_by("claim_id", "id")
        .values_list("claim_id", "claim__text", "source__actor_id", "source_id", "stance")
        .iterator(chunk_size=CHUNK)
    )

    def rows() -> Iterator[list[Any]]:
        # Attributions arrive ordered by claim: one claim's cells are gathered at a time.
        current: int | None = None
        text = ""
        cells: list[set[str]] = [set() for _ in keys]
        for claim_id, claim_text, actor_id, source_id, stance in stream:
            if claim_id != current:
                if current is not None:
                    yield [current, text, f"{claim_prefix}{current}/", *map(_cell, cells)]
                current, text, cells = claim_id, claim_text, [set() for _ in keys]
            key = ("actor", actor_id) if actor_id else ("source", source_id)
            if key in position:
                cells[position[key]].add(stance)
        if current is not None:
            yield [current, text, f"{claim_prefix}{current}/", *map(_cell, cells)]

    return _download(_csv_chunks(rows(), header), "text/csv; charset=utf-8", "who-said-what.csv")


def _cell(stances: set[str]) -> str:
    """The stances an actor took on a claim, as the values the other exports use."""
    return "; ".join(s for s in Stance.values if s in stances)
