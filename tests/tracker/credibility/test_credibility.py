"""Track records: the scoring rules and the interval on hand-checked cases, the roll-up from
sub-actors and sources, set-based updates, contradicted denials, and the actor and source pages."""

from __future__ import annotations

import math
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db.models import FETCH_RAISE

from tests.conftest import BODY, count_queries, grow, span_of
from tracker import credibility
from tracker.models import Actor, Attribution, Claim, Source, TrackRecord, Verdict

pytestmark = pytest.mark.django_db

SENTENCE = span_of(BODY, "Five Syrian opposition sources said the drive accelerated.")


@pytest.fixture(autouse=True)
def fresh_cache():
    # Actor pages cache under a data version that restarts with every test's rolled-back data.
    cache.clear()
    yield
    cache.clear()


def new_claim(text: str) -> Claim:
    return Claim.objects.create(text=text)


def rate(claim: Claim, rating: str, **fields) -> Verdict:
    return Verdict.objects.create(claim=claim, rating=rating, explanation="Checked.", **fields)


def say(newsroom, source: Source, claim: Claim, stance: str, *, article=None) -> Attribution:
    return Attribution.objects.create(
        claim=claim, source=source, article=article or newsroom.article, stance=stance, **SENTENCE
    )


def record_of(who: Source | Actor) -> TrackRecord | None:
    field = "source" if isinstance(who, Source) else "actor"
    return TrackRecord.objects.filter(**{field: who}).first()


def numbers(record: TrackRecord | None) -> dict:
    assert record is not None, "no track record"
    return {
        "for": record.for_count,
        "against": record.against_count,
        "scored": record.scored,
        "rated_claims": record.rated_claims,
        "declined": record.declined,
        "no_response": record.no_response,
    }


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# -- The Beta posterior -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b, closed_form",
    [
        (1, 1, lambda x: x),
        (2, 1, lambda x: x**2),
        (1, 3, lambda x: 1 - (1 - x) ** 3),
        (3, 2, lambda x: 4 * x**3 - 3 * x**4),  # P(Binomial(4, x) >= 3)
        (0.5, 0.5, lambda x: 2 / math.pi * math.asin(math.sqrt(x))),  # the arcsine law
    ],
    ids=["uniform", "Beta(2,1)", "Beta(1,3)", "Beta(3,2)", "arcsine"],
)
@pytest.mark.parametrize("x", [0.001, 0.05, 0.3, 0.5, 0.77, 0.999])
def test_the_incomplete_beta_matches_closed_forms(a, b, closed_form, x):
    assert credibility.regularized_incomplete_beta(x=x, a=a, b=b) == pytest.approx(
        closed_form(x), abs=1e-12
    )


def test_the_incomplete_beta_is_a_half_at_the_centre_of_a_symmetric_beta():
    assert credibility.regularized_incomplete_beta(x=0.5, a=7.5, b=7.5) == pytest.approx(0.5)
    assert credibility.regularized_incomplete_beta(x=0.0, a=2, b=3) == 0.0
    assert credibility.regularized_incomplete_beta(x=1.0, a=2, b=3) == 1.0


def test_the_quantiles_invert_the_cdf_on_known_values():
    quantile = credibility.beta_quantile
    assert quantile(p=0.05, a=2, b=1) == pytest.approx(math.sqrt(0.05), abs=1e-10)  # 0.2236...
    assert quantile(p=0.95, a=2, b=1) == pytest.approx(math.sqrt(0.95), abs=1e-10)  # 0.9747...
    assert quantile(p=0.05, a=1, b=1) == pytest.approx(0.05, abs=1e-10)
    assert quantile(p=0.95, a=1, b=1) == pytest.approx(0.95, abs=1e-10)
    q = quantile(p=0.05, a=3, b=2)
    assert 4 * q**3 - 3 * q**4 == pytest.approx(0.05, abs=1e-10)
    # A long record: the interval is narrow around the mean and still holds it.
    score = credibility.beta_score(for_count=5000, against_count=3000)
    assert score.lower < score.score < score.upper
    assert score.upper - score.lower < 0.02


def test_no_record_is_a_half_with_the_widest_interval():
    score = credibility.beta_score(for_count=0, against_count=0)
    assert (score.score, score.lower, score.upper) == pytest.approx((0.5, 0.05, 0.95))


