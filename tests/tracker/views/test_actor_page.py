"""The actor page: where an actor sits, what it and the actors under it said, what is about it."""

from __future__ import annotations

import re

import pytest
from django.db.models import FETCH_RAISE

from tests.conftest import BODY, count_queries, grow, span_of
from tracker.models import Actor, Attribution, Claim, Source
from tracker.views import pages as views

pytestmark = pytest.mark.django_db


def page(client, slug: str) -> str:
    response = client.get(f"/actors/{slug}/")
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, heading: str) -> str:
    match = re.search(rf"<h([23])[^>]*>{heading}\b.*?(?=<h[23]|</?aside|</main)", html, re.S)
    assert match, f"no section {heading!r}"
    return match.group(0)


def test_the_url_is_the_actor_pages(newsroom):
    assert newsroom.ministry.get_absolute_url() == "/actors/russian-defence-ministry/"


def test_it_shows_the_actor_and_where_it_sits(client, seeded):
    html = page(client, "russian-government")
    assert re.search(r"<h1>Russian government</h1>", html)
    assert html.count("<h1") == 1
    crumbs = re.search(r'<nav aria-label="Breadcrumb">(.*?)</nav>', html, re.S).group(1)
    assert '<a href="/actors/russia/">Russia</a>' in crumbs
    assert '<li aria-current="page">Russian government</li>' in crumbs
    assert "Government body" in html
    assert "RU" in html
    assert "the Kremlin" in html  # an alias
    tree = section(html, "Where Russian government sits")
    assert 'href="/actors/russian-defence-ministry/"' in tree
    assert 'href="/actors/vladimir-putin/"' in tree


def test_the_breadcrumb_runs_from_the_root(client, seeded):
    html = page(client, "russian-army")
    crumbs = re.search(r'<nav aria-label="Breadcrumb">(.*?)</nav>', html, re.S).group(1)
    names = re.findall(r">([^<>]+)</(?:a|li)>", crumbs)
    assert names == ["Russia", "Russian government", "Russian Defence Ministry", "Russian army"]


def test_it_links_to_wikidata(client, seeded):
    html = page(client, "russia")
    assert '<a href="https://www.wikidata.org/wiki/Q159" rel="noopener nofollow">' in html
    assert "wikidata.org" not in page(client, "wagner-group")


def test_russia_lists_its_denial_and_its_sub_actors_non_responses(client, seeded):
    html = page(client, "russia")
    denied = section(html, "Denied")
    assert "Russia has forces in Libya." in denied
    assert "The Russian state" in denied  # the wording
    unanswered = section(html, "Left unanswered")
    assert "Russian Defence Ministry" in unanswered
    hiring = Claim.objects.get(slug="wagner-conducting-syrian-hiring-with-russian-army-supervision")
    assert f'href="/claims/{hiring.pk}/"' in unanswered
    assert "Vladimir Putin" in denied  # Russians in Libya are not the state's, he said
    declined = section(html, "Declined to comment on")
    assert "The Wagner Group is fighting in Libya." in declined
    assert "Asserted" not in html  # no group without rows: nobody speaking for Russia asserted


def test_it_counts_attributions_by_stance_and_links_to_the_claim_list(client, seeded):
    html = page(client, "russia")
    table = re.search(r"<table>.*?</table>", html, re.S).group(0)
    rows = dict(
        (re.sub(r"<[^>]+>", "", head), re.sub(r"<[^>]+>", "", cell))
        for head, cell in re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td>', table)
    )
    assert rows == {
        "Asserts": "0",
        "Denies": "2",
        "Declined to comment": "1",
        "Did not respond": "2",
        "All": "5",
    }
    assert 'href="/claims/?actor=russia&amp;stance=denies"' in table
    assert 'href="/claims/?actor=russia"' in html
    assert 'href="/claims/?actor=russia&amp;stance=responses"' in html


