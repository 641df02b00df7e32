"""The cue patterns: the words that report a statement, a denial, a refusal or a silence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import (
    ACCUSE,
    DENY,
    DISMISS,
    MONTHS,
    PARTICIPLE_CUES,
    REJECT,
    STRONG_SPEECH,
    WEAK_SPEECH,
    WEEKDAYS,
)
from .results import ASSERTS, DECLINED, DENIES, NO_RESPONSE

_NOT = r"(?:not|n't|never)"
_REQUESTS = (
    r"(?:\s+to)?(?:\s+(?:a|an|the|our|multiple|repeated|several|written|emailed|e-mailed|"
    r"further|two|three|phone|telephone|[A-Z]\w+'s)){0,2}\s+(?:requests?|questions?|e-?mails?|"
    r"messages?|calls?|inquir(?:y|ies)|quer(?:y|ies)|letters?)"
    r"(?:\s+(?:for|seeking)\s+comment)?(?: from (?:the )?[A-Z]\w*(?: [A-Z]\w*)*)?"
)
_DECLINE_WHAT = (
    r"(?:comment|say|discuss|elaborate|confirm|respond|answer|give\s+details|provide\s+details|"
    r"disclose|reveal|specify|identify|name|be\s+drawn|speak\s+on\s+the\s+record)"
)
# Refusals and silences, longest first within each; the whole phrase is the cue.
RESPONSE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        DECLINED,
        re.compile(
            rf"\b(?:declined|refused|declines|refuses|decline|refuse)\s+(?:to\s+{_DECLINE_WHAT}"
            r"(?:\s+(?:further|details))?|comment|requests?\s+for\s+comment|an?\s+interview)\b"
            r"|\bwould\s+neither\s+confirm\s+nor\s+deny\b"
            r"|\b(?:could|would|will)\s*(?:not|n't)\s+(?:immediately\s+)?"
            r"(?:comment|say|confirm|discuss|elaborate|disclose|be\s+drawn)\b"
            r"|\b(?:had|has|have|offered)\s+no\s+(?:immediate\s+|further\s+)?comment\b",
            re.IGNORECASE,
        ),
    ),
    (
        NO_RESPONSE,
        re.compile(
            rf"\b(?:did|has|have|had|does|do)\s*{_NOT}\s+(?:yet\s+)?(?:immediately\s+)?"
            rf"(?:respond(?:ed)?|repl(?:y|ied)|answer(?:ed)?|return(?:ed)?)(?:{_REQUESTS})?\b"
            r"|\b(?:did|has|have|had)\s*(?:not|n't)\s+(?:yet\s+)?(?:immediately\s+)?comment(?:ed)?\b"
            r"|\b(?:could|can)\s*(?:not|n't)\s+(?:immediately\s+)?be\s+(?:reached|contacted)"
            r"(?:\s+(?:for|to)\s+(?:further\s+|immediate\s+)?comment)?\b"
            r"|\b(?:was|were|is|are)\s*(?:not|n't)\s+(?:immediately\s+)?available\s+(?:for|to)\s+"
            r"comment\b|\b(?:was|were|is|are)\s+unavailable\s+for\s+comment\b"
            r"|\b(?:has|have|had)\s+yet\s+to\s+(?:respond|reply|comment)\b"
            r"|\bfailed\s+to\s+respond(?:{_REQUESTS})?\b".replace("{_REQUESTS}", _REQUESTS),
            re.IGNORECASE,
        ),
    ),
]

# "No one at the embassy could be reached for comment": a silence told by its negated subject;
# the cue is the phrase after the subject, which has no "not" of its own.
NEGATED_SUBJECT_RE = re.compile(
    r"\b(?P<who>(?:no\s+one|nobody|no-one)\b(?:\s+(?:at|from|in|for|of|with|representing)\s+[^.;:,“”\"]"
    r"{1,80}?)?)\s+(?P<cue>(?:could|can)\s+(?:immediately\s+)?be\s+(?:reached|contacted)"
    r"(?:\s+(?:for|to)\s+(?:further\s+|immediate\s+)?comment)?"
    r"|(?:was|is)\s+(?:immediately\s+)?available\s+(?:for|to)\s+comment"
    r"|(?:responded|replied|answered)(?:{_REQUESTS})?)\b".replace("{_REQUESTS}", _REQUESTS),
    re.IGNORECASE,
)

# "it was reported that", "is said to": a statement whose source the text does not give.
PASSIVE_RE = re.compile(
    r"\b(?:is|are|was|were)\s+(?:said|reported|alleged|claimed)\s+to\b"
    r"|\b(?:it|It)\s+(?:is|was|has\s+been|had\s+been)\s+(?:reported|claimed|alleged|said)"
    r"(?=\s+that\b)"
)

_VERBS = sorted(
    STRONG_SPEECH | WEAK_SPEECH | ACCUSE | DENY | DISMISS | REJECT | set(PARTICIPLE_CUES),
    key=len,
    reverse=True,
)
VERB_RE = re.compile(r"\baccording\s+to\b|\b(?:" + "|".join(_VERBS) + r")\b", re.IGNORECASE)

_TIME = (
    r"(?:(?:late|early)\s+)?(?:on\s+)?(?:" + "|".join(WEEKDAYS) + r")(?:\s+(?:night|morning|"
    r"afternoon|evening))?|(?:last|this|next)\s+(?:week|month|year|night|weekend)"
    r"|earlier(?:\s+this\s+(?:week|month|year))?|later|in\s+(?:" + "|".join(MONTHS) + r")"
)
_CIRCUMSTANCE = (
    r"in\s+an?\s+(?:\w+\s+){0,2}(?:statement|interview|post|tweet|video|speech|letter|email|"
    r"call|briefing|broadcast|address|message|op-ed|note|report)"
    r"(?: (?:with|to|on|posted on) (?:the )?[A-Z][\w']*(?: [A-Z][\w']*)*)?"
    r"|(?:at|during)\s+(?:a|an|the)\s+(?:\w+\s+){0,2}(?:conference|briefing|hearing|trial|"
    r"meeting|summit|rally|event|session|debate|forum)"
    r"|on\s+(?:a|the)\s+(?:conference|phone|telephone)\s+call"
    r"|on\s+(?:Twitter|X|Facebook|Telegram|Instagram|television|radio|state\s+television)"
    r"|outside\s+(?:the\s+)?\w+|privately|publicly|separately|also|again|repeatedly|"
    r"in\s+(?:a\s+)?(?:written|televised)\s+\w+|by\s+(?:phone|telephone|email)"
)
# What may stand between a cue and its content: times, circumstances, "that", a colon.
SKIP_RE = re.compile(
    rf"(?:\s*(?:,|:|—|–|\bthat\b|\b(?:{_TIME})\b|\b(?:{_CIRCUMSTANCE})\b))+",
    re.IGNORECASE,
)
TIME_ONLY_RE = re.compile(
    rf"(?:\s*(?:,|\b(?:{_TIME})\b|\b(?:{_CIRCUMSTANCE})\b))+\s*[.!?]?\s*$", re.IGNORECASE
)

_HEDGED = re.compile(
    r"^(?:that\s+)?(?:even\s+)?if\b[^.;]{0,160}?,\s*(?:then\s+)?(?:they|it|he|she|we|i|this|"
    r"that|these|those|such\s+\w+)\s+(?:\w+\s+)?(?:are|is|was|were|would|will|do|does|did|have|"
    r"has|had|could)\s*(?:not|n't|never)\b",
    re.IGNORECASE,
)
_FALSE = re.compile(
    r"\b(?:reports?|claims?|allegations?|accusations?|charges?|stor(?:y|ies)|rumou?rs?|"
    r"suggestions?|assertions?|this|that|it)\b[^.;]{0,50}?\b(?:is|are|was|were|been)\s+"
    r"[“\"‘']?(?:\w+\s+)?[“\"‘']?(?:false|untrue|baseless|groundless|unfounded|fabricated|a\s+fabrication|"
    r"lies|a\s+lie|nonsense|incorrect|inaccurate|fake|absurd|ridiculous|not\s+true|"
    r"without\s+foundation|invented|made\s+up)\b|\bno\s+truth\b|\bnothing\s+to\s+do\s+with\b"
    # "this is yet another fabrication", "it is a complete invention"
    r"|\b(?:this|that|it|these|those|they|the\s+\w+)\s+(?:is|are|was|were)\s+(?:\w+\s+){0,2}"
    r"(?:fabrications?|inventions?|fictions?|hoax(?:es)?|smears?|slanders?|lies)\b"
    # "said that was untrue": the subject "that" read as the complementiser
    r"|^(?:is|are|was|were)\s+(?:\w+\s+){0,2}(?:false|untrue|baseless|groundless|unfounded|"
    r"fabricated|fabrications?|lies|a\s+lie|nonsense|inaccurate|not\s+true|smears?|invented|"
    r"inventions?)\b",
    re.IGNORECASE,
)
_SELF_NEGATION = re.compile(
    r"^[“\"]?(?:that\s+)?(?:it|he|she|they|we|i)\s+(?:had|has|have|did|was|were)\s*"
    r"(?:not|n't|never)\b|^[“\"]?(?:that\s+)?(?:it|he|she|they|we|i)\s+never\b",
    re.IGNORECASE,
)
# "We have done nothing wrong", "he did nothing illegal": a denial of wrongdoing.
_EXCULPATION = re.compile(
    r"\b(?:we|i|he|she|they|it|(?:the|his|her|its|their|our)\s+\w+)\s+(?:have|has|had|did)\s+"
    r"(?:done\s+)?nothing\s+"
    r"(?:wrong|illegal|improper|unlawful)\b"
    r"|\b(?:we|i|he|she|they|it)\s+(?:have|has|had|did)\s*(?:not|n't)\s+(?:done|do|break|broken)"
    r"\s+(?:anything\s+(?:wrong|illegal|improper|unlawful)|the\s+law)\b",
    re.IGNORECASE,
)
_NO_COMMENT = re.compile(
    r"^(?:that\s+)?(?:it|he|she|they|we)\s+(?:had|has|have)\s+no\s+(?:immediate\s+|further\s+)?"
    r"comment",
    re.IGNORECASE,
)


def stance_of_content(content: str) -> str:
    """A reported statement's stance from its words: a hedged or outright denial, a refusal
    worded as a statement ("said it had no comment"), otherwise an assertion."""
    if _NO_COMMENT.search(content):
        return DECLINED
    if any(p.search(content) for p in (_HEDGED, _FALSE, _SELF_NEGATION, _EXCULPATION)):
        return DENIES
    return ASSERTS


@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    kind: str  # speech, weak, told, according, deny, dismiss, reject, accuse, participle,
    #            response, passive
    stance: str
    # The subject, when the cue's own pattern found it ("No one at the embassy").
    subject: tuple[int, int] | None = None


def classify(word: str) -> tuple[str, str]:
    low = word.lower()
    if low.startswith("according"):
        return "according", ASSERTS
    if low in PARTICIPLE_CUES:
        return "participle", PARTICIPLE_CUES[low]
    if low in ("told", "tell", "tells"):
        return "told", ASSERTS
    if low in STRONG_SPEECH:
        return "speech", ASSERTS
    if low in DENY:
        return "deny", DENIES
    if low in DISMISS:
        return "dismiss", DENIES
    if low in REJECT:
        return "reject", DENIES
    if low in ACCUSE:
        return "accuse", ASSERTS
    return "weak", ASSERTS


def find_cues(text: str, inside_quote) -> list[Cue]:
    """Every cue outside quotations, in text order; a refusal's phrase wins over the verbs in
    it ("would neither confirm nor deny" is no denial)."""
    found: list[Cue] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return not inside_quote(a) and all(b <= x or a >= y for x, y in taken)

    for stance, pattern in RESPONSE_PATTERNS:
        for m in pattern.finditer(text):
            if free(m.start(), m.end()):
                found.append(Cue(m.start(), m.end(), "response", stance))
                taken.append(m.span())
    for m in NEGATED_SUBJECT_RE.finditer(text):
        a, b = m.span("cue")
        if free(a, b):
            found.append(Cue(a, b, "response", NO_RESPONSE, m.span("who")))
            taken.append((a, b))
    for m in PASSIVE_RE.finditer(text):
        if free(m.start(), m.end()):
            found.append(Cue(m.start(), m.end(), "passive", ASSERTS))
            taken.append(m.span())
    for m in VERB_RE.finditer(text):
        if free(m.start(), m.end()):
            kind, stance = classify(m.group())
            found.append(Cue(m.start(), m.end(), kind, stance))
    found.sort(key=lambda c: c.start)
    return found
