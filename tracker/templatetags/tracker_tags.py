"""Template tags of the reader's pages: stance badges, source marks, highlights, stance bars."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from django import template
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from tracker.models import Anonymity, SourceKind, Stance

if TYPE_CHECKING:
    from tracker.models import Attribution

register = template.Library()


@register.simple_tag
def stance_badge(stance: str) -> SafeString:
    """The stance in words, coloured by the stylesheet (the colour only reinforces the words)."""
    label = Stance(stance).label if stance in Stance.values else stance
    return format_html('<span class="stance stance-{}">{}</span>', stance, label)


@register.simple_tag
def source_mark(attribution: Attribution) -> SafeString:
    """Named, anonymous, document or unattributed: how the reader should weigh the source."""
    if attribution.source.kind == SourceKind.DOCUMENT:
        word = "document"
    else:
        word = Anonymity(attribution.anonymity).label.lower()
    return format_html('<span class="tag source-mark">{}</span>', word)


@register.filter
def is_web_url(url: str) -> bool:
    """Only http(s) addresses become links: an imported article could carry a javascript: URL."""
    return url.lower().startswith(("http://", "https://"))


def claims_in_order(attributions: Sequence[Attribution]) -> dict[int, int]:
    """Claim id -> its number on the page, numbered by where the claim first appears in the body.

    The article page's list of claims and the numbers after its passages both come from here,
    over the same attributions, so a number in the text is the number of the claim in the list.
    """
    numbers: dict[int, int] = {}
    for attribution in sorted(attributions, key=lambda a: (a.span_start, a.pk)):
        numbers.setdefault(attribution.claim_id, len(numbers) + 1)
    return numbers


# The order stances are named in, everywhere: who said it, then who answered and how.
STANCE_ORDER = {value: position for position, value in enumerate(Stance.values)}
# A passage carrying claims of more than one stance is painted as such, not as one of them.
MIXED = "mixed"
MIXED_LABEL = "several stances"


def stance_word(stance: str) -> str:
    """The stance in words, lower case, as it reads after a passage ("did not respond")."""
    return Stance(stance).label.lower() if stance in Stance.values else stance


@dataclass(frozen=True)
class Piece:
    """A stretch of the body between two span boundaries, and the attributions around it."""

    start: int
    end: int
    covering: list[Attribution]  # every attribution whose passage includes the piece
    starting: list[Attribution]  # those whose passage starts here (they get the anchors)

    @property
    def stance(self) -> str:
        stances = {a.stance for a in self.covering}
        return stances.pop() if len(stances) == 1 else MIXED


def body_pieces(body: str, attributions: Sequence[Attribution]) -> Iterator[Piece]:
    """The body cut at every span boundary; spans may overlap, nest or share a passage."""
    size = len(body)
    # A span past the end (the body was edited after the attribution) is cut to fit, not dropped.
    spans = [(min(a.span_start, size), min(a.span_end, size), a) for a in attributions]
    spans = sorted((s for s in spans if s[0] < s[1]), key=lambda s: (s[0], s[2].pk))
    bounds = sorted({0, size, *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    for lo, hi in pairwise(bounds):
        yield Piece(
            lo,
            hi,
            covering=[a for start, end, a in spans if start <= lo and hi <= end],
            starting=[a for start, _, a in spans if start == lo],
        )


def _claim_refs(covering: Sequence[Attribution], numbers: Mapping[int, int]) -> SafeString:
    """After a passage: what its sources did, in words, and the numbers of its claims."""
    by_stance: dict[str, dict[int, Attribution]] = {}
    for attribution in sorted(covering, key=lambda a: (numbers[a.claim_id], a.pk)):
        by_stance.setdefault(attribution.stance, {}).setdefault(attribution.claim_id, attribution)
    groups = []
    for stance in sorted(by_stance, key=lambda s: STANCE_ORDER.get(s, len(STANCE_ORDER))):
        links = format_html_join(
            " ",
            '<a class="claim-ref" href="{}" aria-label="Claim {}: {}">{}</a>',
            (
                (
                    a.claim.get_absolute_url(),
                    numbers[a.claim_id],
                    Truncator(a.claim.text).chars(120),
                    numbers[a.claim_id],
                )
                for a in by_stance[stance].values()
            ),
        )
        groups.append(
            format_html(
                '<span class="passage-stance passage-{}">{}</span> {}',
                stance,
                stance_word(stance),
                links,
            )
        )
    return format_html('<sup class="claim-refs">{}</sup>', mark_safe(" ".join(groups)))


@register.simple_tag
def highlighted_body(body: str, attributions: Sequence[Attribution]) -> SafeString:
    """The article body, escaped, with every attributed passage in a <mark> linking to its claim.

    The body is cut at every span boundary (body_pieces): each piece covered by at least one
    span becomes one <mark class="passage">, its text linked to the first claim covering it and
    coloured by the stance of what covers it (class passage-<stance>, or passage-mixed, on the
    link). After the text, inside the mark, a <sup> says in words what its sources did and gives
    the numbers of the claims covering it, as numbered in the page's list of claims
    (claims_in_order), each linking to its claim. Every attribution gets an id (attribution-N)
    on a <mark> that starts where its passage starts; when several begin at the same character
    their marks nest, so each #attribution-N lands on its passage. All text from the article goes
    through escape(): only the markup built here is markup.
    """
    numbers = claims_in_order(attributions)
    pieces: list[str] = []
    for piece in body_pieces(body, attributions):
        text = body[piece.start : piece.end]
        if not piece.covering:
            pieces.append(escape(text))
            continue
        first = min((a.claim for a in piece.covering), key=lambda c: numbers[c.pk])
        inner = format_html(
            '<a href="{}" class="passage-{}" title="{}">{}</a>',
            first.get_absolute_url(),
            piece.stance,
            Truncator(first.text).chars(200),
            text,
        )
        inner = format_html("{}{}", inner, _claim_refs(piece.covering, numbers))
        # Innermost first: the first attribution to start here gets the outer, coloured mark.
        for attribution in reversed(piece.starting[1:]):
            inner = format_html(
                '<mark class="passage-also" id="attribution-{}">{}</mark>', attribution.pk, inner
            )
        if piece.starting:
            mark = format_html(
                '<mark class="passage" id="attribution-{}">{}</mark>', piece.starting[0].pk, inner
            )
        else:
            mark = format_html('<mark class="passage">{}</mark>', inner)
        pieces.append(mark)
    # Every piece above is either escape()d article text or built by format_html.
    return mark_safe("".join(pieces))


@register.simple_tag
def passage_legend(body: str, attributions: Sequence[Attribution]) -> list[tuple[str, str]]:
    """(class suffix, words) of each colour the highlighted body uses, in the usual order."""
    shown = {piece.stance for piece in body_pieces(body, attributions) if piece.covering}
    legend = [(value, stance_word(value)) for value in Stance.values if value in shown]
    if MIXED in shown:
        legend.append((MIXED, MIXED_LABEL))
    return legend


# The stance bar of a claim: the words after each count, and the pattern drawn over its colour
# so that the parts differ by shape too (a reader who cannot tell the colours apart).
BAR_WORDS = {
    Stance.ASSERTS: "asserted",
    Stance.DENIES: "denied",
    Stance.DECLINED: "declined to comment",
    Stance.NO_RESPONSE: "did not respond",
}
BAR_PATTERNS = {
    # stance: the pattern's tile (width, height, shapes), drawn in the bar-pattern class
    Stance.ASSERTS: "",
    Stance.DENIES: '<path class="bar-pattern" d="M0 8L8 0M-2 2L2 -2M6 10L10 6"/>',
    Stance.DECLINED: '<path class="bar-pattern" d="M0 2H8M0 6H8"/>',
    Stance.NO_RESPONSE: '<circle class="bar-pattern-dot" cx="4" cy="4" r="1.6"/>',
}
BAR_HEIGHT = 28


@dataclass(frozen=True)
class BarPart:
    stance: str
    words: str
    count: int
    percent: float  # of all the claim's attributions
    offset: float  # where the part starts, in percent of the bar

    # format_html escapes its arguments into strings first, so numbers arrive formatted.
    @property
    def x(self) -> str:
        return f"{self.offset:.3f}%"

    @property
    def width(self) -> str:
        return f"{self.percent:.3f}%"

    @property
    def share(self) -> str:
        return f"{self.percent:.0f}%"


def stance_parts(summary: Mapping[str, int]) -> list[BarPart]:
    """The four stances' counts from a sourcing summary, with their shares of the whole."""
    counts = [(stance, int(summary.get(stance) or 0)) for stance in Stance.values]
    total = sum(count for _, count in counts)
    parts, offset = [], 0.0
    for stance, count in counts:
        percent = 100 * count / total if total else 0.0
        parts.append(BarPart(stance, BAR_WORDS[Stance(stance)], count, percent, offset))
        offset += percent
    return parts


