"""The actor tree: ancestors, the actor, its whole sub-tree, each with its kept count."""

from __future__ import annotations

import re

import pytest

from tests.conftest import grow
from tracker.charts import tree as charts
from tracker.models import Actor

pytestmark = pytest.mark.django_db


def tree_of(html: str) -> str:
    match = re.search(r'<ul class="actor-tree">.*?</section>', html, re.S)
    assert match, "no actor tree"
    return match.group(0)


def outline(html: str) -> list[tuple[int, str]]:
    """(depth, name) of each actor in the nested list, in document order."""
    depth, found = 0, []
    for tag in re.finditer(
        r"<(/?)ul[^>]*>|<a href=\"[^\"]+\">([^<]+)</a>|<strong[^>]*>([^<]+)</strong>", tree_of(html)
    ):
        if tag.group(0).startswith("<ul"):
            depth += 1
        elif tag.group(0) == "</ul>":
            depth -= 1
        else:
            found.append((depth, tag.group(2) or tag.group(3)))
    return found


def test_russia_shows_the_ministry_the_army_and_putin_under_its_government(client, seeded):
    found = outline(client.get("/actors/russia/").content.decode())
    assert found[0] == (1, "Russia")
    government = found.index((2, "Russian government"))
    under = [name for depth, name in found[government + 1 :] if depth > 2]
    assert {"Russian Defence Ministry", "Russian army", "Vladimir Putin"} <= set(under)
    assert (4, "Russian army") in found  # under the ministry


def test_a_sub_actor_sees_its_ancestors_above_it_and_is_marked_current(client, newsroom):
    html = client.get("/actors/russian-defence-ministry/").content.decode()
    assert outline(html) == [
        (1, "Russia"), (2, "Russian government"), (3, "Russian Defence Ministry"),
    ]  # fmt: skip
    assert '<strong aria-current="page">Russian Defence Ministry</strong>' in tree_of(html)


def test_each_actor_carries_its_kept_sub_tree_count(client, newsroom):
    html = tree_of(client.get("/actors/russia/").content.decode())
    # The ministry did not respond; the government's spokesman denied: 2 under Russia.
    assert re.search(r"Russia</strong> <span class=\"meta\">state, 2 attributions</span>", html)
    assert 'Russian government</a> <span class="meta">government body, 2 attributions' in html
    assert 'Russian Defence Ministry</a> <span class="meta">government body, 1 attribution<' in html


def test_it_is_one_query_and_is_cut_when_large(newsroom, django_assert_num_queries, monkeypatch):
    grow(newsroom, 10)  # five more actors under Russia
    monkeypatch.setattr(charts, "TREE_LIMIT", 7)
    with django_assert_num_queries(1):
        tree = charts.actor_tree(actor=newsroom.russia)
    assert tree.cut
    # The nearest level first (by name), whatever the lengths of the ids in the paths: Russia
    # and the six actors right under it; the ministry, a level further down, is cut.
    children = [c.actor.name for c in tree.root.children]
    assert children == [*(f"Actor 10-{i}" for i in (1, 3, 5, 7, 9)), "Russian government"]
    assert tree.root.children[-1].children == []


def test_names_are_escaped(client, newsroom):
    Actor.objects.create(
        name="<script>alert(1)</script>", slug="bad", kind="person", parent=newsroom.russia
    )
    html = tree_of(client.get("/actors/russia/").content.decode())
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
