"""Finding a cue's source: the subject before it, or the phrase after an inverted cue."""

from __future__ import annotations

from .lexicon import (
    CLAUSE_OPENERS,
    DETERMINERS,
    FIRST_PERSON,
    MONTHS,
    NUMBER_WORDS,
    PRONOUNS,
    STRONG_SPEECH,
    TRAILING_ADVERBS,
    WEAK_SPEECH,
    WEEKDAYS,
    words,
)
from .phrases import RELATIVES, Phrase, appositive_like, parse, title_like
from .text import Token

COORDINATED = "coordinated"
TIME_WORDS = frozenset(
    [
        *WEEKDAYS,
        *MONTHS,
        "week",
        "month",
        "year",
        "night",
        "morning",
        "evening",
        "afternoon",
        "weekend",
    ]
)
TIME_LEAD = words("on in last this late early earlier next the")
PART_PHRASES = (
    ("for", "his", "part"),
    ("for", "her", "part"),
    ("for", "its", "part"),
    ("for", "their", "part"),
    ("in", "a", "statement"),
    ("in", "turn"),
    ("in", "response"),
)
LEADING_ADVERBS = words(
    """meanwhile however but and separately still yet also earlier later instead so"""
)
HARD_BREAKS = frozenset(';:—–()[]"“”')
SEGMENT_SKIPS = words("asked when speaking writing responding addressing")


def _np_start(tok: Token) -> bool:
    low = tok.low
    return tok.is_cap or low in DETERMINERS or low in NUMBER_WORDS or tok.text[:1].isdigit()


def full(toks: list[Token], a: int, b: int, first: int) -> list[Phrase] | None:
    """Phrases (coordinated with "and") that fill toks[a:b] exactly, or None."""
    found: list[Phrase] = []
    i = a
    while True:
        parsed = parse(toks, i, b, bounded=True, first=first)
        if parsed is None:
            return None
        phrase, i = parsed
        found.append(phrase)
        if i == b:
            return found
        if toks[i].low == "and" and i + 1 < b and _np_start(toks[i + 1]):
            i += 1
            continue
        return None


def _strip_tail(toks: list[Token], lo: int, j: int) -> int:
    """Drop adverbials between a subject and its cue: "has also", "on Monday", ", however,"."""
    while j > lo:
        low = toks[j - 1].low
        if low in TRAILING_ADVERBS or low == ",":
            j -= 1
            continue
        if low in TIME_WORDS:
            k = j - 1
            while k > lo and toks[k - 1].low in TIME_LEAD:
                k -= 1
            if k < j - 1 or low in WEEKDAYS:
                j = k
                continue
        for phrase in PART_PHRASES:
            n = len(phrase)
            if j - n >= lo and tuple(t.low for t in toks[j - n : j]) == phrase:
                j -= n
                break
        else:
            return j
    return j


def _segments(toks: list[Token], lo: int, j: int) -> list[tuple[int, int]]:
    segs: list[tuple[int, int]] = []
    start = lo
    for k in range(lo, j):
        if toks[k].text == ",":
            segs.append((start, k))
            start = k + 1
    segs.append((start, j))
    return [(a, b) for a, b in segs if b > a]


def _merge(parts: list[Phrase], end: int) -> Phrase:
    """A phrase with its appositives: named if any part names someone."""
    head = parts[0]
    named = next((p for p in parts if p.kind == "name"), None)
    return Phrase(
        head.start,
        end,
        "name" if named else head.kind,
        head.definite,
        head.plural,
        head.count,
        any(p.person for p in parts),
    )


