"""The API's verdicts and track records: claims' verdicts with their evidence, the records on
source and actor details, the verdict list and the ranking (the /credibility/ page's rules)."""

from __future__ import annotations

import datetime
from functools import partial

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db.models import FETCH_RAISE

from articles.models import Article
from tests.conftest import count_queries, grow
from tracker.models import Actor, Claim, Evidence, Source, TrackRecord, Verdict

from .test_api import every_page, get

pytestmark = pytest.mark.django_db

LIBYA = "russia-has-forces-in-libya"
NOT_THE_STATE = "russians-in-libya-represent-russian-state-or-are-paid-by-it"
HAFTAR = "haftar-forces-recruited-syrian-fighters"
HIRING = "wagner-conducting-syrian-hiring-with-russian-army-supervision"
FIRST_SENT = "wagner-first-sent-syrians-to-libya-in-2019"
WHEN = datetime.datetime(2024, 3, 1, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def fresh_cache():
    # Cached pages and sub-trees live under a data version that restarts with every test.
    cache.clear()
    yield
    cache.clear()


def rate(claim: Claim, rating: str, **fields) -> Verdict:
    # As tests/test_credibility.py rates claims: the signals set the status and the records.
    return Verdict.objects.create(claim=claim, rating=rating, explanation="Checked.", **fields)


@pytest.fixture
def analyst(db) -> User:
    return User.objects.create_user(
        "analyst", email="analyst@example.org", first_name="Ana", last_name="Lyst"
    )


@pytest.fixture
def rated_seed(seeded, analyst):
    """The seed rated as tests/test_credibility.py rates it (Libya twice, with evidence), and
    every other claim too, so that a few records are long enough to rank."""
    libya = Claim.objects.get(slug=LIBYA)
    earlier = rate(libya, "unproven", rated_at=WHEN - datetime.timedelta(days=30))
    latest = rate(libya, "confirmed", rated_at=WHEN, rated_by=analyst)
    Evidence.objects.create(verdict=latest, article=Article.objects.get())
    Evidence.objects.create(verdict=latest, attribution=libya.attributions.get())
    Evidence.objects.create(verdict=latest, url="https://example.org/un-report", title="UN report")
    for slug, rating in [
        (NOT_THE_STATE, "confirmed"),  # Putin denied it
        (HAFTAR, "mostly_true"),
        (HIRING, "confirmed"),
        (FIRST_SENT, "unproven"),
    ]:
        rate(Claim.objects.get(slug=slug), rating, rated_at=WHEN)
    ratings = ["confirmed", "refuted", "mostly_true", "mixed"]
    for i, claim in enumerate(Claim.objects.filter(verdicts__isnull=True).order_by("pk")):
        rate(claim, ratings[i % len(ratings)], rated_at=WHEN - datetime.timedelta(days=i + 1))
    return {"claim": libya, "earlier": earlier, "latest": latest}


# -- Verdicts on the claim ---------------------------------------------------------------------


def test_a_rated_seed_claim_has_its_verdicts_latest_first_with_evidence(client, rated_seed):
    libya, latest = rated_seed["claim"], rated_seed["latest"]
    article = Article.objects.get()
    attribution = libya.attributions.select_related("source").get()
    claim = get(client, f"/api/claims/{libya.pk}/")
    assert claim["status"] == "confirmed"
    assert claim["verdicts"] == [
        {
            "id": latest.pk,
            "rating": "confirmed",
            "rating_label": "Confirmed",
            "explanation": "Checked.",
            "rated_at": "2024-03-01T12:00:00Z",
            "rated_by": "Ana Lyst",
            "evidence": [
                {"kind": "article", "href": f"/articles/{article.pk}/", "label": article.title},
                {
                    "kind": "attribution",
                    "href": f"/articles/{article.pk}/#attribution-{attribution.pk}",
                    "label": f"{attribution.source.name} (denies) in “{article.title}”",
                },
                {"kind": "url", "href": "https://example.org/un-report", "label": "UN report"},
            ],
        },
        {
            "id": rated_seed["earlier"].pk,
            "rating": "unproven",
            "rating_label": "Unproven",
            "explanation": "Checked.",
            "rated_at": "2024-01-31T12:00:00Z",
            "rated_by": None,  # no account: imported, or the account was removed
            "evidence": [],
        },
    ]


def test_the_rater_is_named_by_username_without_a_full_name_and_never_by_email(
    client, rated_seed, analyst
):
    analyst.first_name = analyst.last_name = ""
    analyst.save()
    response = client.get(f"/api/claims/{rated_seed['claim'].pk}/")
    assert response.json()["verdicts"][0]["rated_by"] == "analyst"
    assert b"analyst@example.org" not in response.content
    assert b"analyst@example.org" not in client.get("/api/verdicts/").content


def test_an_unrated_claim_has_no_verdicts(client, seeded):
    claim = Claim.objects.get(slug=LIBYA)
    assert get(client, f"/api/claims/{claim.pk}/")["verdicts"] == []


# -- Track records on sources and actors -------------------------------------------------------


def record_json(record: TrackRecord) -> dict:
    return {
        "for": record.for_count,
        "against": record.against_count,
        "scored": record.scored,
        "rated_claims": record.rated_claims,
        "declined": record.declined,
        "no_response": record.no_response,
        "score": record.score,
        "lower": record.lower,
        "upper": record.upper,
        "enough": record.scored >= TrackRecord.MIN_RECORD,
    }


def test_source_and_actor_details_carry_their_track_records(client, rated_seed):
    source = Source.objects.get(slug="russian-state")
    record = TrackRecord.objects.get(source=source)
    assert record.against_count > 0  # its denial of the confirmed Libya claim counts against it
    assert get(client, f"/api/sources/{source.pk}/")["track_record"] == record_json(record)
    for slug in ("russia", "russian-government"):
        record = TrackRecord.objects.get(actor__slug=slug)
        assert get(client, f"/api/actors/{slug}/")["track_record"] == record_json(record)
    assert (
        get(client, "/api/actors/russia/")["track_record"]["scored"]
        >= (get(client, "/api/actors/russian-government/")["track_record"]["scored"])
    )  # an actor's record holds its sub-actors'


def test_a_source_or_actor_without_a_record_has_null(client, seeded):
    source = Source.objects.get(slug="russian-state")
    assert get(client, f"/api/sources/{source.pk}/")["track_record"] is None
    assert get(client, "/api/actors/russia/")["track_record"] is None


# -- /api/verdicts/ ----------------------------------------------------------------------------


def test_the_verdict_list_is_latest_first_with_the_claim(client, rated_seed):
    rows = every_page(client, "/api/verdicts/?page_size=2")
    expected = list(Verdict.objects.latest_first().values_list("pk", flat=True))
    assert [row["id"] for row in rows] == expected
    assert len(rows) == Claim.objects.count() + 1  # the seed's claims, Libya twice
    libya = rated_seed["claim"]
    first = get(client, f"/api/verdicts/{rated_seed['latest'].pk}/")
    assert first["claim"] == {
        "id": libya.pk,
        "text": libya.text,
        "status": "confirmed",
        "page_url": f"http://testserver/claims/{libya.pk}/",
    }
    assert [e["kind"] for e in first["evidence"]] == ["article", "attribution", "url"]


def test_the_verdicts_filter_by_claim_and_rating(client, rated_seed):
    libya = rated_seed["claim"]
    by_claim = get(client, f"/api/verdicts/?claim={libya.pk}")["results"]
    assert [row["id"] for row in by_claim] == [rated_seed["latest"].pk, rated_seed["earlier"].pk]
    unproven = get(client, "/api/verdicts/?rating=unproven")["results"]
    assert {row["claim"]["id"] for row in unproven} == {
        libya.pk,
        Claim.objects.get(slug=FIRST_SENT).pk,
    }
    both = get(client, f"/api/verdicts/?claim={libya.pk}&rating=unproven")["results"]
    assert [row["id"] for row in both] == [rated_seed["earlier"].pk]
    # Empty values are no filter, as on the pages; an id no claim has is an empty list.
    assert len(every_page(client, "/api/verdicts/?claim=&rating=")) == Verdict.objects.count()
    assert get(client, "/api/verdicts/?claim=999999")["results"] == []
    assert get(client, f"/api/verdicts/?claim={2**70}")["results"] == []


@pytest.mark.parametrize(
    "query, names",
    [
        ("claim=abc", {"claim"}),
        ("claim=0", {"claim"}),
        ("claim=-3", {"claim"}),
        ("claim=1.5", {"claim"}),
        ("rating=true", {"rating"}),
        ("claim=x&rating=Confirmed", {"claim", "rating"}),
        ("page_size=0", {"page_size"}),
    ],
)
def test_a_bad_verdict_filter_is_a_400_naming_it(client, rated_seed, query, names):
    errors = get(client, f"/api/verdicts/?{query}", status=400)["errors"]
    assert set(errors) == names
    assert all(isinstance(message, str) and message for message in errors.values())


def test_an_unknown_verdict_is_a_404(client, db):
    assert get(client, "/api/verdicts/12345/", status=404) == {
        "errors": {"not_found": "There is no verdict with the id 12345."}
    }


def test_verdicts_and_track_records_are_read_only(client, rated_seed):
    verdict = rated_seed["latest"]
    assert client.post("/api/verdicts/", {}).status_code == 405
    assert client.delete(f"/api/verdicts/{verdict.pk}/").status_code == 405
    assert client.post("/api/track-records/", {}).status_code == 405
    assert client.get("/api/track-records/1/").status_code == 404


# -- /api/track-records/: the /credibility/ page's rankings ------------------------------------


def ranked_on_the_page(client, query: str) -> list[int]:
    response = client.get(f"/credibility/?{query}")
    assert response.status_code == 200
    rows = [
        record
        for ranking in (response.context["sources"], response.context["actors"])
        if ranking is not None
        for record in ranking.rows
    ]
    return [
        record.pk for record in sorted(rows, key=lambda r: (-r.score, -r.lower, -r.scored, r.pk))
    ]


@pytest.mark.parametrize(
    "query",
    ["", "kind=anonymous", "kind=state", "kind=person", "kind=government_body", "actor=russia"],
)
def test_the_ranking_is_the_credibility_pages(client, rated_seed, query):
    api = every_page(client, f"/api/track-records/?{query}&page_size=3")
    assert [row["id"] for row in api] == ranked_on_the_page(client, query)
    assert all(row["enough"] for row in api)


def test_the_ranking_is_best_first_and_all_lists_the_short_records_too(client, rated_seed):
    ranked = every_page(client, "/api/track-records/")
    assert ranked, "the rated seed has records long enough to rank"
    keys = [(-r["score"], -r["lower"], -r["scored"], r["id"]) for r in ranked]
    assert keys == sorted(keys)
    everything = every_page(client, "/api/track-records/?all=1&page_size=4")
    assert len(everything) == TrackRecord.objects.count() > len(ranked)
    assert {row["id"] for row in everything if row["enough"]} == {row["id"] for row in ranked}
    assert every_page(client, "/api/track-records/?all=true") == everything
    assert every_page(client, "/api/track-records/?all=0") == ranked
    for row in everything:
        assert (row["source"] is None) != (row["actor"] is None)


def test_the_ranking_names_who_each_record_is_of(client, rated_seed):
    rows = every_page(client, "/api/track-records/?all=1")
    source = Source.objects.select_related("actor").get(slug="russian-state")
    record = TrackRecord.objects.get(source=source)
    row = next(row for row in rows if row["id"] == record.pk)
    assert row["source"] == {
        "id": source.pk,
        "slug": source.slug,
        "name": source.name,
        "kind": source.kind,
        "actor": {"slug": source.actor.slug, "name": source.actor.name, "kind": source.actor.kind},
        "tie": "speaks_for",
    }
    assert row["actor"] is None
    assert {k: v for k, v in row.items() if k not in ("id", "source", "actor")} == record_json(
        record
    )
    actor = Actor.objects.get(slug="russia")
    row = next(row for row in rows if row["actor"] and row["actor"]["slug"] == "russia")
    assert row["id"] == actor.track_record.pk and row["source"] is None


def test_the_kinds_split_sources_from_actors(client, rated_seed):
    def who(query: str) -> set[str]:
        rows = every_page(client, f"/api/track-records/?all=1&{query}")
        return {"source" if row["source"] else "actor" for row in rows}

    assert who("kind=anonymous") <= {"source"}
    assert who("kind=state") == {"actor"}
    rows = every_page(client, "/api/track-records/?all=1&kind=state")
    assert {row["actor"]["kind"] for row in rows} == {"state"}


@pytest.mark.parametrize(
    "query, names",
    [
        ("kind=planet", {"kind"}),
        ("actor=nobody", {"actor"}),
        ("all=maybe", {"all"}),
        ("kind=x&actor=nobody&all=2", {"kind", "actor", "all"}),
    ],
)
def test_a_bad_ranking_parameter_is_a_400_naming_it(client, rated_seed, query, names):
    errors = get(client, f"/api/track-records/?{query}", status=400)["errors"]
    assert set(errors) == names
    if "actor" in names:
        assert errors["actor"] == "There is no actor with the slug, name or alias 'nobody'."


# -- Queries: fixed at two sizes ---------------------------------------------------------------


def rate_everything(newsroom) -> None:
    """A verdict with evidence of each kind on every claim that has none yet (a second on the
    newsroom's claim), so that verdicts, evidence and track records grow with the data."""
    for claim in Claim.objects.filter(verdicts__isnull=True):
        attribution = claim.attributions.first()
        verdict = rate(claim, "mostly_true")
        Evidence.objects.create(verdict=verdict, article_id=attribution.article_id)
        Evidence.objects.create(verdict=verdict, attribution=attribution)
        Evidence.objects.create(verdict=verdict, url=f"https://example.org/{claim.pk}")
    rate(newsroom.claim, "confirmed")


QUERIES = {
    # the claim, its actors, its attributions (joined), its verdicts and who rated them
    # (joined), their evidence with articles, attributions and sources (joined), the links to
    # other claims with both claims (joined)
    "claim": 6,
    # the count, the verdicts with who rated them and their claim (joined), their evidence
    # (joined)
    "/api/verdicts/": 3,
    "/api/verdicts/?rating=confirmed": 3,
    "verdict": 2,
    # the count, the records with their sources, those sources' actors, and actors (joined)
    "/api/track-records/": 2,
    "/api/track-records/?all=1&kind=person": 2,
    # + the actor named
    "/api/track-records/?all=1&actor=russia": 3,
    # the source, its actor and its record (joined), its stance counts
    "source": 2,
    # the actor, its parent and its record (joined), sub-actors, aliases, the chain of parents
    "actor": 4,
}


def urls(newsroom) -> dict[str, int]:
    details = {
        "claim": f"/api/claims/{newsroom.claim.pk}/",
        "verdict": f"/api/verdicts/{Verdict.objects.latest_first().first().pk}/",
        "source": f"/api/sources/{newsroom.spokesman.pk}/",
        "actor": "/api/actors/russian-government/",
    }
    return {details.get(key, key): count for key, count in QUERIES.items()}


def test_every_endpoint_runs_the_same_queries_at_two_sizes(client, newsroom, monkeypatch):
    monkeypatch.setattr("django.db.models.query.DEFAULT_FETCH_MODE", FETCH_RAISE)
    grow(newsroom, 3)
    rate_everything(newsroom)
    for url in urls(newsroom):
        get(client, url)  # warm-up: fills the caches kept under the data version
    small = {url: count_queries(partial(get, client, url))[0] for url in urls(newsroom)}
    grow(newsroom, 30)  # 30 more claims and sources under 30 more actors: all rated below
    rate_everything(newsroom)
    for url in urls(newsroom):
        get(client, url)
    large, sql = {}, {}
    for url in urls(newsroom):
        large[url], sql[url] = count_queries(partial(get, client, url))
    assert TrackRecord.objects.enough().count() > 30
    assert Verdict.objects.filter(claim=newsroom.claim).count() == 3
    assert list(small.values()) == list(large.values()) == list(QUERIES.values()), "\n\n".join(
        f"{url}:\n" + "\n".join(queries) for url, queries in sql.items()
    )
    # A later page costs what the first costs.
    for url in ("/api/verdicts/", "/api/track-records/"):
        later = get(client, f"{url}?page_size=3")["next"]
        assert later and count_queries(partial(get, client, later))[0] == QUERIES[url]
