"""Claims that answer each other: links shown from both ends, in the seed, the API, the admin,
and what they do to "denials later contradicted"."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tracker.models import Claim, ClaimLink, Verdict

pytestmark = pytest.mark.django_db

LIBYA = "russia-has-forces-in-libya"
UN = "wagner-has-up-to-1200-people-in-libya"
HAFTAR = "haftar-forces-recruited-syrian-fighters"
DRIVE = "russian-drive-to-recruit-syrians-for-haftar-accelerated-may-2020"


def rate(claim: Claim, rating: str) -> Verdict:
    return Verdict.objects.create(claim=claim, rating=rating, explanation="Checked.")


def claim(slug: str) -> Claim:
    return Claim.objects.get(slug=slug)


def listed(client, query: str) -> set[str]:
    response = client.get(f"/claims/?{query}")
    assert response.status_code == 200
    return {row.claim.slug for row in response.context["claims"]}


def test_the_seed_links_the_denials_to_what_they_answer(seeded):
    pairs = {
        (link.claim.slug, link.relation, link.other.slug)
        for link in ClaimLink.objects.select_related("claim", "other")
    }
    assert pairs == {(UN, "supports", LIBYA), (DRIVE, "supports", HAFTAR)}


def test_a_claim_page_shows_its_links_from_both_ends(client, seeded):
    html = client.get(claim(LIBYA).get_absolute_url()).content.decode()
    assert "Supported by" in html and f'href="/claims/{claim(UN).pk}/"' in html
    html = client.get(claim(UN).get_absolute_url()).content.decode()
    assert "Supports" in html and f'href="/claims/{claim(LIBYA).pk}/"' in html


def test_the_api_reads_the_links_on_the_claim(client, seeded):
    data = client.get(f"/api/claims/{claim(HAFTAR).pk}/").json()
    assert [(link["relation"], link["reads"], link["claim"]["id"]) for link in data["links"]] == [
        ("supports", "Supported by", claim(DRIVE).pk)
    ]
    schema = client.get("/api/schema/?format=json").json()
    assert "ClaimLink" in schema["components"]["schemas"]


def test_no_self_links_and_one_link_per_pair_and_relation(seeded):
    libya, un = claim(LIBYA), claim(UN)
    with pytest.raises(ValidationError):
        ClaimLink(claim=libya, other=libya, relation="same_as").full_clean()
    with pytest.raises(ValidationError):  # the same pair written from the other end
        ClaimLink(claim=libya, other=un, relation="supports").full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimLink.objects.create(claim=libya, other=un, relation="supports")
    ClaimLink(claim=libya, other=un, relation="contradicts").full_clean()  # another relation


def test_a_denial_of_a_claim_the_same_as_one_confirmed_is_contradicted(client, seeded):
    # "Russia has forces in Libya" is not rated; a claim the same as it is confirmed.
    same = Claim.objects.create(text="Russian forces are deployed in Libya.", slug="same")
    ClaimLink.objects.create(claim=same, other=claim(LIBYA), relation="same_as")
    assert LIBYA not in listed(client, "contradicted_denials=1")
    rate(same, "confirmed")
    assert LIBYA in listed(client, "contradicted_denials=1&stance=denies")
    rate(same, "mixed")
    assert LIBYA not in listed(client, "contradicted_denials=1")


def test_actor_and_source_pages_list_a_denial_contradicted_through_a_link(client, seeded):
    denial = claim(LIBYA).attributions.get(stance="denies")
    pages = [denial.source.get_absolute_url(), denial.source.actor.get_absolute_url()]

    def contradicted_on(url: str) -> set[int]:
        response = client.get(url)
        assert response.status_code == 200
        return {s.claim_id for s in response.context["record"].denials}

    same = Claim.objects.create(text="Russian forces are deployed in Libya.", slug="same")
    ClaimLink.objects.create(claim=same, other=claim(LIBYA), relation="same_as")
    assert all(claim(LIBYA).pk not in contradicted_on(url) for url in pages)
    rate(same, "confirmed")  # the claim itself stays unrated: the link carries the verdict
    assert claim(LIBYA).status != "confirmed"
    assert all(claim(LIBYA).pk in contradicted_on(url) for url in pages)


def test_asserting_a_claim_that_contradicts_a_confirmed_one_is_refuted(client, seeded):
    # The UN report asserts its figure; a claim it contradicts is confirmed.
    confirmed = Claim.objects.create(text="Wagner has no one in Libya.", slug="none-there")
    ClaimLink.objects.create(claim=confirmed, other=claim(UN), relation="contradicts")
    rate(confirmed, "confirmed")
    assert UN in listed(client, "contradicted_denials=1&stance=asserts")
    # "supports" carries no verdict: the Russian state's denial of its supported claim stands.
    assert LIBYA not in listed(client, "contradicted_denials=1")


def test_the_admin_edits_links_on_the_claim(editor_client, seeded):
    page = editor_client.get(f"/admin/tracker/claim/{claim(UN).pk}/change/")
    assert page.status_code == 200
    assert "link to another claim" in page.content.decode().lower()
