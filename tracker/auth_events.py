"""Authentication events in the log (logger `tracker.auth`), each with the client's address."""

from __future__ import annotations

import ipaddress
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

log = logging.getLogger("tracker.auth")

UNKNOWN = "an unknown address"


def client_address(request: HttpRequest) -> str | None:
    """The address the request came from: what sign-in limits and the log go by.

    Behind the TLS proxy (BEHIND_TLS_PROXY) that is the last X-Forwarded-For entry, the one the
    proxy appended itself: the entries before it are whatever the client sent, so anyone could
    forge them. Otherwise it is the connection's own address. None when neither is an address
    (a request made inside the process, such as the test client's force_login).
    """
    meta = request.META
    if settings.BEHIND_TLS_PROXY:
        appended = meta.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1]
        address = _address(appended)
        if address:
            return address
    return _address(meta.get("REMOTE_ADDR", ""))


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def _where(request: HttpRequest | None) -> str:
    if request is None:
        return UNKNOWN
    return client_address(request) or UNKNOWN


# Usernames are whatever was typed: %r keeps a newline or control character from forging a line.
# Passwords and token values are never passed here.


def signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    log.info("Sign-in: %r from %s", user.get_username(), _where(request))


def sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = credentials.get("username")
    log.warning("Failed sign-in: %r from %s", username, _where(request))


def signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    username = user.get_username() if user is not None else None
    log.info("Sign-out: %r from %s", username, _where(request))


def locked_out(
    sender: Any, request: HttpRequest | None, username: str | None, **kwargs: Any
) -> None:
    """django-axes refused (or went on refusing) sign-ins from an address."""
    log.warning(
        "Sign-in locked out: %r from %s after %d failures; refused for %d minutes",
        username,
        _where(request),
        settings.LOGIN_FAILURE_LIMIT,
        settings.LOGIN_COOLOFF_MINUTES,
    )


def token_refused(request: HttpRequest, reason: str, failures: int) -> None:
    log.warning(
        "API token refused from %s on %s: %s (%d of %d failures allowed)",
        _where(request),
        request.path,
        reason,
        failures,
        settings.LOGIN_FAILURE_LIMIT,
    )


def token_locked_out(request: HttpRequest, seconds: int) -> None:
    log.warning(
        "API token locked out: %s on %s after %d failed tokens; refused for %d more seconds",
        _where(request),
        request.path,
        settings.LOGIN_FAILURE_LIMIT,
        seconds,
    )


def token_expired(sender: Any, username: str, **kwargs: Any) -> None:
    """django-rest-knox found an expired token (and deleted it) while checking one."""
    log.info("API token expired and deleted: %r", username)


def connect() -> None:
    """Listen to Django's, django-axes' and django-rest-knox's authentication signals."""
    from axes.signals import user_locked_out
    from knox.signals import token_expired as knox_token_expired

    user_logged_in.connect(signed_in, dispatch_uid="tracker.auth.signed_in")
    user_login_failed.connect(sign_in_failed, dispatch_uid="tracker.auth.sign_in_failed")
    user_logged_out.connect(signed_out, dispatch_uid="tracker.auth.signed_out")
    user_locked_out.connect(locked_out, dispatch_uid="tracker.auth.locked_out")
    knox_token_expired.connect(token_expired, dispatch_uid="tracker.auth.token_expired")
