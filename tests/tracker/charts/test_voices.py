"""Who asserts and who answers around a claim: the graph and its table on the claim page."""

from __future__ import annotations

import re

import pytest

from tests.conftest import BODY, count_queries, grow, span_of
from tracker.charts import voices as charts
from tracker.models import Attribution, Claim, Source

pytestmark = pytest.mark.django_db

HIRING = "wagner-conducting-syrian-hiring-with-russian-army-supervision"


def part(html: str) -> str:
    match = re.search(
        r'<section class="chart-section" aria-labelledby="voices">.*?</section>', html, re.S
    )
    assert match, "no graph of voices"
    return match.group(0)


def rows(html: str) -> list[list[str]]:
    body = re.search(r"<tbody>(.*?)</tbody>", part(html), re.S).group(1)
    return [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_the_seed_claim_has_its_asserters_left_and_its_silent_right(client, seeded):
    claim = Claim.objects.get(slug=HIRING)
    html = client.get(claim.get_absolute_url()).content.decode()
    svg = re.search(r'<svg class="chart voices-chart".*?</svg>', part(html), re.S).group(0)
    assert 'role="img" ' in svg and 'aria-labelledby="voices-title voices-desc"' in svg
    assert (
        '<title id="voices-title">Who asserts and who answers: 2 sources on one side, '
        "2 sources on the other</title>"
    ) in svg
    desc = re.search(r'<desc id="voices-desc">(.*?)</desc>', svg).group(1)
    assert desc == (
        "2 sources asserted: Regional source familiar with the matter, Syrian opposition "
        "sources. 2 sources did not respond: Russian Defence Ministry, Wagner Group."
    )
    left = re.findall(r'text-anchor="end">([^<]+)</text>', svg)
    right = re.findall(r'text-anchor="start">([^<]+)</text>', svg)
    assert left == ["Asserted it", "Regional source familiar …", "Syrian opposition sources"]
    assert right == ["Russian Defence Ministry (did not respond)", "Wagner Group (did not respond)"]
    assert svg.count('class="voice-line voice-asserts"') == 2
    assert svg.count('class="voice-line voice-no_response"') == 2
    assert rows(html) == [
        ["Regional source familiar with the matter", "–", "asserted", "1"],
        ["Syrian opposition sources", "Syrian opposition", "asserted", "1"],
        ["Russian Defence Ministry", "Russian Defence Ministry", "did not respond", "1"],
        ["Wagner Group", "Wagner Group", "did not respond", "1"],
    ]


def test_a_source_counted_twice_and_a_long_side_is_cut(newsroom, monkeypatch):
    grow(newsroom, 6)  # six sources each asserting and denying the newsroom's claim
    monkeypatch.setattr(charts, "SIDE_LIMIT", 4)
    attributions = list(newsroom.claim.attributions.for_list())
    voices = charts.claim_voices(attributions=attributions, name="v")
    assert len(voices.asserters) == 7 and len(voices.responders) == 8
    assert "and 3 more" in voices.svg and "and 4 more" in voices.svg
    again = Attribution.objects.create(
        claim=newsroom.claim, source=newsroom.spokesman, article=newsroom.article,
        stance="denies", **span_of(BODY, '"We never did that," he said.'),
    )  # fmt: skip
    voices = charts.claim_voices(attributions=[*attributions, again], name="v")
    spokesman = next(v for v in voices.responders if v.source == newsroom.spokesman)
    assert spokesman.attributions == 2


def test_the_graph_adds_no_query_to_the_claim_page(client, newsroom):
    before, _ = count_queries(lambda: client.get(newsroom.claim.get_absolute_url()))
    grow(newsroom, 20)
    after, sql = count_queries(lambda: client.get(newsroom.claim.get_absolute_url()))
    assert before == after, "\n".join(sql)


def test_a_claim_nobody_spoke_to_has_no_graph(client, db):
    claim = Claim.objects.create(text="Nobody said this.", slug="nobody")
    assert 'aria-labelledby="voices"' not in client.get(claim.get_absolute_url()).content.decode()


def test_names_are_escaped(client, newsroom):
    Source.objects.filter(pk=newsroom.spokesman.pk).update(name="<script>alert(1)</script>")
    html = part(client.get(newsroom.claim.get_absolute_url()).content.decode())
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; (denied)" in html
