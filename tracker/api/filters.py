"""The API's filters: the pages' FilterSet and the verdict and track-record filters."""

from __future__ import annotations

import re
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q, QuerySet
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend
from rest_framework.request import Request

from tracker.api.serializers import MAX_ID
from tracker.filtersets import RANKING_KINDS, AttributionFilterSet, RankingForm
from tracker.models import (
    ActorKind,
    Attribution,
    Rating,
    SourceKind,
)

SLUG_REGEX = r"[-a-zA-Z0-9_]+"


# -- Filters: the pages' FilterSet -------------------------------------------------------------

_FILTER_NOTES = {
    "actor": "an actor's slug; the actors under it count too unless actor_exact=1",
    "actor_exact": "1 or 0",
    "stance": "repeatable; responses means denies, declined and no_response together",
    "q": "words in the claim's text or its quotes",
}


def _filter_schema(field: django_filters.Filter) -> dict:
    if isinstance(field, django_filters.MultipleChoiceFilter):
        choices = [value for value, _label in field.extra["choices"]]
        return {"type": "array", "items": {"type": "string", "enum": choices}}
    if isinstance(field, django_filters.ModelChoiceFilter):  # (a ChoiceFilter too)
        return {"type": "string", "pattern": f"^{SLUG_REGEX}$"}
    if isinstance(field, django_filters.ChoiceFilter):
        return {"type": "string", "enum": [value for value, _label in field.extra["choices"]]}
    if isinstance(field, django_filters.BooleanFilter):
        return {"type": "boolean"}
    if isinstance(field, django_filters.DateFilter):
        return {"type": "string", "format": "date"}
    if isinstance(field, django_filters.NumberFilter):
        # django-filter bounds numbers (at most 1e50 by default): the schema says so.
        schema: dict[str, Any] = {"type": "number"}
        for validator in field.field.validators:
            if isinstance(validator, MinValueValidator | MaxValueValidator):
                key = "maximum" if isinstance(validator, MaxValueValidator) else "minimum"
                schema[key] = float(validator.limit_value)
        return schema
    return {"type": "string"}


def _accepts_empty(field: django_filters.Filter) -> bool:
    """Whether the filter reads an empty value (as a form sends it) as "not filtering"."""
    empty = [""] if isinstance(field, django_filters.MultipleChoiceFilter) else ""
    try:
        field.field.clean(empty)
    except DjangoValidationError:
        return False
    return True


class AttributionFilterBackend(BaseFilterBackend):
    """AttributionFilterSet (the pages' filters) on the query string; a bad value is a 400.

    The view turns the valid filterset into its rows (`filter_by`): the attributions that match,
    or the claims with at least one matching attribution.
    """

    def filter_queryset(self, request: Request, queryset: QuerySet, view) -> QuerySet:
        if getattr(view, "action", None) != "list":
            return queryset
        filterset = AttributionFilterSet(request.query_params, queryset=Attribution.objects.all())
        if not filterset.is_valid():
            raise exceptions.ValidationError(dict(filterset.error_messages()))
        rows = view.filter_by(filterset)
        article = filterset.form.cleaned_data.get("article")
        if article is not None and abs(article) > MAX_ID:
            # No article has an id that large, and SQLite cannot even compare with one.
            return rows.none()
        return rows

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = []
        for name, field in AttributionFilterSet.base_filters.items():
            parameter = {
                "name": name,
                "in": "query",
                "required": False,
                "description": ": ".join(filter(None, [str(field.label), _FILTER_NOTES.get(name)])),
                "schema": _filter_schema(field),
            }
            if parameter["schema"]["type"] == "array":
                parameter.update(style="form", explode=True)
            if _accepts_empty(field):
                parameter["allowEmptyValue"] = True  # "actor=" is no filter, as on the pages
            parameters.append(parameter)
        return parameters


