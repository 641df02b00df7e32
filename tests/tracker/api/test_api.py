"""The read API: each endpoint's JSON for the seeds, the pages' filters, pages, errors, queries."""

from __future__ import annotations

import re
from functools import partial

import pytest
from django.contrib.staticfiles import finders
from django.db.models import FETCH_RAISE

from articles.models import Article
from tests.conftest import count_queries, grow
from tracker.api.auth import create_token
from tracker.filtersets import AttributionFilterSet
from tracker.models import Actor, Attribution, Claim, Source

pytestmark = pytest.mark.django_db


def get(client, url: str, status: int = 200, **headers) -> dict:
    response = client.get(url, headers=headers)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/json"
    return response.json()


def every_page(client, url: str) -> list[dict]:
    rows: list[dict] = []
    while url:
        page = get(client, url)
        rows += page["results"]
        url = page["next"]
    return rows


# -- Each endpoint on the seeds ----------------------------------------------------------------


def test_the_russian_states_denials_and_non_responses(client, seeded):
    """The issue's "done when": /api/claims/?actor=russia&stance=responses."""
    page = get(client, "/api/claims/?actor=russia&stance=responses")
    assert page["next"] is None and page["previous"] is None
    claims = {claim["slug"]: claim for claim in page["results"]}
    assert set(claims) == {
        "russia-has-forces-in-libya",
        "russian-drive-to-recruit-syrians-for-haftar-accelerated-may-2020",
        "wagner-conducting-syrian-hiring-with-russian-army-supervision",
        "russians-in-libya-represent-russian-state-or-are-paid-by-it",
        "wagner-group-is-fighting-in-libya",
    }
    said = {
        slug: [(a["source"]["slug"], a["stance"]) for a in claim["attributions"]]
        for slug, claim in claims.items()
    }
    # Only the matching attributions are nested: Russia's responses, not the Wagner Group's
    # non-response nor the opposition's assertions on the same claims.
    assert said == {
        "russia-has-forces-in-libya": [("russian-state", "denies")],
        "russian-drive-to-recruit-syrians-for-haftar-accelerated-may-2020": [
            ("russian-defence-ministry", "no_response")
        ],
        "wagner-conducting-syrian-hiring-with-russian-army-supervision": [
            ("russian-defence-ministry", "no_response")
        ],
        "russians-in-libya-represent-russian-state-or-are-paid-by-it": [
            ("vladimir-putin", "denies")
        ],
        "wagner-group-is-fighting-in-libya": [("vladimir-putin", "declined")],
    }
    denial = claims["russia-has-forces-in-libya"]["attributions"][0]
    article = Article.objects.get()
    assert denial["passage"] == "The Russian state has denied having forces in Libya."
    assert article.body[denial["span_start"] : denial["span_end"]] == denial["passage"]
    assert denial["source"]["actor"] == {
        "slug": "russian-government",
        "name": "Russian government",
        "kind": "government_body",
    }
    assert denial["article"] == {
        "id": article.pk,
        "title": article.title,
        "published_on": "2020-06-07",
        "outlet": {"slug": "reuters", "name": "Reuters", "url": "https://www.reuters.com"},
    }
    assert {k: denial[k] for k in ("wording", "count", "anonymity", "quote")} == {
        "wording": "The Russian state",
        "count": 1,
        "anonymity": "named",
        "quote": "",
    }


def test_a_claim_in_full(client, seeded):
    claim = Claim.objects.get(slug="wagner-conducting-syrian-hiring-with-russian-army-supervision")
    data = get(client, f"/api/claims/{claim.pk}/")
    assert data["text"] == claim.text
    assert data["status"] == "unrated"
    assert data["first_reported_on"] == "2020-06-07"
    assert data["page_url"] == f"http://testserver/claims/{claim.pk}/"
    assert {a["slug"] for a in data["about"]} == set(claim.about.values_list("slug", flat=True))
    # The detail shows every attribution of the claim, in the article's order.
    assert [a["id"] for a in data["attributions"]] == list(
        claim.attributions.order_by("span_start", "id").values_list("id", flat=True)
    )
    assert {(a["source"]["slug"], a["stance"]) for a in data["attributions"]} >= {
        ("russian-defence-ministry", "no_response"),
        ("wagner-group", "no_response"),
    }


