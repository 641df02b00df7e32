"""Suggested attributions in the claims domain: the existing sources the extractor may match,
and what each stored suggestion proposes (claim, source, words, passage) for an editor to accept."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models.functions import Lower
from django.dispatch import receiver

from articles.models import Article, SuggestedAttribution
from articles.suggest import KnownName
from articles.suggest.lexicon import BODY_HEADS
from articles.suggest.text import Quotes, sentences
from articles.suggestions import naming_sources
from tracker.choices import Anonymity, SourceKind, Stance
from tracker.models import Claim, Source
from tracker.models.claims import claim_key, claims_by_key

# The longest run of words looked up as a source's name.
NAME_WORDS = 8
_WORD = re.compile(r"[\w'’.-]+")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_OPENING_QUOTES = "\"“‘'"


def _grams(phrase: str) -> set[str]:
    words = [w.lower().strip(".") for w in _WORD.findall(phrase)]
    return {
        " ".join(words[i : i + size])
        for size in range(1, min(NAME_WORDS, len(words)) + 1)
        for i in range(len(words) - size + 1)
    }


@receiver(naming_sources, sender=Article, dispatch_uid="tracker.suggesting.sources")
def existing_sources(sender: type[Article], *, phrases: Sequence[str], **kwargs) -> list[KnownName]:
    """The sources whose name is a run of words in one of the phrases (one query)."""
    grams = set().union(*(_grams(p) for p in phrases))
    if not grams:
        return []
    rows = (
        Source.objects.annotate(lowered=Lower("name"))
        .filter(lowered__in=sorted(grams))
        .exclude(kind=SourceKind.UNATTRIBUTED)
        .order_by("pk")
        .values_list("pk", "name")
    )
    return [KnownName(f"source:{pk}", (name,)) for pk, name in rows]


def source_id(known: str) -> int | None:
    """The source id in the extractor's match ("source:12"), if it names a source."""
    kind, _, value = known.partition(":")
    return int(value) if kind == "source" and value.isdigit() else None


def guess_kind(words: str, anonymity: str) -> str:
    """A new source's kind from its words: anonymous and unattributed follow the anonymity; a
    named body ("the Defence Ministry", "a UN report") is an organisation or a document."""
    if anonymity == Anonymity.ANONYMOUS:
        return SourceKind.ANONYMOUS
    if anonymity == Anonymity.UNATTRIBUTED:
        return SourceKind.UNATTRIBUTED
    lowered = [w.lower().strip(".,") for w in words.split()]
    if any(w in ("report", "document", "documents", "letter", "memo", "study") for w in lowered):
        return SourceKind.DOCUMENT
    if any(w in BODY_HEADS for w in lowered) or len(lowered) == 1:
        return SourceKind.ORGANISATION
    return SourceKind.PERSON


def source_name(words: str) -> str:
    """A new source's name from the words the text uses: "the Russian state" -> "Russian state",
    "Joshua Landis, head of the centre" -> "Joshua Landis" (the apposition is a role)."""
    name = _LEADING_ARTICLE.sub("", " ".join(words.split()).split(",")[0])
    return name[:1].upper() + name[1:]


def claim_text(words: str) -> str:
    """A new claim from a content span: one sentence, capitalised, ending with a full stop."""
    text = " ".join(words.split()).strip(" ,;:")
    if not text:
        return ""
    text = text[:1].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


@dataclass
class Proposal:
    """What one stored suggestion proposes, as the workspace's form is filled with it."""

    suggestion: SuggestedAttribution
    source_words: str
    cue_words: str
    content_words: str
    claim: Claim | None
    claim_text: str
    source: Source | None
    source_name: str
    source_kind: str
    quote: str
    passage: str

    @property
    def stance_label(self) -> str:
        return Stance(self.suggestion.stance).label

    @property
    def initial(self) -> dict[str, object]:
        s = self.suggestion
        return {
            "claim": self.claim.pk if self.claim else None,
            "claim_text": "" if self.claim else self.claim_text,
            "source": self.source.pk if self.source else None,
            "source_name": "" if self.source else self.source_name,
            "source_kind": self.source_kind,
            "stance": s.stance,
            "anonymity": s.anonymity,
            "count": s.count,
            "wording": self.source_words,
            "quote": self.quote,
            "passage": self.passage,
        }


def _sentence_bounds(body: str) -> list[tuple[int, int]]:
    return list(sentences(body, Quotes(body)))


def _widen(bounds: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The whole sentences the span touches."""
    touching = [(a, b) for a, b in bounds if a < end and start < b]
    if not touching:
        return start, end
    return min(start, touching[0][0]), max(end, touching[-1][1])


def proposals(body: str, rows: Sequence[SuggestedAttribution]) -> list[Proposal]:
    """Each suggestion's proposal: the claim it matches by text (or a new claim's text, from its
    content, or for a response with none, from the statement before it), the source it matches
    (or a new one from its words), its quote and its passage (whole sentences). Three queries
    whatever the number of suggestions: claims, sources, the unattributed source."""
    bounds = _sentence_bounds(body)
    contents: list[str] = []
    said = ""
    for row in rows:
        said = row.text_of(body, "content") or said
        contents.append(claim_text(said))
    claims = claims_by_key([text for text in contents if text]) if any(contents) else {}
    wanted = {source_id(row.known) for row in rows} - {None}
    sources = Source.objects.in_bulk([pk for pk in wanted if pk is not None])
    nobody = None
    if any(row.anonymity == Anonymity.UNATTRIBUTED for row in rows):
        nobody = Source.objects.filter(kind=SourceKind.UNATTRIBUTED).order_by("pk").first()
    out = []
    for row, text in zip(rows, contents, strict=True):
        words = row.text_of(body, "source")
        # A pronoun ("he said") is named by the mention it stands for.
        named_by = row.text_of(body, "antecedent") or words
        content = row.text_of(body, "content")
        at = row.content_start or 0
        quoted = at > 0 and body[at - 1] in _OPENING_QUOTES
        pk = source_id(row.known)
        source = sources.get(pk) if pk is not None else None
        if row.anonymity == Anonymity.UNATTRIBUTED:
            source = nobody
        first, last = _widen(bounds, row.span_start, row.span_end)
        out.append(
            Proposal(
                suggestion=row,
                source_words=words,
                cue_words=row.text_of(body, "cue"),
                content_words=content,
                claim=claims.get(claim_key(text)) if text else None,
                claim_text=text,
                source=source,
                source_name=source_name(named_by) if named_by else "",
                source_kind=guess_kind(named_by, row.anonymity),
                quote=content if quoted else "",
                passage=body[first:last],
            )
        )
    return out