class VerdictFilterBackend(BaseFilterBackend):
    """`claim` (an id) and `rating` on the verdict list; a bad value is a 400 naming it."""

    def filter_queryset(self, request: Request, queryset: QuerySet, view) -> QuerySet:
        if getattr(view, "action", None) != "list":
            return queryset
        errors: dict[str, str] = {}
        claim = request.query_params.get("claim", "")
        if claim:
            if not re.fullmatch(r"[0-9]+", claim) or int(claim) < 1:
                errors["claim"] = f"{claim!r} is not a claim id (a whole number of 1 or more)."
            elif int(claim) > MAX_ID:
                queryset = queryset.none()  # no claim has such an id (SQLite cannot compare it)
            else:
                queryset = queryset.filter(claim_id=int(claim))
        rating = request.query_params.get("rating", "")
        if rating:
            if rating in Rating.values:
                queryset = queryset.filter(rating=rating)
            else:
                errors["rating"] = f"{rating!r} is not one of {', '.join(Rating.values)}."
        if errors:
            raise exceptions.ValidationError(errors)
        return queryset

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": "claim",
                "in": "query",
                "required": False,
                "description": "The claim's id: only its verdicts",
                "schema": {"type": "integer", "minimum": 1},
                "allowEmptyValue": True,
            },
            {
                "name": "rating",
                "in": "query",
                "required": False,
                "description": "Only the verdicts with this rating",
                "schema": {"type": "string", "enum": Rating.values},
                "allowEmptyValue": True,
            },
        ]


class TrackRecordForm(RankingForm):
    """The /credibility/ page's parameters, and `all` (records too short to rank as well)."""

    all = forms.TypedChoiceField(
        choices=[(v, v) for v in ("", "1", "0", "true", "false")],
        coerce=lambda value: value in ("1", "true"),
        empty_value=False,
        required=False,
        error_messages={"invalid_choice": "Give 1 or 0 (true or false), not %(value)s."},
    )


class TrackRecordFilterBackend(BaseFilterBackend):
    """The /credibility/ page's rules (`kind`, `actor`; enough record unless `all`); 400s."""

    NOTES = {
        "kind": "a source kind or an actor kind (person is both)",
        "actor": "an actor's slug: the records under it (its sources, its sub-actors', "
        "and its sub-actors themselves)",
        "all": "1 to list the records too short to rank as well (0 by default)",
    }

    def filter_queryset(self, request: Request, queryset: QuerySet, view) -> QuerySet:
        if getattr(view, "action", None) != "list":
            return queryset
        form = TrackRecordForm(request.query_params)
        if not form.is_valid():
            raise exceptions.ValidationError(
                {name: " ".join(errors) for name, errors in form.errors.items()}
            )
        kind, actor = form.cleaned_data["kind"], form.cleaned_data["actor"]
        sources, actors = Q(source__isnull=False), Q(actor__isnull=False)
        if kind:
            # A kind that only sources have (anonymous) leaves out the actors, and the other way on.
            sources &= Q(source__kind=kind) if kind in SourceKind.values else Q(pk__in=[])
            actors &= Q(actor__kind=kind) if kind in ActorKind.values else Q(pk__in=[])
        if actor is not None:
            sources &= Q(source__actor__path__startswith=actor.path)
            actors &= Q(actor__path__startswith=actor.path) & ~Q(actor=actor)
        queryset = queryset.filter(sources | actors)
        return queryset if form.cleaned_data["all"] else queryset.enough()

    def get_schema_operation_parameters(self, view) -> list[dict]:
        schemas = {
            "kind": {"type": "string", "enum": [value for value, _label in RANKING_KINDS]},
            "actor": {"type": "string", "pattern": f"^{SLUG_REGEX}$"},
            "all": {"type": "boolean"},
        }
        return [
            {
                "name": name,
                "in": "query",
                "required": False,
                "description": self.NOTES[name],
                "schema": schema,
                "allowEmptyValue": True,
            }
            for name, schema in schemas.items()
        ]
