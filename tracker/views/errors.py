"""Errors: bad query parameters (one 400 that names every one of them) and the 500 page."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults


class BadParameters(ValueError):
    """Query parameters that cannot be honoured: (name, message) for each."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{name}: {message}" for name, message in problems))


def bad_request(request: HttpRequest, problems: list[tuple[str, str]]) -> HttpResponse:
    """A 400 that names every bad parameter, in the format the client asked for."""
    wanted = request.GET.get("format", "")
    if wanted == "json" or request.path.startswith("/api/"):
        return JsonResponse({"errors": dict(problems)}, status=400)
    if wanted == "csv":
        text = "".join(f"{name}: {message}\n" for name, message in problems)
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
    return render(request, "tracker/bad_request.html", {"problems": problems}, status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page; under /api/ the API's JSON error, and a 503 when the database is away."""
    error = sys.exc_info()[1]
    database_down = isinstance(error, OperationalError | InterfaceError)
    if request.path.startswith("/api/"):
        message = (
            "The database is not answering; try again shortly."
            if database_down
            else "Something went wrong on the server; it has been logged."
        )
        key = "database" if database_down else "server"
        return JsonResponse({"errors": {key: message}}, status=503 if database_down else 500)
    return defaults.server_error(request)