# -- The scoring rules, by hand -----------------------------------------------------------------


def test_there_is_no_record_before_any_rating(client, newsroom):
    assert TrackRecord.objects.count() == 0
    html = client.get(newsroom.spokesman.get_absolute_url()).content.decode()
    assert "No rated claim yet" in html


def test_one_rating_counts_for_the_assertion_and_against_the_denial(newsroom):
    rate(newsroom.claim, "confirmed")
    asserted = record_of(newsroom.opposition_sources)
    assert numbers(asserted) == {
        "for": 1, "against": 0, "scored": 1, "rated_claims": 1, "declined": 0, "no_response": 0,
    }  # fmt: skip
    # Beta(2, 1): mean 2/3, CDF x², so the 5% and 95% points are sqrt(0.05) and sqrt(0.95).
    assert (asserted.score, asserted.lower, asserted.upper) == pytest.approx(
        (2 / 3, math.sqrt(0.05), math.sqrt(0.95))
    )
    assert not asserted.enough
    denied = record_of(newsroom.spokesman)
    assert (denied.for_count, denied.against_count) == (0, 1)
    # Beta(1, 2): mean 1/3, CDF 1 - (1 - x)².
    assert (denied.score, denied.lower, denied.upper) == pytest.approx(
        (1 / 3, 1 - math.sqrt(0.95), 1 - math.sqrt(0.05))
    )
    unanswered = record_of(newsroom.ministry_source)
    assert numbers(unanswered) == {
        "for": 0, "against": 0, "scored": 0, "rated_claims": 0, "declined": 0, "no_response": 1,
    }  # fmt: skip
    assert (unanswered.score, unanswered.lower, unanswered.upper) == pytest.approx(
        (0.5, 0.05, 0.95)
    )


def test_all_for(newsroom):
    source = newsroom.opposition_sources
    for i in range(3):
        claim = new_claim(f"Confirmed {i}")
        say(newsroom, source, claim, "asserts")
        rate(claim, "confirmed")
    say(newsroom, newsroom.spokesman, claim, "denies")  # a denial of a confirmed claim...
    refuted = new_claim("Refuted")
    say(newsroom, newsroom.spokesman, refuted, "denies")  # ...and one of a refuted claim
    rate(refuted, "refuted")
    record = record_of(source)
    assert (record.for_count, record.against_count, record.scored) == (3, 0, 3)
    assert record.enough
    # Beta(4, 1): mean 4/5, CDF x⁴.
    assert (record.score, record.lower, record.upper) == pytest.approx(
        (0.8, 0.05**0.25, 0.95**0.25)
    )
    spokesman = record_of(newsroom.spokesman)
    assert (spokesman.for_count, spokesman.against_count) == (1, 1)


def test_all_against(newsroom):
    source = newsroom.spokesman
    for i, (stance, rating) in enumerate(
        [("denies", "confirmed"), ("denies", "confirmed"), ("asserts", "refuted")]
    ):
        claim = new_claim(f"Against {i}")
        say(newsroom, source, claim, stance)
        rate(claim, rating)
    record = record_of(source)
    assert (record.for_count, record.against_count, record.scored) == (0, 3, 3)
    # Beta(1, 4): mean 1/5, CDF 1 - (1 - x)⁴.
    assert (record.score, record.lower, record.upper) == pytest.approx(
        (0.2, 1 - 0.95**0.25, 1 - 0.05**0.25)
    )


def test_partial_ratings_count_partially(newsroom):
    source = newsroom.opposition_sources
    for i, (stance, rating) in enumerate(
        [("asserts", "mostly_true"), ("asserts", "mostly_false"), ("denies", "refuted")]
    ):
        claim = new_claim(f"Partial {i}")
        say(newsroom, source, claim, stance)
        rate(claim, rating)
    record = record_of(source)
    # 0.75 + 0.25 + 1 for, 0.25 + 0.75 + 0 against: Beta(3, 2), mean 3/5.
    assert (record.for_count, record.against_count) == pytest.approx((2.0, 1.0))
    assert (record.scored, record.rated_claims) == (3, 3)
    assert record.score == pytest.approx(0.6)
    for q, p in ((record.lower, 0.05), (record.upper, 0.95)):
        assert 4 * q**3 - 3 * q**4 == pytest.approx(p, abs=1e-9)
    mixed = new_claim("Mixed")
    say(newsroom, newsroom.spokesman, mixed, "denies")
    rate(mixed, "mixed")
    spokesman = record_of(newsroom.spokesman)
    assert (spokesman.for_count, spokesman.against_count) == (0.5, 0.5)
    assert (spokesman.for_text, spokesman.against_text) == ("0.5", "0.5")


