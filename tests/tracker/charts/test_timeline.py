"""The actor timeline: attributions by month and stance over the sub-tree, drawn and tabled."""

from __future__ import annotations

import re

import pytest

from articles.models import Article
from tests.conftest import grow
from tracker.charts import timeline as charts
from tracker.models import Actor, Attribution

pytestmark = pytest.mark.django_db


def figure(html: str) -> str:
    match = re.search(
        r'<section class="chart-section" aria-labelledby="timeline">.*?</section>', html, re.S
    )
    assert match, "no timeline"
    return match.group(0)


def table(html: str) -> list[list[str]]:
    body = re.search(r"<tbody>(.*?)</tbody>", figure(html), re.S).group(1)
    return [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_it_counts_the_sub_tree_month_by_month(client, newsroom):
    grow(newsroom, 4)  # actors 1 and 3 under Russia: on their own claims in January 2021,
    # and on the newsroom's claim in its June 2020 article, each asserting and denying
    html = client.get("/actors/russia/").content.decode()
    rows = table(html)
    assert rows[0] == ["June 2020", "2", "3", "0", "1", "6"]
    assert rows[-1] == ["January 2021", "2", "2", "0", "0", "4"]
    assert [r[0] for r in rows[1:-1]] == [
        "July 2020", "August 2020", "September 2020", "October 2020", "November 2020",
        "December 2020",
    ]  # fmt: skip
    assert all(r[1:] == ["0"] * 5 for r in rows[1:-1])


def test_the_svg_has_a_title_a_description_and_a_bar_part_per_count(client, newsroom):
    grow(newsroom, 4)
    part = figure(client.get("/actors/russia/").content.decode())
    svg = re.search(r"<svg class=\"chart timeline-chart\".*?</svg>", part, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="timeline-title timeline-desc"' in svg
    assert '<title id="timeline-title">Attributions to Russia and the actors under it' in svg
    desc = re.search(r'<desc id="timeline-desc">(.*?)</desc>', svg).group(1)
    assert desc == (
        "10 attributions from June 2020 to January 2021: 4 asserted; 5 denied; "
        "1 did not respond. The busiest month was June 2020 with 6."
    )
    # June: asserts, denies, no_response; January: asserts, denies.
    assert len(re.findall(r'<rect x="[^"]+" y=', svg)) == 5
    assert "<title>June 2020: 3 denied</title>" in svg
    assert "style=" not in part and "<script" not in part


def test_it_is_one_query_and_cuts_old_months(newsroom, django_assert_num_queries, monkeypatch):
    grow(newsroom, 4)
    monkeypatch.setattr(charts, "MONTHS", 3)
    ids = list(Actor.objects.subtree(newsroom.russia).values_list("pk", flat=True))
    with django_assert_num_queries(1):
        timeline = charts.actor_timeline(who="Russia", actor_ids=ids, name="t")
    assert [m.label for m in timeline.months] == ["November 2020", "December 2020", "January 2021"]
    assert timeline.older


def test_an_actor_with_nothing_said_has_no_picture(client, newsroom):
    part = figure(client.get("/actors/syrian-opposition/").content.decode())
    assert "<svg" in part  # the opposition asserted once
    Actor.objects.create(name="Quiet", slug="quiet", kind="person")
    quiet = figure(client.get("/actors/quiet/").content.decode())
    assert "<svg" not in quiet and "No article cites Quiet" in quiet


def test_names_are_escaped(client, newsroom):
    newsroom.russia.name = "<script>alert(1)</script>"
    newsroom.russia.save()
    part = figure(client.get("/actors/russia/").content.decode())
    assert "<script>" not in part
    assert "Attributions to &lt;script&gt;alert(1)&lt;/script&gt; and the actors" in part


def test_it_follows_edits_at_once_from_the_kept_counts(client, newsroom):
    """A new attribution, an article moved to another month, a source leaving the actor: the
    timeline (read from the kept counts, not the attributions) shows each at once."""
    grow(newsroom, 4)
    before = table(client.get("/actors/russia/").content.decode())
    assert before[0][0] == "June 2020"
    article = Article.objects.get(pk=newsroom.article.pk)
    article.published_on = "2020-05-31"  # as a form or an import sets it, before it is read
    article.save()
    after = table(client.get("/actors/russia/").content.decode())
    assert after[0][0] == "May 2020" and after[0][1:] == before[0][1:]
    assert after[1] == ["June 2020", "0", "0", "0", "0", "0"]
    source = newsroom.denial.source
    source.actor = None
    source.save()
    moved = Attribution.objects.filter(source=source, article=article).count()
    may = table(client.get("/actors/russia/").content.decode())[0]
    assert int(may[-1]) == int(after[0][-1]) - moved
