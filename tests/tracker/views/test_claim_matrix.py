"""/claims/matrix/: actors against claims, each cell the stance in colour and in words."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import BODY, count_queries, grow, span_of
from tracker.models import Actor, Attribution, Claim, Source

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


# -- Nobody hidden: columns past the twelfth are named, and can all be shown ------------------


def test_actors_without_a_column_are_named_and_linked(client, newsroom):
    grow(newsroom, 14)  # 14 more actors on a claim each: 17 columns in all
    putin = Actor.objects.create(name="Vladimir Putin", slug="vladimir-putin", kind="person")
    source = Source.objects.create(name="Putin", slug="putin", kind="person", actor=putin)
    passage = span_of(BODY, "Five Syrian opposition sources said the drive accelerated.")
    Attribution.objects.create(
        claim=newsroom.claim, source=source, article=newsroom.article, stance="asserts",
        wording="Putin", **passage,
    )  # fmt: skip
    response = client.get(URL)
    shown = [c.label for c in response.context["columns"]]
    hidden = [c.label for c in response.context["hidden"]]
    assert len(shown) == 12 and len(hidden) == 6
    assert "Vladimir Putin" in hidden  # last alphabetically among actors on one claim
    newsroom_actors = {"Russian Defence Ministry", "Russian government", "Syrian opposition"}
    grown = {f"Actor 14-{i}" for i in range(14)}
    assert set(shown) | set(hidden) == grown | newsroom_actors | {"Vladimir Putin"}
    html = response.content.decode()
    named = html[html.index('id="matrix-hidden"') :]
    assert '<a href="/actors/vladimir-putin/">Vladimir Putin</a>' in named
    assert "Show all 18 columns" in named and "columns=all" in named
    every = client.get(URL + "?columns=all")
    assert len(every.context["columns"]) == 18 and not every.context["hidden"]
    assert 'id="matrix-hidden"' not in every.content.decode()


def test_the_phone_card_of_a_claim_lists_every_actor_with_its_stances(client, newsroom):
    grow(newsroom, 14)
    response = client.get(URL)
    card = next(r for r in response.context["rows"] if r["claim"] == newsroom.claim)
    voices = [(c.label, [s["stance"] for s in v]) for c, v in card["voices"]]
    assert len(voices) == 17  # five more than the table has columns
    assert voices[0] == ("Actor 14-0", ["asserts", "denies"])
    assert voices[14:] == [
        ("Russian Defence Ministry", ["no_response"]),
        ("Russian government", ["denies"]),
        ("Syrian opposition", ["asserts"]),
    ]
    html = response.content.decode()
    cards = html[html.index('class="matrix-cards"') :]
    assert (
        '<a href="/actors/actor-14-13/">Actor 14-13</a>: <span class="stance stance-asserts">'
        'Asserts</span> <span class="stance stance-denies">Denies</span>'
    ) in cards


def test_rollup_counts_sub_actors_under_their_top_level_actor(client, newsroom):
    found = cells(client.get(URL + "?rollup=1"))
    assert found[("drive", "Russia")] == ["denies", "no_response"]
    assert found[("drive", "Syrian opposition")] == ["asserts"]
    assert {column for _, column in found} == {"Russia", "Syrian opposition"}
    html = client.get(URL + "?rollup=1").content.decode()
    assert '<a href="/actors/russia/">Russia</a> <span class="meta">(and 2 under it)</span>' in html


def test_rollup_two_keeps_the_second_level(client, newsroom):
    found = cells(client.get(URL + "?rollup=2"))
    assert found[("drive", "Russian government")] == ["denies", "no_response"]
    assert "Russian Defence Ministry" not in {column for _, column in found}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("rollup=-1", "rollup"), ("rollup=yes", "rollup"), ("rollup=11", "rollup"),
     ("rollup=%D9%A3", "rollup"), ("columns=some", "columns")],
)  # fmt: skip
def test_bad_presentation_parameters_are_a_400_naming_them(client, newsroom, query, parameter):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert parameter in response.content.decode()
    assert client.get(f"{URL}?{query}&format=csv").status_code == 400


def test_the_csv_works_beside_the_new_parameters(client, newsroom):
    response = client.get(URL + "?rollup=1&columns=all&format=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    assert text.lstrip("\ufeff").startswith("claim_id,claim,")
    assert "The recruitment drive accelerated." in text


def test_actor_names_are_escaped_in_headers_lists_and_cards(client, newsroom):
    newsroom.opposition.name = "<script>alert(1)</script>"
    newsroom.opposition.save()
    grow(newsroom, 14)
    html = client.get(URL).content.decode() + client.get(URL + "?rollup=1").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    "options", ["?actor=russia&rollup=1", "?actor=russia&rollup=2&columns=all"]
)
def test_rolled_up_matrix_runs_a_fixed_number_of_queries(client, newsroom, options):
    grow(newsroom, 3)
    small, _ = count_queries(lambda: client.get(URL + options))
    grow(newsroom, 40)
    large, sql = count_queries(lambda: client.get(URL + options))
    # The actor's sub-tree, the matching claim ids, the page of claims, their attributions with
    # sources and actors, and the ancestors the columns roll up to (that one is not read when
    # no actor on the page sits below the roll-up level).
    assert small == large == 5, "\n".join(sql)
