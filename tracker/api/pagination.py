"""Cursor pages for API lists (follow `next`): tracker.pagination's keyset pages, in DRF's terms,
with the list's total: counted up to COUNT_CAP, estimated beyond."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from tracker.pagination import BadCursor, Page, keyset_page

# The cursors tracker.pagination writes: URL-safe base64 without padding. Anything else is
# refused by the schema already; a cursor of that shape that is not from the list is a 400 too.
CURSOR_PATTERN = r"^[-A-Za-z0-9_]+$"
# Up to this many rows a list's total is counted exactly (a bounded COUNT over at most this many
# plus one); beyond, it is estimated and says so (count_is_exact false).
COUNT_CAP = 10_000


def count_rows(queryset: QuerySet[Any]) -> tuple[int, bool]:
    """How many rows, and whether that is exact: one query (two past COUNT_CAP on PostgreSQL)."""
    counted = queryset.order_by().values_list("pk")[: COUNT_CAP + 1].count()
    if counted <= COUNT_CAP:
        return counted, True
    return estimate_rows(queryset), False


def estimate_rows(queryset: QuerySet[Any]) -> int:
    """More than COUNT_CAP rows: PostgreSQL's planner's estimate (never below COUNT_CAP + 1).
    SQLite has no estimate to give: COUNT_CAP + 1, "more than the cap"."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return COUNT_CAP + 1
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):  # (a driver that does not parse JSON)
        plan = json.loads(plan)
    return max(int(plan[0]["Plan"]["Plan Rows"]), COUNT_CAP + 1)


class KeysetPagination(BasePagination):
    """Keyset pages in the view's `ordering`, which must end in a unique field ("-id")."""

    page_size = 25
    max_page_size = 200
    count: int
    count_is_exact: bool
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: Any = None
    ) -> list[Any]:
        if not isinstance(queryset, QuerySet):
            raise TypeError("Keyset pages are read from a QuerySet.")
        self.request = request
        # The view may know its total without a query (the claims: their ids are read once).
        counter = getattr(view, "count_rows", None) or count_rows
        total: tuple[int, bool] = counter(queryset)
        self.count, self.count_is_exact = total
        order = tuple(getattr(view, "ordering", ("-id",)))
        size = self.get_page_size(request)
        try:
            self.page: Page = keyset_page(
                queryset, order, size, request.query_params.get(self.cursor_query_param)
            )
        except BadCursor as error:
            raise exceptions.ValidationError({self.cursor_query_param: str(error)}) from None
        return self.page.rows

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise exceptions.ValidationError(
                {self.page_size_query_param: f"{raw!r} is not a whole number of 1 or more."}
            )
        return min(size, self.max_page_size)

    def get_paginated_response(self, data: list) -> Response:
        return Response(
            {
                "count": self.count,
                "count_is_exact": self.count_is_exact,
                "next": self._link(self.page.next),
                "previous": self._link(self.page.previous),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["count", "count_is_exact", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "minimum": 0,
                    "description": f"How many rows the list has in all: counted up to {COUNT_CAP}, "
                    "estimated beyond (see count_is_exact).",
                },
                "count_is_exact": {
                    "type": "boolean",
                    "description": "Whether count was counted (true) or estimated (false: on "
                    "PostgreSQL the planner's estimate, on SQLite the cap plus one).",
                },
                "next": {**link, "description": "The next page, or null on the last."},
                "previous": {**link, "description": "The previous page, or null on the first."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "in": "query",
                "required": False,
                "description": "Where the page starts: copy it from a response's next or "
                "previous link (a cursor that is not from this list is a 400).",
                "schema": {"type": "string", "pattern": CURSOR_PATTERN},
            },
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "description": f"Rows per page: {self.page_size} unless given; at most "
                f"{self.max_page_size} (a larger number is capped).",
                "schema": {"type": "integer", "minimum": 1},
            },
        ]

    def _link(self, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, cursor)
