"""Spans: where an attribution's passage lies in its article's body, by one set of rules.

Model validation, the admin, the API and the seed loader all place and check passages here, so a
passage is found (or refused, in the same words) wherever an editor gives it.

The rules:
- A passage, a quote and a wording are found in the body with typographic and straight quotes
  and apostrophes (U+2018, U+2019, U+201C, U+201D and ' "), dashes (en, em, minus and the
  hyphen) and runs of whitespace (a line break, a space, a no-break space) counted as equal,
  and invisible characters (soft hyphens, zero-width spaces) ignored; case and every other
  character count. The span stored is the body's own text.
- A passage must occur once, or be told apart (an occurrence number, an explicit span, or, when
  an existing attribution keeps its words, the place nearest its old one).
- The quote must lie inside the passage. The wording must too (its first letter may differ in
  case: a sentence may start with it), or, where the article names the speaker once and
  continues the quote in the next paragraph, in the paragraph just before.
- Errors quote the article's words (the closest passage, the sentence a quote is in), never
  character offsets.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

MISSING_PASSAGE = "Give the passage: the words of the article the attribution rests on."

# Characters that look alike to an editor: each folds to the plain ASCII one.
_FOLDS = {
    **dict.fromkeys("'’‘‛ʼ′`´", "'"),
    **dict.fromkeys('"“”„‟″«»', '"'),
    **dict.fromkeys("-‐‑‒–—―−", "-"),
    "…": "...",
}
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
# Where a sentence ends: its full stop (with closing quotes or brackets) and the space after it.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s|$)|\n")
_SENTENCE_START = re.compile(r"[.!?][\"'”’)\]]*\s+|\n\s*")
EXCERPT_MAX = 160
CONTEXT_MAX = 300


@dataclass(frozen=True)
class Placed:
    """A passage found in a body: its span, and the quote as the body has it."""

    start: int
    end: int
    quote: str = ""


class SpanError(ValueError):
    """What is wrong with a passage, quote or wording, by field name, in an editor's words."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))


