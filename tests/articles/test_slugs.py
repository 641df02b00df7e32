"""unique_slug: a slug no row has yet, found from the rows that share its start."""

from __future__ import annotations

import pytest

from articles.slugs import unique_slug
from tracker.models import Claim

pytestmark = pytest.mark.django_db


def claims(*slugs: str) -> None:
    Claim.objects.bulk_create(Claim(text=slug, slug=slug) for slug in slugs)


def test_a_free_slug_is_the_text_slugified():
    claims("other-claim")
    assert unique_slug(Claim, "The drive accelerated") == "the-drive-accelerated"


def test_a_taken_slug_gets_the_next_free_number():
    claims("drive", "drive-2", "drive-3", "drive-5", "drive-and-more", "drivel")
    assert unique_slug(Claim, "Drive") == "drive-4"


def test_slugs_that_only_sort_near_do_not_count():
    # Before and after "drive" byte by byte, and the same letters in capitals.
    claims("driv", "drivd-2", "drivf", "drive.", "DRIVE", "Drive-2")
    assert unique_slug(Claim, "drive") == "drive"


def test_a_long_text_is_cut_to_the_field_and_numbered_within_it():
    limit = Claim._meta.get_field("slug").max_length
    assert limit is not None
    text = "word " * 200
    first = unique_slug(Claim, text)
    assert len(first) <= limit
    claims(first)
    second = unique_slug(Claim, text)
    assert second != first and len(second) <= limit and second.endswith("-2")