@register.simple_tag
def stance_bar(summary: Mapping[str, int], name: str = "stance-bar") -> SafeString:
    """A horizontal bar of who asserted, denied, declined or did not respond, with the numbers.

    Drawn server-side as an inline SVG (widths as attributes: no script, no style attribute), a
    title and a description for screen readers, and the counts in words beside it. name prefixes
    the SVG's ids, so that two bars on one page do not share them.
    """
    parts = stance_parts(summary)
    total = sum(part.count for part in parts)
    if not total:  # the page says in words that nobody is cited yet
        return mark_safe("")
    shown = [part for part in parts if part.count]
    description = "; ".join(f"{p.count} {p.words} ({p.share})" for p in shown)
    patterns = format_html_join(
        "",
        '<pattern id="{}-{}" width="8" height="8" patternUnits="userSpaceOnUse">'
        '<rect class="bar-{}" width="8" height="8"/>{}</pattern>',
        ((name, p.stance, p.stance, mark_safe(BAR_PATTERNS[Stance(p.stance)])) for p in parts),
    )
    rects = format_html_join(
        "",
        '<rect x="{}" width="{}" height="{}" fill="url(#{}-{})"/>',
        ((p.x, p.width, BAR_HEIGHT, name, p.stance) for p in shown),
    )
    # The gaps between parts are drawn over the parts, so a small part keeps its width.
    gaps = format_html_join(
        "",
        '<line class="bar-gap" x1="{0}" x2="{0}" y1="0" y2="{1}"/>',
        ((p.x, BAR_HEIGHT) for p in shown[1:]),
    )
    svg = format_html(
        '<svg class="stance-bar-chart" role="img" width="100%" height="{}" '
        'aria-labelledby="{}-title {}-desc"><title id="{}-title">{}</title>'
        '<desc id="{}-desc">{}</desc><defs>{}</defs>{}{}</svg>',
        BAR_HEIGHT,
        name,
        name,
        name,
        f"How the {total} attribution{'s' if total != 1 else ''} of this claim split by stance",
        name,
        description,
        patterns,
        rects,
        gaps,
    )
    legend = format_html_join(
        "",
        '<li class="stance-bar-{}"><svg class="swatch" width="16" height="16" aria-hidden="true" '
        'focusable="false"><rect width="16" height="16" fill="url(#{}-{})"/></svg> '
        '<strong>{}</strong> {} <span class="muted">({})</span></li>',
        ((p.stance, name, p.stance, p.count, p.words, p.share) for p in parts),
    )
    return format_html(
        '<figure class="stance-bar">{}<figcaption><span class="stance-bar-caption">{}</span>'
        '<ul class="stance-bar-legend">{}</ul></figcaption></figure>',
        svg,
        f"Who took which stance, over {total} attribution{'s' if total != 1 else ''}:",
        legend,
    )