@lru_cache(maxsize=8)  # a request places many passages in one or two bodies
def _fold(text: str) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """The text folded for matching, and where each folded character starts and ends in it."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            j = i + 1
            while j < n and text[j].isspace():
                j += 1
            out.append(" ")
            starts.append(i)
            ends.append(j)
            i = j
            continue
        if char not in _INVISIBLE:
            for folded in _FOLDS.get(char, char):
                out.append(folded)
                starts.append(i)
                ends.append(i + 1)
        i += 1
    return "".join(out), tuple(starts), tuple(ends)


def _needle(text: str) -> str:
    return _fold(unicodedata.normalize("NFC", text))[0].strip()


def folded(text: str) -> str:
    """The text as the matching rules see it: quotes, dashes and whitespace made plain."""
    return _needle(text)


def find(body: str, text: str) -> list[tuple[int, int]]:
    """Every place (start, end) where the text occurs in the body, by the matching rules."""
    needle = _needle(text)
    if not needle:
        return []
    folded, starts, ends = _fold(body)
    hits, at = [], folded.find(needle)
    while at >= 0:
        hits.append((starts[at], ends[at + len(needle) - 1]))
        at = folded.find(needle, at + 1)
    return hits


def excerpt(text: str, limit: int = EXCERPT_MAX) -> str:
    """The text between typographic quotes, shortened in the middle if it is long."""
    text = " ".join(text.split())
    if len(text) > limit:
        half = (limit - 3) // 2
        text = f"{text[:half].rstrip()} … {text[-half:].lstrip()}"
    return f"“{text}”"


def closest(body: str, text: str) -> str | None:
    """The body's words nearest to the text (aligned on their longest common run), if any."""
    needle = _needle(text)
    folded, starts, ends = _fold(body)
    if not needle or not folded:
        return None
    matcher = SequenceMatcher(None, folded, needle, autojunk=False)
    match = matcher.find_longest_match(0, len(folded), 0, len(needle))
    if match.size < max(4, len(needle) // 5):
        return None  # nothing worth showing: a few letters in common
    first = max(0, match.a - match.b)
    last = min(len(folded), first + len(needle)) - 1
    start, end = starts[first], ends[last]
    # Whole words: widen to the spaces around.
    while start > 0 and not body[start - 1].isspace():
        start -= 1
    while end < len(body) and not body[end].isspace():
        end += 1
    # Quotation marks around the words would be doubled by the quotes the message puts round.
    return body[start:end].strip().strip("\"'“”‘’«»")


def _sentence(body: str, start: int, end: int, limit: int) -> tuple[int, int, bool, bool]:
    """The bounds of the sentence(s) holding body[start:end], at most `limit` characters wider,
    and whether each side was cut short of the sentence's start or end."""
    begin, cut_before = max(0, start - limit), start > limit
    for match in _SENTENCE_START.finditer(body, begin, start):
        begin, cut_before = match.end(), False
    after = _SENTENCE_END.search(body, max(start, end - 1))
    if after is None or after.end() - end > limit:
        finish = min(len(body), end + limit)
        return begin, max(end, finish), cut_before, finish < len(body)
    finish = after.start() if after.group() == "\n" else after.end()
    return begin, max(end, finish), cut_before, False


def in_context(body: str, start: int, end: int) -> tuple[str, str, str]:
    """The passage with the rest of its sentence before and after it, for an editor to read."""
    begin, finish, cut_before, cut_after = _sentence(body, start, end, CONTEXT_MAX)
    # Cut short of a very long sentence's start or end: say so.
    before = ("…" if cut_before else "") + body[begin:start]
    after = body[end:finish] + ("…" if cut_after else "")
    return before, body[start:end], after


def _not_found(what: str, body: str, text: str) -> str:
    near = closest(body, text)
    if near is None:
        return f"{what} is not in the article, and nothing in it comes close."
    return f"{what} is not in the article. The closest passage is {excerpt(near)}."


def _choose(
    body: str,
    hits: list[tuple[int, int]],
    *,
    start: int | None,
    end: int | None,
    occurrence: int | None,
    near: int | None,
    choose_hint: str,
) -> tuple[int, int] | dict[str, str]:
    if occurrence is not None:
        if occurrence > len(hits):
            times = "once" if len(hits) == 1 else f"{len(hits)} times"
            return {
                "occurrence": f"The passage occurs {times} in the article; there is no "
                f"occurrence {occurrence}."
            }
        return hits[occurrence - 1]
    if start is not None:
        for hit in hits:
            if hit[0] == start and end in (None, hit[1]):
                return hit
        held = body[start : end if end is not None else hits[0][1] - hits[0][0] + start]
        shown = excerpt(held) if held.strip() else "no text"
        return {
            "span_start": f"The span given holds {shown}, not this passage; leave the span out "
            "or correct it."
        }
    if len(hits) == 1:
        return hits[0]
    if near is not None:
        return min(hits, key=lambda hit: (abs(hit[0] - near), hit[0]))
    hint = choose_hint.format(n=len(hits))
    return {
        "passage": f"This passage occurs {len(hits)} times in the article; add a few words "
        f"around it so that it occurs once{hint}."
    }


def check(body: str, start: int, end: int, *, quote: str = "", wording: str = "") -> dict[str, str]:
    """What is wrong with a span and its quote and wording against a body, by field name."""
    if end <= start:
        return {"span_end": "The span must end after it starts."}
    if end > len(body):
        return {
            "span_end": f"The span runs past the end of the article body ({len(body)} characters)."
        }
    errors: dict[str, str] = {}
    passage = body[start:end]
    if quote and not find(passage, quote):
        elsewhere = find(body, quote)
        if elsewhere:
            where = in_context(body, *elsewhere[0])
            errors["quote"] = (
                f"The quote is not in the passage; the article has it in {excerpt(''.join(where))}."
            )
        else:
            near = closest(passage, quote)
            errors["quote"] = "The quote is not in the article" + (
                f". The closest words in the passage are {excerpt(near)}."
                if near
                else ", and nothing in the passage comes close."
            )
    if wording and not _has_wording(passage, wording):
        previous = _paragraph_before(body, start)
        if not (previous and _has_wording(previous, wording)):
            errors["wording"] = (
                f"The wording {excerpt(wording)} is not in the passage (nor, for a quote that "
                "continues from the paragraph before, in that paragraph). Give the words the "
                "article uses to name the source."
            )
    return errors


def _has_wording(text: str, wording: str) -> bool:
    # A sentence may start with the wording: "five sources" is in "Five sources said".
    first = wording.lstrip()[:1]
    return bool(
        find(text, wording) or (first and find(text, wording.replace(first, first.swapcase(), 1)))
    )


def _paragraph_before(body: str, start: int) -> str:
    """The paragraph before the one the passage starts in: where a continued quote names its
    speaker ("…," said Joshua Landis. / "Russia has tried…")."""
    own = body.rfind("\n", 0, start)
    if own < 0:
        return ""
    previous_end = len(body[:own].rstrip())
    return body[body.rfind("\n", 0, previous_end) + 1 : previous_end]


def locate(
    body: str,
    *,
    passage: str | None = None,
    start: int | None = None,
    end: int | None = None,
    quote: str = "",
    wording: str = "",
    occurrence: int | None = None,
    near: int | None = None,
    choose_hint: str = "",
) -> Placed:
    """Place a passage (or check an explicit span) in a body, with its quote and wording.

    `occurrence` (1-based), an explicit `start` (and `end`) or `near` (a previous start: the
    nearest place wins) tell apart a passage that occurs more than once; `choose_hint` is added
    to the "occurs N times" error to say how the caller can tell them apart ({n}: how many).
    Raises SpanError naming the fields that are wrong.
    """
    if passage is not None and passage.strip():
        hits = find(body, passage)
        if not hits:
            raise SpanError({"passage": _not_found("This passage", body, passage)})
        chosen = _choose(
            body,
            hits,
            start=start,
            end=end,
            occurrence=occurrence,
            near=near,
            choose_hint=choose_hint,
        )
        if isinstance(chosen, dict):
            raise SpanError(chosen)
        start, end = chosen
    elif start is None or end is None:
        raise SpanError({"passage": MISSING_PASSAGE})
    errors = check(body, start, end, quote=quote, wording=wording)
    if errors:
        raise SpanError(errors)
    found_quote = find(body[start:end], quote) if quote else []
    exact = body[start + found_quote[0][0] : start + found_quote[0][1]] if found_quote else ""
    return Placed(start, end, exact)


def reanchor(old_body: str, new_body: str, start: int, end: int) -> tuple[int, int] | None:
    """Where the passage at old_body[start:end] lies in new_body: the place nearest the old one,
    or None if the new body no longer has it."""
    passage = old_body[start:end]
    hits = find(new_body, passage) if 0 <= start < end <= len(old_body) else []
    if not hits:
        return None
    return min(hits, key=lambda hit: (abs(hit[0] - start), hit[0]))
