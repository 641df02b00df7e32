"""API lists give their total (exact up to a cap, estimated beyond, and say which) and absolute
links, as `next` is."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.conftest import count_queries, grow
from tracker import filtersets
from tracker.api import pagination
from tracker.models import Actor, Attribution, Claim, Source

pytestmark = pytest.mark.django_db


def get(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()


def every_row(client, url: str) -> list[dict]:
    rows, page = [], get(client, url)
    while True:
        rows += page["results"]
        if not page["next"]:
            return rows
        page = get(client, page["next"])


@pytest.mark.parametrize(
    "url, rows",
    [
        ("/api/claims/?page_size=4", lambda: Claim.objects.count()),
        ("/api/claims/?actor=russia&page_size=3", None),
        ("/api/attributions/?page_size=7", lambda: Attribution.objects.count()),
        ("/api/attributions/?stance=denies&page_size=7", lambda: Attribution.objects.filter(
            stance="denies").count()),
        ("/api/sources/?page_size=5", lambda: Source.objects.count()),
        ("/api/actors/?page_size=5", lambda: Actor.objects.count()),
    ],
)  # fmt: skip
def test_a_list_counts_its_rows_exactly_below_the_cap(client, newsroom, url, rows):
    grow(newsroom, 6)
    first = get(client, url)
    assert first["count_is_exact"] is True
    listed = every_row(client, url)
    assert first["count"] == len(listed)
    if rows is not None:
        assert first["count"] == rows()
    later = get(client, first["next"])
    assert (later["count"], later["count_is_exact"]) == (first["count"], True)


def test_the_filtered_claims_are_counted_from_their_ids(client, newsroom):
    grow(newsroom, 6)  # every other new actor is under Russia
    page = get(client, "/api/claims/?actor=russia&page_size=2")
    expected = Claim.objects.filter(
        attributions__source__actor__path__startswith=newsroom.russia.path
    )
    assert page["count"] == expected.distinct().count() == 4


def test_past_the_cap_the_count_is_estimated_and_says_so(client, newsroom, monkeypatch):
    grow(newsroom, 10)
    monkeypatch.setattr(pagination, "COUNT_CAP", 5)
    page = get(client, "/api/attributions/?page_size=2")
    assert page["count_is_exact"] is False
    # At least more than the cap (the planner's guess on PostgreSQL, the cap + 1 on SQLite).
    assert page["count"] >= 6
    claims = get(client, "/api/claims/?page_size=2")
    assert claims["count_is_exact"] is False and claims["count"] >= 6
    # Below the cap, still exact.
    verdicts = get(client, "/api/verdicts/")
    assert (verdicts["count"], verdicts["count_is_exact"]) == (0, True)


@pytest.mark.parametrize("query", ["actor=russia", "q=Claim", "stance=denies&q=Claim"])
def test_past_the_claims_cap_they_are_estimated_without_counting_again(
    client, newsroom, monkeypatch, query
):
    monkeypatch.setattr(filtersets, "CLAIM_IDS_CAP", 1)  # past it at both sizes
    monkeypatch.setattr(pagination, "COUNT_CAP", 1)
    url = f"/api/claims/?{query}&page_size=2"

    def cold() -> tuple[int, list[str]]:
        cache.clear()
        return count_queries(lambda: get(client, url))

    grow(newsroom, 3)
    small = cold()
    grow(newsroom, 40)
    large, sql = cold()
    page = get(client, url)
    assert page["count_is_exact"] is False and page["count"] >= 2
    # The actor or the search; the claims' ids, stopped past the cap; on PostgreSQL the
    # planner's estimate; the page; its attributions. No COUNT over the claims.
    assert small[0] == large
    assert not any("COUNT(" in q.upper() for q in sql), "\n".join(sql)


def test_links_to_pages_are_absolute_like_next(client, newsroom):
    grow(newsroom, 3)
    page = get(client, "/api/claims/?page_size=2")
    assert page["next"].startswith("http://testserver/api/claims/?")
    claim = page["results"][0]
    assert claim["page_url"] == f"http://testserver/claims/{claim['id']}/"
    attribution = get(client, "/api/attributions/")["results"][0]
    assert attribution["claim"]["page_url"].startswith("http://testserver/claims/")
    source = get(client, "/api/sources/")["results"][0]
    assert source["page_url"] == f"http://testserver/sources/{source['id']}/"
    actor = get(client, "/api/actors/russia/")
    assert actor["page_url"] == "http://testserver/actors/russia/"
    article = get(client, f"/api/articles/{newsroom.article.pk}/")
    assert article["page_url"].startswith("http://testserver/articles/")
