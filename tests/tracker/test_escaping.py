"""Text from articles and editors is shown as text on every page, never run as markup."""

from __future__ import annotations

import datetime
import re

import pytest

from articles.models import Article, Outlet
from tracker.models import Actor, ActorAlias, Attribution, Claim, Source

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
BOLD = "<b>x</b>"
RAW = [SCRIPT, BOLD, "<i>", "<img", "<u>", '"alert(1)"']
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
ESCAPED_BOLD = "&lt;b&gt;x&lt;/b&gt;"


@pytest.fixture
def hostile(db) -> dict:
    """Every text field a page shows, carrying markup."""
    outlet = Outlet.objects.create(name=f"Outlet {BOLD}", slug="outlet")
    body = f"Intro {BOLD}. The source said {SCRIPT} happened. Outro {SCRIPT}."
    article = Article.objects.create(
        title=f"Title {SCRIPT} {BOLD}",
        slug="hostile",
        outlet=outlet,
        byline=f"By <i>{SCRIPT}</i>",
        published_on=datetime.date(2024, 1, 2),
        body=body,
    )
    actor = Actor.objects.create(
        name=f"Actor {SCRIPT}", slug="actor", kind="person", description=f"About {BOLD}"
    )
    child = Actor.objects.create(name=f"Child {BOLD}", slug="child", kind="person", parent=actor)
    ActorAlias.objects.create(actor=actor, name=f"Alias {SCRIPT}")
    source = Source.objects.create(
        name='Source <img src=x onerror="alert(1)">',
        slug="source",
        kind="person",
        role=f"role <u>{BOLD}</u>",
        actor=child,
        description=f"Described {SCRIPT}",
    )
    claim = Claim.objects.create(text=f"Claim {SCRIPT} {BOLD}", slug="claim")
    claim.about.add(actor)
    passage = f"The source said {SCRIPT} happened."
    start = body.index(passage)
    attribution = Attribution.objects.create(
        claim=claim,
        source=source,
        article=article,
        stance="asserts",
        wording=f"a <i>source</i> {BOLD}",
        quote=SCRIPT,
        count=2,
        span_start=start,
        span_end=start + len(passage),
    )
    return {
        "article": article,
        "actor": actor,
        "child": child,
        "source": source,
        "claim": claim,
        "attribution": attribution,
    }


def pages(hostile: dict) -> dict[str, str]:
    return {
        "home": "/",
        "claim": hostile["claim"].get_absolute_url(),
        "article": hostile["article"].get_absolute_url(),
        "actor": hostile["actor"].get_absolute_url(),
        "child actor": hostile["child"].get_absolute_url(),
        "source": hostile["source"].get_absolute_url(),
    }


@pytest.mark.parametrize("name", ["home", "claim", "article", "actor", "child actor", "source"])
def test_no_page_lets_markup_through(client, hostile, name):
    response = client.get(pages(hostile)[name])
    assert response.status_code == 200
    html = response.content.decode()
    for raw in RAW:
        assert raw not in html, f"{raw!r} unescaped on the {name} page"
    assert ESCAPED_SCRIPT in html or ESCAPED_BOLD in html


def test_the_claim_page_shows_each_field_as_text(client, hostile):
    html = client.get(hostile["claim"].get_absolute_url()).content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert ESCAPED_SCRIPT in title
    assert f"<h1>Claim {ESCAPED_SCRIPT} {ESCAPED_BOLD}</h1>" in html
    assert f"<blockquote>{ESCAPED_SCRIPT}</blockquote>" in html
    assert "Source &lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert f"a &lt;i&gt;source&lt;/i&gt; {ESCAPED_BOLD}" in html
    assert f"Title {ESCAPED_SCRIPT}" in html
    assert f"Outlet {ESCAPED_BOLD}" in html


def test_the_article_body_is_escaped_inside_and_outside_its_highlights(client, hostile):
    html = client.get(hostile["article"].get_absolute_url()).content.decode()
    body = re.search(r'<div class="article-body"[^>]*>(.*?)</div>', html, re.S).group(1)
    assert body.startswith(f"Intro {ESCAPED_BOLD}. ")
    mark = re.search(
        rf'<mark class="passage" id="attribution-{hostile["attribution"].pk}">(.*?)</mark>', body
    ).group(1)
    assert f"The source said {ESCAPED_SCRIPT} happened." in mark
    assert f'title="Claim {ESCAPED_SCRIPT} {ESCAPED_BOLD}"' in mark
    assert body.endswith(f" Outro {ESCAPED_SCRIPT}.")
    assert f"By &lt;i&gt;{ESCAPED_SCRIPT}&lt;/i&gt;" in html


def test_the_actor_and_source_pages_show_each_field_as_text(client, hostile):
    html = client.get(hostile["actor"].get_absolute_url()).content.decode()
    assert f"<h1>Actor {ESCAPED_SCRIPT}</h1>" in html
    assert f"Alias {ESCAPED_SCRIPT}" in html
    assert f"About {ESCAPED_BOLD}" in html
    assert f"Child {ESCAPED_BOLD}" in html
    html = client.get(hostile["source"].get_absolute_url()).content.decode()
    assert f"role &lt;u&gt;{ESCAPED_BOLD}&lt;/u&gt;" in html
    assert f"Described {ESCAPED_SCRIPT}" in html
    assert f"Actor {ESCAPED_SCRIPT}" in html  # the affiliation chain
