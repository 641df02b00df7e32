"""An actor's attributions month by month, by stance: one bounded GROUP BY, a stacked-bar SVG."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Sum
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from tracker.charts.svg import (
    STANCE_ORDER,
    STANCE_WORDS,
    frame,
    legend,
    number,
    plural,
    stance_patterns,
)
from tracker.choices import SourceTie
from tracker.models import ActorMonthCount

# At most this many months are drawn (the newest); older ones are counted in words.
MONTHS = 120
WIDTH, HEIGHT = 640.0, 220.0
LEFT, RIGHT, TOP, BOTTOM = 40.0, 8.0, 10.0, 28.0


@dataclass(frozen=True)
class Month:
    start: datetime.date
    counts: dict[str, int]  # stance -> attributions

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def label(self) -> str:
        return self.start.strftime("%B %Y")

    def cells(self) -> list[int]:
        """The counts in the stances' order, for the table."""
        return [self.counts.get(stance, 0) for stance in STANCE_ORDER]


@dataclass(frozen=True)
class Timeline:
    name: str
    who: str
    months: list[Month]  # every month from the first shown to the last, empty ones too
    older: bool  # some earlier months are left out (past MONTHS)

    @property
    def total(self) -> int:
        return sum(month.total for month in self.months)

    @property
    def stances(self) -> list[tuple[str, str]]:
        return [(s.value, s.label) for s in STANCE_ORDER]

    @property
    def totals(self) -> list[int]:
        return [sum(m.counts.get(s, 0) for m in self.months) for s in STANCE_ORDER]

    @property
    def svg(self) -> SafeString:
        return _draw(self)

    @property
    def legend(self) -> SafeString:
        return legend(self.name)


def _month_after(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def actor_timeline(
    *, who: str, actor_ids: list[int], affiliated: bool = False, name: str
) -> Timeline:
    """Counts by month (of the article's date) and stance over the attributions to these
    actors' sources, read from the counts kept with the data (ActorMonthCount): one query.

    The GROUP BY sums a few rows a month per actor, whatever the number of attributions, and
    stops after MONTHS months' worth (the newest first). A month cut by the limit is dropped.
    Sources that only belong to an actor count when `affiliated`, as on the rest of the page.
    """
    limit = MONTHS * len(STANCE_ORDER)
    counts = ActorMonthCount.objects.filter(actor_id__in=actor_ids)
    if not affiliated:
        counts = counts.filter(tie=SourceTie.SPEAKS_FOR)
    rows = [
        row
        for row in counts.order_by()
        .values_list("month", "stance")
        .annotate(n=Sum("n"))
        .order_by("-month", "stance")[: limit + 1]
        if row[2]
    ]
    older = len(rows) > limit
    if older:
        oldest = rows[-1][0]
        rows = [row for row in rows if row[0] != oldest]
    by_month: dict[datetime.date, dict[str, int]] = {}
    for month, stance, n in rows:
        by_month.setdefault(_as_date(month), {})[stance] = n
    months: list[Month] = []
    if by_month:
        day, last = min(by_month), max(by_month)
        while day <= last:
            months.append(Month(day, by_month.get(day, {})))
            day = _month_after(day)
        months = months[-MONTHS:]
        older = older or min(by_month) < months[0].start
    return Timeline(name=name, who=who, months=months, older=older)


def _ticks(top: int) -> list[int]:
    """Gridline values: 0, the top, and a round one between when there is room."""
    if top <= 1:
        return [0, top]
    half = top // 2
    return [0, half, top] if half not in (0, top) else [0, top]


def _draw(timeline: Timeline) -> SafeString:
    months = timeline.months
    if not months:
        return SafeString("")
    name = timeline.name
    top = max(1, max(m.total for m in months))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / len(months)
    bar = min(max(step * 0.8, 0.5), 36.0)  # a lone month is a bar, not a wall
    bars = []
    for i, month in enumerate(months):
        x = LEFT + i * step + (step - bar) / 2
        y = TOP + plot_h
        for stance in STANCE_ORDER:
            count = month.counts.get(stance, 0)
            if not count:
                continue
            h = plot_h * count / top
            y -= h
            bars.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="url(#{}-{})">'
                    "<title>{}: {} {}</title></rect>",
                    number(x),
                    number(y),
                    number(bar),
                    number(h),
                    name,
                    stance.value,
                    month.label,
                    count,
                    STANCE_WORDS[stance],
                )
            )
    grid = format_html_join(
        "",
        '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
        '<text class="chart-tick" x="{}" y="{}" text-anchor="end">{}</text>',
        (
            (
                number(LEFT),
                number(WIDTH - RIGHT),
                number(TOP + plot_h - plot_h * t / top),
                number(TOP + plot_h - plot_h * t / top),
                number(LEFT - 4),
                number(TOP + plot_h - plot_h * t / top + 4),
                t,
            )
            for t in _ticks(top)
        ),
    )
    # A label under the first month, the last, and each January between when they fit.
    every = max(1, len(months) // 8)
    labelled = [
        i
        for i, m in enumerate(months)
        if i in (0, len(months) - 1) or (m.start.month == 1 and i % every == 0)
    ]
    labels = format_html_join(
        "",
        '<text class="chart-tick" x="{}" y="{}" text-anchor="{}">{}</text>',
        (
            (
                number(LEFT + i * step + step / 2),
                number(HEIGHT - 8),
                "start" if i == 0 else "end" if i == len(months) - 1 else "middle",
                months[i].start.strftime("%b %Y"),
            )
            for i in labelled
        ),
    )
    busiest = max(months, key=lambda m: (m.total, m.start))
    totals = "; ".join(
        f"{n} {STANCE_WORDS[s]}" for s, n in zip(STANCE_ORDER, timeline.totals, strict=True) if n
    )
    description = (
        f"{plural(timeline.total, 'attribution')} from {months[0].label} to {months[-1].label}: "
        f"{totals}. The busiest month was {busiest.label} with {busiest.total}."
    )
    return frame(
        name=name,
        css="timeline-chart",
        width=WIDTH,
        height=HEIGHT,
        title=f"Attributions to {timeline.who} and the actors under it, month by month",
        description=description,
        defs=stance_patterns(name),
        body=format_html(
            '{}<line class="chart-axis" x1="{}" x2="{}" y1="{}" y2="{}"/>{}{}',
            grid,
            number(LEFT),
            number(WIDTH - RIGHT),
            number(TOP + plot_h),
            number(TOP + plot_h),
            format_html_join("", "{}", ((b,) for b in bars)),
            labels,
        ),
    )
