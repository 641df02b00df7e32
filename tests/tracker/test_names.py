"""Names found by their kept keys (articles/namekeys.py, tracker/names.py): every write keeps the
folded name and the word keys of actors, aliases and outlets; a name costs the same queries and a
suggestion one query whatever the number of actors; what is typed never becomes SQL syntax."""

from __future__ import annotations

import html

import pytest
from django.db import connection
from django.urls import reverse

from articles.models import Outlet, OutletWord
from articles.namekeys import fill_keys, fold, word_keys
from tests.browser_forms import form_data
from tests.conftest import count_queries, grow
from tracker.models import Actor, ActorAlias, ActorWord
from tracker.names import find_actor

pytestmark = pytest.mark.django_db

CLAIMS = reverse("tracker:claim_list")


def key_of(row: Actor | ActorAlias | Outlet) -> str:
    return type(row).objects.filter(pk=row.pk).values_list("name_key", flat=True).get()


def words_of(actor: Actor) -> set[str]:
    return set(ActorWord.objects.filter(actor=actor).values_list("key", flat=True))


def outlet_words(outlet: Outlet) -> set[str]:
    return set(OutletWord.objects.filter(outlet=outlet).values_list("key", flat=True))


def suggested(client, text: str) -> list[str]:
    response = client.get("/suggest/actors/", {"q": text})
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def claim_slugs(client, actor: str) -> set[str]:
    response = client.get(CLAIMS, {"actor": actor})
    assert response.status_code == 200, response.content[:300]
    return {row.claim.slug for row in response.context["claims"]}


def refusal(client, actor: str) -> str:
    response = client.get(CLAIMS, {"actor": actor})
    assert response.status_code == 400, response.status_code
    return html.unescape(response.content.decode())


# -- The folding ---------------------------------------------------------------------------------


def test_a_key_ignores_case_accents_spacing_and_a_leading_the():
    assert fold("  The  Wägner_Group\u00a0") == "wagner group"
    assert fold("RECEP TAYYİP ERDOĞAN") == "recep tayyip erdogan"
    assert fold("a\x00b") == "a b"  # a control character is a space, never a NUL in SQL
    assert len(fold("x" * 5000)) == 300


def test_word_keys_start_at_each_word_of_the_name_and_at_the_slug():
    assert word_keys("The Wagner Group", "pmc-wagner") == {"wagner group", "group", "pmc wagner"}
    assert word_keys("   ") == set()


# -- Every write keeps the keys ----------------------------------------------------------------


def test_a_new_and_a_renamed_actor_keep_their_keys(newsroom):
    actor = Actor.objects.create(name="The Wagner Group", slug="pmc-wagner", kind="armed_group")
    assert key_of(actor) == "wagner group"
    assert words_of(actor) == {"wagner group", "group", "pmc wagner"}

    actor.name = "Africa Corps"
    actor.save()
    assert key_of(actor) == "africa corps"
    assert words_of(actor) == {"africa corps", "corps", "pmc wagner"}

    actor.slug = "africa-corps"
    actor.save(update_fields=["slug"])
    assert words_of(actor) == {"africa corps", "corps"}

    fetched = Actor.objects.get(pk=actor.pk)
    fetched.name = "Expeditionary Corps"
    fetched.save(update_fields=["name"])
    assert key_of(actor) == "expeditionary corps"
    assert words_of(actor) == {"expeditionary corps", "corps", "africa corps"}


def test_a_save_that_changes_no_name_rewrites_no_words(newsroom):
    actor = Actor.objects.get(pk=newsroom.opposition.pk)
    actor.description = "Armed groups opposed to the government."
    _count, sql = count_queries(actor.save)
    assert not [statement for statement in sql if "actorword" in statement], sql
    _count, sql = count_queries(lambda: actor.save(update_fields=["description"]))
    assert not [statement for statement in sql if "actorword" in statement], sql


