"""The source page: who a source is, whom it belongs to, and everything it was cited for."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db.models import FETCH_RAISE

from articles.models import Article
from tests.conftest import BODY, count_queries, grow, span_of
from tracker.models import Attribution, Claim, Source
from tracker.views import pages as views

pytestmark = pytest.mark.django_db


def page(client, source: Source) -> str:
    response = client.get(source.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def cite(source: Source, n: int, *, start: int = 0) -> None:
    """n more attributions of the source, each on a claim and an article of its own."""
    for i in range(start, start + n):
        article = Article.objects.create(
            title=f"Later {i}", slug=f"later-{i}", body=BODY,
            published_on=datetime.date(2022, 1, 1) + datetime.timedelta(days=i),
        )  # fmt: skip
        Attribution.objects.create(
            claim=Claim.objects.create(text=f"Said {i}"), source=source, article=article,
            stance="asserts", wording=f"wording {i}",
            **span_of(BODY, "Five Syrian opposition sources said the drive accelerated."),
        )  # fmt: skip


def test_the_url_is_the_source_pages(newsroom):
    assert newsroom.spokesman.get_absolute_url() == f"/sources/{newsroom.spokesman.pk}/"


def test_a_document_shows_its_kind_and_its_affiliation(client, seeded):
    source = Source.objects.get(slug="confidential-un-report")
    html = page(client, source)
    assert re.search(r"<h1>Confidential UN report</h1>", html)
    assert html.count("<h1") == 1
    assert "Document" in html
    assert '<span class="tag source-mark">document</span>' in html
    assert '<a href="/actors/united-nations/">United Nations</a>' in html
    assert "seen by Reuters in May 2020" in html  # the description
    claim = Claim.objects.get(slug="wagner-has-up-to-1200-people-in-libya")
    attribution = claim.attributions.get()
    assert f'href="/claims/{claim.pk}/"' in html
    assert f'href="/articles/{attribution.article_id}/#attribution-{attribution.pk}"' in html
    assert "a confidential UN report" in html  # the wording


def test_the_affiliation_runs_from_the_top_actor_down(client, seeded):
    html = page(client, Source.objects.get(slug="russian-defence-ministry"))
    chain = re.search(r'<ol class="breadcrumb inline"[^>]*>(.*?)</ol>', html).group(1)
    assert re.findall(r">([^<>]+)</a>", chain) == [
        "Russia",
        "Russian government",
        "Russian Defence Ministry",
    ]


def test_it_lists_every_attribution_with_stance_count_and_quote(client, newsroom):
    html = page(client, newsroom.spokesman)
    assert "spokesman" in html  # the role
    assert '<span class="stance stance-denies">Denies</span>' in html
    assert "<blockquote>We never did that,</blockquote>" in html
    assert "The article says: “A spokesman”" in html
    html = page(client, newsroom.opposition_sources)
    assert "5 people" in html
    assert "1 attribution:" in html


def test_a_source_without_an_actor_or_attributions(client, db):
    source = Source.objects.create(name="Nobody", slug="nobody", kind="unattributed")
    html = page(client, source)
    assert "None recorded" in html
    assert "No article cites Nobody yet." in html


def test_a_long_record_is_cut_to_the_most_recent(client, newsroom, monkeypatch):
    monkeypatch.setattr(views, "SOURCE_LIMIT", 3)
    cite(newsroom.spokesman, 5)
    html = page(client, newsroom.spokesman)
    assert html.count('<li class="attribution">') == 3
    assert "Showing the 3 most recent of 6." in html
    assert "Said 4" in html  # the newest
    assert "Said 0" not in html


def test_an_unknown_source_is_not_found(client, db):
    assert client.get("/sources/999999/").status_code == 404


def test_the_page_loads_in_the_same_number_of_queries_at_two_sizes(client, newsroom, monkeypatch):
    monkeypatch.setattr("django.db.models.query.DEFAULT_FETCH_MODE", FETCH_RAISE)
    grow(newsroom, 3)
    cite(newsroom.spokesman, 3)
    small, _ = count_queries(lambda: page(client, newsroom.spokesman))
    grow(newsroom, 30)
    cite(newsroom.spokesman, 120, start=3)  # past the page's limit of 100
    large, sql = count_queries(lambda: page(client, newsroom.spokesman))
    assert small == large, "\n".join(sql)
    # the source with its actor (one join), the actor's ancestors, the counts by stance (one
    # GROUP BY), the newest attributions with their claims, articles and outlets (one join): 4.
    assert large <= 8, "\n".join(sql)
    assert page(client, newsroom.spokesman).count('<li class="attribution">') == 100
