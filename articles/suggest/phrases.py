"""Noun phrases that name a source: where they start and end, and whom they describe."""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon import (
    ANON_HEADS,
    BODY_HEADS,
    CLAUSE_OPENERS,
    DETERMINERS,
    LOWER_BOUNDS,
    MONTHS,
    NOT_IN_NP,
    NUMBER_WORDS,
    OPEN_BOUNDS,
    PREPOSITIONS,
    PRONOUNS,
    ROLE_HEADS,
    VAGUE_QUANTIFIERS,
    WEEKDAYS,
    words,
)
from .results import ANONYMOUS, NAMED
from .text import Token

LEXICON_HEADS = ANON_HEADS | ROLE_HEADS | BODY_HEADS
# Adjectives that open a source's post-modifier: "people familiar with", "sources close to".
POST_ADJECTIVES = words(
    """familiar close loyal linked connected allied affiliated knowledgeable opposed near"""
)
TITLES = words("mr mr. mrs mrs. ms ms. dr dr. prof president minister colonel general")
RELATIVES = words("who whose which")
GUARD_BODIES = words("coast national border republican presidential royal")
AGENT_PREPS = PREPOSITIONS | {"by", "as"}
# Prepositional phrases that are circumstances, not part of a name: "in a statement", "on Monday".
TIME_NOUNS = frozenset(
    [*WEEKDAYS, *MONTHS, *["week", "month", "year", "morning", "evening", "night", "weekend"]]
)
# ... and circumstances, when indefinite: "in a statement", "at a news conference".
CIRCUMSTANCE_NOUNS = words(
    """statement interview conference briefing video post tweet speech email call telephone
    phone trial hearing meeting rally address message letter"""
)
# -ed and -ing words that are ordinary nouns or adjectives heading or inside a name.
NOT_PARTICIPLES = words(
    """red bed need united accused deceased injured ruling thinking planning meeting briefing
    funding hearing building wedding training fighting shooting bombing killing morning
    evening spending lending housing dealing trading banking mining shipping"""
)
# Words in -ly that are nouns, not adverbs.
LY_NOUNS = words(
    """family assembly rally ally supply reply monopoly anomaly daily weekly monthly bully"""
)


def _adverb(low: str) -> bool:
    return low.endswith("ly") and len(low) > 4 and low not in LY_NOUNS


@dataclass(frozen=True)
class Phrase:
    """One noun phrase: its character span, head word and what the head says about it."""

    start: int
    end: int
    kind: str  # pronoun, name, role, anon, body, other
    definite: bool
    plural: bool
    count: int | None
    person: bool

    @property
    def anonymity(self) -> str:
        if self.kind == "name" or self.kind == "body":
            return NAMED
        if self.kind == "role" and self.definite and not self.plural:
            return NAMED
        return ANONYMOUS


def _participle(tok: Token) -> bool:
    low = tok.low
    return (
        not tok.is_cap
        and low not in NOT_PARTICIPLES
        and (low.endswith("ed") or low.endswith("ing") or low in ("seen", "taken", "known"))
    )


def _is_number(tok: Token) -> bool:
    return tok.low in NUMBER_WORDS or tok.text[:1].isdigit()


def _core_end(toks: list[Token], i: int, stop: int) -> int:
    """The end of a run of determiners, modifiers and nouns starting at `i`."""
    j = i
    while j < stop:
        tok = toks[j]
        low = tok.low
        if not tok.is_word or low in NOT_IN_NP or low in RELATIVES:
            break
        if j > i and (low in PREPOSITIONS or low in CLAUSE_OPENERS or low in POST_ADJECTIVES):
            break
        if j == i and low in PREPOSITIONS:
            break
        if _participle(tok) and j > i:
            before = toks[j - 1].low
            # "the armed group", "a recently retired general": a participle right after a
            # determiner, a number or an adverb modifies; after a noun it is a verb.
            if not (before in DETERMINERS or _is_number(toks[j - 1]) or _adverb(before)):
                break
        j += 1
    # A phrase does not end in a determiner, a participle or an adverb.
    while j > i and (
        toks[j - 1].low in DETERMINERS
        or (_participle(toks[j - 1]) and toks[j - 1].low not in NUMBER_WORDS)
        or (_adverb(toks[j - 1].low) and not toks[j - 1].is_cap)
    ):
        j -= 1
    return j


def _adverbial_pp(toks: list[Token], j: int, stop: int) -> bool:
    """`toks[j]` is a preposition opening a circumstance ("on Monday", "in a statement")."""
    indefinite = False
    for k in range(j + 1, min(j + 4, stop)):
        low = toks[k].low
        if low in TIME_NOUNS or (low.isdigit() and len(low) == 4):
            return True
        if low in CIRCUMSTANCE_NOUNS and indefinite:
            return True
        indefinite = indefinite or low in ("a", "an")
        if low not in DETERMINERS and low not in ("news", "press", "radio", "television", "late"):
            return False
    return False