def test_responses_and_unproven_claims_are_counted_but_not_scored(newsroom):
    ministry = newsroom.ministry_source
    for text, stance, rating in [
        ("Declined on a confirmed claim", "declined", "confirmed"),
        ("Ignored a refuted claim", "no_response", "refuted"),
        ("Ignored an unproven claim", "no_response", "unproven"),
        ("Asserted an unproven claim", "asserts", "unproven"),
        ("Ignored a claim nobody rated", "no_response", None),
    ]:
        claim = new_claim(text)
        say(newsroom, ministry, claim, stance)
        if rating:
            rate(claim, rating)
    assert numbers(record_of(ministry)) == {
        "for": 0, "against": 0, "scored": 0, "rated_claims": 0, "declined": 1, "no_response": 2,
    }  # fmt: skip
    assert record_of(ministry).score == 0.5


def test_a_claim_counts_once_per_source_and_stance(newsroom):
    from articles.models import Article

    later = Article.objects.create(
        title="Again", slug="again", published_on=newsroom.article.published_on, body=BODY
    )
    say(newsroom, newsroom.opposition_sources, newsroom.claim, "asserts", article=later)
    rate(newsroom.claim, "confirmed")
    assert record_of(newsroom.opposition_sources).scored == 1  # two articles, one statement
    # A source that asserted and denied the same claim said both: one was wrong.
    say(newsroom, newsroom.opposition_sources, newsroom.claim, "denies", article=later)
    record = record_of(newsroom.opposition_sources)
    assert (record.for_count, record.against_count) == (1, 1)
    assert (record.scored, record.rated_claims) == (2, 1)


# -- Actors: the roll-up ------------------------------------------------------------------------


def test_an_actor_record_holds_its_sources_and_its_sub_actors(newsroom):
    rate(newsroom.claim, "confirmed")  # spokesman (government) denied, ministry did not respond
    refuted = new_claim("The ministry's refuted claim")
    say(newsroom, newsroom.ministry_source, refuted, "asserts")
    rate(refuted, "refuted")
    ministry, government, russia = (
        record_of(newsroom.ministry),
        record_of(newsroom.government),
        record_of(newsroom.russia),
    )
    assert numbers(ministry) == {
        "for": 0, "against": 1, "scored": 1, "rated_claims": 1, "declined": 0, "no_response": 1,
    }  # fmt: skip
    # The government's own spokesman's denial, and everything of the ministry under it.
    assert numbers(government) == {
        "for": 0, "against": 2, "scored": 2, "rated_claims": 2, "declined": 0, "no_response": 1,
    }  # fmt: skip
    assert numbers(russia) == numbers(government)  # Russia has no source of its own
    assert (russia.score, russia.lower, russia.upper) == pytest.approx(
        (0.25, 1 - 0.95 ** (1 / 3), 1 - 0.05 ** (1 / 3))  # Beta(1, 3)
    )
    assert numbers(record_of(newsroom.opposition)) == numbers(
        record_of(newsroom.opposition_sources)
    )
    # Two of Russia's sources asserting one claim are two statements about one claim.
    both = new_claim("Said twice")
    say(newsroom, newsroom.ministry_source, both, "asserts")
    say(newsroom, newsroom.spokesman, both, "asserts")
    rate(both, "confirmed")
    russia = record_of(newsroom.russia)
    assert (russia.for_count, russia.against_count, russia.scored, russia.rated_claims) == (
        2, 2, 4, 3,
    )  # fmt: skip