def test_aliases_keep_their_keys_and_go_with_their_actor(newsroom):
    alias = ActorAlias.objects.create(actor=newsroom.ministry, name="Minoboróny")
    assert key_of(alias) == "minoborony"
    assert "minoborony" in words_of(newsroom.ministry)

    alias.name = "Russian Ministry of Defence"
    alias.save()
    assert "minoborony" not in words_of(newsroom.ministry)
    assert {"russian ministry of defence", "ministry of defence", "defence"} <= words_of(
        newsroom.ministry
    )

    alias.actor = newsroom.government
    alias.save()
    assert "ministry of defence" not in words_of(newsroom.ministry)
    assert "ministry of defence" in words_of(newsroom.government)

    alias.delete()
    assert "ministry of defence" not in words_of(newsroom.government)
    actor = Actor.objects.create(name="Gone", slug="gone", kind="other")
    ActorAlias.objects.create(actor=actor, name="Soon gone")
    actor.delete()
    assert not ActorWord.objects.filter(key__in=["gone", "soon gone"]).exists()


def test_outlets_keep_their_keys(newsroom):
    outlet = Outlet.objects.create(name="Le Monde Diplomatique", slug="monde-diplo")
    assert key_of(outlet) == "le monde diplomatique"
    assert outlet_words(outlet) == {
        "le monde diplomatique", "monde diplomatique", "diplomatique", "monde diplo",
    }  # fmt: skip
    outlet.name = "Diplo"
    outlet.save()
    assert key_of(outlet) == "diplo"
    assert outlet_words(outlet) == {"diplo", "monde diplo"}


def test_bulk_writes_keep_the_keys(newsroom):
    first, second = Actor.objects.bulk_create(
        [
            Actor(name="Kataib Hezbollah", slug="kataib-hezbollah", path="/"),
            Actor(name="Houthis", slug="houthis", path="/"),
        ]
    )
    assert key_of(first) == "kataib hezbollah" and words_of(second) == {"houthis"}
    (alias,) = ActorAlias.objects.bulk_create([ActorAlias(actor=second, name="Ansar Allah")])
    assert key_of(alias) == "ansar allah" and "allah" in words_of(second)
    (outlet,) = Outlet.objects.bulk_create([Outlet(name="Al Masirah", slug="masirah")])
    assert key_of(outlet) == "al masirah" and "masirah" in outlet_words(outlet)

    Actor.objects.filter(pk=second.pk).update(name="Ansarallah movement")
    assert key_of(second) == "ansarallah movement"
    assert words_of(second) == {
        "ansarallah movement",
        "movement",
        "houthis",
        "ansar allah",
        "allah",
    }
    alias.name = "Ansar Allāh"
    ActorAlias.objects.bulk_update([alias], ["name"])
    assert key_of(alias) == "ansar allah"
    Outlet.objects.filter(pk=outlet.pk).update(name="Masirah TV")
    assert key_of(outlet) == "masirah tv" and "tv" in outlet_words(outlet)


def test_an_editor_renaming_an_actor_and_adding_an_alias_in_the_admin(editor_client, newsroom):
    url = reverse("admin:tracker_actor_change", args=[newsroom.opposition.pk])
    data = form_data(editor_client.get(url), "actor_form")
    data["name"] = ["Syrian National Army"]
    data["aliases-0-name"] = ["SNA"]
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    opposition = Actor.objects.get(pk=newsroom.opposition.pk)
    assert key_of(opposition) == "syrian national army"
    assert claim_slugs(editor_client, "syrian national army") == {"drive"}
    assert claim_slugs(editor_client, "sna") == {"drive"}
    assert suggested(editor_client, "natio") == ["syrian-opposition"]
    assert suggested(editor_client, "opposition") == []


def test_the_seeds_are_found_by_name_and_alias(seeded):
    for model in (Actor, ActorAlias, Outlet):
        rows = model.objects.values_list("name", "name_key")
        assert rows and all(key == fold(name) for name, key in rows), model
    kremlin = ActorAlias.objects.get(name="the Kremlin").actor
    assert find_actor("KREMLIN").pk == kremlin.pk
    assert find_actor(kremlin.name.upper()).pk == kremlin.pk


def test_keys_are_filled_from_scratch_as_the_migrations_fill_them(newsroom):
    expected = {actor.pk: words_of(actor) for actor in Actor.objects.all()}
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tracker_actor SET name_key = ''")
        cursor.execute("UPDATE tracker_actoralias SET name_key = ''")
        cursor.execute("DELETE FROM tracker_actorword")
    fill_keys(Actor, ActorWord, slug=True, owner={"actor_id": "pk"}, using="default")
    fill_keys(
        ActorAlias, ActorWord, slug=False, owner={"actor_id": "actor_id", "alias_id": "pk"},
        using="default", batch=1,
    )  # fmt: skip
    assert {actor.pk: words_of(actor) for actor in Actor.objects.all()} == expected
    assert key_of(newsroom.ministry) == "russian defence ministry"
    assert ActorAlias.objects.get(name="Russian MoD").name_key == "russian mod"


