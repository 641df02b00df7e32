"""q: every term in the claim, its quotes and wordings, sources, actors and aliases, or titles."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.urls import reverse

from articles.models import Article
from tests.conftest import BODY, count_queries, grow, span_of
from tracker import filtersets, search
from tracker.models import Actor, ActorAlias, Attribution, Claim, Source

pytestmark = pytest.mark.django_db

URL = reverse("tracker:claim_list")

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's stored vector and GIN indexes"
)
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's FTS5 tables and their triggers"
)


def found(text: str) -> set[str]:
    return set(Claim.objects.search(text).values_list("slug", flat=True))


def listed(client, q: str) -> set[str]:
    response = client.get(URL, {"q": q})
    assert response.status_code == 200, response.content[:500]
    return {row.claim.slug for row in response.context["claims"]}


@pytest.fixture
def desk(newsroom):
    """Beside the newsroom's claim: a claim in an article of its own, with accented names."""
    article = Article.objects.create(
        title="Harbour dispatch",
        slug="harbour-dispatch",
        outlet=newsroom.outlet,
        published_on=datetime.date(2020, 7, 1),
        body=BODY,
    )
    militia = Actor.objects.create(name="Brigade of the Coast", slug="coast", kind="armed_group")
    pelé = Source.objects.create(
        name="José Pérez", slug="jose-perez", kind="person", actor=newsroom.russia
    )
    claim = Claim.objects.create(
        text="Mercenaries were paid in cash at the harbour.", slug="harbour"
    )
    Attribution.objects.create(
        claim=claim,
        source=pelé,
        article=article,
        stance="asserts",
        wording="a militia commander",
        **span_of(BODY, "Five Syrian opposition sources said the drive accelerated."),
    )
    return militia, pelé, claim, article


# -- Where a term is found ----------------------------------------------------------------


def test_claim_text_and_quotes(newsroom):
    assert found("recruitment") == {"drive"}
    assert found("never did") == {"drive"}  # only in the denial's quote
    assert found("zebra") == set()


def test_wordings(desk):
    assert found("five Syrian") == {"drive"}  # "Five Syrian opposition sources"
    assert found("militia commander") == {"harbour"}


def test_source_names_with_accents_folded_both_ways(desk):
    assert found("Jose Perez") == {"harbour"}
    assert found("PÉREZ") == {"harbour"}
    newsroom_claim = Claim.objects.get(slug="drive")
    newsroom_claim.text = "The recruitment drive accelerated near Peréz."
    newsroom_claim.save()
    assert found("perez") == {"drive", "harbour"}


def test_an_actor_finds_its_sub_actors_sources_not_its_parents(newsroom, desk):
    # Russia > Russian government > Russian Defence Ministry (alias "Russian MoD").
    assert found("Russia") >= {"drive", "harbour"}  # the ministry's and Pérez's sources
    assert found("MoD") == {"drive"}  # the ministry's source, not Russia's own (harbour)
    assert found("government") == {"drive"}  # the spokesman's and the ministry's


def test_an_alias_edit_is_found_at_once(newsroom, desk):
    alias = ActorAlias.objects.create(actor=newsroom.russia, name="Moscow")
    assert found("Moscow") == {"drive", "harbour"}
    alias.name = "Kremlin"
    alias.save()
    assert found("Moscow") == set()
    assert found("Kremlin") == {"drive", "harbour"}
    alias.delete()
    assert found("Kremlin") == set()


def test_source_actor_and_title_edits_are_found_at_once(newsroom, desk):
    militia, pelé, _, article = desk
    Source.objects.filter(pk=pelé.pk).update(name="Ana Ortiz")
    assert found("Ortiz") == {"harbour"} and found("Perez") == set()
    Source.objects.filter(pk=pelé.pk).update(actor=militia)
    assert found("Coast") == {"harbour"}
    Actor.objects.filter(pk=militia.pk).update(name="Sea Front")
    assert found("Coast") == set() and found("sea front") == {"harbour"}
    Article.objects.filter(pk=article.pk).update(title="Port report")
    assert found("harbour dispatch") == set() and found("port report") == {"harbour"}


def test_article_titles(desk):
    assert found("dispatch") == {"harbour"}


def test_edits_to_claims_and_quotes(newsroom):
    newsroom.claim.text = "The zebra drive accelerated."
    newsroom.claim.save()
    assert found("zebra") == {"drive"}
    Attribution.objects.filter(pk=newsroom.denial.pk).update(quote="We never did that, quagga")
    assert found("quagga") == {"drive"}
    Attribution.objects.filter(pk=newsroom.denial.pk).delete()
    assert found("quagga") == set()


