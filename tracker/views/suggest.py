"""Suggestions for the filter form's actor and outlet fields: a little JSON, one query each."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from tracker.names import suggest_actors, suggest_outlets

# Longer than any name worth completing: refused rather than searched.
MAX_TEXT = 100


def _suggestions(request: HttpRequest, find: Callable[[str], list[dict[str, str]]]) -> JsonResponse:
    unknown = [name for name in request.GET if name != "q"]
    if unknown:
        return JsonResponse(
            {"errors": {name: f"There is no parameter {name!r} here; give q." for name in unknown}},
            status=400,
        )
    text = request.GET.get("q", "")
    if len(text) > MAX_TEXT:
        return JsonResponse(
            {"errors": {"q": f"Give at most {MAX_TEXT} characters ({len(text)} given)."}},
            status=400,
        )
    return JsonResponse({"results": find(text)})


@require_safe
def actors(request: HttpRequest) -> JsonResponse:
    """Actors a word of whose name or alias (or whose slug) starts with q, folded (case and
    accents do not count): [{"slug", "name"}, ...] by name, at most 10."""
    return _suggestions(request, suggest_actors)


@require_safe
def outlets(request: HttpRequest) -> JsonResponse:
    """Outlets a word of whose name (or whose slug) starts with q, folded: [{"slug", "name"},
    ...] by name, at most 10."""
    return _suggestions(request, suggest_outlets)
