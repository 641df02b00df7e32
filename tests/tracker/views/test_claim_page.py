"""The claim page: who asserted, denied, declined or ignored a claim, and how well it is sourced."""

from __future__ import annotations

import re

import pytest
from django.db.models import FETCH_RAISE, Count, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse

from tests.conftest import count_queries, grow
from tracker.choices import NOT_PEOPLE, RESPONSES
from tracker.models import Attribution, Claim, Source
from tracker.querysets import summarize_sourcing

pytestmark = pytest.mark.django_db

WAGNER_HIRING = "wagner-conducting-syrian-hiring-with-russian-army-supervision"


def page(client, claim: Claim) -> str:
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, heading: str) -> str:
    """The HTML from a stance heading to the next heading of the same level or the aside."""
    match = re.search(rf"<h2[^>]*>{heading}\b.*?(?=<h2|</?aside|</main)", html, re.S)
    assert match, f"no section {heading!r}"
    return match.group(0)


def headings(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>|\s*\(\d+\)", "", h).strip()
        for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html)
    ]


def test_the_url_is_the_claim_pages(newsroom):
    assert newsroom.claim.get_absolute_url() == reverse(
        "tracker:claim_detail", args=[newsroom.claim.pk]
    )
    assert newsroom.claim.get_absolute_url() == f"/claims/{newsroom.claim.pk}/"


def test_it_groups_attributions_by_stance_for_the_seed_claim(client, seeded):
    html = page(client, Claim.objects.get(slug=WAGNER_HIRING))
    # Only the groups that have someone in them, in the reader's order.
    assert headings(html)[:2] == ["Asserted by", "Did not respond"]
    assert "Denied by" not in html
    assert "Declined to comment" not in html
    asserted = section(html, "Asserted by")
    assert "two senior Syrian opposition sources" in asserted
    assert "2 people" in asserted
    assert "the regional source" in asserted
    unanswered = section(html, "Did not respond")
    assert "Russian Defence Ministry" in unanswered
    assert "Wagner group" in unanswered
    assert "Syrian opposition" not in unanswered


def test_a_denial_is_listed_under_denied_by(client, seeded):
    html = page(client, Claim.objects.get(slug="russia-has-forces-in-libya"))
    assert headings(html)[0] == "Denied by"
    denied = section(html, "Denied by")
    assert "The Russian state" in denied
    assert 'href="/actors/russian-government/"' in denied


def test_each_attribution_links_its_source_actor_and_passage(client, newsroom):
    html = page(client, newsroom.claim)
    denied = section(html, "Denied by")
    assert f'href="/sources/{newsroom.spokesman.pk}/"' in denied
    assert f'href="/actors/{newsroom.government.slug}/"' in denied
    assert f'href="/articles/{newsroom.article.pk}/#attribution-{newsroom.denial.pk}"' in denied
    assert "Drive accelerated" in denied  # the article's title, then its outlet and date
    assert "Wire" in denied
    assert "7 June 2020" in denied
    assert "<blockquote>We never did that,</blockquote>" in denied
    assert "anonymous" in denied
    asserted = section(html, "Asserted by")
    assert "5 people" in asserted
    assert "1 people" not in html


def test_the_marks_say_named_anonymous_document_or_unattributed(client, seeded):
    html = page(client, Claim.objects.get(slug="wagner-has-up-to-1200-people-in-libya"))
    assert '<span class="tag source-mark">document</span>' in html
    html = page(client, Claim.objects.get(slug="wagner-group-is-private-military-contractor"))
    assert '<span class="tag source-mark">unattributed</span>' in html
    html = page(client, Claim.objects.get(slug="russia-has-forces-in-libya"))
    assert '<span class="tag source-mark">named</span>' in html


def test_the_sourcing_summary_counts_sources_people_and_responses(client, newsroom):
    html = page(client, newsroom.claim)
    summary = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section(html, "Sourcing")))
    assert "3 distinct sources in 3 attributions" in summary
    assert "1 named, 2 anonymous, 0 unattributed" in summary
    assert "2 attributions: 1 asserted, 1 denied" in summary
    assert "6 people" in summary  # five opposition sources and the spokesman; not the ministry
    assert "Documents 0" in summary
    assert "1 source asked: 0 declined, 1 did not respond" in summary
    assert "rests only on anonymous sources" in summary  # the five are anonymous


