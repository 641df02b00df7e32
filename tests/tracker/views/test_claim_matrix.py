"""/claims/matrix/: actors against claims, each cell the stance in colour and in words."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import count_queries, grow
from tracker.models import Claim

pytestmark = pytest.mark.django_db

URL = reverse("tracker:claim_matrix")


def cells(response) -> dict[tuple[str, str], list[str]]:
    assert response.status_code == 200
    columns = [c.label for c in response.context["columns"]]
    return {
        (row["claim"].slug, column): [s["stance"] for s in cell]
        for row in response.context["rows"]
        for column, cell in zip(columns, row["cells"], strict=True)
        if cell
    }


def test_each_cell_is_what_the_actor_did_on_the_claim(client, seeded):
    found = cells(client.get(URL + "?actor=russia"))
    assert found[("russia-has-forces-in-libya", "Russian government")] == ["denies"]
    hiring = "wagner-conducting-syrian-hiring-with-russian-army-supervision"
    assert found[(hiring, "Russian Defence Ministry")] == ["no_response"]


def test_sources_without_an_actor_get_a_column_of_their_own(client, seeded):
    response = client.get(URL + "?anonymity=anonymous")
    labels = [c.label for c in response.context["columns"]]
    assert "Regional source familiar with the matter" in labels
    assert "Syrian opposition" in labels


def test_stances_are_written_in_words_not_only_colour(client, seeded):
    text = client.get(URL + "?stance=responses").content.decode()
    assert '<span class="stance stance-denies">Denies</span>' in text
    assert '<span class="stance stance-no_response">Did not respond</span>' in text
    assert 'scope="col"' in text and 'scope="row"' in text


def test_the_matrix_takes_the_list_filters_and_rejects_bad_ones(client, seeded):
    assert {k[0] for k in cells(client.get(URL + "?stance=denies"))} == {
        "russia-has-forces-in-libya",
        "haftar-forces-recruited-syrian-fighters",
        "russians-in-libya-represent-russian-state-or-are-paid-by-it",  # Putin's denial
    }
    response = client.get(URL + "?stance=nope")
    assert response.status_code == 400
    assert client.get(URL + "?format=json").status_code == 400


def test_the_matrix_pages_through_claims(client, newsroom):
    grow(newsroom, 50)
    first = client.get(URL)
    assert len(first.context["rows"]) == 40
    second = client.get(URL + first.context["next_url"])
    shown = {r["claim"].pk for r in first.context["rows"]} | {
        r["claim"].pk for r in second.context["rows"]
    }
    assert len(shown) == Claim.objects.count()


def test_the_matrix_runs_a_fixed_number_of_queries(client, newsroom):
    grow(newsroom, 3)
    small, _ = count_queries(lambda: client.get(URL))
    grow(newsroom, 40)
    large, sql = count_queries(lambda: client.get(URL))
    # The page of claims and their attributions with sources and actors (no data version is
    # read: nothing on the page is cached).
    assert small == large == 2, "\n".join(sql)
