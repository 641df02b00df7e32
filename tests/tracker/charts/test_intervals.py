"""The rankings' dot-and-interval charts: each score on its 90% interval, beside the table."""

from __future__ import annotations

import re

import pytest

from tests.tracker.views.test_rankings import page, records  # noqa: F401  (a fixture)
from tracker.models import Source

pytestmark = pytest.mark.django_db


def chart(html: str, noun: str) -> str:
    match = re.search(
        rf'<svg class="chart interval-chart"[^>]*intervals-{noun}-title.*?</svg>', html, re.S
    )
    assert match, f"no chart of {noun}"
    return match.group(0)


def x(value: float) -> float:
    return 230 + 390 * value


def test_each_source_is_a_dot_on_its_interval(client, records):  # noqa: F811
    html = page(client)
    svg = chart(html, "source")
    assert (
        'role="img"' in svg
        and 'aria-labelledby="intervals-source-title intervals-source-desc"' in svg
    )
    assert (
        '<title id="intervals-source-title">Sources: each score with its 90% interval</title>'
        in svg
    )
    labels = re.findall(r'class="chart-label"[^>]*>([^<]+)</text>', svg)
    assert labels == [
        "1. Syrian opposition sources",
        "2. Russian Defence Ministry",
        "3. Ministry spokesman",
    ]
    lines = [
        tuple(float(v) for v in m)
        for m in re.findall(r'class="interval-line" x1="([^"]+)" x2="([^"]+)"', svg)
    ]
    dots = [float(v) for v in re.findall(r'class="interval-dot" cx="([^"]+)"', svg)]
    # Beta(4, 1): 0.8 in [0.05^¼, 0.95^¼]; Beta(2.5, 2.5): 0.5, symmetric about it.
    assert dots[0] == pytest.approx(x(0.8), abs=0.01) and dots[1] == pytest.approx(x(0.5), abs=0.01)
    assert lines[0] == pytest.approx((x(0.05**0.25), x(0.95**0.25)), abs=0.01)
    assert lines[1][0] + lines[1][1] == pytest.approx(2 * x(0.5), abs=0.02)
    desc = re.search(r'<desc id="intervals-source-desc">(.*?)</desc>', svg).group(1)
    assert desc.startswith(
        "3 records, best first, on a scale from 0 to 1. "
        "Highest: Syrian opposition sources, 0.80 (90% interval 0.47 to 0.99)."
    )
    assert "Lowest shown: Ministry spokesman, 0.25 (0.03 to 0.59)." in desc
    # The table with the same numbers follows the chart.
    after = html[html.index("intervals-source-title") :]
    assert "<table" in after and "0.47–0.99" in after


def test_actors_have_their_own_chart_with_their_own_ids(client, records):  # noqa: F811
    html = page(client)
    svg = chart(html, "actor")
    assert "4. Russian government" in svg
    assert (
        html.count('id="intervals-actor-title"') == 1
        and html.count('id="intervals-source-title"') == 1
    )


def test_no_chart_without_a_ranked_record(client, db):
    assert "interval-chart" not in page(client)


def test_names_are_escaped(client, records):  # noqa: F811
    Source.objects.filter(pk=records.spokesman.pk).update(name="<script>alert(1)</script>")
    svg = chart(page(client), "source")
    assert "<script>" not in svg and "3. &lt;script&gt;alert(1)&lt;/script&gt;" in svg
