"""Finding an actor or an outlet by what an analyst types: its slug, its name or an alias.

One rule for the filters (`actor=`, `outlet=`) and the filter form's suggestions: a slug as
stored is taken at once; otherwise names, aliases and slugs are compared folded (case, accents,
runs of whitespace and a leading "the" do not count: articles/namekeys.py), so `actor=Turkey`,
`actor=Moscow` and `actor=the Kremlin` find their actor. A text that names two or more is refused
with their slugs.

Each row keeps its name's key and word keys, so a lookup is an indexed equality and a suggestion
an indexed prefix: the cost does not grow with the number of actors.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, QuerySet

from articles.models import Outlet, OutletWord
from articles.namekeys import KeyPrefix, by_key, fold
from tracker.models import Actor, ActorAlias, ActorWord

# How many suggestions the filter form's list offers.
SUGGESTIONS = 10
# Candidates shown in an "ambiguous" error.
SHOWN_CANDIDATES = 6


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


def _pick(text: str, rows: Iterable[tuple[int, str, str]]) -> Named:
    """The one row found (a row found twice, by its name and an alias, is one)."""
    found = {pk: Named(pk, slug, name) for pk, slug, name in rows}
    if not found:
        raise NotFound(text)
    if len(found) > 1:
        raise Ambiguous(text, sorted(found.values(), key=lambda row: (row.name, row.slug)))
    return next(iter(found.values()))


def find_actor(text: str) -> Named:
    """The actor whose name, alias or slug the text is, folded: one query, indexed equalities
    on the kept keys of names and aliases (and on slugs)."""
    key = fold(text)
    if not key:
        raise NotFound(text)
    actors = Actor.objects.order_by().filter(by_key(key)).values_list("pk", "slug", "name")
    aliases = ActorAlias.objects.order_by().filter(name_key=key)
    return _pick(
        text,
        actors.union(
            aliases.values_list("actor_id", "actor__slug", "actor__name"), all=True
        ).order_by(),
    )


def find_outlet(text: str) -> Named:
    """The outlet whose name or slug the text is, folded (one query)."""
    key = fold(text)
    if not key:
        raise NotFound(text)
    rows = Outlet.objects.order_by().filter(by_key(key))
    return _pick(text, rows.values_list("pk", "slug", "name"))


def suggest_actors(text: str) -> list[dict[str, str]]:
    """Actors one of whose names (its name, slug or an alias) has a word starting with the text,
    folded, by name: one query, an indexed prefix over the kept word keys."""
    prefix = fold(text)
    if not prefix:
        return []
    matched = ActorWord.objects.filter(KeyPrefix(F("key"), prefix)).values("actor_id")
    rows = Actor.objects.filter(pk__in=matched).order_by("name", "slug")
    return _suggestions(rows.values_list("slug", "name")[:SUGGESTIONS])


def suggest_outlets(text: str) -> list[dict[str, str]]:
    """Outlets whose name or slug has a word starting with the text, folded: one query."""
    prefix = fold(text)
    if not prefix:
        return []
    matched = OutletWord.objects.filter(KeyPrefix(F("key"), prefix)).values("outlet_id")
    rows = Outlet.objects.filter(pk__in=matched).order_by("name", "slug")
    return _suggestions(rows.values_list("slug", "name")[:SUGGESTIONS])


def _suggestions(rows: QuerySet) -> list[dict[str, str]]:
    return [{"slug": slug, "name": name} for slug, name in rows]
