"""The home page: the latest claims and articles and the most-cited actors."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db.models import FETCH_RAISE

from tests.conftest import count_queries, grow
from tracker.models import Claim

pytestmark = pytest.mark.django_db


def page(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, heading: str) -> str:
    match = re.search(rf"<h2[^>]*>{heading}</h2>.*?</section>", html, re.S)
    assert match, f"no section {heading!r}"
    return match.group(0)


def test_it_introduces_the_site_and_links_to_the_lists(client, db):
    html = page(client)
    assert html.count("<h1") == 1
    assert '<a href="/claims/">Browse all claims</a>' in html
    assert '<a href="/claims/?stance=responses">Denials &amp; non-responses</a>' in html


def test_it_lists_the_latest_seed_claims_in_the_articles_order(client, seeded):
    latest = section(page(client), "Latest claims")
    linked = re.findall(r'<a href="/claims/(\d+)/">', latest)
    assert len(linked) == 10
    # All seed claims were first reported the same day: they follow the article's order.
    first_ten = Claim.objects.order_by("pk").values_list("pk", flat=True)[:10]
    assert [int(pk) for pk in linked] == list(first_ten)
    assert "Wagner Group is conducting the hiring of Syrian fighters" in latest
    assert "4 attributions, 2 responses" in latest


def test_newer_claims_come_first(client, seeded):
    newer = Claim.objects.create(text="A newer claim.", first_reported_on=datetime.date(2024, 1, 1))
    latest = section(page(client), "Latest claims")
    assert re.findall(r'<a href="/claims/(\d+)/">', latest)[0] == str(newer.pk)


def test_it_lists_the_latest_articles(client, seeded):
    articles = section(page(client), "Latest articles")
    assert "Russia&#x27;s drive to recruit Syrians for Libya accelerated in May" in articles
    assert "Reuters" in articles


def test_it_ranks_the_most_cited_actors(client, seeded):
    table = section(page(client), "Most-cited actors")
    rows = re.findall(r'<a href="/actors/([^/]+)/">[^<]+</a></th><td>(\d+)</td>', table)
    # Who spoke for an actor: Joshua Landis (University of Oklahoma), the opposition sources
    # and the former Wagner member only belong to theirs, so they do not count.
    assert rows[:3] == [
        ("russian-defence-ministry", "2"),
        ("vladimir-putin", "2"),
        ("wagner-group", "2"),
    ]
    assert {slug for slug, _ in rows[3:]} == {
        "libyan-national-army", "recep-tayyip-erdogan", "russian-government",
        "turkish-government", "united-nations",
    }  # fmt: skip
    assert {n for _, n in rows[3:]} == {"1"}
    assert '<th scope="col">Actor</th>' in table


def test_an_empty_site_says_so(client, db):
    html = page(client)
    assert "No claims yet." in html
    assert "No articles yet." in html


def test_the_page_loads_in_the_same_number_of_queries_at_two_sizes(client, newsroom, monkeypatch):
    monkeypatch.setattr("django.db.models.query.DEFAULT_FETCH_MODE", FETCH_RAISE)
    grow(newsroom, 3)
    small, _ = count_queries(lambda: page(client))
    grow(newsroom, 30)
    large, sql = count_queries(lambda: page(client))
    assert small == large, "\n".join(sql)
    # the latest claims with their counts (one GROUP BY), the latest articles with their
    # outlets (one join), the most-cited actors (one GROUP BY): 3.
    assert large <= 8, "\n".join(sql)
