"""Counts that are slow to compute and rarely change, cached under the database's data version.

Database triggers (migration 0004) set `tracker_dataversion.version` to a new random number
whenever a row of a table the counts read is written, by any code path: the admin, the loaders,
bulk inserts, raw SQL. A cached value is keyed by that version, so it is used only while the data
is exactly as it was when the value was computed (random, so a rolled-back transaction's number
is never reused); reading the version is one single-row query by primary key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse

TIMEOUT = 24 * 3600  # a version changes with every write; old keys just age out


_UNREAD = object()
# Within one read-only request the version is read once (DataVersionMiddleware opens the scope).
_request_version: ContextVar[Any] = ContextVar("tracker_data_version", default=None)


def data_version() -> int | None:
    """The current version, or None where the row is missing (then nothing is cached)."""
    memo = _request_version.get()
    if memo is not None and memo is not _UNREAD:
        return memo[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM tracker_dataversion WHERE id = 1")
        row = cursor.fetchone()
    version = row[0] if row else None
    if memo is _UNREAD:
        _request_version.set((version,))
    return version


class DataVersionMiddleware:
    """Reads the data version at most once per GET or HEAD request, however many caches ask."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        token = _request_version.set(_UNREAD)
        try:
            return self.get_response(request)
        finally:
            _request_version.reset(token)


def cache_key(name: str, params: Iterable[tuple[str, Any]]) -> str:
    """A key for a computation over the given (parameter, value) pairs, whatever their order."""
    normal = sorted((key, sorted(v) if isinstance(v, list) else v) for key, v in params)
    digest = hashlib.sha1(json.dumps(normal, default=str).encode()).hexdigest()
    return f"{name}:{digest}"


def cached[T](key: str, compute: Callable[[], T], *, version: int | None = None) -> T:
    """The value computed for key at the current data version, computing it if there is none."""
    version = data_version() if version is None else version
    if version is None:
        return compute()
    full_key = f"{key}:v{version}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, TIMEOUT)
    return value


def cached_page(view: Callable) -> Callable:
    """A public page's HTML, kept under the data version: rendered once per change of the data.

    For pages whose content depends only on the URL and the data (no user, no form): a write
    anywhere changes the version, so a kept page is never out of date.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # Exports stream and are not kept; everything else on these pages is HTML.
        if request.method not in ("GET", "HEAD") or request.GET.get("format") not in (None, "html"):
            return view(request, *args, **kwargs)
        version = data_version()
        if version is None:
            return view(request, *args, **kwargs)
        key = cache_key("page", [("url", request.build_absolute_uri())]) + f":v{version}"
        kept = cache.get(key)
        if kept is not None:
            content, content_type = kept
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            cache.set(key, (response.content, response["Content-Type"]), TIMEOUT)
        return response

    return wrapper
