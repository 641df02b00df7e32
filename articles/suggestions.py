"""Stored suggestions: the extractor run on an article's body, its proposals kept until an editor
decides, decisions kept when it runs again, spans following the text when it changes."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.dispatch import Signal, receiver

from articles.models import Article, SuggestedAttribution
from articles.suggest import KnownName, Suggestion, suggest
from articles.suggest.known import normalise
from articles.text import body_changing, normalise_text

Status = SuggestedAttribution.Status

# Sent (sender=Article, phrases=[the sources' words]) before the extractor matches sources;
# each receiver returns KnownName entries (existing sources and actors) that may match them.
# The tracker answers: articles cannot look its sources up itself.
naming_sources = Signal()


def fingerprint(body: str, found: Suggestion) -> str:
    """The same suggestion wherever the text puts it: the words of its source, cue and content
    (normalised: case, accents, punctuation and spacing do not count) and its stance."""
    words = [
        normalise(body[span[0] : span[1]]) if span else ""
        for span in (found.source, found.cue, found.content)
    ]
    return hashlib.sha256("\x1f".join([*words, found.stance]).encode()).hexdigest()


def known_names(body: str, found: Sequence[Suggestion]) -> list[KnownName]:
    phrases = sorted({body[s.source[0] : s.source[1]] for s in found if s.source})
    if not phrases:
        return []
    names: list[KnownName] = []
    for _, answer in naming_sources.send(sender=Article, phrases=phrases):
        names.extend(entry for entry in answer or () if isinstance(entry, KnownName))
    return names


@dataclass(frozen=True)
class Stored:
    """What storing did: suggestions made, kept (already there), dropped (no longer found)."""

    new: int
    kept: int
    dropped: int
    rejected: int  # kept rejected although the extractor suggests them again

    def __str__(self) -> str:
        return (
            f"{self.new + self.kept} suggestion(s): {self.new} new, {self.kept} already there, "
            f"{self.dropped} pending dropped (no longer found), {self.rejected} stay rejected"
        )


def _fields(found: Suggestion) -> dict[str, object]:
    source = found.source or (None, None)
    content = found.content or (None, None)
    antecedent = found.antecedent or (None, None)
    return {
        "antecedent_start": antecedent[0],
        "antecedent_end": antecedent[1],
        "source_start": source[0],
        "source_end": source[1],
        "cue_start": found.cue[0],
        "cue_end": found.cue[1],
        "content_start": content[0],
        "content_end": content[1],
        "anonymity": found.anonymity,
        "count": found.count,
        "known": found.known or "",
    }


def store(article: Article) -> Stored:
    """Run the extractor on the article's body and keep what it suggests.

    A suggestion already stored (the same fingerprint) is updated in place, whatever its status:
    a rejected one stays rejected, an accepted one keeps its attribution. Pending suggestions
    the extractor no longer makes are dropped; decided ones are kept.
    """
    body = article.body
    found = suggest(body)
    found = suggest(body, known=known_names(body, found))
    with transaction.atomic():
        existing: dict[str, list[SuggestedAttribution]] = defaultdict(list)
        rows = SuggestedAttribution.objects.select_for_update().filter(article=article)
        for row in rows.order_by("cue_start", "pk"):
            existing[row.fingerprint].append(row)
        new = kept = rejected = 0
        for item in found:
            print_ = fingerprint(body, item)
            values = _fields(item)
            same = existing[print_]
            if not same:
                SuggestedAttribution.objects.create(
                    article=article, fingerprint=print_, stance=item.stance, **values
                )
                new += 1
                continue
            row = same.pop(0)
            kept += 1
            rejected += row.status == Status.REJECTED
            if row.status != Status.PENDING:
                # Decided: only where it lies moves, never what the editor decided on.
                values = {k: v for k, v in values.items() if k.endswith(("_start", "_end"))}
            values["detached"] = False
            changed = [k for k, v in values.items() if getattr(row, k) != v]
            if changed:
                for name in changed:
                    setattr(row, name, values[name])
                row.save(update_fields=[*changed, "updated_at"])
        stale = [row.pk for rows in existing.values() for row in rows if row.status == "pending"]
        for row in SuggestedAttribution.objects.filter(pk__in=stale):
            row.delete()
    return Stored(new, kept, len(stale), rejected)


def _moved(old: str, new: str, span: tuple[int, int] | None) -> tuple[int, int] | bool | None:
    """Where old[span] lies in the new text (the place nearest the old one); None for no span;
    False when the new text no longer has those words."""
    if span is None:
        return None
    words = old[span[0] : span[1]]
    hits, at = [], new.find(words)
    while at >= 0 and words:
        hits.append(at)
        at = new.find(words, at + 1)
    if not hits:
        return False
    start = min(hits, key=lambda hit: (abs(hit - span[0]), hit))
    return start, start + len(words)


def follow(suggestions: Iterable[SuggestedAttribution], old: str, new: str) -> tuple[int, int]:
    """Move each suggestion's spans to the same words in the new text. A pending suggestion
    whose words are gone is deleted; a decided one is kept, marked detached (it still says
    what the editor decided, and its fingerprint keeps it decided). Returns (moved, lost)."""
    moved = lost = 0
    for row in suggestions:
        spans = row.spans()
        placed = {part: _moved(old, new, span) for part, span in spans.items()}
        if any(where is False for where in placed.values()):
            lost += 1
            if row.status == Status.PENDING:
                row.delete()
            elif not row.detached:
                row.detached = True
                row.save(update_fields=["detached", "updated_at"])
            continue
        if placed == spans:
            continue
        for part, where in placed.items():
            start, end = where if isinstance(where, tuple) else (None, None)
            setattr(row, f"{part}_start", start)
            setattr(row, f"{part}_end", end)
        fields = [f"{part}_{end}" for part in placed for end in ("start", "end")]
        row.save(update_fields=[*fields, "updated_at"])
        moved += 1
    return moved, lost


@receiver(body_changing, sender=Article, dispatch_uid="articles.suggestions.follow")
def _follow_the_new_text(
    sender: type[Article], *, article: Article, body: str, placed: Collection[int] = (), **kwargs
) -> None:
    body = normalise_text(body)
    old = Article.objects.filter(pk=article.pk).values_list("body", flat=True).first()
    if old is None or old == body:
        return
    rows = SuggestedAttribution.objects.filter(article=article).exclude(detached=True)
    follow(rows, old, body)
