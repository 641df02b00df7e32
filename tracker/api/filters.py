"""The API's filters: django-filter's backend on the FilterSets of tracker/filtersets.py.

The FilterSets are the pages' own, so a filter works the same on a page and in the API; their
OpenAPI parameters come from them too (drf-spectacular's django-filter support, with what it
cannot see added here: names as text, number bounds, which parameters may be left empty).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.http import HttpRequest
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.plumbing import build_parameter_type
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions

from tracker.filtersets import ActorFilter, FilterSet, OutletFilter

SLUG_REGEX = r"[-a-zA-Z0-9_]+"


class FilterBackend(DjangoFilterBackend):
    """The view's `filterset_class` on a list's query string; a bad value is a 400 naming it.

    A view whose rows are of another model than its FilterSet's (the claims, filtered by their
    attributions) has the FilterSet run on all of that model's rows and turns the valid
    filterset into its rows itself: `filter_by(filterset)`.
    """

    def get_filterset_class(self, view: Any, queryset: QuerySet | None = None) -> Any:
        # django-filter would also insist that the rows are of the FilterSet's model.
        return getattr(view, "filterset_class", None)

    # (DRF passes its Request, which django-filter's stubs call an HttpRequest.)
    def get_filterset_kwargs(
        self, request: HttpRequest, queryset: QuerySet, view: Any
    ) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        model = self.get_filterset_class(view)._meta.model
        if queryset.model is not model:
            kwargs["queryset"] = model._default_manager.all()
        return kwargs

    def filter_queryset(self, request: HttpRequest, queryset: QuerySet, view: Any) -> QuerySet:
        if getattr(view, "action", None) != "list":
            return queryset  # a detail is found by its key alone
        filterset = self.get_filterset(request, queryset, view)
        if not isinstance(filterset, FilterSet):  # no filterset_class: nothing to filter by
            return queryset
        if not filterset.is_valid():
            raise exceptions.ValidationError(dict(filterset.error_messages()))
        filter_by = getattr(view, "filter_by", None)
        return filter_by(filterset) if filter_by is not None else filterset.qs


class FilterBackendSchema(DjangoFilterExtension):
    """drf-spectacular's parameters for django-filter, plus what the FilterSets say besides.

    Descriptions are the filter's label and help text; a filter by slug, name or alias is text; a
    number its bounds (django-filter caps numbers at 1e50); and a filter that reads an empty
    value as "no filter" (`actor=`, as a page's form sends it) says so with allowEmptyValue.
    """

    target_class = "tracker.api.filters.FilterBackend"
    priority = 1  # before drf-spectacular's own extension for DjangoFilterBackend

    def resolve_filter_field(
        self,
        auto_schema: Any,
        model: Any,
        filterset_class: Any,
        field_name: str,
        filter_field: django_filters.Filter,
    ) -> list[dict]:
        if _is_named(filter_field):
            parameters = [
                build_parameter_type(
                    name=field_name,
                    location=OpenApiParameter.QUERY,
                    schema={"type": "string"},
                    description=_description(filter_field),
                )
            ]
        else:
            parameters = super().resolve_filter_field(
                auto_schema, model, filterset_class, field_name, filter_field
            )
        for parameter in parameters:
            schema = parameter["schema"]
            if isinstance(filter_field, django_filters.NumberFilter):
                # The form field decides what is accepted: a whole number, or any (django-filter's
                # default, a decimal), whatever the model field is.
                field = filter_field.field
                whole = isinstance(field, forms.IntegerField) and not isinstance(
                    field, forms.DecimalField | forms.FloatField
                )
                schema["type"] = "integer" if whole else "number"
                schema.update(_bounds(field))
            if _accepts_empty(filter_field):
                parameter["allowEmptyValue"] = True
        return parameters

    def _get_field_description(self, filter_field: django_filters.Filter, description: Any) -> str:
        described = super()._get_field_description(filter_field, description) or ""
        notes = filter_field.extra.get("help_text")
        if notes and filter_field.label:
            return f"{filter_field.label}: {described}"  # (described starts with the notes)
        return described


def _is_named(field: django_filters.Filter) -> bool:
    """A filter that takes a slug, a name or an alias (tracker.names): any text."""
    return isinstance(field, ActorFilter | OutletFilter)


def _description(field: django_filters.Filter) -> str:
    notes = field.extra.get("help_text")
    return ": ".join(str(part) for part in (field.label, notes) if part)


def _bounds(field: forms.Field) -> dict[str, float]:
    bounds: dict[str, float] = {}
    for validator in field.validators:
        if isinstance(validator, MinValueValidator | MaxValueValidator):
            key = "maximum" if isinstance(validator, MaxValueValidator) else "minimum"
            limit = validator.limit_value
            bounds[key] = limit if isinstance(limit, int) else float(limit)
    return bounds


def _accepts_empty(field: django_filters.Filter) -> bool:
    """Whether the filter reads an empty value (as a form sends it) as "not filtering"."""
    empty = [""] if isinstance(field, django_filters.MultipleChoiceFilter) else ""
    try:
        field.field.clean(empty)
    except DjangoValidationError:
        return False
    return True
