"""Cursor pages for API lists (follow `next`)."""

from __future__ import annotations

import base64
import binascii
import json
import operator
from functools import reduce

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

# -- Pages: keyset cursors ---------------------------------------------------------------------


class KeysetPagination(BasePagination):
    """Cursor pages on a unique sort key: page 10,000 is the same indexed range query as page 1.

    The cursor holds the sort key of the row it continues from ("after" or "before" it), so
    no OFFSET is ever used. The view's `ordering` must end in a unique field ("-id").
    """

    page_size = 25
    max_page_size = 200
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset: QuerySet, request: Request, view=None) -> list:
        self.request = request
        self.ordering = list(getattr(view, "ordering", ("-id",)))
        size = self.get_page_size(request)
        backwards, position = self._decode(request, queryset)
        order = [_flip(name) for name in self.ordering] if backwards else self.ordering
        rows = queryset.order_by(*order)
        if position is not None:
            rows = rows.filter(_beyond(order, position))
        page = list(rows[: size + 1])
        more = len(page) > size
        page = page[:size]
        if backwards:
            page.reverse()
        self.next_cursor = self.previous_cursor = None
        if page:
            after_last = ("n", self._key(page[-1]))
            before_first = ("p", self._key(page[0]))
            if backwards:
                self.next_cursor = after_last
                self.previous_cursor = before_first if more else None
            else:
                self.next_cursor = after_last if more else None
                self.previous_cursor = before_first if position is not None else None
        return page

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
                "next": self._link(self.next_cursor),
                "previous": self._link(self.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
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
                "previous link (a cursor that is not from this list is a 404).",
                "schema": {"type": "string"},
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

    def _key(self, row) -> list:
        values = []
        for name in self.ordering:
            value = getattr(row, name.lstrip("-"))
            values.append(value.isoformat() if hasattr(value, "isoformat") else value)
        return values

    def _link(self, cursor: tuple[str, list] | None) -> str | None:
        if cursor is None:
            return None
        url = self.request.build_absolute_uri()
        token = base64.urlsafe_b64encode(json.dumps(cursor, separators=(",", ":")).encode())
        return replace_query_param(url, self.cursor_query_param, token.decode().rstrip("="))

    def _decode(self, request: Request, queryset: QuerySet) -> tuple[bool, list | None]:
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            return False, None
        try:
            padded = raw + "=" * (-len(raw) % 4)
            direction, values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            if direction not in ("n", "p") or len(values) != len(self.ordering):
                raise ValueError(direction)
            fields = [queryset.model._meta.get_field(name.lstrip("-")) for name in self.ordering]
            position = [field.to_python(value) for field, value in zip(fields, values, strict=True)]
            if any(value is None for value in position):
                raise ValueError(values)
        except (ValueError, TypeError, binascii.Error, DjangoValidationError):
            raise exceptions.NotFound(
                {"cursor": "Not a cursor from this list; start again from the first page."}
            ) from None
        return direction == "p", position


def _flip(name: str) -> str:
    return name[1:] if name.startswith("-") else f"-{name}"


def _beyond(order: list[str], position: list) -> Q:
    """Rows strictly after `position` in `order`: (a > x) or (a = x and b > y) or ..."""
    conditions, equal = [], {}
    for name, value in zip(order, position, strict=True):
        field = name.lstrip("-")
        lookup = "lt" if name.startswith("-") else "gt"
        conditions.append(Q(**equal, **{f"{field}__{lookup}": value}))
        equal[field] = value
    return reduce(operator.or_, conditions)
