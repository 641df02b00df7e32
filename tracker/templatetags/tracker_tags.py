"""Template tags of the reader's pages: stance badges, source marks and the highlighted body."""

from __future__ import annotations

from collections.abc import Sequence
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
    """Claim id -> its number on the page, numbered by where the claim first appears in the body."""
    numbers: dict[int, int] = {}
    for attribution in sorted(attributions, key=lambda a: (a.span_start, a.pk)):
        numbers.setdefault(attribution.claim_id, len(numbers) + 1)
    return numbers


@register.simple_tag
def highlighted_body(body: str, attributions: Sequence[Attribution]) -> SafeString:
    """The article body, escaped, with every attributed passage in a <mark> linking to its claim.

    Spans may overlap or nest, and several attributions often share one passage, so the body is
    cut at every span boundary: each piece covered by at least one span becomes one <mark>, its
    text linked to the first claim covering it and, when it carries several claims, followed by
    numbered links to each (numbered as the page's list of claims). Every attribution gets an
    id (attribution-N) on a <mark> that starts where its passage starts; when several begin at
    the same character, their marks nest, so each #attribution-N lands on its passage. All text
    from the article goes through escape(): only the <mark>, <a> and <sup> here are markup.
    """
    size = len(body)
    # A span past the end (the body was edited after the attribution) is cut to fit, not dropped.
    spans = [(min(a.span_start, size), min(a.span_end, size), a) for a in attributions]
    spans = sorted((s for s in spans if s[0] < s[1]), key=lambda s: (s[0], s[2].pk))
    numbers = claims_in_order([a for _, _, a in spans])
    bounds = sorted({0, size, *(s for s, _, _ in spans), *(e for _, e, _ in spans)})

    pieces: list[str] = []
    for lo, hi in pairwise(bounds):
        covering = [a for start, end, a in spans if start <= lo and hi <= end]
        if not covering:
            pieces.append(escape(body[lo:hi]))
            continue
        starting = [a for start, _, a in spans if start == lo]
        claims = sorted(
            {a.claim_id: a.claim for a in covering}.values(), key=lambda c: numbers[c.pk]
        )
        first = claims[0]
        inner = format_html(
            '<a href="{}" title="{}">{}</a>',
            first.get_absolute_url(),
            Truncator(first.text).chars(200),
            body[lo:hi],
        )
        if len(claims) > 1:
            refs = format_html_join(
                " ",
                '<a href="{}" aria-label="Claim {}: {}">{}</a>',
                (
                    (
                        c.get_absolute_url(),
                        numbers[c.pk],
                        Truncator(c.text).chars(120),
                        numbers[c.pk],
                    )
                    for c in claims
                ),
            )
            inner = format_html('{}<sup class="claim-refs">{}</sup>', inner, refs)
        # Innermost first: the first attribution to start here gets the outer, highlighted mark.
        for attribution in reversed(starting[1:]):
            inner = format_html(
                '<mark class="passage-also" id="attribution-{}">{}</mark>', attribution.pk, inner
            )
        opening = starting[0].pk if starting else None
        if opening is None:
            pieces.append(format_html('<mark class="passage">{}</mark>', inner))
        else:
            pieces.append(
                format_html('<mark class="passage" id="attribution-{}">{}</mark>', opening, inner)
            )
    # Every piece above is either escape()d article text or built by format_html.
    return mark_safe("".join(pieces))
