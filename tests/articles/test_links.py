"""detail_url: the link reverse() gives, without resolving the pattern for every link."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from articles.links import detail_url

NAMES = ["tracker:claim_detail", "tracker:source_detail", "tracker:article_detail"]


@pytest.fixture
def mounted_under_a_prefix():
    set_script_prefix("/newsroom/")
    yield
    clear_script_prefix()


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("pk", [1, 42, 10**12])
def test_numbered_pages_link_as_reverse_does(name, pk):
    assert detail_url(name, pk) == reverse(name, args=[pk])


@pytest.mark.parametrize(
    "slug", ["russia", "russian-defence-ministry", "a_b-9", "0", "7319086425", "x7319086425x"]
)
def test_slugged_pages_link_as_reverse_does(slug):
    name = "tracker:actor_detail"
    assert detail_url(name, slug, kwarg="slug") == reverse(name, kwargs={"slug": slug})


def test_a_script_prefix_is_followed(mounted_under_a_prefix):
    assert detail_url("tracker:claim_detail", 5) == reverse("tracker:claim_detail", args=[5])
    assert detail_url("tracker:claim_detail", 5).startswith("/newsroom/")
    clear_script_prefix()
    assert not detail_url("tracker:claim_detail", 5).startswith("/newsroom/")


def test_a_value_the_pattern_refuses_is_refused_as_reverse_refuses_it():
    for value in ["None", "abc", "1.5", ""]:
        with pytest.raises(NoReverseMatch):
            reverse("tracker:claim_detail", args=[value])
        with pytest.raises(NoReverseMatch):
            detail_url("tracker:claim_detail", value)
    with pytest.raises(NoReverseMatch):
        detail_url("tracker:actor_detail", "two words", kwarg="slug")


def test_a_value_reverse_would_quote_goes_through_reverse():
    # Not a slug the pattern takes: whatever reverse() does, detail_url does the same.
    name = "tracker:actor_detail"
    for slug in ["café", "a/b", "a%2Fb"]:
        try:
            expected: str | Exception = reverse(name, kwargs={"slug": slug})
        except NoReverseMatch as error:
            expected = error
        if isinstance(expected, Exception):
            with pytest.raises(NoReverseMatch):
                detail_url(name, slug, kwarg="slug")
        else:
            assert detail_url(name, slug, kwarg="slug") == expected


def test_another_url_configuration_is_followed(settings):
    before = detail_url("tracker:claim_detail", 3)
    settings.ROOT_URLCONF = "tests.articles.links_urls"
    assert detail_url("tracker:claim_detail", 3) == "/elsewhere/claims/3/"
    settings.ROOT_URLCONF = "config.urls"
    assert detail_url("tracker:claim_detail", 3) == before
