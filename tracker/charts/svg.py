"""What every chart shares: the <svg> frame with its title and description, patterns, numbers."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from tracker.models import Stance
from tracker.templatetags.tracker_tags import BAR_PATTERNS, BAR_WORDS

# The stance words after a count ("3 denied"), and the shape drawn over each stance's colour,
# are the claim page's stance bar's: one picture language for every chart.
STANCE_WORDS = BAR_WORDS
STANCE_ORDER = tuple(Stance)


def number(value: float) -> str:
    """A coordinate as SVG takes it: short, with a dot (format_html would localise a float)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def stance_patterns(name: str) -> SafeString:
    """<pattern id="{name}-{stance}"> for each stance: its colour with its shape drawn over."""
    return format_html_join(
        "",
        '<pattern id="{}-{}" width="8" height="8" patternUnits="userSpaceOnUse">'
        '<rect class="bar-{}" width="8" height="8"/>{}</pattern>',
        ((name, s.value, s.value, mark_safe(BAR_PATTERNS[s])) for s in STANCE_ORDER),
    )


def frame(
    *,
    name: str,
    css: str,
    width: float,
    height: float,
    title: str,
    description: str,
    body: SafeString,
    defs: SafeString | str = "",
) -> SafeString:
    """An inline SVG image: role="img", labelled by its <title> and <desc> (both escaped).

    Only attributes and classes: the page's Content-Security-Policy allows no inline style.
    `name` prefixes the ids, so two charts on a page never share one.
    """
    return format_html(
        '<svg class="chart {}" role="img" viewBox="0 0 {} {}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" aria-labelledby="{}-title {}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc><defs>{}</defs>{}</svg>',
        css,
        number(width),
        number(height),
        name,
        name,
        name,
        title,
        name,
        description,
        defs,
        body,
    )


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"


def legend(name: str, stances: tuple[Stance, ...] = STANCE_ORDER) -> SafeString:
    """The stances' swatches (the chart's own patterns, by id) and words, as a list."""
    return format_html(
        '<ul class="chart-legend">{}</ul>',
        format_html_join(
            "",
            '<li><svg class="swatch" width="16" height="16" aria-hidden="true" focusable="false">'
            '<rect width="16" height="16" fill="url(#{}-{})"/></svg> {}</li>',
            ((name, s.value, s.label) for s in stances),
        ),
    )