# -- Finding and suggesting ------------------------------------------------------------------


def test_an_actor_is_found_by_name_alias_slug_case_and_accents(client, newsroom):
    ActorAlias.objects.create(actor=newsroom.opposition, name="Oposición siria")
    for text in (
        "Syrian opposition", "SYRIAN  OPPOSITION", "the Syrian-opposition", "Sýrian Opposition",
        "oposicion siria", "OPOSICIÓN SIRIA", "Syrian-Opposition",
    ):  # fmt: skip
        assert claim_slugs(client, text) == {"drive"}, text
    assert suggested(client, "oposic") == ["syrian-opposition"]


def test_a_suggestion_matches_the_start_of_any_word(client, newsroom):
    wagner = Actor.objects.create(name="The Wagner Group", slug="pmc-wagner", kind="armed_group")
    ActorAlias.objects.create(actor=wagner, name="Gruppa Vagnera")
    for text in ("wag", "Wagner gr", "the wagner", "group", "GRÓUP", "pmc", "vagn", "gruppa v"):
        assert suggested(client, text) == ["pmc-wagner"], text
    for text in ("agner", "roup", "wagner-group-x", "wagner pmc"):
        assert suggested(client, text) == [], text


def test_suggestions_are_by_name_and_at_most_ten(client, newsroom):
    for i in range(12):
        Actor.objects.create(name=f"Brigade {i:02}", slug=f"brigade-{i}", kind="armed_group")
    assert suggested(client, "brig") == [f"brigade-{i}" for i in range(10)]


def test_an_alias_that_is_another_actors_name_is_ambiguous(client, newsroom):
    ActorAlias.objects.create(actor=newsroom.opposition, name="Russian Government")
    text = refusal(client, "russian government")
    assert (
        "'russian government' names more than one: Russian government (russian-government)" in text
    )
    assert "Syrian opposition (syrian-opposition)" in text
    # An actor named by both its name and its alias is one actor.
    ActorAlias.objects.create(actor=newsroom.russia, name="RUSSIA")
    assert claim_slugs(client, "Russia ") == {"drive"}


@pytest.mark.parametrize(
    "text", ["%", "%%", "russ%", "r_ssia", "Russian%MoD", "'", '"; --', "\\", "x" * 10_000]
)
def test_what_is_typed_is_never_pattern_syntax(client, newsroom, text):
    assert "There is no actor with the slug, name or alias" in refusal(client, text)
    response = client.get("/suggest/actors/", {"q": text[:100]})
    assert response.status_code == 200
    assert response.json()["results"] == [], text
    response = client.get(CLAIMS, {"outlet": text})
    assert response.status_code == 400


def test_a_nul_is_refused_not_searched(client, newsroom):
    assert client.get(CLAIMS, {"actor": "Rus\x00sia"}).status_code == 400
    assert client.get("/suggest/actors/", {"q": "Rus\x00"}).status_code == 400


def test_underscores_fold_like_spaces_but_match_no_other_character(client, newsroom):
    # "r_ssia" is not "russia": a LIKE would have taken _ for any character.
    assert suggested(client, "russian_def") == ["russian-defence-ministry"]
    assert suggested(client, "russian_d_f") == []


# -- Cost: the same queries whatever the number of actors --------------------------------------


def test_a_name_in_the_claim_list_costs_the_same_queries_at_two_sizes(client, newsroom):
    def by_name() -> None:
        assert claim_slugs(client, "Russian MoD") == {"drive"}

    small, _ = count_queries(by_name)
    grow(newsroom, 30)
    large, sql = count_queries(by_name)
    assert large == small, sql


@pytest.mark.parametrize("size", [0, 30])
def test_a_suggestion_by_alias_is_one_query(client, newsroom, size, django_assert_num_queries):
    if size:
        grow(newsroom, size)
    with django_assert_num_queries(1):  # the actors with a word key in range, 10 at most
        found = suggested(client, "alias")
    assert len(found) == min(size, 10)