def test_the_claims_list_without_filters_is_every_claim_newest_first(client, seeded):
    rows = every_page(client, "/api/claims/?page_size=10")
    assert [row["id"] for row in rows] == list(
        Claim.objects.order_by("-first_reported_on", "-id").values_list("id", flat=True)
    )
    assert sum(len(row["attributions"]) for row in rows) == Attribution.objects.count() == 34


def test_attributions(client, seeded):
    rows = every_page(client, "/api/attributions/?actor=russia&stance=denies")
    assert len(rows) == 2  # the Russian state's and Putin's
    row = next(row for row in rows if row["source"]["slug"] == "russian-state")
    assert row["claim"]["text"] == "Russia has forces in Libya."
    assert row["source"]["slug"] == "russian-state"
    assert row["article"]["outlet"]["slug"] == "reuters"
    assert len(every_page(client, "/api/attributions/")) == 34
    one = Attribution.objects.get(pk=row["id"])
    assert get(client, f"/api/attributions/{one.pk}/") == row


def test_sources(client, seeded):
    rows = every_page(client, "/api/sources/")
    assert {row["slug"] for row in rows} == set(Source.objects.values_list("slug", flat=True))
    ministry = Source.objects.get(slug="russian-defence-ministry")
    data = get(client, f"/api/sources/{ministry.pk}/")
    assert data["kind"] == "organisation"
    assert data["actor"]["slug"] == "russian-defence-ministry"
    assert data["attribution_counts"] == {
        "asserts": 0,
        "denies": 0,
        "declined": 0,
        "no_response": 2,
    }


def test_actors_with_their_parents_and_sub_actors(client, seeded):
    rows = every_page(client, "/api/actors/")
    assert {row["slug"] for row in rows} == set(Actor.objects.values_list("slug", flat=True))
    government = next(row for row in rows if row["slug"] == "russian-government")
    assert government["parent"]["slug"] == "russia"
    assert {c["slug"] for c in government["children"]} == {
        "russian-defence-ministry",
        "vladimir-putin",
    }
    assert "Kremlin" in government["aliases"]
    army = get(client, "/api/actors/russian-army/")
    assert [p["slug"] for p in army["parents"]] == [
        "russia",
        "russian-government",
        "russian-defence-ministry",
    ]
    assert army["parent"]["slug"] == "russian-defence-ministry"
    assert army["children"] == []
    assert army["description"].startswith("The armed forces")
    russia = get(client, "/api/actors/russia/")
    assert russia["parents"] == [] and russia["parent"] is None
    assert russia["wikidata_id"] == "Q159"


def test_articles_and_outlets(client, seeded):
    article = Article.objects.get()
    (row,) = every_page(client, "/api/articles/")
    assert row["id"] == article.pk and row["title"] == article.title
    assert "body" not in row  # the list leaves the body out
    data = get(client, f"/api/articles/{article.pk}/")
    assert data["body"] == article.body
    assert len(data["attributions"]) == 34
    assert [a["span_start"] for a in data["attributions"]] == sorted(
        a["span_start"] for a in data["attributions"]
    )
    for attribution in data["attributions"]:
        assert (
            article.body[attribution["span_start"] : attribution["span_end"]]
            == (attribution["passage"])
        )
    assert every_page(client, "/api/outlets/") == [
        {"slug": "reuters", "name": "Reuters", "url": "https://www.reuters.com"}
    ]
    assert get(client, "/api/outlets/reuters/")["name"] == "Reuters"


# -- The pages' filters: same parameters, same results -----------------------------------------

SAME_AS_THE_PAGE = [
    "",
    "actor=russia",
    "actor=russia&actor_exact=1",
    "actor=russian-government&actor_exact=1",
    "actor=russian-defence-ministry",
    "stance=responses",
    "stance=denies&stance=no_response",
    "actor=russia&stance=responses",
    "actor=wagner-group&stance=no_response",
    "anonymity=anonymous",
    "anonymity=unattributed",
    "outlet=reuters",
    "status=unrated",
    "status=confirmed",
    "date_from=2020-06-07&date_to=2020-06-07",
    "date_from=2021-01-01",
    "q=Wagner",
    "q=Haftar&stance=asserts&anonymity=named",
    "actor=&stance=asserts&anonymity=",
]


