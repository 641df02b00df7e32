"""Keyset pages (tracker/pagination.py), as the claim list and the API use them: cursors that
round-trip, bad cursors refused, every row once in either sort and either direction, and one
query a page whatever the size."""

from __future__ import annotations

import base64
import datetime
import json
from functools import partial

import pytest
from django.db import connection
from django.db.models import QuerySet

from tests.conftest import count_queries, grow
from tracker.models import Claim, TrackRecord
from tracker.pagination import BadCursor, beyond, decode, encode, key_of, keyset_page
from tracker.views.claim_list import SORTS, _sorted

pytestmark = pytest.mark.django_db

NEWEST = ("-first_reported_on", "-id")


def raw(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.fixture
def claims(newsroom) -> QuerySet[Claim]:
    grow(newsroom, 30)  # 31 claims: 30 on their own days, and ties made below
    Claim.objects.filter(slug__endswith="-7").update(first_reported_on=datetime.date(2021, 1, 9))
    Claim.objects.filter(slug__endswith="3").update(first_reported_on=datetime.date(2021, 1, 2))
    return Claim.objects.all()


@pytest.fixture
def few_claims(newsroom) -> QuerySet[Claim]:
    """Seven claims: more than a page of five, for the cursor checks."""
    grow(newsroom, 6)
    return Claim.objects.all()


# -- Cursors -----------------------------------------------------------------------------------


def test_a_cursor_round_trips_dates_numbers_and_the_direction(few_claims):
    claims = few_claims
    claim = claims.order_by(*NEWEST).first()
    position = key_of(claim, NEWEST)
    assert position == [claim.first_reported_on, claim.pk]
    assert decode(encode(position), claims, NEWEST) == (False, position)
    assert decode(encode(position, backwards=True), claims, NEWEST) == (True, position)
    # Only URL-safe characters, no padding: it goes into a query string as it is.
    assert set(encode(position)) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    )


def test_a_cursor_round_trips_floats_and_datetimes(db):
    order = ("-score", "-lower", "-updated_at", "id")
    when = datetime.datetime(2024, 3, 1, 12, 30, 15, 123456, tzinfo=datetime.UTC)
    position = [0.8333333333333334, 0.1, when, 7]
    assert decode(encode(position), TrackRecord.objects.all(), order) == (False, position)


@pytest.mark.parametrize(
    "cursor",
    [
        "junk",
        "",
        "%%%",
        raw(["x", []]),  # an unknown direction
        raw(["n", ["2021-01-01"]]),  # too few values
        raw(["n", ["2021-01-01", 1, 2]]),  # too many
        raw(["n", ["not-a-date", 1]]),
        raw(["n", ["2021-01-01", "one"]]),
        raw(["n", [None, 1]]),
        raw(["n", ["2021-01-01", 2**70]]),  # beyond any id (SQLite cannot compare with it)
        raw(["n", ["2021-01-01", [1]]]),
        raw({"n": 1}),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),  # not text
    ],
)
def test_a_cursor_not_from_the_list_is_refused(few_claims, cursor):
    with pytest.raises(BadCursor, match="not a cursor from this list"):
        keyset_page(few_claims, NEWEST, 5, cursor)


def test_a_cursor_of_one_sort_is_refused_by_the_other(few_claims):
    newest, order = _sorted(few_claims, "newest")
    cursor = keyset_page(newest, order, 5).next
    assert cursor is not None
    most_sourced, other = _sorted(few_claims, "most_sourced")
    with pytest.raises(BadCursor):
        keyset_page(most_sourced, other, 5, cursor)


# -- Pages -------------------------------------------------------------------------------------


def walk(rows: QuerySet, order, size: int) -> tuple[list[int], list[str]]:
    """Every page from the first, following `next`: the ids in order, and each page's cursor."""
    seen: list[int] = []
    cursors: list[str] = []
    cursor: str | None = None
    while True:
        page = keyset_page(rows, order, size, cursor)
        seen += [row.pk for row in page.rows]
        if page.next is None:
            return seen, cursors
        cursor = page.next
        cursors.append(cursor)


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("size", [1, 4, 25])
def test_pages_cover_every_row_exactly_once_in_order(claims, sort, size):
    rows, order = _sorted(claims, sort)
    seen, _ = walk(rows, order, size)
    assert seen == list(rows.order_by(*order).values_list("pk", flat=True))
    assert len(seen) == len(set(seen)) == Claim.objects.count() == 31


@pytest.mark.parametrize("sort", SORTS)
def test_previous_walks_back_over_the_same_pages(claims, sort):
    rows, order = _sorted(claims, sort)
    pages, cursor = [], None
    while True:
        page = keyset_page(rows, order, 4, cursor)
        pages.append([row.pk for row in page.rows])
        if page.next is None:
            break
        cursor = page.next
    assert keyset_page(rows, order, 4).previous is None
    back: list[list[int]] = []
    previous = keyset_page(rows, order, 4, cursor).previous
    while previous is not None:
        page = keyset_page(rows, order, 4, previous)
        back.insert(0, [row.pk for row in page.rows])
        previous = page.previous
    assert back == pages[:-1]


def test_a_mixed_order_walks_too(claims):
    order = ("first_reported_on", "-id")  # oldest day first, then the newest claim of a day
    seen, _ = walk(claims, order, 3)
    assert seen == list(claims.order_by(*order).values_list("pk", flat=True))


def test_an_empty_list_is_one_empty_page(db):
    page = keyset_page(Claim.objects.all(), NEWEST, 5)
    assert (page.rows, page.next, page.previous) == ([], None, None)


# -- Queries -----------------------------------------------------------------------------------


def test_the_bound_stays_on_the_index_without_offset(claims):
    position = key_of(claims.order_by(*NEWEST)[10], NEWEST)
    sql = str(claims.order_by(*NEWEST).filter(beyond(NEWEST, position))[:26].query)
    # first_reported_on <= x AND (first_reported_on < x OR id < y): a range on claim_newest.
    assert '"first_reported_on" <=' in sql and "OFFSET" not in sql.upper()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            query, params = (
                claims.order_by(*NEWEST).filter(beyond(NEWEST, position)).query.sql_with_params()
            )
            cursor.execute(f"EXPLAIN QUERY PLAN {query}", params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        # (claim_newest, or the date's own index: either walks a range, neither scans.)
        assert "USING INDEX" in plan and "(first_reported_on<?)" in plan, plan


@pytest.mark.parametrize("sort", SORTS)
def test_every_page_is_one_query_at_two_sizes(newsroom, sort):
    def costs() -> set[int]:
        rows, order = _sorted(Claim.objects.all(), sort)
        counts, cursor = set(), None
        for _ in range(3):
            n, _sql = count_queries(partial(keyset_page, rows, order, 5, cursor))
            counts.add(n)
            cursor = keyset_page(rows, order, 5, cursor).next
        return counts

    grow(newsroom, 12)
    small = costs()
    grow(newsroom, 60)
    assert small == costs() == {1}
