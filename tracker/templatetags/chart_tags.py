"""Template tags for the server-drawn charts of tracker/charts/ (pages that only have rows)."""

from __future__ import annotations

from collections.abc import Sequence

from django import template
from django.utils.safestring import SafeString

from tracker.charts.intervals import interval_chart
from tracker.models import TrackRecord

register = template.Library()


@register.simple_tag
def ranking_intervals(records: Sequence[TrackRecord], noun: str, nouns: str) -> SafeString:
    """The ranking's scores as dots on their intervals (ids prefixed by the noun)."""
    return interval_chart(records=records, name=f"intervals-{noun}", nouns=nouns)
