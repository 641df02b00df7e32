"""/claims/: every filter, facets and their toggles, sorting, keyset pages, bad parameters."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from articles.models import Article, Outlet
from tests.conftest import BODY, count_queries, grow, span_of
from tracker import filtersets
from tracker.models import Attribution, Claim, Source
from tracker.views import claim_list, facets
from tracker.views.claim_list import ClaimRow

pytestmark = pytest.mark.django_db

URL = reverse("tracker:claim_list")


def rows_of(response) -> list[ClaimRow]:
    assert response.status_code == 200, response.content[:500]
    return list(response.context["claims"])


def claims_of(response) -> list[Claim]:
    return [row.claim for row in rows_of(response)]


def slugs(client, query: str = "") -> set[str]:
    return {claim.slug for claim in claims_of(client.get(URL + query))}


@pytest.fixture
def second_claim(newsroom):
    """Another claim, asserted by the Ministry in a later article of another outlet."""
    outlet = Outlet.objects.create(name="Other Wire", slug="other-wire")
    article = Article.objects.create(
        title="Later",
        slug="later",
        outlet=outlet,
        published_on=datetime.date(2021, 3, 1),
        body=BODY,
    )
    claim = Claim.objects.create(
        text="Mercenaries were paid in dollars.", slug="paid", status="confirmed",
        first_reported_on=datetime.date(2021, 3, 1),
    )  # fmt: skip
    Attribution.objects.create(
        claim=claim, source=newsroom.ministry_source, article=article, stance="asserts",
        quote="We never did that,",
        **span_of(BODY, 'A spokesman denied it. "We never did that," he said.'),
    )  # fmt: skip
    return claim


# -- Filters: one test each -------------------------------------------------------------------


def test_without_filters_every_claim_is_listed(client, newsroom, second_claim):
    assert slugs(client) == {"drive", "paid"}


def test_actor_includes_sub_actors(client, newsroom, second_claim):
    assert slugs(client, "?actor=russia") == {"drive", "paid"}
    assert slugs(client, "?actor=syrian-opposition") == {"drive"}


def test_actor_exact_leaves_out_sub_actors(client, newsroom, second_claim):
    assert slugs(client, "?actor=russia&actor_exact=1") == set()
    assert slugs(client, "?actor=russian-defence-ministry&actor_exact=1") == {"drive", "paid"}


def test_actor_and_stance_must_hold_for_the_same_attribution(client, newsroom, second_claim):
    # The Ministry asserted "paid" and did not respond on "drive"; the opposition asserted "drive".
    assert slugs(client, "?actor=russian-defence-ministry&stance=asserts") == {"paid"}
    assert slugs(client, "?actor=russia&stance=responses") == {"drive"}


def test_stance_is_repeatable(client, newsroom, second_claim):
    assert slugs(client, "?stance=denies") == {"drive"}
    assert slugs(client, "?stance=asserts") == {"drive", "paid"}
    assert slugs(client, "?stance=denies&stance=no_response") == {"drive"}


def test_stance_responses_is_the_three_response_stances(client, newsroom, second_claim):
    row = rows_of(client.get(URL + "?stance=responses"))[0]
    shown = {a.stance for group in row.stance_groups for a in group.attributions}
    assert shown == {"denies", "no_response"}


def test_anonymity(client, newsroom, second_claim):
    assert slugs(client, "?anonymity=anonymous") == {"drive"}
    assert slugs(client, "?anonymity=named") == {"drive", "paid"}
    assert slugs(client, "?anonymity=unattributed") == set()


def test_outlet(client, newsroom, second_claim):
    assert slugs(client, "?outlet=other-wire") == {"paid"}
    assert slugs(client, "?outlet=wire") == {"drive"}


def test_article(client, newsroom, second_claim):
    assert slugs(client, f"?article={newsroom.article.pk}") == {"drive"}


def test_status(client, newsroom, second_claim):
    assert slugs(client, "?status=confirmed") == {"paid"}
    assert slugs(client, "?status=unrated") == {"drive"}


def test_date_range(client, newsroom, second_claim):
    assert slugs(client, "?date_from=2021-01-01") == {"paid"}
    assert slugs(client, "?date_to=2020-12-31") == {"drive"}
    assert slugs(client, "?date_from=2020-06-07&date_to=2020-06-07") == {"drive"}


def test_q_searches_claim_text_and_quotes(client, newsroom, second_claim):
    assert slugs(client, "?q=dollars") == {"paid"}
    assert slugs(client, "?q=recruitment") == {"drive"}
    # "We never did that" is quoted on both claims' attributions.
    assert slugs(client, "?q=never") == {"drive", "paid"}
    assert slugs(client, "?q=nothing-like-this") == set()


def test_the_rows_show_only_the_matching_attributions(client, newsroom, second_claim):
    row = rows_of(client.get(URL + "?stance=denies"))[0]
    assert [a for g in row.stance_groups for a in g.attributions] == [newsroom.denial]


# -- Facets -----------------------------------------------------------------------------------


def facet(response, name: str) -> dict[str, tuple[int, bool, str]]:
    for item in response.context["facets"]:
        if item.name == name:
            return {i.value: (i.count, i.active, i.url) for i in item.items}
    raise AssertionError(name)


def test_facets_count_matching_attributions(client, newsroom, second_claim):
    response = client.get(URL)
    stance = facet(response, "stance")
    assert {k: v[0] for k, v in stance.items()} == {
        "asserts": 2,
        "denies": 1,
        "no_response": 1,
        "responses": 2,
    }
    assert {k: v[0] for k, v in facet(response, "anonymity").items()} == {
        "named": 2,
        "anonymous": 2,
    }
    assert {k: v[0] for k, v in facet(response, "outlet").items()} == {"wire": 3, "other-wire": 1}
    assert {k: v[0] for k, v in facet(response, "status").items()} == {"unrated": 3, "confirmed": 1}
    actors = facet(response, "actor")
    assert next(iter(actors)) == "russian-defence-ministry"
    assert actors["russian-defence-ministry"][0] == 2


def test_a_facet_link_adds_its_filter_and_then_removes_it(client, newsroom, second_claim):
    count, active, url = facet(client.get(URL + "?anonymity=named"), "stance")["no_response"]
    assert (count, active) == (1, False)
    assert "stance=no_response" in url and "anonymity=named" in url
    response = client.get(URL + url)
    assert [c.slug for c in claims_of(response)] == ["drive"]
    count, active, remove_url = facet(response, "stance")["no_response"]
    assert active and "stance" not in remove_url and "anonymity=named" in remove_url


def test_the_facets_follow_the_filters(client, newsroom, second_claim):
    response = client.get(URL + "?outlet=other-wire")
    assert {k: v[0] for k, v in facet(response, "stance").items()} == {"asserts": 1}


def test_active_filters_can_be_removed_one_by_one(client, newsroom, second_claim):
    response = client.get(URL + "?actor=russia&stance=denies")
    chips = response.context["active_filters"]
    assert [c["label"] for c in chips] == [
        "Actor (with its sub-actors): Russia and sub-actors",
        "Stance: Denies",
    ]
    assert chips[0]["url"] == "?stance=denies"
    assert chips[1]["url"] == "?actor=russia"


# -- Sorting and pages ------------------------------------------------------------------------


def test_newest_first_by_default_and_most_sourced_on_request(client, newsroom, second_claim):
    assert [c.slug for c in claims_of(client.get(URL))] == ["paid", "drive"]
    assert [c.slug for c in claims_of(client.get(URL + "?sort=most_sourced"))] == [
        "drive",
        "paid",
    ]


@pytest.mark.parametrize("sort", ["newest", "most_sourced"])
def test_keyset_pages_walk_every_claim_once(client, newsroom, sort):
    grow(newsroom, 60)  # 61 claims, some sharing a date with others
    Claim.objects.filter(slug__endswith="-7").update(first_reported_on=datetime.date(2021, 1, 9))
    seen, url = [], f"{URL}?sort={sort}"
    while url:
        response = client.get(url if url.startswith("/") else URL + url)
        seen += [claim.pk for claim in claims_of(response)]
        url = response.context["next_url"]
    assert len(seen) == len(set(seen)) == Claim.objects.count()


def test_an_empty_cursor_is_the_first_page(client, newsroom, second_claim):
    # As a form sends it ("?cursor="); a cursor that is not from the list is a 400 (below).
    first = [claim.slug for claim in claims_of(client.get(URL))]
    assert [claim.slug for claim in claims_of(client.get(URL + "?cursor="))] == first


def test_a_deep_page_is_a_range_not_an_offset(client, newsroom):
    grow(newsroom, 30)
    response = client.get(URL)
    next_url = response.context["next_url"]
    _count, sql = count_queries(lambda: client.get(URL + next_url))
    page_query = next(q for q in sql if "LIMIT 26" in q)
    assert "OFFSET" not in page_query


# -- Bad parameters: a 400 naming the parameter, never a 500 ---------------------------------


@pytest.mark.parametrize(
    "query, name, message",
    [
        ("?date_from=yesterday", "date_from", "Enter a valid date"),
        ("?date_to=2020-02-30", "date_to", "Enter a valid date"),
        ("?stance=maybe", "stance", "maybe is not one of the available choices"),
        ("?actor=atlantis", "actor", "There is no actor with the slug, name or alias 'atlantis'"),
        ("?outlet=nowhere", "outlet", "There is no outlet with the slug or name 'nowhere'"),
        ("?anonymity=secret", "anonymity", "secret is not one of the available choices"),
        ("?status=probably", "status", "probably is not one of the available choices"),
        ("?article=abc", "article", "Enter a number"),
        ("?actor=russia&actor_exact=perhaps", "actor_exact", "'perhaps' is not 1 or 0"),
        ("?sort=random", "sort", "'random' is not one of: newest, most_sourced"),
        ("?format=xml", "format", "'xml' is not one of: html, csv, json"),
        ("?cursor=zzz", "cursor", "not a cursor from this list"),
        ("?cursor=2020-01-01.x", "cursor", "not a cursor from this list"),
    ],
)
def test_a_bad_parameter_is_a_400_that_names_it(client, newsroom, query, name, message):
    response = client.get(URL + query)
    assert response.status_code == 400
    text = html.unescape(response.content.decode())
    assert f"<code>{name}</code>" in text
    assert message in text


def test_a_bad_parameter_on_a_json_export_is_json(client, newsroom):
    response = client.get(URL + "?format=json&date_from=nope")
    assert response.status_code == 400
    assert response.json() == {"errors": {"date_from": "Enter a valid date."}}


def test_a_bad_parameter_is_escaped_in_the_error_page(client, newsroom):
    response = client.get(URL + "?actor=%3Cscript%3Ealert(1)%3C/script%3E")
    assert response.status_code == 400
    assert b"<script>alert(1)" not in response.content
    assert b"&lt;script&gt;alert(1)" in response.content


# -- Queries: a fixed number whatever the size -----------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["", "?actor=russia&stance=responses", "?q=Claim&anonymity=named", "?sort=most_sourced"],
)
def test_the_list_runs_a_fixed_number_of_queries(client, newsroom, query):
    # Nothing kept from an earlier request: what the first request after a write costs.
    def cold() -> tuple[int, list[str]]:
        cache.clear()
        return count_queries(lambda: client.get(URL + query))

    grow(newsroom, 3)
    small = cold()
    grow(newsroom, 40)
    large = cold()
    assert small[0] == large[0], "\n".join(large[1])
    # Unfiltered: the page of claims, their attributions (one prefetch), the number of claims,
    # and the facets from the kept counts (the tallies, their outlets, the top actors): 6.
    # Filtered: the actor with its sub-tree's ids or the search's claim ids (one of them here),
    # the matching claims' ids (their number is the total), the page, its matching
    # attributions, and the facets' columns of a bounded sample of them (one query): 5.
    assert large[0] == (6 if query in ("", "?sort=most_sourced") else 5), "\n".join(large[1])


def test_the_list_page_shows_the_claims_and_their_sources(client, seeded):
    response = client.get(URL + "?actor=russia&stance=responses")
    text = response.content.decode()
    assert "Russia has forces in Libya." in text
    assert "Denies" in text and "The Russian state" in text
    assert "Did not respond" in text and "The Russian Defence Ministry" in text
    # Each claim links to its page.
    claim = Claim.objects.get(slug="russia-has-forces-in-libya")
    assert f'href="/claims/{claim.pk}/"' in text


def test_unattributed_sources_are_marked(client, seeded):
    text = client.get(URL + "?anonymity=unattributed").content.decode()
    assert re.search(r'<span class="tag">unattributed</span>', text)
    assert Source.objects.filter(kind="unattributed").exists()


def test_a_yes_no_filter_is_named_alone_in_the_chips(client, newsroom):
    response = client.get(URL + "?contradicted_denials=1")
    labels = [chip["label"] for chip in response.context["active_filters"]]
    assert len(labels) == 1 and not labels[0].endswith("True")
    assert 'name="contradicted_denials" value="1" checked' in response.content.decode()


# -- Past the cap: the claims walked in page order --------------------------------------------

PAST_CAP = [
    "?actor=russia",
    "?q=Claim",
    "?q=Claim&stance=denies",
    "?actor=russia&q=Claim&anonymity=named",
]


def listing(response) -> list[tuple[str, list[int]]]:
    """Each listed claim with its shown attributions, in order."""
    return [
        (row.claim.slug, [a.pk for group in row.stance_groups for a in group.attributions])
        for row in rows_of(response)
    ]


@pytest.mark.parametrize("query", PAST_CAP)
def test_past_the_cap_the_same_claims_are_listed_with_the_same_attributions(
    client, newsroom, monkeypatch, query
):
    grow(newsroom, 6)
    below = client.get(URL + query)
    assert not below.context["more_than_total"] and listing(below)
    cache.clear()
    monkeypatch.setattr(filtersets, "CLAIM_IDS_CAP", 2)  # the ids read stop short: a walk
    past = client.get(URL + query)
    assert listing(past) == listing(below)
    assert past.context["more_than_total"]


@pytest.mark.parametrize("query", PAST_CAP)
def test_past_the_cap_the_list_runs_a_fixed_number_of_queries(client, newsroom, monkeypatch, query):
    monkeypatch.setattr(filtersets, "CLAIM_IDS_CAP", 2)

    def cold() -> tuple[int, list[str]]:
        cache.clear()
        return count_queries(lambda: client.get(URL + query))

    grow(newsroom, 3)
    small = cold()
    grow(newsroom, 40)
    large = cold()
    # The actor and its sub-tree, or the search's claim ids (one query each); the matching
    # claims' ids, stopped past the cap; the page, walked; its attributions; the facets' sample.
    expected = 5 + ("actor=" in query and "q=" in query)
    assert small[0] == large[0] == expected, "\n".join(large[1])


def test_a_searchs_facets_count_its_matching_attributions(client, newsroom, second_claim):
    response = client.get(URL + "?q=never")  # a quote of both claims' denial and assertion
    matching = Attribution.objects.filter(claim__slug__in=["drive", "paid"])
    counts = {k: v[0] for k, v in facet(response, "stance").items() if k != "responses"}
    assert counts == {
        stance: matching.filter(stance=stance).count()
        for stance in matching.values_list("stance", flat=True).distinct()
    }
    assert not response.context["facets_sampled"]


def test_a_searchs_facets_past_the_sample_say_so(client, newsroom, second_claim, monkeypatch):
    monkeypatch.setattr(facets, "FACET_SAMPLE", 2)
    monkeypatch.setattr(claim_list, "FACET_SAMPLE", 2)
    response = client.get(URL + "?q=never")
    counts = {k: v[0] for k, v in facet(response, "stance").items() if k != "responses"}
    assert response.context["facets_sampled"] and sum(counts.values()) == 3
