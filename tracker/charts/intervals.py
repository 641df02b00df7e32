"""Scores with their 90% intervals: a dot-and-interval chart of a ranking, a row per record."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from tracker.charts.svg import frame, number, plural
from tracker.models import TrackRecord

WIDTH = 640.0
LABEL_W = 210.0  # names on the left
PLOT_LEFT, PLOT_RIGHT = 230.0, 620.0
ROW = 20.0
HEAD = 24.0  # the scale above the rows
LABEL_CHARS = 30


def _x(value: float) -> float:
    return PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * min(max(value, 0.0), 1.0)


def _who(record: TrackRecord) -> str:
    who = record.source if record.source_id else record.actor
    return who.name if who is not None else ""


def interval_chart(*, records: Sequence[TrackRecord], name: str, nouns: str) -> SafeString:
    """Each record's score as a dot on its 5%-95% interval, on a 0 to 1 scale, best first."""
    if not records:
        return SafeString("")
    height = HEAD + len(records) * ROW + 6
    bottom = HEAD + len(records) * ROW
    scale = format_html_join(
        "",
        '<line class="chart-grid" x1="{0}" x2="{0}" y1="{1}" y2="{2}"/>'
        '<text class="chart-tick" x="{0}" y="14" text-anchor="middle">{3}</text>',
        (
            (number(_x(t)), number(HEAD - 4), number(bottom), f"{t:g}")
            for t in (0, 0.25, 0.5, 0.75, 1)
        ),
    )
    rows = format_html_join(
        "",
        '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}. {}</text>'
        '<line class="interval-line" x1="{}" x2="{}" y1="{}" y2="{}"/>'
        '<circle class="interval-dot" cx="{}" cy="{}" r="4"><title>{}: {} ({}–{})</title></circle>',
        (
            (
                number(LABEL_W),
                number(HEAD + i * ROW + ROW / 2 + 4),
                i + 1,
                Truncator(_who(r)).chars(LABEL_CHARS),
                number(_x(r.lower)),
                number(_x(r.upper)),
                number(HEAD + i * ROW + ROW / 2),
                number(HEAD + i * ROW + ROW / 2),
                number(_x(r.score)),
                number(HEAD + i * ROW + ROW / 2),
                _who(r),
                f"{r.score:.2f}",
                f"{r.lower:.2f}",
                f"{r.upper:.2f}",
            )
            for i, r in enumerate(records)
        ),
    )
    best, last = records[0], records[-1]
    widest = max(records, key=lambda r: (r.upper - r.lower, -r.scored))
    description = (
        f"{plural(len(records), 'record')}, best first, on a scale from 0 to 1. "
        f"Highest: {_who(best)}, {best.score:.2f} (90% interval {best.lower:.2f} to "
        f"{best.upper:.2f}). Lowest shown: {_who(last)}, {last.score:.2f} ({last.lower:.2f} to "
        f"{last.upper:.2f}). Widest interval: {_who(widest)}, {widest.lower:.2f} to "
        f"{widest.upper:.2f}, from {plural(widest.scored, 'scored claim')}."
    )
    return frame(
        name=name,
        css="interval-chart",
        width=WIDTH,
        height=height,
        title=f"{nouns}: each score with its 90% interval",
        description=description,
        body=format_html("{}{}", scale, rows),
    )
