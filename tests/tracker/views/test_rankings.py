"""/credibility/: sources and actors ranked by score, with intervals and counts, filtered by kind
and actor, in a fixed number of queries."""

from __future__ import annotations

import re
from functools import partial

import pytest
from django.db.models import FETCH_RAISE

from tests.conftest import BODY, count_queries, grow, span_of
from tracker import credibility
from tracker.models import Actor, Attribution, Claim, Source
from tracker.views import credibility as views

pytestmark = pytest.mark.django_db

URL = "/credibility/"
SENTENCE = span_of(BODY, "Five Syrian opposition sources said the drive accelerated.")


def page(client, query: str = "") -> str:
    response = client.get(URL + query)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def table(html: str, heading: str) -> list[list[str]]:
    """The rows of the ranking under a heading, as the text of their cells."""
    match = re.search(rf"<h2[^>]*>{heading}\b.*?</table>", html, re.S)
    assert match, f"no table under {heading!r}"
    rows = re.findall(r"<tr>(.*?)</tr>", match.group(0).split("<tbody>")[1], re.S)
    cells = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in cells.findall(row)] for row in rows]


@pytest.fixture
def records(newsroom):
    """Three sources with records of three rated claims: all for, mixed, all against."""
    said = [
        (newsroom.opposition_sources, "asserts", ["confirmed", "confirmed", "confirmed"]),
        (newsroom.ministry_source, "asserts", ["confirmed", "refuted", "mixed"]),
        (newsroom.spokesman, "denies", ["confirmed", "confirmed", "mostly_true"]),
    ]
    for source, stance, ratings in said:
        for i, rating in enumerate(ratings):
            claim = Claim.objects.create(text=f"{source.slug} {i}", status=rating)
            Attribution.objects.create(
                claim=claim, source=source, article=newsroom.article, stance=stance, **SENTENCE
            )
    credibility.recompute_all()
    return newsroom


def test_sources_and_actors_are_ranked_by_score_with_interval_and_counts(client, records):
    html = page(client)
    sources = table(html, "Sources")
    # Beta(4, 1): 0.8 in [0.05^¼, 0.95^¼]; Beta(2.5, 2.5): 0.5 in [0.165, 0.835]; Beta(1.25,
    # 3.75): 0.25 in [0.027, 0.592] (quantiles checked by integrating the density numerically).
    assert [row[1] for row in sources] == [
        "Syrian opposition sources",
        "Russian Defence Ministry",
        "Ministry spokesman",
    ]
    assert sources[0] == [
        "1", "Syrian opposition sources", "Anonymous", "Syrian opposition", "0.80", "0.47–0.99",
        "3", "3", "0", "0", "0",
    ]  # fmt: skip
    assert sources[1][4:9] == ["0.50", "0.17–0.83", "3", "1.5", "1.5"]
    assert sources[2][4:9] == ["0.25", "0.03–0.59", "3", "0.25", "2.75"]
    actors = table(html, "Actors")
    # Russia and the government hold the spokesman and the ministry: 6 statements, 1.75 for and
    # 4.25 against, Beta(2.75, 5.25): 0.344 in [0.108, 0.627]. Tied, the older actor first.
    assert [row[1] for row in actors] == [
        "Syrian opposition",
        "Russian Defence Ministry",
        "Russia",
        "Russian government",
    ]
    assert actors[2][4:9] == ["0.34", "0.11–0.63", "6", "1.75", "4.25"]
    assert actors[3][3] == "Russia"  # part of
    assert 'href="/sources/' in html and 'href="/actors/russia/"' in html


def test_records_too_short_are_counted_but_not_ranked(client, records):
    claim = Claim.objects.create(text="Once", status="confirmed")
    lone = Source.objects.create(name="Lone voice", slug="lone", kind="person")
    Attribution.objects.create(
        claim=claim, source=lone, article=records.article, stance="asserts", **SENTENCE
    )
    credibility.recompute_all()
    html = page(client)
    assert "Lone voice" not in html
    assert "1 more source has rated claims, but not enough record to score." in html


