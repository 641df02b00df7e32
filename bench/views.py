"""The bare view: the ceiling the pages are measured against (`make bench`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def bare_view(request: HttpRequest) -> HttpResponse:
    """The ceiling: a Django view under the same gunicorn and middleware that does no work."""
    return HttpResponse("ok", content_type="text/plain")
