"""Keyset pages for the list pages and the API: one cursor format, one index-friendly bound.

A page never uses OFFSET: the cursor holds the sort key of the row it continues from, so page
10,000 is the same indexed range query as page 1. The order must end in a unique field ("-id")
and its fields must not be null.

A cursor is the URL-safe base64 (unpadded) of the JSON `["n", [values]]` (the rows after that
key) or `["p", [values]]` (the rows before it, for a "previous" link).
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Field, Model, Q, QuerySet

# The widest integer the databases store (bigint): a larger one in a cursor is not from a list,
# and SQLite cannot even compare with it.
MAX_INT = 2**63 - 1


class BadCursor(ValueError):
    """A cursor that is not from this list: edited, cut short, or made for another sort."""

    def __init__(self) -> None:
        super().__init__("This is not a cursor from this list; start again from the first page.")


@dataclass(frozen=True)
class Page[T]:
    """One page of rows, and the cursors of the pages on either side (None where there is none)."""

    rows: list[T]
    next: str | None
    previous: str | None


def keyset_page[M: Model](
    rows: QuerySet[M], order: Sequence[str], size: int, cursor: str | None = None
) -> Page[M]:
    """The `size` rows of `rows` in `order` that follow (or precede) the cursor: one query."""
    backwards, position = (False, None) if cursor is None else decode(cursor, rows, order)
    walk = [_flip(name) for name in order] if backwards else list(order)
    ordered = rows.order_by(*walk)
    if position is not None:
        ordered = ordered.filter(beyond(walk, position))
    found = list(ordered[: size + 1])
    more = len(found) > size
    found = found[:size]
    if backwards:
        found.reverse()
    if not found:
        return Page(rows=found, next=None, previous=None)
    after_last = encode(key_of(found[-1], order))
    before_first = encode(key_of(found[0], order), backwards=True)
    if backwards:
        return Page(rows=found, next=after_last, previous=before_first if more else None)
    return Page(
        rows=found,
        next=after_last if more else None,
        previous=before_first if position is not None else None,
    )


def beyond(order: Sequence[str], position: Sequence[Any]) -> Q:
    """The rows strictly after `position` in `order`, as a condition that walks the index.

    For ("-a", "-b") that is `a <= x AND (a < x OR b < y)`: the first comparison bounds an
    index range, the OR then drops the rows of that last value that were already shown. (The
    textbook `a < x OR (a = x AND b < y)` is the same set, but a bare OR defeats the index on
    SQLite and PostgreSQL alike.) Longer orders nest the same way, one field at a time, so
    mixed directions ("-score", "id") work too.
    """
    *head, last = zip(order, position, strict=True)
    condition = _compare(*last, strict=True)
    for name, value in reversed(head):
        condition = _compare(name, value, strict=False) & (
            _compare(name, value, strict=True) | condition
        )
    return condition


def key_of(row: Any, order: Sequence[str]) -> list[Any]:
    """The row's sort key: the values of the order's fields (attributes or annotations)."""
    return [getattr(row, name.lstrip("-")) for name in order]


def encode(position: Sequence[Any], *, backwards: bool = False) -> str:
    """The cursor of the rows after `position` (before it, when backwards)."""
    values = [_to_json(value) for value in position]
    text = json.dumps(["p" if backwards else "n", values], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode(cursor: str, rows: QuerySet, order: Sequence[str]) -> tuple[bool, list[Any]]:
    """(backwards, the sort key) of a cursor made for `rows` in `order`, or BadCursor."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        direction, values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        if direction not in ("n", "p") or len(values) != len(order):
            raise ValueError(direction)
        fields = [_field(rows, name.lstrip("-")) for name in order]
        pairs = zip(fields, values, strict=True)
        position = [_checked(field.to_python(value)) for field, value in pairs]
    except (ValueError, TypeError, binascii.Error, DjangoValidationError):
        # ValueError covers bad base64 text, bad JSON, a wrong shape and a value out of range.
        raise BadCursor() from None
    return direction == "p", position


def _compare(name: str, value: Any, *, strict: bool) -> Q:
    field = name.lstrip("-")
    lookup = "lt" if name.startswith("-") else "gt"
    return Q(**{f"{field}__{lookup if strict else lookup + 'e'}": value})


def _flip(name: str) -> str:
    return name[1:] if name.startswith("-") else f"-{name}"


def _field(rows: QuerySet, name: str) -> Field:
    """The model field or annotation a sort key is read as."""
    annotation = rows.query.annotations.get(name)
    if annotation is not None:
        return annotation.output_field
    try:
        field = rows.model._meta.get_field(name)
    except FieldDoesNotExist:
        raise ValueError(name) from None
    if not isinstance(field, Field):
        raise ValueError(name)
    return field


def _checked(value: Any) -> Any:
    """A sort key value as a query can take it: never null, no number beyond what is stored."""
    if value is None or isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int) and abs(value) > MAX_INT:
        raise ValueError(value)
    if isinstance(value, float | Decimal) and not math.isfinite(value):
        raise ValueError(value)
    if not isinstance(value, int | float | Decimal | str | datetime.date):
        raise ValueError(value)  # (a datetime is a date)
    return value


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime.date):  # (a datetime too)
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
