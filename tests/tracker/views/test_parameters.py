"""Every page and API endpoint that reads query parameters refuses one it does not know with a
400 naming it (a misspelled filter is never silently ignored), and keeps taking the ones it
reads: the filters of its FilterSet and its own (format, sort, cursor, page_size)."""

from __future__ import annotations

import html

import pytest

from tracker.filtersets import AttributionFilterSet, TrackRecordFilterSet, VerdictFilterSet

pytestmark = pytest.mark.django_db

PAGES = {
    "/claims/": (AttributionFilterSet, ["format", "sort", "cursor"]),
    "/claims/matrix/": (AttributionFilterSet, ["format", "cursor"]),
    "/credibility/": (TrackRecordFilterSet, []),
}
API_LISTS = {
    "/api/claims/": AttributionFilterSet,
    "/api/attributions/": AttributionFilterSet,
    "/api/sources/": None,
    "/api/actors/": None,
    "/api/articles/": None,
    "/api/outlets/": None,
    "/api/verdicts/": VerdictFilterSet,
    "/api/track-records/": TrackRecordFilterSet,
}


@pytest.mark.parametrize("url", PAGES)
def test_a_page_names_a_misspelled_parameter(client, newsroom, url):
    response = client.get(url + "?stnace=denies&actor=russia")
    assert response.status_code == 400
    text = html.unescape(response.content.decode())
    assert "<code>stnace</code>" in text
    assert "There is no parameter 'stnace' here." in text
    assert "<code>actor</code>" not in text  # the good one is not blamed


def test_the_likely_parameter_is_suggested(client, newsroom):
    text = html.unescape(client.get("/claims/?stnace=denies").content.decode())
    assert "Did you mean stance?" in text


@pytest.mark.parametrize("url", PAGES)
def test_a_page_takes_every_parameter_it_reads(client, newsroom, url):
    filterset, own = PAGES[url]
    # An empty value is "no filter" (a form sends its empty fields so), but for a stance.
    names = [*filterset.base_filters, *own]
    query = "&".join(
        f"{name}={'responses' if name == 'stance' else ''}"
        for name in names
        if name not in ("format", "sort")
    )
    response = client.get(f"{url}?{query}&utm_source=newsletter")
    assert response.status_code == 200, response.content.decode()[:2000]


def test_an_export_names_a_misspelled_parameter_in_its_format(client, newsroom):
    response = client.get("/claims/?format=csv&actr=russia")
    assert response.status_code == 400
    assert response.content.decode().startswith("actr: There is no parameter 'actr' here.")
    response = client.get("/claims/?format=json&actr=russia")
    assert set(response.json()["errors"]) == {"actr"}


@pytest.mark.parametrize("url", API_LISTS)
def test_an_api_list_names_a_misspelled_parameter(client, newsroom, url):
    response = client.get(url + "?stnace=denies&page_size=2")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["stnace"]
    assert errors["stnace"].startswith("There is no parameter 'stnace' here.")


@pytest.mark.parametrize("url", API_LISTS)
def test_an_api_list_takes_its_filters_and_its_pages(client, newsroom, url):
    filterset = API_LISTS[url]
    names = [*(filterset.base_filters if filterset else ()), "page_size", "format"]
    values = {"page_size": "2", "format": "json", "stance": "responses"}
    query = "&".join(f"{name}={values.get(name, '')}" for name in names)
    response = client.get(f"{url}?{query}")
    assert response.status_code == 200, response.json()
    following = client.get(response.json()["next"]) if response.json()["next"] else None
    assert following is None or following.status_code == 200


def test_a_filter_on_an_api_detail_is_named(client, newsroom):
    response = client.get(f"/api/claims/{newsroom.claim.pk}/?stance=denies")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["stance"]
    assert client.get(f"/api/claims/{newsroom.claim.pk}/?format=json").status_code == 200