@pytest.mark.parametrize("query", SAME_AS_THE_PAGE)
def test_the_filters_give_what_the_page_gives(client, seeded, query):
    page = client.get(f"/claims/?{query}")
    assert page.status_code == 200
    shown = [
        (row.claim.pk, [a.pk for group in row.stance_groups for a in group.attributions])
        for row in page.context["claims"]
    ]
    api = get(client, f"/api/claims/?{query}")["results"]  # both show 25 a page
    # The page groups a claim's attributions by stance; the API keeps the article's order.
    assert [(c["id"], sorted(a["id"] for a in c["attributions"])) for c in api] == [
        (pk, sorted(ids)) for pk, ids in shown
    ]
    assert len(every_page(client, f"/api/claims/?{query}")) == page.context["total"]
    # The attributions endpoint is the page's export: the same rows.
    exported = client.get(f"/claims/?{query}&format=json")
    exported_ids = {
        int(row["article_url"].rsplit("-", 1)[1])
        for row in __import__("json").loads(b"".join(exported.streaming_content))
    }
    assert {row["id"] for row in every_page(client, f"/api/attributions/?{query}")} == (
        exported_ids
    )


def test_the_article_filter(client, seeded):
    article = Article.objects.get()
    assert len(every_page(client, f"/api/claims/?article={article.pk}")) == 28
    assert every_page(client, f"/api/claims/?article={article.pk + 1}") == []
    # No article has an id this large (and SQLite could not compare with it): nothing matches.
    assert every_page(client, "/api/attributions/?article=1e30") == []


BAD_FILTERS = [
    "actor=nobody",
    "outlet=nowhere",
    "stance=maybe",
    "stance=asserts&stance=perhaps",
    "anonymity=secret",
    "status=true-ish",
    "date_from=yesterday",
    "date_to=2020-13-45",
    "actor_exact=perhaps",
    "article=first",
    "actor=nobody&status=nope&date_from=x",
]


@pytest.mark.parametrize("query", BAD_FILTERS)
def test_a_bad_filter_is_the_pages_400(client, seeded, query):
    page = client.get(f"/claims/?{query}&format=json")
    assert page.status_code == 400
    for endpoint in ("/api/claims/", "/api/attributions/"):
        errors = get(client, f"{endpoint}?{query}", status=400)
        assert errors == page.json()
        assert set(errors["errors"]) == {part.split("=")[0] for part in query.split("&")}
        assert all(isinstance(message, str) and message for message in errors["errors"].values())


def test_an_unknown_actor_is_named(client, seeded):
    errors = get(client, "/api/claims/?actor=nobody", status=400)["errors"]
    assert errors == {"actor": "There is no actor with the slug, name or alias 'nobody'."}


# -- Cursor pages ------------------------------------------------------------------------------


def test_pages_follow_each_other_without_gaps_or_repeats(client, newsroom):
    grow(newsroom, 12)  # 12 claims on one day, and 12 on the days after: ties on the date
    Claim.objects.update(first_reported_on="2021-01-01")
    expected = list(
        Claim.objects.order_by("-first_reported_on", "-id").values_list("id", flat=True)
    )
    first = get(client, "/api/claims/?page_size=5")
    assert first["previous"] is None
    rows = every_page(client, "/api/claims/?page_size=5")
    assert [row["id"] for row in rows] == expected
    second = get(client, first["next"])
    assert [row["id"] for row in second["results"]] == expected[5:10]
    back = get(client, second["previous"])
    assert [row["id"] for row in back["results"]] == expected[:5]
    assert back["next"] == first["next"]
    assert "page_size=5" in first["next"]


def test_a_cursor_is_an_indexed_range_not_an_offset(client, newsroom):
    grow(newsroom, 6)
    first = get(client, "/api/claims/?page_size=2")
    _, sql = count_queries(lambda: get(client, first["next"]))
    claims_query = next(q for q in sql if 'FROM "tracker_claim"' in q and "COUNT" not in q)
    assert "OFFSET" not in claims_query.upper()
    assert "first_reported_on" in claims_query


