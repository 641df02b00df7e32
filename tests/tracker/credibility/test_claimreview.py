"""ClaimReview: rated claims carry schema.org JSON-LD that parses, has the fields Google requires
and recommends, and that no text from editors or articles can break out of."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.utils import timezone

from articles.models import Article
from tests.conftest import BODY, span_of
from tracker.models import Attribution, Claim, Source, Verdict

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(client, claim: Claim) -> list[dict]:
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    head = response.content.decode().split("</head>")[0]
    return [json.loads(block) for block in SCRIPT.findall(head)]


def rate(claim: Claim, rating: str, **fields) -> Verdict:
    fields.setdefault("explanation", "Checked against the UN panel's report.")
    return Verdict.objects.create(claim=claim, rating=rating, **fields)


def test_a_rated_claim_carries_a_claim_review_with_googles_fields(client, newsroom):
    when = timezone.make_aware(datetime.datetime(2024, 5, 20, 12))
    rate(newsroom.claim, "unproven", rated_at=when - datetime.timedelta(days=30))
    rate(newsroom.claim, "mostly_true", rated_at=when)
    newsroom.article.url = "https://wire.example/drive"
    newsroom.article.save()
    [review] = json_ld(client, newsroom.claim)
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    # Required: what was reviewed, the rating's name, the page.
    assert review["claimReviewed"] == "The recruitment drive accelerated."
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Mostly true",
        "ratingValue": 4,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert review["url"] == f"http://testserver/claims/{newsroom.claim.pk}/"
    # Recommended: who reviewed it and when, and the claim with its authors and appearances.
    assert review["author"] == {
        "@type": "Organization",
        "name": "Attribution tracker",
        "url": "http://testserver/",
    }
    assert review["datePublished"] == "2024-05-20"
    assert review["reviewBody"] == "Checked against the UN panel's report."
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["datePublished"] == "2020-06-07"
    # Only the anonymous opposition sources asserted it: no author a reader could look up.
    assert "author" not in item
    assert item["appearance"] == [
        {
            "@type": "CreativeWork",
            "headline": "Drive accelerated",
            "datePublished": "2020-06-07",
            "url": "https://wire.example/drive",
            "publisher": {"@type": "Organization", "name": "Wire"},
        }
    ]
    assert item["firstAppearance"] == item["appearance"][0]


def test_named_people_organisations_and_documents_are_the_claims_authors(client, newsroom):
    person = Source.objects.create(name="Joshua Landis", slug="landis", kind="person")
    report = Source.objects.create(
        name="Confidential UN report", slug="un-report", kind="document", actor=newsroom.opposition
    )
    passage = span_of(BODY, "Five Syrian opposition sources said the drive accelerated.")
    later = Article.objects.create(
        title="Later", slug="later", published_on=datetime.date(2021, 1, 1), body=BODY
    )
    for source, article in [
        (person, later),
        (report, later),
        (newsroom.ministry_source, newsroom.article),
    ]:
        Attribution.objects.create(
            claim=newsroom.claim, source=source, article=article, stance="asserts", **passage
        )
    rate(newsroom.claim, "refuted")
    item = json_ld(client, newsroom.claim)[0]["itemReviewed"]
    assert item["author"] == [
        {"@type": "Organization", "name": "Russian Defence Ministry"},
        {"@type": "Person", "name": "Joshua Landis"},
        {"@type": "Organization", "name": "Syrian opposition"},  # the document's actor
    ]
    assert [a["headline"] for a in item["appearance"]] == ["Drive accelerated", "Later"]
    assert "url" not in item["appearance"][0]  # no address known
    assert json_ld(client, newsroom.claim)[0]["reviewRating"]["ratingValue"] == 1


def test_a_claim_only_denied_still_appears_in_its_articles(client, seeded):
    claim = Claim.objects.get(slug="russia-has-forces-in-libya")
    rate(claim, "confirmed")
    item = json_ld(client, claim)[0]["itemReviewed"]
    assert "author" not in item  # nobody asserted it
    assert [a["headline"] for a in item["appearance"]] == [
        "Russia's drive to recruit Syrians for Libya accelerated in May, sources say"
    ]


def test_an_unrated_claim_has_none(client, newsroom):
    assert json_ld(client, newsroom.claim) == []


def test_a_status_set_without_a_verdict_has_none(client, newsroom):
    Claim.objects.filter(pk=newsroom.claim.pk).update(status="confirmed")
    assert json_ld(client, newsroom.claim) == []


def test_unproven_is_named_but_not_placed_on_the_scale(client, newsroom):
    rate(newsroom.claim, "unproven")
    [review] = json_ld(client, newsroom.claim)
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Unproven"}


@pytest.mark.parametrize(
    "rating, value", [("confirmed", 5), ("mostly_true", 4), ("mixed", 3), ("mostly_false", 2)]
)
def test_ratings_map_to_one_to_five(client, newsroom, rating, value):
    rate(newsroom.claim, rating)
    assert json_ld(client, newsroom.claim)[0]["reviewRating"]["ratingValue"] == value


def test_editors_text_cannot_close_the_script(client, newsroom):
    hostile = '</script><script>alert("x")</script> & <!-- \u2028'
    newsroom.claim.text = f"A claim {hostile}"
    newsroom.claim.save()
    rate(newsroom.claim, "refuted", explanation=f"Explained {hostile}")
    response = client.get(newsroom.claim.get_absolute_url())
    html = response.content.decode()
    head = html.split("</head>")[0]
    assert head.count("<script") == 1 and head.count("</script>") == 1
    assert "<script>alert" not in html  # escaped everywhere else on the page too
    block = SCRIPT.search(head).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    review = json.loads(block)
    assert review["claimReviewed"] == f"A claim {hostile}"
    assert review["reviewBody"] == f"Explained {hostile}"