def before(
    toks: list[Token], lo: int, cue_at: int, first: int, stops: set[int]
) -> list[Phrase] | str | None:
    """The subject between `lo` and the cue at token `cue_at`: phrases, COORDINATED when the
    cue shares an earlier verb's subject ("... and said"), or None."""
    for k in range(cue_at - 1, lo - 1, -1):
        if toks[k].text in HARD_BREAKS or k in stops:
            lo = k + 1
            break
    j = _strip_tail(toks, lo, cue_at)
    if j <= lo:
        return None
    last = toks[j - 1].low
    if last in ("and", "but", "or"):
        return COORDINATED
    if last in ("not", "never", "n't", "didn't", "did") or last.endswith("n't"):
        return None
    segs = _segments(toks, lo, j)
    # A participial or "when asked" segment is a circumstance, not part of the subject.
    while len(segs) > 1 and toks[segs[-1][0]].low in SEGMENT_SKIPS:
        segs.pop()
    a, b = segs[-1]
    cut = a
    for k in range(b - 1, a - 1, -1):
        low = toks[k].low
        if (
            (low in CLAUSE_OPENERS and low != "and")
            or low in STRONG_SPEECH
            or (low in WEAK_SPEECH and k > a)
        ):
            cut = k + 1
            break
    if cut < b and toks[cut].low in RELATIVES and len(segs) > 1 and cut == a:
        phrases = None  # a relative clause set off by commas: its antecedent comes before
    else:
        phrases = full(toks, cut, b, first)
        if phrases is None:
            ands = [k for k in range(cut, b) if toks[k].low == "and"]
            if ands:
                phrases = full(toks, ands[-1] + 1, b, first)
                cut = ands[-1] + 1
    if phrases is None and not (cut == a and len(segs) > 1 and appositive_like(toks, a, b)):
        return None
    if phrases and toks[cut].low in FIRST_PERSON:
        return None
    if cut != a or len(segs) == 1:
        return phrases
    # Appositives: "Joshua Landis, head of ...", "Roux, 58", "The chief executive, Mira Kovac".
    idx = len(segs) - 1
    parts: list[Phrase] = []
    current = phrases[0] if phrases and len(phrases) == 1 else None
    while idx > 0:
        pa, pb = segs[idx - 1]
        prev = full(toks, pa, pb, first)
        if not prev or len(prev) != 1:
            break
        p = prev[0]
        ca, cb = segs[idx]
        if p.kind == "pronoun" or (p.kind == "other" and not toks[pa].text.isdigit()):
            break
        describes = (
            toks[ca].low in RELATIVES
            or (toks[ca].text.isdigit() and cb - ca == 1)
            or (current is not None and current.kind == "name" and title_like(p))
            or (toks[ca].low == "the" and p.kind == "name")
            or (appositive_like(toks, ca, cb) and toks[ca].low != "the")
        )
        if not describes:
            break
        parts.insert(0, p)
        current = p
        idx -= 1
    if not parts:
        return phrases
    if phrases:
        parts.extend(phrases)
    return [_merge(parts, toks[b - 1].end)]


def after(toks: list[Token], i: int, stop: int, first: int) -> tuple[list[Phrase], int] | None:
    """The phrase after an inverted cue ("said Joshua Landis, head of ...") or "according to",
    with coordinated phrases and comma-set appositives; returns the phrases and the token
    after them."""
    parsed = parse(toks, i, stop, bounded=False, first=first)
    if parsed is None or parsed[0].kind == "pronoun" or toks[i].low in FIRST_PERSON:
        return None
    phrases = [parsed[0]]
    j = parsed[1]
    while j + 1 < stop and toks[j].low == "and" and _np_start(toks[j + 1]):
        more = parse(toks, j + 1, stop, bounded=False, first=first)
        if more is None:
            break
        phrases.append(more[0])
        j = more[1]
    if len(phrases) > 1:
        return phrases, j
    parts = [phrases[0]]
    end = phrases[0].end
    while j + 1 < stop and toks[j].text == ",":
        k = j + 1
        seg_end = k
        while seg_end < stop and toks[seg_end].text not in (",", ".", ";", "!", "?"):
            seg_end += 1
        tok = toks[k]
        if tok.low in RELATIVES or (tok.text.isdigit() and seg_end - k == 1):
            end, j = toks[seg_end - 1].end, seg_end
            continue
        nxt = parse(toks, k, seg_end, bounded=False, first=first)
        if nxt is None or nxt[1] != seg_end or nxt[0].kind == "pronoun":
            break
        if not (
            appositive_like(toks, k, seg_end) or (nxt[0].kind == "name" and title_like(parts[-1]))
        ):
            break
        parts.append(nxt[0])
        end, j = nxt[0].end, seg_end
    return [_merge(parts, end)], j


def subject(toks: list[Token], first: int, stop: int) -> list[Phrase] | None:
    """The subject at a sentence's start, for a cue that shares it ("He thanked them but
    declined to comment")."""
    i = first
    while i < stop and (toks[i].low in LEADING_ADVERBS or toks[i].text == ","):
        i += 1
    if i >= stop:
        return None
    if toks[i].low in PRONOUNS:
        pronoun = parse(toks, i, stop, bounded=False, first=first)
        return [pronoun[0]] if pronoun else None
    found = after(toks, i, stop, first)
    if found is not None:
        phrases, j = found
        # The subject is followed by its verb, in lower case.
        if j < stop and toks[j].is_word and not toks[j].is_cap:
            return phrases
    return None
