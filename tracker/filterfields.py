"""The form fields and filters that the FilterSets (tracker/filtersets.py) are built of: strict
yes/no values, the search box, actors and outlets by slug or name, ids."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import django_filters
from django import forms
from django.core.validators import slug_re
from django.db.models import QuerySet

from articles.models import Outlet
from tracker import search
from tracker.models import Actor
from tracker.names import Ambiguous, NotFound, find_actor, find_outlet

# The longest q read (a longer one is a 400 naming q).
SEARCH_MAX_CHARS = 500


class StrictBooleanField(forms.NullBooleanField):
    """1/0/true/false, or an error naming the value (the stock field reads junk as unset)."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        lowered = str(value).strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise forms.ValidationError(f"{value!r} is not 1 or 0.", code="invalid")

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class SearchField(forms.CharField):
    """What a reader searches for: at most SEARCH_MAX_CHARS characters and MAX_TERMS terms."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("max_length", SEARCH_MAX_CHARS)
        super().__init__(*args, **kwargs)

    def validate(self, value) -> None:
        super().validate(value)
        if value and len(search.terms(value, cap=None)) > search.MAX_TERMS:
            raise forms.ValidationError(
                f"Search for at most {search.MAX_TERMS} words or quoted phrases.", code="terms"
            )


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


@dataclass(frozen=True)
class ActorChoice:
    """An actor asked for by slug, with the ids of its sub-tree (its own id first)."""

    actor: Actor
    subtree_ids: tuple[int, ...]

    @property
    def pk(self) -> int:
        """The actor's id: what a cache key or a link names the choice by."""
        return self.actor.pk

    @property
    def below_ids(self) -> tuple[int, ...]:
        """The ids of the actors under it, not its own."""
        return self.subtree_ids[1:]


class ActorField(forms.CharField):
    """An actor by slug, name or alias, with the ids of its sub-tree (Actor.objects.subtree).

    A stored slug is one query; anything else is found by tracker.names (one more query over
    names and aliases) before its sub-tree is read. The ids go into the queries as a literal
    list: PostgreSQL's planner cannot estimate a `path LIKE '/1/%'` sub-select (it guessed 2
    rows for 71 and chose plans a thousand times slower), but it estimates `actor_id IN (...)`
    well.
    """

    default_error_messages = {
        "invalid_choice": "There is no actor with the slug, name or alias %(value)s."
    }

    def to_python(self, value: Any) -> ActorChoice | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        rows = []
        if slug_re.match(text):  # a stored slug: its sub-tree at once
            rows = list(Actor.objects.subtree(text).values_list("pk", "slug", "name", "path"))
        root = next((row for row in rows if row[1] == text), None)
        if root is None:
            try:
                found = find_actor(text)
            except NotFound:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": repr(text)},
                ) from None
            except Ambiguous as error:
                raise forms.ValidationError(str(error), code="ambiguous") from None
            rows = list(Actor.objects.subtree(found.slug).values_list("pk", "slug", "name", "path"))
            root = next(row for row in rows if row[0] == found.pk)
        pk, slug, name, path = root
        below = tuple(row[0] for row in rows if row[0] != pk)
        return ActorChoice(Actor(pk=pk, slug=slug, name=name, path=path), (pk, *below))


class OutletField(forms.ModelChoiceField):
    """An outlet by slug (one query) or by name (tracker.names: one more)."""

    def to_python(self, value: Any) -> Outlet | None:
        text = value.strip() if isinstance(value, str) else value
        if text in self.empty_values:
            return None
        outlets = cast(QuerySet[Outlet], self.queryset)
        found = outlets.filter(slug=text).first() if slug_re.match(text) else None
        if found is not None:
            return found
        try:
            named = find_outlet(text)
        except NotFound:
            raise forms.ValidationError(
                f"There is no outlet with the slug or name {text!r}.", code="invalid_choice"
            ) from None
        except Ambiguous as error:
            raise forms.ValidationError(str(error), code="ambiguous") from None
        return outlets.get(pk=named.pk)


class OutletFilter(django_filters.ModelChoiceFilter):
    field_class = OutletField  # type: ignore[assignment]  # (the stubs' generic field)


class ActorFilter(django_filters.Filter):
    field_class = ActorField


# No row has an id beyond the widest integer the databases store (and SQLite cannot even compare
# with one): such an id matches nothing, as any other id no row has.
MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """A row's id (any number, as django-filter reads one); one too large for an id is no row."""

    def get_max_validator(self) -> None:
        # django-filter caps numbers at the float 1e50, which is not quite 10**50: a bound that
        # the schema cannot state exactly. No cap is needed: past MAX_ID there is no row.
        return None

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if value is not None and abs(value) > MAX_ID:
            return qs.none()
        return super().filter(qs, value)


class WholeIdFilter(IdFilter):
    """A row's id as a whole number (give min_value=1 for "1 or more")."""

    # (forms.DecimalField, the stock one, is a kind of IntegerField: the stubs see a narrowing)
    field_class = forms.IntegerField  # type: ignore[assignment]
