"""Reading the list pages' parameters and writing their query strings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, QueryDict

from tracker.filtersets import FILTER_PARAMS, AttributionFilterSet
from tracker.models import (
    Attribution,
)
from tracker.views.errors import BadParameters


def _filterset(request: HttpRequest, *, also: Iterable[str]) -> AttributionFilterSet:
    """The filters of a list page; `also`: the other parameters the page reads (a parameter
    that is neither is a 400 naming it, so a misspelled filter is never silently ignored)."""
    unknown = AttributionFilterSet.unknown_parameters(request.GET, also=also)
    filterset = AttributionFilterSet(request.GET, queryset=Attribution.objects.all())
    if unknown or not filterset.is_valid():
        raise BadParameters([*unknown, *filterset.error_messages()])
    return filterset


def _filter_params(request: HttpRequest, filterset: AttributionFilterSet) -> list[tuple]:
    """The filters as asked, normalised: the same question gives the same cache key."""
    data = filterset.form.cleaned_data
    params = []
    for name in FILTER_PARAMS:
        value = data.get(name)
        if value in (None, "", []):
            continue
        params.append((name, getattr(value, "pk", value)))
    return params


def _choice(request: HttpRequest, name: str, choices: Iterable[str], default: str) -> str:
    value = request.GET.get(name, default) or default
    if value not in choices:
        raise BadParameters([(name, f"{value!r} is not one of: {', '.join(choices)}.")])
    return value


def _whole_number(request: HttpRequest, name: str, default: int, *, most: int) -> int:
    """A whole number from 0 to `most`, or a 400 naming the parameter and what it takes."""
    value = request.GET.get(name, "") or str(default)
    if not value.isascii() or not value.isdigit() or int(value) > most:
        raise BadParameters([(name, f"{value!r} is not a whole number from 0 to {most}.")])
    return int(value)


# -- Query strings ----------------------------------------------------------------------------


def querystring(params: QueryDict, **changes: Any) -> str:
    """The current query string with some parameters replaced (None removes), cursor dropped."""
    updated = params.copy()
    updated.pop("cursor", None)
    for name, value in changes.items():
        if value is None:
            updated.pop(name, None)
        elif isinstance(value, list):
            updated.setlist(name, value)
        else:
            updated[name] = value
    encoded = updated.urlencode()
    return f"?{encoded}" if encoded else "?"


def toggle(params: QueryDict, name: str, value: str, *, multiple: bool = False) -> tuple[str, bool]:
    """The URL that adds (or, if present, removes) name=value, and whether it is present now."""
    current = params.getlist(name)
    active = value in current
    if multiple:
        values = [v for v in current if v != value] if active else [*current, value]
        return querystring(params, **{name: values or None}), active
    return querystring(params, **{name: None if active else value}), active