def test_page_size_is_capped(client, newsroom):
    grow(newsroom, 110)  # 220 more attributions
    assert len(get(client, "/api/attributions/?page_size=1000")["results"]) == 200
    assert len(get(client, "/api/attributions/")["results"]) == 25


@pytest.mark.parametrize("value", ["0", "-3", "ten", "", "2.5"])
def test_a_bad_page_size_is_a_400(client, newsroom, value):
    errors = get(client, f"/api/claims/?page_size={value}", status=400)["errors"]
    assert list(errors) == ["page_size"]


@pytest.mark.parametrize("cursor", ["junk", "WyJ4IixbXV0", "", "WyJuIixbIm5vdC1hLWRhdGUiLDFdXQ"])
def test_a_cursor_from_elsewhere_is_a_400_naming_it(client, newsroom, cursor):
    errors = get(client, f"/api/claims/?cursor={cursor}", status=400)["errors"]
    assert errors == {
        "cursor": "This is not a cursor from this list; start again from the first page."
    }


def test_a_cursor_from_the_page_works_in_the_api_and_back(client, newsroom):
    grow(newsroom, 30)
    page_next = client.get("/claims/").context["next_url"]
    cursor = page_next.split("cursor=")[1]
    api = get(client, f"/api/claims/?cursor={cursor}")["results"]
    page = client.get(f"/claims/?cursor={cursor}").context["claims"]
    assert [row["id"] for row in api] == [row.claim.pk for row in page]


# -- Errors: one shape -------------------------------------------------------------------------


def test_errors_have_one_shape(client, newsroom):
    missing = get(client, "/api/claims/999999/", status=404)
    assert missing == {"errors": {"not_found": "There is no claim with the id 999999."}}
    missing = get(client, "/api/actors/nobody/", status=404)
    assert missing == {"errors": {"not_found": "There is no actor with the slug nobody."}}
    assert get(client, "/api/no-such-thing/", status=404)["errors"].keys() == {"not_found"}
    assert get(client, "/api/claims/abc/", status=404)["errors"].keys() == {"not_found"}
    bad_token = get(client, "/api/claims/", status=401, authorization="Token nope")
    assert bad_token == {"errors": {"authentication_failed": "Invalid token."}}
    response = client.delete("/api/claims/")
    assert response.status_code == 405
    assert response.json() == {"errors": {"method_not_allowed": 'Method "DELETE" not allowed.'}}
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    response = client.put(f"/api/articles/{newsroom.article.pk}/", {}, "application/json")
    assert response.status_code == 405


def test_an_unslashed_path_is_redirected_like_the_pages(client, newsroom):
    response = client.get("/api/claims")
    assert response.status_code == 301 and response["Location"] == "/api/claims/"


def test_reading_with_a_token_works_too(client, newsroom, editor):
    _, key = create_token(editor)
    data = get(client, "/api/claims/", authorization=f"Token {key}")
    assert [c["id"] for c in data["results"]] == [newsroom.claim.pk]


# -- Schema and docs ---------------------------------------------------------------------------


