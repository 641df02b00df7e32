"""Reading a text: words with offsets, quotations (across sentences) and sentences."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .lexicon import ABBREVIATIONS

# Abbreviations with dots (U.S.), numbers with separators (1,200; 3.1), words with apostrophes
# and hyphens (Haftar's, Jean-Marc, steelworkers'), then any other single character.
WORD_RE = re.compile(
    r"(?:Mr|Mrs|Ms|Dr|Prof|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|St)\.(?=\s)|(?:[A-Za-z]\.){2,}|"
    r"\d[\d,.]*\d|\w[\w'’\-&]*|\S"
)
OPENING = '“"'
CLOSING = '”"'
# A sentence ends at . ! or ? (with any closing quotes or brackets) before a capital, a digit
# or an opening quote.
END_RE = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str

    @property
    def low(self) -> str:
        return self.text.lower().replace("’", "'")

    @property
    def is_cap(self) -> bool:
        return self.text[:1].isupper()

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalnum()


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    end = len(text) if end is None else end
    return [Token(m.start(), m.end(), m.group()) for m in WORD_RE.finditer(text, start, end)]


@dataclass(frozen=True)
class Quote:
    """A quotation: `start` is the opening mark, `end` the closing mark (or the paragraph's end
    when a quote runs on into the next paragraph, as news quotes do)."""

    start: int
    end: int

    @property
    def inner(self) -> tuple[int, int]:
        return self.start + 1, self.end


class Quotes:
    """The quotations of a text, looked up by position."""

    def __init__(self, text: str) -> None:
        found: list[Quote] = []
        for para_start, para_end in paragraphs(text):
            open_at: int | None = None
            for i in range(para_start, para_end):
                ch = text[i]
                if ch not in OPENING and ch not in CLOSING:
                    continue
                if open_at is None:
                    # A closing curly quote with nothing open is a stray mark: ignore it.
                    if ch in OPENING:
                        open_at = i
                elif ch in CLOSING:
                    found.append(Quote(open_at, i))
                    open_at = None
            if open_at is not None:
                found.append(Quote(open_at, para_end))
        self.items = found
        self._starts = [q.start for q in found]

    def around(self, pos: int) -> Quote | None:
        """The quotation whose inside holds `pos`, if any."""
        i = bisect_right(self._starts, pos) - 1
        if i >= 0 and self.items[i].start < pos < self.items[i].end:
            return self.items[i]
        return None

    def ending_at(self, pos: int) -> Quote | None:
        """The quotation whose closing mark is at `pos`."""
        i = bisect_right(self._starts, pos) - 1
        if i >= 0 and self.items[i].end == pos:
            return self.items[i]
        return None

    def starting_at(self, pos: int) -> Quote | None:
        i = bisect_right(self._starts, pos) - 1
        if i >= 0 and self.items[i].start == pos:
            return self.items[i]
        return None


def paragraphs(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for m in re.finditer(r"\n", text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def sentences(text: str, quotes: Quotes) -> list[tuple[int, int]]:
    """Sentence spans, trimmed. A quotation is never cut, so a quote of several sentences stays
    with the words that attribute it."""
    found: list[tuple[int, int]] = []
    for para_start, para_end in paragraphs(text):
        start = para_start
        for m in END_RE.finditer(text, para_start, para_end):
            if quotes.around(m.start()) is not None:
                continue
            if text[m.start()] == "." and _abbreviation_before(text, m.start()):
                continue
            found.append((start, m.start() + 1))
            start = m.end()
        found.append((start, para_end))
    return [_trim(text, a, b) for a, b in found if text[a:b].strip()]


def _abbreviation_before(text: str, dot: int) -> bool:
    m = re.search(r"([\w.]+)$", text[max(0, dot - 12) : dot])
    if not m:
        return False
    word = m.group(1).lower().strip(".")
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def strip_span(text: str, a: int, b: int, chars: str = " ,;:.\"“”'‘’—–-\n") -> tuple[int, int]:
    """A span without the punctuation and quote marks at its edges."""
    while a < b and text[a] in chars:
        a += 1
    while b > a and text[b - 1] in chars:
        b -= 1
    return a, b
