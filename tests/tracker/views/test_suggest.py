"""The filter form's suggestions (/suggest/actors/, /suggest/outlets/): names, aliases and
slugs with a word starting with what is typed, a fixed number of queries, and the form's
datalists (more in tests/tracker/test_names.py)."""

from __future__ import annotations

import pytest

from tests.conftest import grow
from tracker.models import Actor, ActorAlias

pytestmark = pytest.mark.django_db


def results(client, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_actors_are_suggested_by_name_alias_or_slug(client, newsroom):
    slugs = [row["slug"] for row in results(client, "/suggest/actors/?q=russian")]
    assert slugs == ["russian-defence-ministry", "russian-government"]
    assert results(client, "/suggest/actors/?q=MoD") == [
        {"slug": "russian-defence-ministry", "name": "Russian Defence Ministry"}
    ]
    assert [row["slug"] for row in results(client, "/suggest/actors/?q=opposition")] == [
        "syrian-opposition"
    ]
    assert results(client, "/suggest/actors/?q=") == []
    assert results(client, "/suggest/actors/") == []


def test_accents_need_not_be_typed(client, newsroom):
    Actor.objects.create(name="Turkey", slug="turkey", kind="state")
    ActorAlias.objects.create(actor=Actor.objects.get(slug="turkey"), name="Turkiye")
    assert [row["slug"] for row in results(client, "/suggest/actors/?q=t%C3%BCrkiye")] == ["turkey"]


def test_outlets_are_suggested(client, newsroom):
    assert results(client, "/suggest/outlets/?q=wi") == [{"slug": "wire", "name": "Wire"}]
    assert results(client, "/suggest/outlets/?q=nothing") == []


@pytest.mark.parametrize("size", [0, 25])
def test_a_suggestion_is_one_query_and_at_most_ten(
    client, newsroom, size, django_assert_num_queries
):
    if size:
        grow(newsroom, size)
    with django_assert_num_queries(1):  # the actors with a word key in range, 10 at most
        found = results(client, "/suggest/actors/?q=actor")
    assert len(found) == min(size, 10)
    with django_assert_num_queries(1):
        results(client, "/suggest/outlets/?q=outlet")


def test_bad_parameters_are_named(client, newsroom):
    response = client.get("/suggest/actors/?query=russia")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["query"]
    response = client.get("/suggest/actors/?q=" + "x" * 101)
    assert response.status_code == 400
    assert "at most 100 characters" in response.json()["errors"]["q"]


def test_the_filter_forms_offer_suggestions_and_work_without_scripts(client, newsroom):
    page = client.get("/claims/").content.decode()
    assert 'list="f-actor-list"' in page and '<datalist id="f-actor-list"></datalist>' in page
    assert 'data-suggest="/suggest/actors/"' in page
    assert 'data-suggest="/suggest/outlets/"' in page
    assert '<script src="/static/tracker/suggest.js" defer></script>' in page
    assert 'data-suggest="/suggest/actors/"' in client.get("/credibility/").content.decode()
    # What a reader types is a filter whether or not a suggestion was picked.
    assert client.get("/claims/?actor=Russian+MoD").status_code == 200
