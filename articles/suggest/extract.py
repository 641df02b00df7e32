"""suggest(): every reported statement in a text, with its source, cue, content and stance."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field

from .cues import SKIP_RE, Cue, find_cues, stance_of_content
from .known import Matcher
from .lexicon import (
    ANON_HEADS,
    BODY_HEADS,
    RECIPIENT_NOUNS,
    RECIPIENT_PRONOUNS,
    ROLE_HEADS,
    STATEMENT_OBJECTS,
)
from .phrases import Phrase
from .results import (
    ANONYMOUS,
    ASSERTS,
    DENIES,
    NAMED,
    UNATTRIBUTED,
    KnownName,
    Span,
    Suggestion,
)
from .sources import COORDINATED, after, before, subject
from .text import OPENING, Quotes, Token, sentences, strip_span, tokens

# Words after an inverted cue's source that show the source phrase has ended.
CLEAN_FOLLOW = frozenset(
    [
        "after",
        "before",
        "when",
        "while",
        "as",
        "in",
        "on",
        "at",
        "during",
        "last",
        "this",
        "earlier",
        "adding",
        "citing",
        "saying",
        "referring",
        "according",
        "outside",
        "following",
        "of",
        "who",
    ]
)
# Words that open a circumstance, not a statement, right after a cue.
ADJUNCT_OPENERS = frozenset(
    [
        "while",
        "as",
        "after",
        "before",
        "when",
        "though",
        "although",
        "because",
        "but",
        "and",
        "adding",
        "citing",
        "saying",
        "denying",
        "dismissing",
        "in",
        "on",
        "at",
        "during",
        "outside",
        "despite",
        "amid",
        "with",
        "following",
    ]
)
_WEAK_COMPLEMENT = re.compile(r"\s*(?:that\b|:|[“\"])")
_CONNECTOR_TAIL = re.compile(r"[\s,;]*(?:\b(?:and|but)\b)?[\s,]*(?:\b(?:also|then|later)\b)?\s*$")
_CLAUSE_TAIL = re.compile(r",\s*(?:but|and|while|although|though|whereas)\s+$")


@dataclass
class Found:
    cue: Cue
    sources: list[Phrase] = field(default_factory=list)
    content: Span | None = None
    stance: str = ASSERTS
    shared: bool = False  # shares the subject of the cue before it


def suggest(text: str, *, known: Iterable[KnownName] = ()) -> list[Suggestion]:
    """Suggested attributions for `text`, in text order. Statements in the article's own voice
    are not suggested: every sentence would be one. A statement the text gives no source for
    ("is said to", "it was reported that") is suggested with anonymity "unattributed"."""
    quotes = Quotes(text)
    cues = find_cues(text, lambda pos: quotes.around(pos) is not None)
    if not cues:
        return []
    matcher = Matcher(known)
    starts = [c.start for c in cues]
    results: list[Suggestion] = []
    history: list[tuple[Phrase, Suggestion]] = []
    for s_start, s_end in sentences(text, quotes):
        lo, hi = bisect_left(starts, s_start), bisect_left(starts, s_end)
        if lo == hi:
            continue
        toks = tokens(text, s_start, s_end)
        found = _sentence(text, quotes, toks, s_end, cues[lo:hi])
        _clip(text, found)
        for item in found:
            # Judged on the content as clipped: a later clause's denial is not this one's.
            if item.cue.stance == ASSERTS and item.content:
                item.stance = stance_of_content(text[item.content[0] : item.content[1]])
            results.extend(_suggestions(text, item, history, matcher))
    results.sort(key=lambda s: (s.cue[0], s.source[0] if s.source else -1))
    return results


def _tok_at(toks: list[Token], pos: int) -> int:
    return bisect_left([t.start for t in toks], pos)


def _sentence(text: str, quotes: Quotes, toks: list[Token], s_end: int, cues: list[Cue]):
    found: list[Found] = []
    stops: set[int] = set()
    for cue in cues:
        ci, ce = _tok_at(toks, cue.start), _tok_at(toks, cue.end)
        item = Found(cue, stance=cue.stance)
        if cue.kind == "passive":
            # "It was reported that X": the content follows; "X is said to Y": it is all of it.
            whole = strip_span(text, toks[0].start, s_end)
            opens_it = text[cue.start : cue.start + 2].lower() == "it"
            item.content = _after_content(text, quotes, cue.end, s_end) if opens_it else None
            item.content = item.content or whole
            found.append(item)
            stops.add(ce - 1)
            continue
        content_from = cue.end
        if cue.kind == "told":
            told_at, ce = ce, _recipient(toks, ce)
            if ce == told_at and text[cue.start : cue.end].lower() == "told":
                # "told the story", "told the truth": nobody told, so no report ("told of" too).
                continue
            content_from = toks[ce - 1].end
            item.cue = Cue(cue.start, content_from, cue.kind, cue.stance)
        inverted = False
        if cue.kind == "according":
            got = after(toks, ce, len(toks), 0)
            item.sources = got[0] if got else []
            item.content = _according_content(text, toks, ci, got[1] if got else ce, s_end)
        else:
            prev_char = text[: cue.start].rstrip()[-1:]
            if cue.kind in ("speech", "weak") and prev_char in (",", "”", '"'):
                got = after(toks, ce, len(toks), 0)
                if got and _clean_end(text, toks, got[1]):
                    item.sources, inverted = got[0], True
                    content_from = toks[got[1] - 1].end
            if cue.subject is not None:
                # "No one at the embassy": the body the silence is told of, named.
                item.sources = [Phrase(*cue.subject, "body", True, False, 1, False)]
            if not item.sources:
                sub = before(toks, 0, ci, 0, stops)
                if sub == COORDINATED or (cue.kind == "participle" and prev_char in (",",)):
                    item.shared = True
                    item.sources = found[-1].sources if found else (subject(toks, 0, ci) or [])
                elif isinstance(sub, list):
                    item.sources = sub
            if not item.sources or not _cue_holds(text, toks, item, ce, inverted, s_end):
                continue
            if cue.kind != "response":
                item.content = _content(text, quotes, toks, item, content_from, inverted, s_end)
                if cue.kind in ("weak", "accuse") and item.content is None:
                    continue
        if cue.kind == "according" and not item.sources:
            continue
        found.append(item)
        stops.add(ce - 1)
    return found


def _recipient(toks: list[Token], ce: int) -> int:
    """The end of "told Reuters", "told a news conference", "told him"."""
    best = ce
    for k in range(ce, min(ce + 4, len(toks))):
        tok = toks[k]
        if not tok.is_word:
            break
        if tok.low in RECIPIENT_PRONOUNS or tok.low in RECIPIENT_NOUNS or tok.is_cap:
            best = k + 1
            if tok.low in RECIPIENT_PRONOUNS:
                break
        elif tok.low not in ("the", "a", "an", "state", "local", "news", "press", "foreign"):
            break
    if best == ce:
        best = _recipient_before_clause(toks, ce)
    return best


# Words that open the content clause after "told <someone>": its subject, or "that".
_CLAUSE_SUBJECTS = frozenset(["that", "it", "he", "she", "they", "we", "i", "there"])
_POSSESSIVES = frozenset(["the", "a", "an", "his", "her", "its", "their", "our", "my"])
PEOPLE_AND_BODIES = (
    ANON_HEADS
    | ROLE_HEADS
    | BODY_HEADS
    | RECIPIENT_NOUNS
    | frozenset(["crew", "staff", "family", "troops", "followers", "fans", "class", "voters"])
)


def _recipient_before_clause(toks: list[Token], ce: int) -> int:
    """ "told the bank it had ...": a determiner and one or two words, then the clause's subject."""
    if ce >= len(toks) or toks[ce].low not in _POSSESSIVES:
        return ce
    for size in (1, 2):
        k = ce + 1 + size
        words = toks[ce + 1 : k]
        if k >= len(toks) or not all(t.is_word and t.text.islower() for t in words):
            break
        # Before "that" the head must be someone told, a person, a group or a body ("his
        # players that ..."), not what was told ("the story that ...").
        subject = toks[k].low
        if subject in _CLAUSE_SUBJECTS and (
            subject != "that" or toks[k - 1].low in PEOPLE_AND_BODIES
        ):
            return k
    return ce