# -- How terms combine ----------------------------------------------------------------------


def test_stemming(desk):
    assert found("accelerating") == {"drive"}
    assert found("mercenary") == found("mercenaries") == {"harbour"}


def test_every_term_must_match_but_each_anywhere(newsroom, desk):
    ActorAlias.objects.create(actor=newsroom.russia, name="Moscow")
    assert found("Moscow recruitment") == {"drive"}  # an alias and the claim's text
    assert found("Moscow dispatch") == {"harbour"}  # an alias and an article's title
    assert found("recruitment dispatch") == set()


def test_quoted_phrases_keep_their_words_together_and_in_order(newsroom):
    assert found('"drive accelerated"') == {"drive"}
    assert found('"accelerated drive"') == set()
    assert found("\u201cdrive accelerated\u201d") == {"drive"}  # typographic quotes
    assert found('"drive accelerated') == {"drive"}  # unclosed: to the end


def test_minus_leaves_out(newsroom):
    assert found('"drive accelerated" -zebra') == {"drive"}
    assert found("drive -accelerated") == set()
    assert found('drive -"Syrian opposition"') == set()


def test_common_words_alone_are_left_out(newsroom):
    assert found("the recruitment") == {"drive"}
    assert found("the") == set()  # nothing to search for


# -- Hostile input ------------------------------------------------------------------------

HOSTILE = [
    '"',
    '"unbalanced',
    'un"balanced',
    "NEAR(drive accelerated)",
    "NEAR(drive accelerated, 2)",
    "drive*",
    "*",
    "^drive",
    "text:drive",
    "claim:drive",
    "{text quote}: drive",
    "(drive OR zebra",
    ")",
    "drive AND NOT zebra",
    "- -- ---",
    "'; DROP TABLE tracker_claim; --",
    "%_\\",
    "drive\u200b accelerated",
    "\U0001f600 drive",
    "x" * 499,
    "drive " * 12,
]


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_text_is_only_text(newsroom, client, q):
    assert isinstance(found(q), set)  # no database error
    listed(client, q)
    assert client.get(URL, {"q": q, "format": "csv"}).status_code == 200
    assert client.get("/api/claims/", {"q": q}).status_code == 200


def test_operators_are_read_as_words(newsroom):
    assert found("drive*") == {"drive"}
    assert found("NEAR(drive accelerated)") == set()  # "near" is a word the claim lacks
    assert found("(drive") == {"drive"}
    assert found("text:drive") == set()  # the phrase "text drive"


@pytest.mark.parametrize(
    "q, message",
    [
        ("x" * 501, "at most 500 characters"),
        ("drive " * 13, "at most 12 words or quoted phrases"),
    ],
)
def test_a_query_too_long_is_a_400_naming_q(newsroom, client, q, message):
    response = client.get(URL, {"q": q})
    assert response.status_code == 400
    assert message in response.content.decode()
    api = client.get("/api/claims/", {"q": q})
    assert api.status_code == 400 and message in api.json()["errors"]["q"]


def test_a_nul_is_a_400(newsroom, client):
    assert client.get(URL, {"q": "drive\x00"}).status_code == 400
    # Called directly, a NUL is a space between words.
    assert found('"drive\x00accelerated"') == found('"drive accelerated"') == {"drive"}


def test_the_terms_are_read_as_the_database_reads_words():
    read = search.terms('-zebra "Five  Syrian" al-Assad the Pelé claim:x "')
    assert [(term.words, term.exclude) for term in read] == [
        (("zebra",), True),
        (("five", "syrian"), False),
        (("al", "assad"), False),
        (("pelé",), False),
        (("claim", "x"), False),
    ]
    assert read[1].fts5 == '"five syrian"'


# -- The seeds ------------------------------------------------------------------------------


def test_the_seed_answers_what_readers_type(client, seeded):
    putin = listed(client, "Putin")  # his source's name, his actor's name and aliases
    assert "russians-in-libya-represent-russian-state-or-are-paid-by-it" in putin
    assert putin == found("Vladimir Putin")
    moscow = listed(client, "Moscow")  # an alias of Russia: its sources and its sub-actors'
    assert moscow >= found("Russian Defence Ministry") and moscow >= putin
    assert "russian-drive-to-recruit-syrians-for-haftar-accelerated-may-2020" in listed(
        client, "five Syrian"
    )
    mercenaries = listed(client, "mercenaries")
    assert len(mercenaries) >= 3 and listed(client, "mercenary") == mercenaries
    assert "russians-in-libya-represent-russian-state-or-are-paid-by-it" in listed(
        client, '"Russian state"'
    )
    # Only in the article's title ("... Libya accelerated in May ...").
    assert listed(client, '"Libya accelerated"')
    assert listed(client, '"Libya accelerated" -zebra') == listed(client, '"Libya accelerated"')