def counted_by_the_database(claim: Claim) -> dict:
    """The sourcing summary's counts asked of the database in one aggregate: the oracle."""
    spoke = Q(stance__in=("asserts", "denies"))
    people = spoke & ~Q(anonymity="unattributed") & ~Q(source__kind__in=NOT_PEOPLE)
    summary = claim.attributions.aggregate(
        attributions=Count("pk"),
        sources=Count("source", distinct=True),
        named=Count("pk", filter=Q(anonymity="named")),
        anonymous=Count("pk", filter=Q(anonymity="anonymous")),
        on_record=Count("pk", filter=Q(anonymity="on_record")),
        unattributed=Count("pk", filter=Q(anonymity="unattributed")),
        people=Coalesce(Sum("count", filter=people), 0),
        unspecified=Count("pk", filter=people & Q(count__isnull=True)),
        documents=Count("pk", filter=Q(source__kind="document")),
        asserts=Count("pk", filter=Q(stance="asserts")),
        denies=Count("pk", filter=Q(stance="denies")),
        declined=Count("pk", filter=Q(stance="declined")),
        no_response=Count("pk", filter=Q(stance="no_response")),
        responses=Count("pk", filter=Q(stance__in=RESPONSES)),
        spoke=Count("pk", filter=spoke),
        asked=Count("pk", filter=Q(stance__in=("declined", "no_response"))),
        asserts_anonymous=Count("pk", filter=Q(stance="asserts", anonymity="anonymous")),
    )
    summary["people_at_least"] = summary["people"] + 2 * summary["unspecified"]
    summary["only_anonymous"] = 0 < summary["asserts"] == summary["asserts_anonymous"]
    return summary


def summary_of(claim: Claim) -> dict:
    return summarize_sourcing(claim.attributions.for_list())


def test_the_page_summarizes_the_rows_it_read_as_one_aggregate_query_counts_them(newsroom, seeded):
    grow(newsroom, 6)
    # Every kind of row: unspecified numbers, documents, the reporter's voice, each anonymity.
    Attribution.objects.filter(pk__in=[newsroom.anonymous_five.pk, newsroom.no_response.pk]).update(
        count=None
    )
    Attribution.objects.filter(pk=newsroom.denial.pk).update(anonymity="unattributed")
    Source.objects.filter(pk=newsroom.opposition_sources.pk).update(kind="unattributed")
    for claim in Claim.objects.all():
        read = list(claim.attributions.for_list())
        assert summarize_sourcing(read) == counted_by_the_database(claim), claim.slug


def test_the_summary_counts_no_people_for_documents_or_the_reporters_voice(client, seeded):
    claim = Claim.objects.get(slug="wagner-has-up-to-1200-people-in-libya")
    summary = summary_of(claim)
    assert summary["documents"] == 1
    assert summary["people"] == 0
    html = page(client, claim)
    assert "0 sources asked: 0 declined, 0 did not respond" in html
    assert "rests only on anonymous sources" not in html  # a document asserts it


def test_it_lists_the_articles_and_the_actors_the_claim_is_about(client, newsroom):
    html = page(client, newsroom.claim)
    carried = section(html, "Articles carrying this claim")
    assert f'href="/articles/{newsroom.article.pk}/"' in carried
    about = section(html, "About")
    assert 'href="/actors/russia/"' in about


def test_the_status_and_a_short_title(client, newsroom):
    newsroom.claim.text = "A " + "very " * 40 + "long claim."
    newsroom.claim.status = Claim.Status.MOSTLY_FALSE
    newsroom.claim.save()
    html = page(client, newsroom.claim)
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.startswith("A very very")
    assert "…" in title
    assert "long claim." not in title
    assert "Mostly false" in html
    assert html.count("<h1") == 1


def test_an_unknown_claim_is_not_found(client, db):
    assert client.get("/claims/999999/").status_code == 404


