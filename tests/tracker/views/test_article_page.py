"""The article page: the text with every attributed passage highlighted and linked to its claim."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from django.db.models import FETCH_RAISE

from articles.models import Article
from tests.conftest import BODY, count_queries, grow, span_of
from tracker.models import Attribution, Claim
from tracker.templatetags.tracker_tags import highlighted_body

pytestmark = pytest.mark.django_db

WAGNER_HIRING_SLUG = "wagner-conducting-syrian-hiring-with-russian-army-supervision"


def page(client, article: Article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def body_of(page_html: str) -> str:
    match = re.search(r'<div class="article-body"[^>]*>(.*?)</div>', page_html, re.S)
    assert match
    return match.group(1)


def text_of(fragment: str) -> str:
    """The text a reader sees in the body, without the claim numbers added after passages."""
    fragment = re.sub(r'<sup class="claim-refs">.*?</sup>', "", fragment, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_the_url_is_the_article_pages(newsroom):
    assert newsroom.article.get_absolute_url() == f"/articles/{newsroom.article.pk}/"


def test_it_shows_the_title_outlet_date_byline_and_original(client, newsroom):
    newsroom.article.byline = "Jane Reporter"
    newsroom.article.url = "https://example.com/story"
    newsroom.article.save()
    html = page(client, newsroom.article)
    assert re.search(r"<h1[^>]*>Drive accelerated</h1>", html)
    assert html.count("<h1") == 1
    assert "Wire" in html
    assert "7 June 2020" in html
    assert "By Jane Reporter" in html
    assert '<a href="https://example.com/story" rel="noopener nofollow">' in html


def test_an_address_that_is_not_a_web_page_is_not_linked(client, newsroom):
    Article.objects.filter(pk=newsroom.article.pk).update(url="javascript:alert(1)")
    assert "javascript:" not in page(client, newsroom.article)


def test_the_seed_article_highlights_every_passage(client, seeded):
    article = Article.objects.get()
    html = page(client, article)
    body = body_of(html)
    attributions = list(article.attributions.all())
    passages = {(a.span_start, a.span_end) for a in attributions}
    # A highlight for every distinct passage (a clause in the reporter's own voice may lie
    # inside a sentence that cites someone else, so a few are split around it), an anchor per
    # attribution, and the text itself unchanged.
    assert len(passages) == 21
    assert body.count('<mark class="passage"') >= len(passages)
    assert len(re.findall(r'<mark class="passage[^"]*" id="attribution-\d+"', body)) == 34
    for attribution in attributions:
        assert body.count(f'id="attribution-{attribution.pk}"') == 1
    assert text_of(body) == article.body


def test_a_passage_anchor_is_a_mark_around_its_passage_linking_to_its_claim(client, seeded):
    article = Article.objects.get()
    claim = Claim.objects.get(slug="russia-has-forces-in-libya")
    denial = claim.attributions.get()
    body = body_of(page(client, article))
    match = re.search(rf'<mark class="passage" id="attribution-{denial.pk}">(.*?)</mark>', body)
    assert match
    assert f'<a href="/claims/{claim.pk}/"' in match.group(1)
    assert text_of(match.group(1)) == "The Russian state has denied having forces in Libya."


def test_a_passage_with_several_claims_links_to_each(client, seeded):
    article = Article.objects.get()
    body = body_of(page(client, article))
    no_response = Claim.objects.get(
        slug="wagner-conducting-syrian-hiring-with-russian-army-supervision"
    )
    ministry = no_response.attributions.get(source__slug="russian-defence-ministry")
    # Four attributions share the non-response passage: each has its own anchor on a mark.
    match = re.search(
        rf'<mark class="passage[^"]*" id="attribution-{ministry.pk}">(.*?)</sup>', body
    )
    assert match
    assert text_of(match.group(1)).startswith("The Russian Defence Ministry and the Wagner group")
    refs = re.search(r'<sup class="claim-refs">(.*)', match.group(0)).group(1)
    assert f'href="/claims/{no_response.pk}/"' in refs
    drive = Claim.objects.get(
        slug="russian-drive-to-recruit-syrians-for-haftar-accelerated-may-2020"
    )
    assert f'href="/claims/{drive.pk}/"' in refs


def test_it_lists_its_claims_with_who_asserted_or_denied_them(client, newsroom):
    html = page(client, newsroom.article)
    claims = re.search(r'<ol class="claim-list article-claims">(.*?)</ol>', html, re.S).group(1)
    assert f'href="/claims/{newsroom.claim.pk}/"' in claims
    assert '<span class="stance stance-asserts">Asserts</span>' in claims
    assert '<span class="stance stance-denies">Denies</span>' in claims
    assert '<span class="stance stance-no_response">Did not respond</span>' in claims
    assert "Ministry spokesman" in claims
    assert f'href="#attribution-{newsroom.denial.pk}"' in claims


def test_the_body_is_text_with_its_newlines_kept(client, newsroom):
    Article.objects.filter(pk=newsroom.article.pk).update(body=BODY + "\n\nA <i>second</i> line.")
    body = body_of(page(client, newsroom.article))
    assert "\n\nA &lt;i&gt;second&lt;/i&gt; line." in body


def test_an_unknown_article_is_not_found(client, db):
    assert client.get("/articles/999999/").status_code == 404


def test_the_page_loads_in_the_same_number_of_queries_at_two_sizes(client, newsroom, monkeypatch):
    monkeypatch.setattr("django.db.models.query.DEFAULT_FETCH_MODE", FETCH_RAISE)
    grow(newsroom, 3)
    small, _ = count_queries(lambda: page(client, newsroom.article))
    grow(newsroom, 30)  # the article gains 60 attributions, on passages shared and nested
    large, sql = count_queries(lambda: page(client, newsroom.article))
    assert small == large, "\n".join(sql)
    # the article with its outlet (one join), its attributions with their claims, sources and
    # the sources' actors (one join): 2.
    assert large <= 8, "\n".join(sql)


# The highlighting itself, on made-up spans: overlapping, nested, shared and out of range.


def attribution(
    pk: int, start: int, end: int, claim_pk: int, stance: str = "asserts"
) -> Attribution:
    """An unsaved attribution of an unsaved claim: what the highlighter reads, no database."""
    return Attribution(
        pk=pk,
        span_start=start,
        span_end=end,
        claim=Claim(pk=claim_pk, text=f"Claim {claim_pk}"),
        stance=stance,
    )


def marks(html: str) -> list[tuple[str, str]]:
    """(id or "", text) of every highlighted piece, in order."""
    pieces = re.findall(r'<mark class="passage"( id="[^"]+")?>(.*?)</a>', html)
    return [(ident.strip()[4:-1] if ident else "", text_of(text)) for ident, text in pieces]


def test_overlapping_and_nested_spans_are_cut_at_every_boundary():
    body = "0123456789"
    spans = [
        attribution(1, 0, 6, claim_pk=10),
        attribution(2, 3, 9, claim_pk=20),
        attribution(3, 3, 9, claim_pk=20),  # the same passage as 2
        attribution(4, 4, 5, claim_pk=30),  # inside both
    ]
    html = highlighted_body(body, spans)
    assert text_of(html) == body
    assert marks(html) == [
        ("attribution-1", "012"),
        ("attribution-2", "3"),
        ("attribution-4", "4"),
        ("", "5"),
        ("", "678"),
    ]
    # 3 starts where 2 does: its mark nests inside 2's, around the same text.
    assert (
        '<mark class="passage" id="attribution-2"><mark class="passage-also" id="attribution-3">'
        in html
    )
    # Each piece links its text to the first claim covering it and numbers all of them.
    piece = re.search(r'id="attribution-4">(.*?)</mark>', html).group(1)
    assert piece.startswith('<a href="/claims/10/"')
    assert re.findall(r'href="(/claims/\d+/)" aria-label', piece) == [
        "/claims/10/",
        "/claims/20/",
        "/claims/30/",
    ]
    assert html.endswith("9")  # the text after the last span is plain


def test_spans_past_the_end_of_an_edited_body_are_cut_to_fit():
    html = highlighted_body("short", [attribution(1, 2, 50, 10), attribution(2, 40, 60, 20)])
    assert text_of(html) == "short"
    assert marks(html) == [("attribution-1", "ort")]
    assert "attribution-2" not in html


def test_the_body_is_escaped_inside_and_outside_highlights():
    body = '<b>x</b> & "<script>alert(1)</script>"'
    html = highlighted_body(body, [attribution(1, 9, len(body), 10)])
    assert "<b>" not in html
    assert "<script>" not in html
    assert html.startswith("&lt;b&gt;x&lt;/b&gt; <mark")
    assert "&amp; &quot;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert text_of(html) == body


def test_an_article_without_attributions_is_plain_escaped_text():
    assert str(highlighted_body("a < b", [])) == "a &lt; b"


def test_real_attributions_on_a_shared_passage_each_get_an_anchor(client, newsroom):
    extra = Attribution.objects.create(
        claim=Claim.objects.create(text="The ministry was asked."),
        source=newsroom.opposition_sources,
        article=newsroom.article,
        stance="asserts",
        **span_of(BODY, "The Russian Defence Ministry did not respond"),
    )
    body = body_of(page(client, newsroom.article))
    assert f'id="attribution-{newsroom.no_response.pk}"' in body
    assert f'id="attribution-{extra.pk}"' in body
    assert text_of(body) == BODY


# Stance in colour, in line shape and in words; numbers that match the list of claims.


def list_numbers(page_html: str) -> dict[int, str]:
    """The number each claim has in the page's list of claims -> the claim's URL."""
    claims = re.search(r'<ol class="claim-list article-claims">(.*?)</ol>', page_html, re.S)
    found = re.findall(
        r'<li id="claim-(\d+)" value="\1">\s*<p class="claim-text"><span class="claim-number">'
        r'<span class="visually-hidden">Claim </span>(\d+)</span> <a href="([^"]+)">',
        claims.group(1),
    )
    assert all(number == shown for number, shown, _ in found)
    return {int(number): url for number, _, url in found}


def test_every_number_after_a_passage_is_the_claims_number_in_the_list(client, seeded):
    article = Article.objects.get()
    html = page(client, article)
    numbers = list_numbers(html)
    assert sorted(numbers) == list(range(1, Claim.objects.count() + 1))
    refs = re.findall(
        r'<a class="claim-ref" href="([^"]+)" aria-label="Claim (\d+): [^"]*">(\d+)</a>',
        body_of(html),
    )
    # Each passage is followed by the number of each of its claims (a passage split around a
    # clause inside it repeats its numbers after each part).
    claims_by_passage: dict[tuple[int, int], set[int]] = {}
    for a in article.attributions.all():
        claims_by_passage.setdefault((a.span_start, a.span_end), set()).add(a.claim_id)
    assert len(refs) >= sum(len(claims) for claims in claims_by_passage.values())
    for url, labelled, shown in refs:
        assert labelled == shown
        assert numbers[int(shown)] == url, f"number {shown} links to {url}"
    assert {int(shown) for _, _, shown in refs} == set(numbers)


def test_each_passage_says_its_stance_in_colour_and_in_words(client, seeded):
    article = Article.objects.get()
    body = body_of(page(client, article))
    denial = Claim.objects.get(slug="russia-has-forces-in-libya").attributions.get()
    match = re.search(rf'id="attribution-{denial.pk}">(.*?)</mark>', body)
    assert match
    assert 'class="passage-denies"' in match.group(1)
    assert '<span class="passage-stance passage-denies">denies</span>' in match.group(1)
    silent = Claim.objects.get(slug=WAGNER_HIRING_SLUG).attributions.get(
        source__slug="russian-defence-ministry"
    )
    match = re.search(rf'id="attribution-{silent.pk}">(.*?)</sup>', body)
    assert 'class="passage-no_response"' in match.group(1)
    assert ">did not respond</span>" in match.group(1)


def test_the_legend_names_the_stances_the_text_shows_and_no_other(client, seeded):
    html = page(client, Article.objects.get())
    legend = re.search(r'<ul class="passage-legend"[^>]*>(.*?)</ul>', html, re.S).group(1)
    assert re.findall(r'class="legend-sample passage-(\w+)">([^<]+)<', legend) == [
        ("asserts", "asserts"),
        ("denies", "denies"),
        ("no_response", "did not respond"),
        ("mixed", "several stances"),  # Putin's denial and refusal rest on one sentence
    ]
    # The help text speaks of the numbers, and the list shows them.
    assert "numbers of its claims" in html
    assert '<span class="claim-number">' in html


def test_an_article_without_claims_has_no_legend_or_help_about_highlights(client, newsroom):
    newsroom.article.attributions.all().delete()
    html = page(client, newsroom.article)
    assert "passage-legend" not in html
    assert "highlighted passage" not in html
    assert "No passage of this article is tied to a claim yet." in html


def test_a_piece_under_claims_of_different_stances_is_marked_mixed_and_names_both():
    body = "0123456789"
    html = highlighted_body(
        body,
        [
            attribution(1, 0, 6, claim_pk=10, stance="asserts"),
            attribution(2, 3, 9, claim_pk=20, stance="denies"),
        ],
    )
    assert text_of(html) == body
    classes = re.findall(r'<a href="[^"]+" class="passage-(\w+)"', html)
    assert classes == ["asserts", "mixed", "denies"]
    mixed = re.search(r'class="passage-mixed".*?</sup>', html).group(0)
    assert re.findall(r'passage-stance passage-(\w+)">([^<]+)<', mixed) == [
        ("asserts", "asserts"),
        ("denies", "denies"),
    ]
    assert re.findall(r'aria-label="Claim (\d)', mixed) == ["1", "2"]


def test_the_article_page_has_no_style_attribute_or_script(client, seeded):
    html = page(client, Article.objects.get())
    assert " style=" not in html
    assert "<script" not in html
