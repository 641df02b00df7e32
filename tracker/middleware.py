"""Request guards that hold for every page, export and API endpoint alike."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict

from tracker.views.errors import bad_request


class RejectNulMiddleware:
    """A NUL character in a parameter or form field is a 400 that names it.

    No text column can hold one (PostgreSQL refuses it with an error deep inside a query), and
    no person types one: it is a probe or a broken client, answered at the door.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        forms = ("application/x-www-form-urlencoded", "multipart/form-data")
        form = request.POST if request.content_type in forms else QueryDict()
        for params in (request.GET, form):
            for name in params:
                if "\x00" in name or any("\x00" in value for value in params.getlist(name)):
                    return _refuse(request, name.replace("\x00", "\\0"))
        return self.get_response(request)


def _refuse(request: HttpRequest, name: str) -> HttpResponse:
    problem = (name, "Contains a NUL character (%00), which no text can hold.")
    if request.path.startswith("/api/"):
        return JsonResponse({"errors": dict([problem])}, status=400)
    return bad_request(request, [problem])  # in the format asked for: page, CSV or JSON
