"""The API's one error shape, {"errors": {field: message}}, for every failure."""

from __future__ import annotations

import logging
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, JsonResponse
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler, set_rollback

logger = logging.getLogger(__name__)

# -- Errors: one shape for every error ---------------------------------------------------------


def error_map(detail: Any, path: str = "") -> dict[str, str]:
    """DRF's error detail as {"field.path": "message"}: nested fields and list items joined by dots.

    Errors about the request as a whole (not a field) are keyed by their code: not_found,
    not_authenticated, permission_denied, method_not_allowed, parse_error...
    """
    if isinstance(detail, dict):
        errors: dict[str, str] = {}
        for key, value in detail.items():
            if key == api_settings.NON_FIELD_ERRORS_KEY and path:
                name = path  # an item's own error is named by the item ("attributions.2")
            else:
                name = f"{path}.{key}" if path else str(key)
            errors.update(error_map(value, name))
        return errors
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            if not detail:
                return {}
            return {path or api_settings.NON_FIELD_ERRORS_KEY: " ".join(map(str, detail))}
        errors = {}
        for index, item in enumerate(detail):
            errors.update(error_map(item, f"{path}.{index}" if path else str(index)))
        return errors
    return {path or getattr(detail, "code", None) or "error": str(detail)}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler (statuses, headers, rollback), with the body as {"errors": {...}}."""
    response = exception_handler(exc, context)
    if response is None:
        if isinstance(exc, OperationalError | InterfaceError):
            # The documented shape even when the database is away (restarting, overloaded): a
            # client retries a 503; what went wrong inside is for the log, not the client.
            logger.exception("The database failed during %s", context["request"].path)
            set_rollback()
            return Response(
                {"errors": {"database": "The database is not answering; try again shortly."}},
                status=503,
                headers={"Retry-After": "5"},
            )
        return None  # not an API error: a 500, as anywhere else
    data = response.data
    if not isinstance(getattr(exc, "detail", None), dict | list) and list(data) == ["detail"]:
        data = data["detail"]  # a whole-request error: keyed by its code (error_map)
    response.data = {"errors": error_map(data)}
    return response


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any other path under /api/: a 404 in the API's error shape (not the HTML page)."""
    return JsonResponse(
        {"errors": {"not_found": "There is no API endpoint at this path."}}, status=404
    )


ERRORS: dict[int, str] = {
    400: "A field or parameter is wrong; each is named.",
    401: "The token is unknown or expired, or writing needs one.",
    403: "The account may not do this.",
    404: "There is no such object.",
    415: "The body must be JSON.",
    429: "Too many wrong tokens from this address; try again after Retry-After seconds.",
    503: "The database is not answering; try again shortly.",
}
