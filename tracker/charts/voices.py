"""Who asserts and who answers around a claim: a small graph, asserters left, the rest right."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from tracker.charts.svg import STANCE_WORDS, frame, number, plural
from tracker.models import Attribution, Source, Stance

# Drawn per side (the table lists everyone); the rest become "and N more".
SIDE_LIMIT = 12
WIDTH = 760.0
ROW = 26.0
HEAD = 34.0
CLAIM_X, CLAIM_W = 270.0, 110.0
LEFT_DOT, RIGHT_DOT = 220.0, 430.0
LABEL_CHARS = 26


@dataclass(frozen=True)
class Voice:
    """One source's part in the claim: its stance and in how many attributions it took it."""

    source: Source
    stance: str
    attributions: int

    @property
    def stance_words(self) -> str:
        return STANCE_WORDS[Stance(self.stance)]

    @property
    def label(self) -> str:
        return Truncator(self.source.name).chars(LABEL_CHARS)


@dataclass(frozen=True)
class Voices:
    name: str
    asserters: list[Voice]
    responders: list[Voice]  # denied, declined to comment, did not respond: in that order

    @property
    def everyone(self) -> list[Voice]:
        return [*self.asserters, *self.responders]

    @property
    def svg(self) -> SafeString:
        return _draw(self)


def claim_voices(*, attributions: Sequence[Attribution], name: str) -> Voices:
    """The claim's sources by stance, from the attributions the page already has (no query)."""
    counts: dict[tuple[int, str], int] = {}
    sources: dict[int, Source] = {}
    for attribution in attributions:
        key = (attribution.source_id, attribution.stance)
        counts[key] = counts.get(key, 0) + 1
        sources[attribution.source_id] = attribution.source
    order = {stance: i for i, stance in enumerate(Stance.values)}
    voices = sorted(
        (Voice(sources[pk], stance, n) for (pk, stance), n in counts.items()),
        key=lambda v: (order[v.stance], -v.attributions, v.source.name.casefold(), v.source.pk),
    )
    return Voices(
        name=name,
        asserters=[v for v in voices if v.stance == Stance.ASSERTS],
        responders=[v for v in voices if v.stance != Stance.ASSERTS],
    )


def _side(voices: list[Voice], *, left: bool, top: float, middle: float) -> list[SafeString]:
    """One side's sources, a dot and a label each, with a line to the claim's middle."""
    parts = []
    shown = voices[:SIDE_LIMIT]
    claim_edge = CLAIM_X if left else CLAIM_X + CLAIM_W
    dot = LEFT_DOT if left else RIGHT_DOT
    for i, voice in enumerate(shown):
        y = top + i * ROW + ROW / 2
        words = "" if left else f" ({voice.stance_words})"
        parts.append(
            format_html(
                '<line class="voice-line voice-{}" x1="{}" y1="{}" x2="{}" y2="{}"/>'
                '<circle class="voice-dot bar-{}" cx="{}" cy="{}" r="5"/>'
                '<text class="chart-label" x="{}" y="{}" text-anchor="{}">{}{}</text>',
                voice.stance,
                number(dot),
                number(y),
                number(claim_edge),
                number(middle),
                voice.stance,
                number(dot),
                number(y),
                number(dot - 10 if left else dot + 10),
                number(y + 4),
                "end" if left else "start",
                voice.label,
                words,
            )
        )
    if len(voices) > SIDE_LIMIT:
        y = top + len(shown) * ROW + ROW / 2
        parts.append(
            format_html(
                '<text class="chart-tick" x="{}" y="{}" text-anchor="{}">and {} more</text>',
                number(dot - 10 if left else dot + 10),
                number(y + 4),
                "end" if left else "start",
                len(voices) - SIDE_LIMIT,
            )
        )
    return parts


def _sentence(voices: list[Voice]) -> str:
    by_stance: dict[str, list[str]] = {}
    for voice in voices:
        by_stance.setdefault(voice.stance, []).append(voice.source.name)
    return " ".join(
        f"{plural(len(names), 'source')} {STANCE_WORDS[Stance(stance)]}: {', '.join(names)}."
        for stance, names in by_stance.items()
    )


def _draw(voices: Voices) -> SafeString:
    if not voices.everyone:
        return SafeString("")
    sides = (voices.asserters, voices.responders)
    rows = max(1, *(min(len(side), SIDE_LIMIT) + (len(side) > SIDE_LIMIT) for side in sides))
    height = HEAD + rows * ROW + 8
    top = HEAD
    middle = top + (rows * ROW) / 2
    claim_h = min(rows * ROW, 60.0)
    body = format_html(
        '<text class="chart-tick" x="{}" y="16" text-anchor="end">Asserted it</text>'
        '<text class="chart-tick" x="{}" y="16">Denied it, declined or did not respond</text>'
        '<rect class="voice-claim" x="{}" y="{}" width="{}" height="{}" rx="6"/>'
        '<text class="chart-label" x="{}" y="{}" text-anchor="middle">The claim</text>{}{}',
        number(LEFT_DOT),
        number(RIGHT_DOT),
        number(CLAIM_X),
        number(middle - claim_h / 2),
        number(CLAIM_W),
        number(claim_h),
        number(CLAIM_X + CLAIM_W / 2),
        number(middle + 4),
        format_html_join(
            "", "{}", ((p,) for p in _side(voices.asserters, left=True, top=top, middle=middle))
        ),
        format_html_join(
            "", "{}", ((p,) for p in _side(voices.responders, left=False, top=top, middle=middle))
        ),
    )
    asserted = _sentence(voices.asserters) or "Nobody asserted it."
    answered = _sentence(voices.responders) or "Nobody denied it, declined or failed to respond."
    return frame(
        name=voices.name,
        css="voices-chart",
        width=WIDTH,
        height=height,
        title=(
            f"Who asserts and who answers: {plural(len(voices.asserters), 'source')} on one "
            f"side, {plural(len(voices.responders), 'source')} on the other"
        ),
        description=f"{asserted} {answered}",
        body=body,
    )