def _clean_end(text: str, toks: list[Token], j: int) -> bool:
    if j >= len(toks) or not toks[j].is_word:
        return True
    return toks[j].low in CLEAN_FOLLOW


def _cue_holds(text: str, toks: list[Token], item: Found, ce: int, inverted: bool, s_end: int):
    """Verbs with other senses count only in their reporting use."""
    kind = item.cue.kind
    rest = text[item.cue.end : s_end]
    if kind == "weak" and not inverted:
        m = SKIP_RE.match(rest)
        skipped = rest[m.end() :] if m and "that" not in m.group() else rest
        if not (
            _WEAK_COMPLEMENT.match(rest)
            or _WEAK_COMPLEMENT.match(skipped)
            or (m and ("that" in m.group().lower() or ":" in m.group()))
        ):
            # Without a complement the content must come before: "..., his club confirmed."
            return text[: item.sources[0].start].rstrip()[-1:] in (",", "”", '"')
    low = text[item.cue.start : item.cue.end].lower()
    if kind == "dismiss" or low == "dismissing":
        return bool(re.search(r"\bas\b", " ".join(t.low for t in toks[ce : ce + 20])))
    if kind == "reject" or low == "rejecting":
        words = [t.low.removesuffix("'s") for t in toks[ce : ce + 5]]
        return any(w in STATEMENT_OBJECTS for w in words) or words[:1] == ["that"]
    if kind == "participle":
        return bool(rest.strip(" .,"))
    return True