def test_the_schema_is_served(client, db):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    assert {"/api/claims/", "/api/claims/{id}/", "/api/articles/", "/api/actors/{slug}/"} <= set(
        paths
    )
    # The filters come from the pages' FilterSet itself: a filter added there is here too.
    for path in ("/api/claims/", "/api/attributions/"):
        names = {p["name"] for p in paths[path]["get"]["parameters"]}
        assert names == {*AttributionFilterSet.base_filters, "cursor", "page_size"}
    assert {"actor", "actor_exact", "stance", "anonymity", "outlet", "article", "status"} < names
    assert {"date_from", "date_to", "q"} < names
    assert set(paths["/api/claims/"]["get"]["responses"]) == {"200", "400", "401", "404", "429"}
    assert set(paths["/api/articles/"]["post"]["responses"]) >= {"201", "400", "401", "403"}
    # Reading needs no credentials (no padlock in the docs); writing needs the token.
    operations = [(method, op) for ops in paths.values() for method, op in ops.items()]
    assert {method for method, _ in operations} == {"get", "post"}
    for method, operation in operations:
        expected: list[dict[str, list]] | None = [{"tokenAuth": []}] if method == "post" else None
        assert operation.get("security") == expected, operation["operationId"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_the_docs_work_offline(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    # Swagger UI's files, and its set-up script served as a file of the docs page (no inline
    # script: the Content-Security-Policy allows none).
    setup = [url for url in assets if url.startswith("/api/docs/?script")]
    assert len(setup) == 1, assets
    script = client.get(setup[0].replace("&amp;", "&"))
    assert script.status_code == 200 and b"/api/schema/" in script.content
    static = [url for url in assets if url not in setup]
    assert static and all(url.startswith("/static/") for url in static), assets
    for url in static:
        assert finders.find(url.removeprefix("/static/")), url
    assert "https://" not in html and "http://" not in html


# -- Queries: fixed at two sizes ---------------------------------------------------------------

LISTS = {
    # Every list counts its rows (one COUNT over at most COUNT_CAP + 1), but the filtered
    # claims: their ids are read once by the filters, and counted from there.
    # the count, the claims (a keyset page), their matching attributions with source, actor,
    # article and outlet (one prefetch, joined)
    "/api/claims/": 3,
    # the actor with its sub-tree's ids (one query; nothing is read from the cache, so no
    # data version either), the matching claims' ids (one DISTINCT; the page then sorts only
    # those, and the total is their number), the page, its attributions
    "/api/claims/?actor=russia&stance=responses": 4,
    # + the outlet's, the search's claim ids (run once, not inside every query)
    "/api/claims/?actor=russia&outlet=wire&q=drive": 6,
    # the count, the attributions with everything they show, joined
    "/api/attributions/": 2,
    "/api/attributions/?actor=russia&stance=denies": 3,
    # the count, the sources and their actors (joined)
    "/api/sources/": 2,
    # the count, the actors and their parents (joined), their sub-actors, their aliases
    "/api/actors/": 4,
    # the count, the articles and their outlets (joined)
    "/api/articles/": 2,
    "/api/outlets/": 2,
}


@pytest.mark.parametrize("url", LISTS)
def test_every_list_runs_the_same_queries_at_two_sizes(client, newsroom, monkeypatch, url):
    # A lazy load anywhere in the serializers would raise instead of querying.
    monkeypatch.setattr("django.db.models.query.DEFAULT_FETCH_MODE", FETCH_RAISE)
    grow(newsroom, 3)
    get(client, url)  # fills the caches kept under the data version, as a running server has
    small, _ = count_queries(lambda: get(client, url))
    grow(newsroom, 40)
    get(client, url)
    large, sql = count_queries(lambda: get(client, url))
    assert small == large, "\n".join(sql)
    assert large == LISTS[url] <= 6, "\n".join(sql)
    # A later page costs what the first costs.
    next_url = get(
        client, url.replace("?", "?page_size=3&") if "?" in url else url + "?page_size=3"
    )["next"]
    if next_url:
        later, sql = count_queries(lambda: get(client, next_url))
        assert later == large, "\n".join(sql)


def detail_urls(newsroom) -> dict[str, int]:
    return {
        # the claim, the actors it is about, its attributions (joined), its verdicts (with
        # who rated them, joined); their evidence is one more when there are any
        # (tests/test_api_credibility.py); the links to other claims with both claims (joined)
        f"/api/claims/{newsroom.claim.pk}/": 5,
        f"/api/attributions/{newsroom.denial.pk}/": 1,
        # the source, its actor and track record (joined), its stance counts (one GROUP BY)
        f"/api/sources/{newsroom.spokesman.pk}/": 2,
        # the actor, parent and track record (joined), sub-actors, aliases, the chain of parents
        "/api/actors/russian-government/": 4,
        # the article and outlet, its attributions (joined)
        f"/api/articles/{newsroom.article.pk}/": 2,
        "/api/outlets/wire/": 1,
    }


def test_every_detail_runs_the_same_queries_at_two_sizes(client, newsroom, monkeypatch):
    monkeypatch.setattr("django.db.models.query.DEFAULT_FETCH_MODE", FETCH_RAISE)
    urls = detail_urls(newsroom)
    grow(newsroom, 3)
    small = {url: count_queries(partial(get, client, url))[0] for url in urls}
    grow(newsroom, 30)  # the claim and the article gain 60 attributions each
    large = {url: count_queries(partial(get, client, url))[0] for url in urls}
    assert small == large == urls
