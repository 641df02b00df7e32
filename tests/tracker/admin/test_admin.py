"""The editors' admin: every page loads for the Editors group, in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.conftest import count_queries, grow
from tracker.models import Attribution

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "articles_outlet",
    "articles_article",
    "tracker_actor",
    "tracker_source",
    "tracker_claim",
    "tracker_attribution",
    "tracker_response",
]


def change_urls(newsroom) -> dict[str, str]:
    return {
        "outlet": reverse("admin:articles_outlet_change", args=[newsroom.outlet.pk]),
        "article": reverse("admin:articles_article_change", args=[newsroom.article.pk]),
        "actor": reverse("admin:tracker_actor_change", args=[newsroom.ministry.pk]),
        "source": reverse("admin:tracker_source_change", args=[newsroom.spokesman.pk]),
        "claim": reverse("admin:tracker_claim_change", args=[newsroom.claim.pk]),
        "attribution": reverse("admin:tracker_attribution_change", args=[newsroom.denial.pk]),
        "response": reverse("admin:tracker_response_change", args=[newsroom.denial.pk]),
    }


def get(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    return response


FILTERED = [
    "tracker_claim?stance=responses",
    "tracker_claim?stance=denies&status=unrated",
    "tracker_response?stance=no_response",
    "tracker_attribution?anonymity=anonymous&q=spokesman",
    "tracker_actor?q=MoD",
    "articles_article?outlet__id__exact=1",
]


def test_the_editors_group_can_curate_everything_but_users(db):
    codenames = set(
        Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)
    )
    for model in ("article", "outlet", "actor", "actoralias", "source", "claim", "attribution"):
        assert {f"add_{model}", f"change_{model}", f"delete_{model}", f"view_{model}"} <= codenames
    assert "view_response" in codenames
    assert not any(c.endswith("_user") or c.endswith("_group") for c in codenames)


@pytest.mark.parametrize("model", CHANGELISTS)
def test_anonymous_users_are_sent_to_log_in(client, model):
    response = client.get(reverse(f"admin:{model}_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("model", CHANGELISTS)
def test_every_changelist_loads_in_the_same_number_of_queries_at_two_sizes(
    editor_client, newsroom, model
):
    url = reverse(f"admin:{model}_changelist")
    grow(newsroom, 3)
    get(editor_client, url)  # warms the process-wide content-type cache, as in production
    small, _ = count_queries(lambda: get(editor_client, url))
    grow(newsroom, 30)
    large, sql = count_queries(lambda: get(editor_client, url))
    assert small == large, "\n".join(sql)
    # session, user, the user's group permissions, the page's rows, a "more than one page?" count
    # of at most a page and one row (no full COUNT: show_full_result_count is off), and the
    # filters' own lookups: at most 7.
    print("QUERIES", model, large)
    assert large <= 70


@pytest.mark.parametrize("query", FILTERED)
def test_filtered_and_searched_changelists_load(editor_client, newsroom, query):
    model, _, params = query.partition("?")
    response = editor_client.get(f"{reverse(f'admin:{model}_changelist')}?{params}")
    assert response.status_code == 200
    assert "errornote" not in response.content.decode()


def test_the_responses_page_lists_only_responses(editor_client, newsroom):
    response = editor_client.get(reverse("admin:tracker_response_changelist"))
    shown = set(response.context["cl"].result_list)
    assert shown == {newsroom.denial, newsroom.no_response}


def test_the_claim_list_filters_by_stance(editor_client, newsroom):
    from tracker.models import Claim

    other = Claim.objects.create(text="Unanswered nothing")
    url = reverse("admin:tracker_claim_changelist")
    assert set(editor_client.get(url).context["cl"].result_list) == {newsroom.claim, other}
    assert list(editor_client.get(url + "?stance=responses").context["cl"].result_list) == [
        newsroom.claim
    ]


def test_actor_search_matches_aliases(editor_client, newsroom):
    response = editor_client.get(reverse("admin:tracker_actor_changelist") + "?q=MoD")
    assert list(response.context["cl"].result_list) == [newsroom.ministry]


@pytest.mark.parametrize(
    "page", ["outlet", "article", "actor", "source", "claim", "attribution", "response"]
)
def test_every_change_form_loads_in_the_same_number_of_queries_at_two_sizes(
    editor_client, newsroom, page
):
    grow(newsroom, 2)
    url = change_urls(newsroom)[page]
    get(editor_client, url)  # warms the process-wide content-type cache, as in production
    small, _ = count_queries(lambda: get(editor_client, url))
    grow(newsroom, 15)  # the claim and the article gain 30 inline attributions
    large, sql = count_queries(lambda: get(editor_client, url))
    assert small == large, "\n".join(sql)


@pytest.mark.parametrize("model", ["outlet", "article", "actor", "source", "claim", "attribution"])
def test_every_add_form_loads(editor_client, db, model):
    app = "articles" if model in ("outlet", "article") else "tracker"
    assert editor_client.get(reverse(f"admin:{app}_{model}_add")).status_code == 200


def test_inline_attributions_show_their_source_and_article(editor_client, newsroom):
    page = editor_client.get(change_urls(newsroom)["claim"]).content.decode()
    assert "Ministry spokesman" in page
    assert "Drive accelerated" in page


def attribution_post(newsroom, **overrides) -> dict:
    data = {
        "claim": newsroom.claim.pk,
        "source": newsroom.opposition_sources.pk,
        "article": newsroom.article.pk,
        "stance": "denies",
        "wording": "The Russian Defence Ministry",
        "count": 2,
        "anonymity": "anonymous",
        "quote": "",
        "passage": "The Russian Defence Ministry did not respond to questions.",
        "span_start": "",
        "span_end": "",
    }
    data.update(overrides)
    return data


def test_an_editor_adds_an_attribution_by_pasting_its_passage(editor_client, newsroom):
    response = editor_client.post(
        reverse("admin:tracker_attribution_add"), attribution_post(newsroom)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    added = Attribution.objects.get(source=newsroom.opposition_sources, stance="denies")
    assert added.passage == "The Russian Defence Ministry did not respond to questions."


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"passage": "Not in the article."}, "passage", "This passage is not in the article"),
        ({"passage": "said", "wording": ""}, "passage", "occurs 2 times in the article"),
        ({"passage": ""}, "passage", "Give the passage"),
        ({"quote": "We never did that"}, "quote", "not in the passage"),
        ({"count": "0"}, "count", "greater than or equal to 1"),
        (
            {
                "stance": "asserts",
                "passage": "Five Syrian opposition sources said the drive",
                "wording": "",
            },
            "__all__",
            "already has this stance",
        ),
    ],
    ids=["passage elsewhere", "passage twice", "no span", "quote outside", "count 0", "duplicate"],
)
def test_the_attribution_form_names_what_is_wrong(
    editor_client, newsroom, overrides, field, message
):
    if overrides.get("stance") == "asserts":
        overrides = {**overrides, "source": newsroom.opposition_sources.pk}
    response = editor_client.post(
        reverse("admin:tracker_attribution_add"), attribution_post(newsroom, **overrides)
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors.get(field, [])), errors
    assert Attribution.objects.count() == 3


def test_the_same_source_may_say_the_same_thing_twice_in_one_article(editor_client, newsroom):
    # "Sources say" in the lede and "two people familiar" later: same source, stance and claim.
    data = attribution_post(
        newsroom, stance="asserts", passage="The Russian Defence Ministry did not respond"
    )
    response = editor_client.post(reverse("admin:tracker_attribution_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert (
        newsroom.claim.attributions.filter(
            source=newsroom.opposition_sources, stance="asserts"
        ).count()
        == 2
    )


def test_an_editor_moves_an_actor_and_its_subtree_follows(editor_client, newsroom):
    from tracker.models import Actor

    url = reverse("admin:tracker_actor_change", args=[newsroom.government.pk])
    data = {
        "name": "Russian government", "slug": "russian-government", "kind": "government_body",
        "parent": newsroom.opposition.pk, "country": "ru", "wikidata_id": "", "description": "",
        "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = editor_client.post(url, data)
    assert response.status_code == 302
    ministry = Actor.objects.get(pk=newsroom.ministry.pk)
    assert ministry.path.startswith(f"/{newsroom.opposition.pk}/{newsroom.government.pk}/")
    assert Actor.objects.get(pk=newsroom.government.pk).country == "RU"


def test_an_actor_cannot_be_put_under_its_own_sub_actor_in_the_admin(editor_client, newsroom):
    url = reverse("admin:tracker_actor_change", args=[newsroom.russia.pk])
    data = {
        "name": "Russia", "slug": "russia", "kind": "state", "parent": newsroom.ministry.pk,
        "country": "RU", "wikidata_id": "", "description": "",
        "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "one of its sub-actors" in str(response.context["adminform"].form.errors)


def test_a_changelist_never_counts_past_its_cap(editor_client, newsroom, monkeypatch):
    from tracker.admin.helpers import CappedCountPaginator

    monkeypatch.setattr(CappedCountPaginator, "cap", 5)
    grow(newsroom, 5)  # 23 attributions
    url = reverse("admin:tracker_attribution_changelist")
    _count, sql = count_queries(lambda: get(editor_client, url))
    counts = [q for q in sql if "COUNT(" in q]
    assert counts and all("LIMIT 6" in q for q in counts), counts
    page = get(editor_client, url).content.decode()
    assert "more than 5 attributions (not counted further)" in page


def test_a_changelist_under_its_cap_shows_the_exact_count(editor_client, newsroom):
    page = get(editor_client, reverse("admin:tracker_attribution_changelist")).content.decode()
    assert "3 attributions" in page