def test_the_page_loads_in_the_same_number_of_queries_at_two_sizes(client, newsroom, monkeypatch):
    # A lazy load anywhere in the view or the templates would raise instead of querying.
    monkeypatch.setattr("django.db.models.query.DEFAULT_FETCH_MODE", FETCH_RAISE)
    grow(newsroom, 3)
    small, _ = count_queries(lambda: page(client, newsroom.claim))
    grow(newsroom, 30)  # the claim gains 60 attributions from 30 more sources
    large, sql = count_queries(lambda: page(client, newsroom.claim))
    assert small == large, "\n".join(sql)
    # the claim, the actors it is about (prefetch), its verdicts with who rated them (prefetch;
    # their evidence is one more query when there are any), its attributions with their
    # sources, actors, articles and outlets (one join; the sourcing summary is counted from
    # them), the links to other claims with both claims (one join): 5.
    assert large <= 6, "\n".join(sql)
    assert "Ministry spokesman" in page(client, newsroom.claim)


# The stance bar: an inline SVG drawn on the server, with its numbers in words beside it.


def stance_bar(html: str) -> str:
    match = re.search(r'<figure class="stance-bar">(.*?)</figure>', html, re.S)
    assert match, "no stance bar"
    return match.group(1)


def test_the_stance_bar_draws_each_stance_in_proportion_and_says_the_numbers(client, newsroom):
    # The newsroom's claim: the five opposition sources assert, the ministry does not respond,
    # the spokesman denies.
    html = page(client, newsroom.claim)
    bar = stance_bar(html)
    widths = re.findall(r'<rect x="([\d.]+)%" width="([\d.]+)%" height="28" fill="url', bar)
    third = f"{100 / 3:.3f}"
    assert widths == [("0.000", third), (third, third), (f"{200 / 3:.3f}", third)]
    legend = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", bar.split("<figcaption>")[1]))
    assert "1 asserted (33%)" in legend
    assert "1 denied (33%)" in legend
    assert "0 declined to comment (0%)" in legend
    assert "1 did not respond (33%)" in legend
    # For a screen reader: an image with a title and a description naming only what is drawn.
    assert 'role="img"' in bar
    assert re.search(r'<title id="stance-bar-title">How the 3 attributions', bar)
    description = re.search(r"<desc[^>]*>(.*?)</desc>", bar).group(1)
    assert description == "1 asserted (33%); 1 denied (33%); 1 did not respond (33%)"


def test_the_stance_bar_follows_the_counts_of_the_seed_claim(client, seeded):
    claim = Claim.objects.get(slug=WAGNER_HIRING)
    counts = summary_of(claim)
    total = sum(counts[s] for s in ("asserts", "denies", "declined", "no_response"))
    bar = stance_bar(page(client, claim))
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+%" width="([\d.]+)%"', bar)]
    expected = [100 * counts[s] / total for s in ("asserts", "no_response")]
    assert widths == pytest.approx(expected, abs=0.001)
    assert f"<strong>{counts['asserts']}</strong> asserted" in bar
    assert f"<strong>{counts['no_response']}</strong> did not respond" in bar


def test_the_stance_bar_needs_no_script_and_no_style_attribute(client, newsroom):
    html = page(client, newsroom.claim)
    assert " style=" not in html
    assert "<script>" not in html  # the ClaimReview JSON-LD, when there is one, is data
    assert "<svg" in stance_bar(html)


def test_a_claim_nobody_is_cited_for_has_no_bar(client, newsroom):
    newsroom.claim.attributions.all().delete()
    html = page(client, newsroom.claim)
    assert "stance-bar" not in html
    assert "No article ties this claim to a source yet." in html


def test_the_seeds_recruitment_claim_says_it_rests_only_on_anonymous_sources(client, seeded):
    claim = Claim.objects.get(
        slug="russian-drive-to-recruit-syrians-for-haftar-accelerated-may-2020"
    )
    summary = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section(page(client, claim), "Sourcing")))
    assert "rests only on anonymous sources" in summary
    # The opposition's five and the regional source asserted; the ministry and Wagner were asked.
    assert "2 attributions: 2 asserted, 0 denied" in summary
    assert "6 people" in summary
    assert "2 sources asked: 0 declined, 2 did not respond" in summary
