"""Bad query parameters: one exception, one 400 that names every one of them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


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