def test_moving_a_source_is_caught_by_the_recompute(newsroom):
    rate(newsroom.claim, "confirmed")
    newsroom.spokesman.actor = newsroom.opposition
    newsroom.spokesman.save()
    call_command("recompute_credibility", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert record_of(newsroom.opposition).against_count == 1
    assert record_of(newsroom.government).scored == 0  # still the ministry's non-response


# -- Keeping records right, set-based -----------------------------------------------------------


def snapshot() -> dict:
    return {
        (r.source_id, r.actor_id): (
            round(r.for_count, 9), round(r.against_count, 9), r.scored, r.rated_claims,
            r.declined, r.no_response, round(r.score, 9), round(r.lower, 9), round(r.upper, 9),
        )
        for r in TrackRecord.objects.all()
    }  # fmt: skip


def test_updates_after_each_verdict_agree_with_a_full_recompute(newsroom):
    grow(newsroom, 6)
    ratings = ["confirmed", "mostly_true", "mixed", "mostly_false", "refuted", "unproven"]
    for i, claim in enumerate(Claim.objects.order_by("pk")):
        rate(claim, ratings[i % len(ratings)])
    claim = Claim.objects.get(text="Claim 6-2")
    rate(claim, "refuted")  # a later verdict replaces the rating
    say(newsroom, newsroom.ministry_source, claim, "asserts")  # a statement after the rating
    Verdict.objects.filter(claim__text="Claim 6-4").delete()  # a rating withdrawn
    incremental = snapshot()
    result = credibility.recompute_all()
    assert snapshot() == incremental
    assert result.sources + result.actors == len(incremental)


def test_a_withdrawn_rating_removes_the_record(newsroom):
    verdict = rate(newsroom.claim, "confirmed")
    assert TrackRecord.objects.count() == 3 + 4  # three sources; Russia, its two, the opposition
    verdict.delete()
    assert TrackRecord.objects.count() == 0
    assert Claim.objects.get(pk=newsroom.claim.pk).status == "unrated"


def test_attributions_added_moved_or_deleted_on_a_rated_claim_update_the_records(newsroom):
    rate(newsroom.claim, "refuted")
    assert record_of(newsroom.opposition_sources).against_count == 1
    added = say(newsroom, newsroom.ministry_source, newsroom.claim, "asserts")
    assert record_of(newsroom.ministry_source).against_count == 1
    added.source = newsroom.opposition_sources
    added.stance = "denies"
    added.save()
    assert record_of(newsroom.ministry_source).scored == 0  # only its non-response is left
    assert record_of(newsroom.opposition_sources).for_count == 1
    added.delete()
    assert record_of(newsroom.opposition_sources).for_count == 0
    newsroom.anonymous_five.delete()
    assert record_of(newsroom.opposition_sources) is None
    assert record_of(newsroom.opposition) is None


def test_saving_a_verdict_costs_the_same_queries_at_two_sizes(newsroom):
    grow(newsroom, 3)
    small, _ = count_queries(lambda: rate(newsroom.claim, "confirmed"))
    grow(newsroom, 30)  # the claim gains 60 attributions from 30 more sources under 30 actors
    large, sql = count_queries(lambda: rate(newsroom.claim, "refuted"))
    assert small == large, "\n".join(sql)
    # the verdict, the claim's status (one UPDATE), the claim's sources, their actors' paths,
    # the sources' counts and their actors' (one GROUP BY each), two upserts, the clean-up of
    # records left empty, the status read back, inside one savepoint; the verdict's row in its
    # history; and the kept facet counts following the claim's new status (the statuses before,
    # the claim's status read by the counters, its attributions' facet keys, one INSERT of the
    # moved counts, tracker/counters/): at most 17.
    assert large <= 17, "\n".join(sql)


def test_recomputing_costs_the_same_queries_at_two_sizes(newsroom):
    grow(newsroom, 3)
    Claim.objects.update(status="mostly_true")
    small, _ = count_queries(credibility.recompute_all)
    grow(newsroom, 30)
    Claim.objects.update(status="mixed")
    large, sql = count_queries(credibility.recompute_all)
    assert small == large, "\n".join(sql)
    assert TrackRecord.objects.of_sources().count() == Source.objects.count()


def test_the_command_recomputes_every_record_and_says_so(newsroom, capsys):
    Claim.objects.filter(pk=newsroom.claim.pk).update(status="confirmed")  # no verdict, no signal
    assert TrackRecord.objects.count() == 0
    call_command("recompute_credibility")
    out = capsys.readouterr().out
    assert re.fullmatch(
        r"Recomputed 3 source and 4 actor track records \(0 stale removed\) in \d+\.\ds\.\n", out
    )
    assert record_of(newsroom.opposition_sources).for_count == 1
    Claim.objects.filter(pk=newsroom.claim.pk).update(status="unrated")
    call_command("recompute_credibility")
    assert "(7 stale removed)" in capsys.readouterr().out
    assert TrackRecord.objects.count() == 0


# -- Contradicted denials -----------------------------------------------------------------------

LIBYA = "russia-has-forces-in-libya"
NOT_THE_STATE = "russians-in-libya-represent-russian-state-or-are-paid-by-it"
HAFTAR = "haftar-forces-recruited-syrian-fighters"
HIRING = "wagner-conducting-syrian-hiring-with-russian-army-supervision"


@pytest.fixture
def rated_seed(seeded):
    """The seed with verdicts: the Russian state's, Putin's and Haftar's denials contradicted."""
    for slug, rating in [
        (LIBYA, "confirmed"),
        (NOT_THE_STATE, "confirmed"),
        (HAFTAR, "mostly_true"),
        (HIRING, "confirmed"),
        ("wagner-first-sent-syrians-to-libya-in-2019", "unproven"),
    ]:
        rate(Claim.objects.get(slug=slug), rating)
    return seeded


def listed(client, query: str) -> set[str]:
    response = client.get(f"/claims/{query}")
    assert response.status_code == 200
    return {row.claim.slug for row in response.context["claims"]}


def test_the_seed_has_denials_later_contradicted_once_rated(client, rated_seed):
    assert listed(client, "?contradicted_denials=1") == {LIBYA, NOT_THE_STATE, HAFTAR}
    assert listed(client, "?contradicted_denials=1&actor=russian-government") == {
        LIBYA,
        NOT_THE_STATE,
    }
    assert listed(client, "?contradicted_denials=1&stance=denies") == {LIBYA, NOT_THE_STATE, HAFTAR}
    assert listed(client, "?contradicted_denials=1&stance=asserts") == set()
    assert listed(client, "?contradicted_denials=0&actor=russia") == listed(client, "?actor=russia")
    html = client.get("/claims/?contradicted_denials=1").content.decode()
    assert "Denials later contradicted (and assertions later refuted)" in html  # the chip


def test_contradicted_denials_must_be_1_or_0(client, db):
    response = client.get("/claims/?contradicted_denials=maybe")
    assert response.status_code == 400
    assert "contradicted_denials" in response.content.decode()


def test_the_russian_government_page_shows_what_the_evidence_contradicts(client, rated_seed):
    html = client.get("/actors/russian-government/").content.decode()
    record = section(html, "Track record")
    text = text_of(record)
    assert "from 2 rated claims: 0 for, 2 against. Too few to judge" in text
    assert "0.25 , 90% interval" in text  # (1 + 0) / (2 + 2)
    assert "did not respond 1 time" in text  # the Defence Ministry, on the rated hiring claim
    denials = section(html, "Denials later contradicted")
    libya = Claim.objects.get(slug=LIBYA)
    assert f'href="/claims/{libya.pk}/"' in denials
    assert "Confirmed" in denials and "Russian state" in denials and "1 against" in denials
    assert "Russians in Libya represent the Russian state" in denials
    assert "Vladimir Putin" in denials
    refuted = section(html, "Assertions later refuted")
    assert "None: the ratings so far refute no assertion" in refuted
    assert 'href="/claims/?actor=russian-government&amp;contradicted_denials=1"' in html
    moved = section(html, "The claims that moved it")
    assert moved.count('<li class="statement') == 2


def section(html: str, heading: str) -> str:
    match = re.search(rf"<h([23])[^>]*>{heading}\b.*?(?=<h[23]|</?aside|</main)", html, re.S)
    assert match, f"no section {heading!r}"
    return match.group(0)


# -- The actor and source pages -----------------------------------------------------------------


def test_a_record_long_enough_gets_a_score_an_interval_and_its_reasons(client, newsroom):
    claims = []
    for i in range(3):
        claims.append(new_claim(f"Denied then confirmed {i}"))
        say(newsroom, newsroom.spokesman, claims[-1], "denies")
        rate(claims[-1], "confirmed")
    html = client.get("/actors/russian-government/").content.decode()
    text = text_of(section(html, "Track record"))
    # Beta(1, 4): 0.2, 1 - 0.95^(1/4) = 0.0127, 1 - 0.05^(1/4) = 0.527.
    assert "0.20 , 90% interval 0.01–0.53, from 3 rated claims: 0 for, 3 against." in text
    assert "(1 + 0) ÷ (2 + 0 + 3)" in text
    moved = section(html, "The claims that moved it")
    for claim in claims:
        assert f'href="/claims/{claim.pk}/"' in moved
    assert moved.count("1 against") == 3
    assert "Ministry spokesman" in moved  # whose statement it was
    source_html = client.get(newsroom.spokesman.get_absolute_url()).content.decode()
    assert "from 3 rated claims: 0 for, 3 against" in text_of(source_html)
    assert section(source_html, "Denials later contradicted").count('<li class="statement') == 3


def test_a_short_record_shows_its_score_and_interval_and_says_it_is_too_few(client, newsroom):
    rate(newsroom.claim, "mostly_true")
    text = text_of(client.get(newsroom.opposition_sources.get_absolute_url()).content.decode())
    record = TrackRecord.objects.get(source=newsroom.opposition_sources)
    # (1 + 0.75) / (2 + 1): the mean, with the wide interval one rated claim leaves.
    assert f"{record.score:.2f}" == "0.58"
    assert (
        f"0.58 , 90% interval {record.lower:.2f}–{record.upper:.2f}, from 1 rated claim: "
        "0.75 for, 0.25 against. Too few to judge"
    ) in text
    assert "Not enough record" not in text


def test_editors_text_on_the_record_is_escaped(client, newsroom):
    claim = new_claim("<script>alert(1)</script> claim")
    say(newsroom, newsroom.spokesman, claim, "denies")
    rate(claim, "confirmed")
    html = client.get("/actors/russian-government/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; claim" in html


@pytest.mark.parametrize("who", ["russia", "ministry"])
def test_the_actor_page_with_a_record_loads_in_the_same_queries_at_two_sizes(
    client, newsroom, monkeypatch, who
):
    slug = getattr(newsroom, who).slug
    monkeypatch.setattr("django.db.models.query.DEFAULT_FETCH_MODE", FETCH_RAISE)
    grow(newsroom, 3)
    Claim.objects.update(status="refuted")
    credibility.recompute_all()
    small, _ = count_queries(lambda: client.get(f"/actors/{slug}/"))
    grow(newsroom, 60)
    for i in range(60):  # the ministry's own statements, past the page's limit
        say(newsroom, newsroom.ministry_source, new_claim(f"Ministry {i}"), "asserts")
    Claim.objects.update(status="confirmed")
    credibility.recompute_all()
    large, sql = count_queries(lambda: client.get(f"/actors/{slug}/"))
    assert small == large, "\n".join(sql)
    html = client.get(f"/actors/{slug}/").content.decode()
    assert html.count('<li class="statement') <= 3 * 50
    assert "Showing the 50 most recent of" in html


def test_the_source_page_with_a_record_loads_in_the_same_queries_at_two_sizes(
    client, newsroom, monkeypatch
):
    monkeypatch.setattr("django.db.models.query.DEFAULT_FETCH_MODE", FETCH_RAISE)
    source = newsroom.ministry_source
    for i in range(3):
        say(newsroom, source, new_claim(f"Small {i}"), "asserts")
    Claim.objects.update(status="mostly_false")
    credibility.recompute_all()
    small, _ = count_queries(lambda: client.get(source.get_absolute_url()))
    for i in range(80):
        say(newsroom, source, new_claim(f"Large {i}"), "denies")
    Claim.objects.update(status="mostly_true")
    credibility.recompute_all()
    large, sql = count_queries(lambda: client.get(source.get_absolute_url()))
    assert small == large, "\n".join(sql)
    # the data version (the page is kept whole under it), the source with its actor and track
    # record (one join), the actor's ancestors, the counts by stance, the newest attributions,
    # the statements of its record and the contradicted ones (each after the ids of the claims
    # so rated, read to a bound): 9.
    assert large <= 9, "\n".join(sql)


def test_a_recompute_renews_pages_kept_under_the_data_version(client, newsroom):
    Claim.objects.filter(pk=newsroom.claim.pk).update(status="confirmed")  # a bulk import
    url = newsroom.opposition_sources.get_absolute_url()
    assert "No rated claim yet" in client.get(url).content.decode()  # the records lag behind
    call_command("recompute_credibility", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert "from 1 rated claim: 1 for, 0 against. Too few to judge" in text_of(
        client.get(url).content.decode()
    )
