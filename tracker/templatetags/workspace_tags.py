"""The editors' workspace: an article's text with its suggested attributions highlighted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from tracker.templatetags.tracker_tags import body_pieces, stance_word

if TYPE_CHECKING:
    from articles.models import SuggestedAttribution
    from tracker.models import Attribution

register = template.Library()


@register.simple_tag
def suggested_body(body: str, suggestions: Sequence[SuggestedAttribution]) -> SafeString:
    """The body, escaped, each suggestion's passage in a <mark> coloured by its stance (as on the
    article's page: the same pieces and classes), naming the row of its suggestion in the list
    (a link would drag instead of letting the editor select words in it)."""
    pieces: list[str] = []
    # A suggestion has what body_pieces reads of an attribution: pk, span_start/end, stance.
    for piece in body_pieces(body, cast("Sequence[Attribution]", suggestions)):
        text = body[piece.start : piece.end]
        if not piece.covering:
            pieces.append(escape(text))
            continue
        first = piece.covering[0]
        words = ", ".join(sorted({stance_word(s.stance) for s in piece.covering}))
        ids = [s.pk for s in piece.starting]
        pieces.append(
            format_html(
                '<mark class="passage passage-{}"{} data-row="row-{}" title="{}">{}</mark>',
                piece.stance,
                format_html(' id="suggestion-{}"', ids[0]) if ids else "",
                first.pk,
                words,
                text,
            )
        )
    # Every piece above is either escape()d article text or built by format_html.
    return mark_safe("".join(pieces))


@register.filter
def words_of(suggestion: SuggestedAttribution, body: str) -> str:
    """A decided suggestion in the article's words: its source and its cue."""
    return " … ".join(
        words
        for words in (suggestion.text_of(body, "source"), suggestion.text_of(body, "cue"))
        if words
    )
