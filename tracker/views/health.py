"""The health check for load balancers and docker-compose: ok or not ok, and nothing more."""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the app and its database answer, 503 when not.

    The public answer says only that: the database's host, port and error text are for the
    log, where operators read them, not for whoever asks.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database is not answering")
        return JsonResponse({"status": "error"}, status=503)
    return JsonResponse({"status": "ok"})