def _content(text, quotes, toks, item: Found, pos: int, inverted: bool, s_end: int):
    src = item.sources[0]
    anchor = item.cue.start if inverted else src.start
    quote = _quote_before(text, quotes, anchor)
    if quote is not None and item.cue.kind in ("speech", "weak", "told"):
        a, b = quote
        nxt = _after_content(text, quotes, pos, s_end, raw=True)
        if nxt and text[nxt[0]] in OPENING:
            q2 = quotes.starting_at(nxt[0])
            if q2 is not None:
                b = strip_span(text, *q2.inner)[1]
        return a, b
    after_span = _after_content(text, quotes, pos, s_end)
    fronted = None
    if item.cue.kind in ("speech", "weak", "told", "participle") and not item.shared:
        fronted = _fronted(text, toks, anchor)
    if fronted and (after_span is None or _adjunct(text, pos, after_span)):
        return fronted
    return after_span or fronted


def _adjunct(text: str, pos: int, span: Span) -> bool:
    between = text[pos : span[0]]
    first = re.match(r"\w+", text[span[0] : span[1]])
    return "," in between or bool(first and first.group().lower() in ADJUNCT_OPENERS)


def _quote_before(text: str, quotes: Quotes, pos: int) -> Span | None:
    k = pos
    while k > 0 and text[k - 1] in " ,\n":
        k -= 1
    q = quotes.ending_at(k - 1) if k > 0 else None
    if q is None:
        return None
    return strip_span(text, *q.inner)


def _fronted(text: str, toks: list[Token], anchor: int) -> Span | None:
    head = text[toks[0].start : anchor].rstrip()
    if not head.endswith(","):
        return None
    a, b = strip_span(text, toks[0].start, toks[0].start + len(head))
    return (a, b) if len(text[a:b].split()) >= 2 else None


def _after_content(text, quotes, pos: int, s_end: int, raw: bool = False) -> Span | None:
    m = SKIP_RE.match(text, pos, s_end)
    if m:
        pos = m.end()
    while pos < s_end and text[pos].isspace():
        pos += 1
    if pos >= s_end:
        return None
    if text[pos] in OPENING:
        q = quotes.starting_at(pos)
        if q is not None and raw:
            return pos, q.end
        if q is not None and not text[q.end + 1 : s_end].strip(" .,\"”’'\n"):
            return strip_span(text, *q.inner)
    a, b = strip_span(text, pos, s_end)
    if b - a < 2 or not any(ch.isalnum() for ch in text[a:b]):
        return None
    return a, b


def _according_content(text, toks: list[Token], ci: int, end_tok: int, s_end: int):
    cue_start = toks[ci].start
    head = text[toks[0].start : cue_start].rstrip()
    if head:
        a, b = strip_span(text, toks[0].start, toks[0].start + len(head))
        return (a, b) if b > a else None
    if end_tok < len(toks):
        a, b = strip_span(text, toks[end_tok].start, s_end)
        return (a, b) if b > a else None
    return None


def _clip(text: str, found: list[Found]) -> None:
    """A content stops where a coordinated statement or a new clause with its own source
    begins: "said X, but she denied Y", "dismissed X and said Y"."""
    for i, item in enumerate(found):
        if item.content is None:
            continue
        a, b = item.content
        for later in found[i + 1 :]:
            if not (a < later.cue.start < b):
                continue
            if later.shared:
                head = text[a : later.cue.start]
                m = _CONNECTOR_TAIL.search(head)
                b = a + (m.start() if m else len(head))
                break
            if later.sources and a < later.sources[0].start < b:
                m = _CLAUSE_TAIL.search(text[a : later.sources[0].start])
                if m:
                    b = a + m.start()
                    break
        item.content = strip_span(text, a, b)


def _suggestions(text: str, item: Found, history, matcher: Matcher) -> list[Suggestion]:
    cue = (item.cue.start, item.cue.end)
    if item.cue.kind == "passive":
        return [Suggestion(cue, item.stance, UNATTRIBUTED, content=item.content)]
    out = []
    for phrase in item.sources:
        antecedent = _resolve(phrase, history, text) if phrase.kind == "pronoun" else None
        if antecedent is not None:
            ref, ref_s = antecedent
            anonymity, count, known = ref_s.anonymity, ref_s.count, ref_s.known
            if phrase.count == 1:
                count = 1
            span_ref: Span | None = (ref.start, ref.end)
        elif phrase.kind == "pronoun":
            anonymity = ANONYMOUS if phrase.plural else NAMED
            count, known, span_ref = phrase.count, None, None
        else:
            anonymity, count = phrase.anonymity, phrase.count
            known = matcher.match(text[phrase.start : phrase.end])
            span_ref = None
        stance = DENIES if item.stance == DENIES else item.stance
        s = Suggestion(
            cue, stance, anonymity, (phrase.start, phrase.end), item.content, count, known, span_ref
        )
        out.append(s)
        if phrase.kind != "pronoun":
            history.append((phrase, s))
    return out


def _resolve(pronoun: Phrase, history, text: str):
    """The nearest earlier source a pronoun can stand for: a person for he/she, a body for it,
    several people for they."""
    word = text[pronoun.start : pronoun.end].lower()
    for phrase, s in reversed(history):
        if phrase.start >= pronoun.start:
            continue
        if word in ("he", "she") and phrase.person and not phrase.plural:
            return phrase, s
        if word == "it" and not phrase.plural and phrase.kind in ("body", "name"):
            return phrase, s
        if word == "they" and phrase.plural:
            return phrase, s
    return None
