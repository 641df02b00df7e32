"""Finding an actor or an outlet by what an analyst types: its slug, its name or an alias.

One rule for the filters (`actor=`, `outlet=`) and the filter form's suggestions: a slug as
stored is taken at once; otherwise names, aliases and slugs are compared folded (case, accents,
runs of whitespace and a leading "the" do not count), so `actor=Turkey`, `actor=Moscow` and
`actor=the Kremlin` find their actor. A text that names two or more is refused with their slugs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from articles.models import Outlet
from tracker.models import Actor, ActorAlias

# How many suggestions the filter form's list offers.
SUGGESTIONS = 10
# Candidates shown in an "ambiguous" error.
SHOWN_CANDIDATES = 6

_SPACES = re.compile(r"[\s\-_]+")


def fold(text: str) -> str:
    """The text as compared: no accents, case-folded, whitespace (and - _) as one space, no
    leading "the"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    folded = _SPACES.sub(" ", bare.casefold()).strip()
    return folded.removeprefix("the ").strip()


@dataclass(frozen=True)
class Named:
    """A row found by name: its id, slug and name."""

    pk: int
    slug: str
    name: str


class NotFound(LookupError):
    """No row has this slug, name or alias."""


class Ambiguous(LookupError):
    """The text names more than one row."""

    def __init__(self, text: str, candidates: list[Named]) -> None:
        self.candidates = candidates
        shown = ", ".join(f"{row.name} ({row.slug})" for row in candidates[:SHOWN_CANDIDATES])
        more = len(candidates) - SHOWN_CANDIDATES
        tail = f" and {more} more" if more > 0 else ""
        super().__init__(f"{text!r} names more than one: {shown}{tail}. Give one of their slugs.")


def _pick(text: str, rows: Iterable[tuple[int, str, str, str]]) -> Named:
    """The one row whose name or other spelling (a slug, an alias) folds to the text's fold."""
    wanted = fold(text)
    found: dict[int, Named] = {}
    for pk, slug, name, spelling in rows:
        if wanted and wanted in (fold(name), fold(spelling)):
            found.setdefault(pk, Named(pk, slug, name))
    if not found:
        raise NotFound(text)
    if len(found) > 1:
        raise Ambiguous(text, sorted(found.values(), key=lambda row: (row.name, row.slug)))
    return next(iter(found.values()))


def find_actor(text: str) -> Named:
    """The actor whose name, alias or slug the text is (one query over names and aliases).

    Called when the text is no stored slug. The comparison is done here rather than in SQL:
    neither database folds accents without an extension, and the names are short.
    """
    actors = Actor.objects.order_by().annotate(spelling=F("slug"))
    aliases = ActorAlias.objects.order_by().annotate(
        actor_slug=F("actor__slug"), actor_name=F("actor__name"), spelling=F("name")
    )
    rows = actors.values_list("pk", "slug", "name", "spelling").union(
        aliases.values_list("actor_id", "actor_slug", "actor_name", "spelling"), all=True
    )
    return _pick(text, rows)


def find_outlet(text: str) -> Named:
    """The outlet whose name or slug the text is (one query)."""
    rows = Outlet.objects.order_by().annotate(spelling=F("slug"))
    return _pick(text, rows.values_list("pk", "slug", "name", "spelling"))


def suggest_actors(text: str) -> list[dict[str, str]]:
    """Actors whose name, slug or an alias contains the text, the most cited first: one query."""
    text = text.strip()
    if not text:
        return []
    ascii_text = fold(text)
    match = (
        Q(name__icontains=text)
        | Q(slug__icontains=text)
        | Q(aliases__name__icontains=text)
        | Q(name__icontains=ascii_text)
        | Q(aliases__name__icontains=ascii_text)
    )
    matched = Actor.objects.filter(match).values("pk")
    rows = Actor.objects.filter(pk__in=matched).order_by("name", "slug")
    return _suggestions(rows.values_list("slug", "name")[:SUGGESTIONS])


def suggest_outlets(text: str) -> list[dict[str, str]]:
    """Outlets whose name or slug contains the text: one query."""
    text = text.strip()
    if not text:
        return []
    ascii_text = fold(text)
    match = Q(name__icontains=text) | Q(slug__icontains=text) | Q(name__icontains=ascii_text)
    rows = Outlet.objects.filter(match).order_by("name", "slug")
    return _suggestions(rows.values_list("slug", "name")[:SUGGESTIONS])


def _suggestions(rows: QuerySet) -> list[dict[str, str]]:
    return [{"slug": slug, "name": name} for slug, name in rows]