@pytest.mark.parametrize(
    "kind, sources, actors",
    [
        ("anonymous", ["Syrian opposition sources", "Ministry spokesman"], None),
        ("organisation", ["Russian Defence Ministry"], None),
        ("government_body", None, ["Russian Defence Ministry", "Russian government"]),
        ("state", None, ["Russia"]),
        ("person", [], []),  # a kind of both
    ],
)
def test_the_kind_filter(client, records, kind, sources, actors):
    html = page(client, f"?kind={kind}")
    for heading, expected in (("Sources", sources), ("Actors", actors)):
        if expected is None:
            assert f'id="ranked-{heading.lower()}"' not in html
        elif expected:
            assert [row[1] for row in table(html, heading)] == expected
        else:
            assert f"No {heading.lower()[:-1]} has a record" in html
    assert 'aria-current="page">Credibility</a>' in html


def test_the_actor_filter_takes_the_sub_tree(client, records):
    html = page(client, "?actor=russia")
    assert [row[1] for row in table(html, "Sources")] == [
        "Russian Defence Ministry",
        "Ministry spokesman",
    ]
    # Russia's sub-actors, not Russia itself.
    assert [row[1] for row in table(html, "Actors")] == [
        "Russian Defence Ministry",
        "Russian government",
    ]
    html = page(client, "?actor=russian-defence-ministry&kind=organisation")
    assert [row[1] for row in table(html, "Sources")] == ["Russian Defence Ministry"]
    assert "under <a" in html


@pytest.mark.parametrize(
    "query, names",
    [
        ("?kind=martian", ["kind"]),
        ("?actor=nobody-at-all", ["actor"]),
        ("?kind=x&actor=y", ["kind", "actor"]),
        ("?all=maybe", ["all"]),  # the API's parameter: the page reads the same FilterSet
    ],
)
def test_bad_parameters_are_a_400_naming_them(client, db, query, names):
    response = client.get(URL + query)
    assert response.status_code == 400
    html = response.content.decode()
    for name in names:
        assert f"<code>{name}</code>" in html
    if "actor" in names:
        assert "There is no actor with the slug, name or alias" in html


def test_a_long_ranking_is_cut(client, records, monkeypatch):
    monkeypatch.setattr(views, "RANKING_LIMIT", 2)
    html = page(client)
    assert len(table(html, "Sources")) == 2
    assert "Showing the top 2 of 3." in html


def test_the_page_explains_the_scores(client, db):
    html = page(client)
    assert 'id="method"' in html
    assert "(1 + for) ÷ (2 + for + against)" in html
    assert "No source has a record of 3 rated claims yet." in html


QUERIES = ["", "?kind=person", "?actor=russia", "?actor=russia&kind=state"]


def test_the_page_loads_in_the_same_number_of_queries_at_two_sizes(client, newsroom, monkeypatch):
    # Every filter on the same two sizes: the larger costs most of the test to build.
    monkeypatch.setattr("django.db.models.query.DEFAULT_FETCH_MODE", FETCH_RAISE)
    grow(newsroom, 4)
    Claim.objects.update(status="mostly_true")
    credibility.recompute_all()
    small = {query: count_queries(partial(page, client, query))[0] for query in QUERIES}
    grow(newsroom, 150)  # past the page's limit of 100 ranked sources and actors
    for i, source in enumerate(Source.objects.filter(slug__startswith="source-150-")):
        for j in range(3):
            Attribution.objects.create(
                claim=Claim.objects.create(text=f"More {i}-{j}", status="refuted"),
                source=source, article=newsroom.article, stance="asserts", **SENTENCE,
            )  # fmt: skip
    credibility.recompute_all()
    for query in QUERIES:
        large, sql = count_queries(partial(page, client, query))
        assert small[query] == large, f"{query or 'no filter'}:\n" + "\n".join(sql)
        # the actor of ?actor= with its sub-tree's ids (if any: one query), then for each list
        # shown: its counts (one aggregate) and its top rows with their sources or actors (one
        # join): at most 5.
        assert large <= 5, f"{query or 'no filter'}:\n" + "\n".join(sql)
    html = page(client)
    assert len(table(html, "Sources")) == views.RANKING_LIMIT
    assert Actor.objects.count() > views.RANKING_LIMIT