def parse(
    toks: list[Token], i: int, stop: int, *, bounded: bool, first: int = -1
) -> tuple[Phrase, int] | None:
    """A noun phrase starting at token `i` (not past `stop`), with its post-modifiers: "a
    spokesman for Haftar's militia", "people familiar with the matter". `bounded` is for the
    words between a sentence's start and its cue, where participles ("contacted by Reuters")
    and relative clauses belong to the subject. `first` is the sentence's first token."""
    if i >= stop:
        return None
    tok = toks[i]
    if tok.low in PRONOUNS:
        kind = PRONOUNS[tok.low]
        phrase = Phrase(
            tok.start,
            tok.end,
            "pronoun",
            True,
            kind == "plural",
            None if kind == "plural" else 1,
            kind == "person",
        )
        return phrase, i + 1
    core = _core_end(toks, i, stop)
    if core == i:
        return None
    head_at = core - 1
    j = core
    while j < stop:
        low = toks[j].low
        if low in POST_ADJECTIVES and j + 1 < stop and toks[j + 1].low in PREPOSITIONS:
            j += 1
            low = toks[j].low
        if low in PREPOSITIONS and not _adverbial_pp(toks, j, stop):
            if j + 1 < stop and toks[j + 1].low in ("them", "us", "whom"):
                if _is_number(toks[head_at]) and head_at == i:
                    head_at = j + 1
                j += 2
                continue
            k = _core_end(toks, j + 1, stop)
            if k == j + 1:
                break
            if _is_number(toks[head_at]) and head_at == i and low == "of":
                head_at = k - 1  # "two of the officials": the head is "officials"
            j = k
            continue
        if bounded and _participle(toks[j]) and j + 1 < stop and toks[j + 1].low in AGENT_PREPS:
            j += 1  # "two ministers contacted by Reuters": the preposition follows
            k = _core_end(toks, j + 1, stop)
            if k == j + 1:
                break
            j = k
            continue
        if bounded and low in RELATIVES | {"that"}:
            j = stop
        break
    return _describe(toks, i, core, head_at, j, first), j


def _describe(toks: list[Token], i: int, core: int, head_at: int, end: int, first: int) -> Phrase:
    head = toks[head_at]
    low = head.low.rstrip("'").removesuffix("'s")
    # A capital at the start of a sentence says nothing: "Officials said", "Police said".
    is_name = head.is_cap and not (
        head_at == first and (low in LEXICON_HEADS or low in NUMBER_WORDS)
    )
    words = [t.low for t in toks[i:core]]
    definite = bool(words) and (
        words[0] in ("the", "this", "its", "his", "her", "their", "our")
        or any(w.endswith("'s") or w.endswith("'") for w in words)
        or (is_name and True)
    )
    plural = (not head.is_cap or head_at == first) and (
        low in ("people", "police", "staff", "spokespeople", "media")
        or (low.endswith("s") and not low.endswith(("ss", "us", "is")))
    )
    if low == "police":
        plural = False
    if is_name:
        kind = "name"
    elif low == "guard" and head_at > i and toks[head_at - 1].low in GUARD_BODIES:
        kind = "body"  # "the coast guard" is a service; "a guard" is a person
    elif low in ROLE_HEADS or low.rstrip("s") in ROLE_HEADS:
        kind = "role"
    elif low in ANON_HEADS:
        kind = "anon"
    elif low in BODY_HEADS:
        kind = "body"
    elif low == "them" or _is_number(head):
        kind = "anon"
    elif definite and any(t.is_cap for t in toks[i + 1 : core]):
        kind = "body"
    else:
        kind = "other"
    person = kind in ("role", "anon") or (
        kind == "name"
        and not any(t.low in BODY_HEADS for t in toks[i:core])
        and (sum(t.is_cap for t in toks[i:core]) >= 2 or any(w in TITLES for w in words))
    )
    if kind == "name" and not person and sum(t.is_cap for t in toks[i:core]) == 1:
        person = True  # one capitalised word: a surname or a body; either may be "he"
    return Phrase(
        toks[i].start,
        toks[end - 1].end,
        kind,
        definite,
        plural,
        _count(words, plural, kind),
        person,
    )


def _count(words: list[str], plural: bool, kind: str) -> int | None:
    text = " ".join(words[:3])
    if any(text.startswith(b) for b in OPEN_BOUNDS):
        return None
    for bound in LOWER_BOUNDS:
        if text.startswith(bound):
            words = words[len(bound.split()) :]
    for word in words[:3]:
        if word in VAGUE_QUANTIFIERS:
            return None
        if word in NUMBER_WORDS and (plural or word in ("one", "a", "an", "another")):
            return NUMBER_WORDS[word]
        if word[:1].isdigit() and plural:
            try:
                return int(word.replace(",", ""))
            except ValueError:
                return None
    if len(words) == 1 and words[0] in NUMBER_WORDS:
        return NUMBER_WORDS[words[0]]  # "one of them"
    return None if plural and kind != "name" else 1


def appositive_like(toks: list[Token], i: int, stop: int) -> bool:
    """A comma-set segment that describes the phrase before it: "head of the Center...",
    "a former prime minister", "45", "who runs a shelter"."""
    if i >= stop:
        return False
    tok = toks[i]
    low = tok.low
    if low in RELATIVES:
        return True
    if tok.text.isdigit() and stop - i == 1:
        return True
    if tok.is_cap or (_is_number(tok) and low not in ("a", "an")):
        return False
    return not _participle(tok) and low not in CLAUSE_OPENERS and low not in PREPOSITIONS


def title_like(phrase: Phrase) -> bool:
    """A phrase a name may follow as an appositive: "The company's chief executive, Mira Kovac"."""
    return phrase.kind in ("role", "anon", "body", "other") and not phrase.plural