def test_it_lists_the_claims_about_it_and_its_sub_actors(client, seeded):
    about = section(page(client, "russian-government"), "Claims about Russian government")
    # About the Russian government itself, and about the Russian army, three levels under it.
    about_state = Claim.objects.get(
        slug="russians-in-libya-represent-russian-state-or-are-paid-by-it"
    )
    about_army = Claim.objects.get(
        slug="wagner-conducting-syrian-hiring-with-russian-army-supervision"
    )
    assert f'href="/claims/{about_state.pk}/"' in about
    assert f'href="/claims/{about_army.pk}/"' in about
    about_russia_only = Claim.objects.get(slug="russia-has-forces-in-libya")
    assert f'href="/claims/{about_russia_only.pk}/"' not in about


def test_long_groups_are_cut_with_a_link_to_the_whole_list(client, newsroom, monkeypatch):
    monkeypatch.setattr(views, "ACTOR_GROUP_LIMIT", 2)
    grow(newsroom, 10)  # five actors under Russia, each asserting and denying twice
    html = page(client, "russia")
    denied = section(html, "Denied")
    assert denied.count('<li class="attribution">') == 2
    total = Attribution.objects.by_actor(newsroom.russia).filter(stance="denies").count()
    assert f"Showing the 2 most recent of {total}." in denied
    assert 'href="/claims/?actor=russia&amp;stance=denies">See all in the claim list' in denied
    # The newest first: the grown articles are dated 2021, the newsroom's 2020.
    assert "Article 10-9" in denied


def test_an_actor_with_nothing_said(client, db):
    Actor.objects.create(name="Quiet", slug="quiet", kind="person")
    html = page(client, "quiet")
    assert "No article cites Quiet" in html
    assert "No claim is about Quiet" in html


def test_an_unknown_actor_is_not_found(client, db):
    assert client.get("/actors/nobody-at-all/").status_code == 404


@pytest.mark.parametrize("affiliated", [False, True])
@pytest.mark.parametrize("who", ["russia", "ministry"])
def test_the_page_loads_in_the_same_number_of_queries_at_two_sizes(
    client, newsroom, monkeypatch, who, affiliated
):
    slug = getattr(newsroom, who).slug
    url = f"/actors/{slug}/" + ("?affiliated=1" if affiliated else "")

    def page_html() -> str:
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    monkeypatch.setattr("django.db.models.query.DEFAULT_FETCH_MODE", FETCH_RAISE)
    grow(newsroom, 3)
    small, _ = count_queries(page_html)
    grow(newsroom, 30)  # Russia gains 15 sub-actors, their sources and 60 attributions
    member = Source.objects.create(  # and the ministry a member, whose words count if affiliated
        name="Member", slug="member", kind="person", actor=newsroom.ministry, tie="belongs_to"
    )
    for i in range(60):  # and 60 more non-responses of each, past the group limit
        for source in (newsroom.ministry_source, member):
            Attribution.objects.create(
                claim=Claim.objects.create(text=f"Asked {i} {source.slug}"), source=source,
                article=newsroom.article, stance="no_response",
                **span_of(BODY, "The Russian Defence Ministry did not respond to questions."),
            )  # fmt: skip
    large, sql = count_queries(page_html)
    assert small == large, "\n".join(sql)
    # the actor with its track record (one join), its aliases (prefetch), its ancestors (none
    # for a root), the ids of its sub-tree, its kept counts by stance (a few rows), the newest
    # attributions of every stance (whatever the actor said) with their claims, sources,
    # actors, articles and outlets (one query, each stance's ids read from the kept actor reach
    # rows up to the limit), how many claims are about it (read to a bound) and the newest of
    # them, the statements that moved its track record and those later contradicted (for
    # each, the ids of the claims so rated, read to a bound, then one DISTINCT query where
    # there are some: here no claim is rated), those through linked claims, its attributions
    # by month and stance (one GROUP BY of kept counts), and its tree with the kept counts
    # (one GROUP BY): Russia (a root) 12, the ministry (with its ancestors) 13; with
    # affiliated sources, its record over them too (one more).
    assert large == (12 if who == "russia" else 13) + affiliated, "\n".join(sql)
    html = page_html()
    assert html.count('<li class="attribution">') <= 4 * views.ACTOR_GROUP_LIMIT
