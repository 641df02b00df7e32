"""What the extractor returns: a suggested attribution, and the known names it matches against."""

from __future__ import annotations

from dataclasses import dataclass, field

# The tracker's vocabulary (tracker.choices.Stance and Anonymity) as plain strings: articles
# does not import tracker, and the values are the stable interface between them.
ASSERTS, DENIES, DECLINED, NO_RESPONSE = "asserts", "denies", "declined", "no_response"
STANCES = (ASSERTS, DENIES, DECLINED, NO_RESPONSE)
NAMED, ANONYMOUS, UNATTRIBUTED = "named", "anonymous", "unattributed"
ANONYMITIES = (NAMED, ANONYMOUS, UNATTRIBUTED)

Span = tuple[int, int]


@dataclass(frozen=True)
class KnownName:
    """An existing source or actor: its key (e.g. "source:12" or an actor slug) and its names."""

    key: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion:
    """One reported statement found in a text. Spans are (start, end) string indices, end
    exclusive. For a pronoun source ("he said") `source` is the pronoun and `antecedent` the
    earlier mention it stands for; anonymity, count and `known` come from that mention."""

    cue: Span
    stance: str
    anonymity: str
    source: Span | None = None
    content: Span | None = None
    count: int | None = None
    known: str | None = None
    antecedent: Span | None = field(default=None, compare=False)

    def as_json(self) -> dict[str, object]:
        """The batch interface's object: exactly these six keys."""
        return {
            "source": list(self.source) if self.source else None,
            "cue": list(self.cue),
            "content": list(self.content) if self.content else None,
            "stance": self.stance,
            "anonymity": self.anonymity,
            "count": self.count,
        }
