"""schema.org ClaimReview for a rated claim, embedded as JSON-LD in the claim page."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article
from tracker.choices import ClaimStatus, SourceKind, Stance
from tracker.models import (
    Attribution,
    Claim,
    Source,
    Verdict,
)

# ClaimReview's numeric scale (worst 1 .. best 5); unproven has a name but no place on it.
RATING_VALUES: dict[str, int] = {
    ClaimStatus.REFUTED: 1,
    ClaimStatus.MOSTLY_FALSE: 2,
    ClaimStatus.MIXED: 3,
    ClaimStatus.MOSTLY_TRUE: 4,
    ClaimStatus.CONFIRMED: 5,
}
SITE_NAME = "Attribution tracker"

# -- ClaimReview ---------------------------------------------------------------------------------


def _iso(value: date | datetime) -> str:
    return value.isoformat()


def _claim_author(source: Source) -> dict[str, str] | None:
    """schema.org's author of a claim: a person or an organisation with a name a reader can
    look up. Anonymous groups and the reporter's own voice are left out; a document stands for
    the actor that wrote it, when known."""
    if source.kind == SourceKind.PERSON:
        return {"@type": "Person", "name": source.name}
    if source.kind == SourceKind.ORGANISATION:
        return {"@type": "Organization", "name": source.name}
    if source.kind == SourceKind.DOCUMENT and source.actor is not None:
        return {"@type": "Organization", "name": source.actor.name}
    return None


def _appearance(article: Article) -> dict[str, Any]:
    work: dict[str, Any] = {
        "@type": "CreativeWork",
        "headline": article.title,
        "datePublished": _iso(article.published_on),
    }
    if article.url.lower().startswith(("http://", "https://")):
        work["url"] = article.url
    if article.outlet is not None:
        work["publisher"] = {"@type": "Organization", "name": article.outlet.name}
    return work


def claim_review(
    *,
    claim: Claim,
    verdict: Verdict,
    attributions: Sequence[Attribution],
    page_url: str,
    site_url: str,
) -> dict[str, Any]:
    """schema.org ClaimReview of a claim's current verdict, with the fields Google requires
    (claimReviewed, reviewRating.alternateName, url) and those it recommends (author,
    datePublished, itemReviewed as a Claim with its authors and appearances).

    attributions: the claim's, with source, source.actor, article and article.outlet loaded.
    """
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict.get_rating_display()}
    if verdict.rating in RATING_VALUES:
        rating |= {"ratingValue": RATING_VALUES[verdict.rating], "bestRating": 5, "worstRating": 1}
    authors: list[dict[str, str]] = []
    for attribution in attributions:
        if attribution.stance == Stance.ASSERTS:
            author = _claim_author(attribution.source)
            if author is not None and author not in authors:
                authors.append(author)
    # Where the claim appears: every article that carries it, whoever asserted or denied it.
    articles = {a.article_id: a.article for a in attributions}
    item: dict[str, Any] = {"@type": "Claim"}
    if authors:
        item["author"] = authors
    if claim.first_reported_on:
        item["datePublished"] = _iso(claim.first_reported_on)
    if articles:
        ordered = sorted(articles.values(), key=lambda a: (a.published_on, a.pk))
        item["appearance"] = [_appearance(article) for article in ordered]
        item["firstAppearance"] = item["appearance"][0]
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": page_url,
        "claimReviewed": claim.text,
        "datePublished": _iso(timezone.localdate(verdict.rated_at)),
        "author": {"@type": "Organization", "name": SITE_NAME, "url": site_url},
        "reviewRating": rating,
        "reviewBody": verdict.explanation,
        "itemReviewed": item,
    }


# Characters that could end or confuse a <script> element, as JSON escapes (what Django's
# json_script does, for a script type json_script cannot set).
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028",
    ord("\u2029"): "\\u2029",
}


def json_ld(data: dict[str, Any]) -> SafeString:
    """JSON for a <script type="application/ld+json">: editors' text cannot close the tag."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES))
