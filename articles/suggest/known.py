"""Matching a source's words to existing sources and actors by name or alias."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .results import KnownName

_NON_WORD = re.compile(r"[^\w]+")


def normalise(text: str) -> str:
    """Lower case, no accents, apostrophes dropped, words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("'", "").replace("’", "")
    return _NON_WORD.sub(" ", plain.casefold()).strip()


class Matcher:
    """The longest known name inside a phrase wins; on a tie, the first one given."""

    def __init__(self, known: Iterable[KnownName]) -> None:
        self.names: dict[tuple[str, ...], str] = {}
        self.longest = 0
        for entry in known:
            for name in entry.names:
                words = tuple(normalise(name).split())
                if words[:1] == ("the",):
                    words = words[1:]
                if words and words not in self.names:
                    self.names[words] = entry.key
                    self.longest = max(self.longest, len(words))

    def match(self, phrase: str) -> str | None:
        if not self.names:
            return None
        words = normalise(phrase).split()
        if words and words[0] == "the":
            words = words[1:]
        for size in range(min(self.longest, len(words)), 0, -1):
            for i in range(len(words) - size + 1):
                key = self.names.get(tuple(words[i : i + size]))
                if key is not None:
                    return key
        return None