# -- One search per request, a fixed number of queries ----------------------------------------


@pytest.mark.parametrize("q", ["Russia", '"Syrian opposition" -zebra', "Alias never"])
def test_a_search_page_runs_a_fixed_number_of_queries(client, newsroom, q):
    def cold() -> tuple[int, list[str]]:
        cache.clear()
        return count_queries(lambda: client.get(URL, {"q": q}))

    grow(newsroom, 3)
    small = cold()
    grow(newsroom, 40)
    large = cold()
    # The search's claim ids (once), the matching claims' ids (their number is the total), the
    # page, its matching attributions, the facets' columns of a bounded sample of them.
    assert small[0] == large[0] == 5, "\n".join(large[1])
    assert sum("MATCH" in sql or "@@" in sql for sql in large[1]) == 1, "\n".join(large[1])


def test_a_long_list_of_claim_ids_finds_the_same(client, newsroom, desk, monkeypatch):
    ActorAlias.objects.create(actor=newsroom.russia, name="Moscow")
    short = listed(client, "Moscow")
    assert short == {"drive", "harbour"}
    monkeypatch.setattr(search, "SHORT_ID_LIST", 1)  # a JSON list on SQLite, an array on PG
    cache.clear()
    assert listed(client, "Moscow") == short
    assert listed(client, "zebra") == set()


@pytest.mark.parametrize("q", ["Russia", '"Syrian opposition" -zebra', "-zebra", "harbour"])
def test_a_search_past_the_cap_of_ids_finds_the_same_in_list_api_and_export(
    client, newsroom, desk, monkeypatch, q
):
    """More matching claims than SEARCH_CAP: the search stays a subquery in each statement."""

    def answers() -> tuple[set[str], set[int], bytes]:
        cache.clear()
        api = client.get("/api/claims/", {"q": q})
        assert api.status_code == 200, api.content[:500]
        csv = client.get(URL, {"q": q, "format": "csv"})
        rows = b"".join(csv.streaming_content) if csv.streaming else csv.content
        return listed(client, q), {row["id"] for row in api.json()["results"]}, rows

    by_ids = answers()
    assert by_ids[0], q
    monkeypatch.setattr(filtersets, "SEARCH_CAP", 0)  # any match is past it
    assert answers() == by_ids


def test_a_search_that_finds_nothing_exports_the_header(client, newsroom):
    response = client.get(URL, {"q": "zebra", "format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("attribution_id,claim_id,")
    assert len(text.splitlines()) == 1
    assert client.get(URL, {"q": "zebra", "format": "json"}).status_code == 200


# -- The indexes ------------------------------------------------------------------------------


@sqlite_only
def test_a_table_remake_drops_triggers_and_migrate_puts_them_back(newsroom):
    # What Django does to alter a table on SQLite: a new table, the rows copied, the old dropped.
    with connection.cursor() as cursor:
        for suffix in ("ai", "ad", "au"):
            cursor.execute(f"DROP TRIGGER tracker_search_source_{suffix}")
    Source.objects.filter(pk=newsroom.spokesman.pk).update(name="Press officer")
    assert found("officer") == set()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert found("officer") == {"drive"}
    assert search.ensure_sqlite_index(connection) == []  # nothing missing now


@postgres_only
def test_each_entity_search_uses_its_gin_index(newsroom):
    sql, params = search.term_sql("postgresql", search.Term(("mod",)))
    with connection.cursor() as cursor:
        # Tiny test tables: only bitmap scans allowed, which need an index condition, so a plan
        # cannot walk a whole unrelated index and filter (what stale statistics can make cheapest).
        scans = ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan")
        for scan in scans:
            cursor.execute(f"SET {scan} = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        for scan in scans:
            cursor.execute(f"RESET {scan}")
    for index in (
        "tracker_claim_search_gin",
        "tracker_attribution_search_gin",
        "articles_article_search_gin",
        "tracker_source_search_gin",
        "tracker_actor_search_gin",
        "tracker_actoralias_search_gin",
    ):
        assert index in plan, plan


@postgres_only
def test_search_vectors_are_kept_by_the_database_even_for_bulk_writes(newsroom):
    Claim.objects.bulk_create([Claim(text="Bulk inserted ocelot claim", slug="bulk")])
    assert found("ocelot") == {"bulk"}
