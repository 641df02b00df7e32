"""The claim page: who asserted, denied, declined or ignored a claim, and how well it is sourced."""

from __future__ import annotations

import re

import pytest
from django.db.models import FETCH_RAISE
from django.urls import reverse

from tests.conftest import count_queries, grow
from tracker.models import Claim

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
    assert "7 people" in summary  # five opposition sources, the ministry, the spokesman
    assert "Documents 0" in summary
    assert "2 responses sought: 1 denied, 1 did not respond, 0 declined" in summary


def test_the_summary_counts_no_people_for_documents_or_the_reporters_voice(client, seeded):
    claim = Claim.objects.get(slug="wagner-has-up-to-1200-people-in-libya")
    summary = claim.attributions.sourcing_summary()
    assert summary["documents"] == 1
    assert summary["people"] == 0
    html = page(client, claim)
    assert "0 responses sought: 0 denied, 0 did not respond, 0 declined" in html


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
    # sources, actors, articles and outlets (one join), the sourcing summary (one aggregate): 5.
    assert large <= 6, "\n".join(sql)
    assert "Ministry spokesman" in page(client, newsroom.claim)
